"""Visualizer instructions: which visualizer draws an entity in a view, with which overridden values.

A view's ``overrides={path: ...}`` names, per entity, the visualizers to use. An archetype stands for
its visualizer with the archetype's fields as overrides (``rr.SeriesLines.from_fields(colors=...)``).
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol, runtime_checkable

from rerun._baseclasses import Archetype, DescribedComponentBatch

__all__ = ["VISUALIZER_OF_ARCHETYPE", "VisualizableArchetype", "Visualizer", "as_visualizer"]

# The visualizer that draws each archetype in 0.41 (``<Archetype>.visualizer()`` there).
VISUALIZER_OF_ARCHETYPE: dict[str, str] = {
    "Arrows2D": "Arrows2D", "Arrows3D": "Arrows3D", "Asset3D": "Asset3D", "AssetAudio": "AssetAudio",
    "BarChart": "BarChart", "Boxes2D": "Boxes2D", "Boxes3D": "Boxes3D", "Capsules3D": "Capsules3D",
    "Cylinders3D": "Cylinders3D", "DepthImage": "DepthImage", "Ellipses2D": "Ellipses2D",
    "Ellipsoids3D": "Ellipsoids3D", "EncodedDepthImage": "EncodedDepthImage", "EncodedImage": "EncodedImage",
    "GaussianSplats3D": "GaussianSplats3D", "GeoLineStrings": "GeoLineStrings", "GeoPoints": "GeoPoints",
    "GraphEdges": "GraphEdges", "GraphNodes": "GraphNodes", "Image": "Image", "LineStrips2D": "Lines2D",
    "LineStrips3D": "Lines3D", "Measurements": "MeasurementsSeries", "Mesh3D": "Mesh3D", "Pinhole": "Cameras",
    "Points2D": "Points2D", "Points3D": "Points3D", "SegmentationImage": "SegmentationImage",
    "SeriesLines": "SeriesLines", "SeriesPoints": "SeriesPoints", "StateChange": "StateVisualizer",
    "StateConfiguration": "StateVisualizer", "Tensor": "Tensor", "TextDocument": "TextDocument",
    "TextLog": "TextLog", "TransformAxes3D": "TransformAxes3D", "VideoFrameReference": "VideoFrameReference",
    "VideoStream": "VideoStream", "Volume3D": "Volume3D", "VoxelGridMap": "VoxelGridMap",
}  # fmt: skip


class Visualizer:
    """One visualizer instruction: its type, values overriding the entity's own, and component mappings."""

    def __init__(
        self,
        visualizer_type: str,
        *,
        overrides: list[DescribedComponentBatch] | None = None,
        mappings: list[Any] | None = None,
    ) -> None:
        self.id = uuid.uuid4()
        self.visualizer_type = visualizer_type
        self.overrides = overrides
        self.mappings = mappings

    def __repr__(self) -> str:
        return f"Visualizer({self.visualizer_type!r}, id={self.id})"


@runtime_checkable
class VisualizableArchetype(Protocol):
    """Anything that can say which visualizer shows it (``.visualizer()``)."""

    def visualizer(self, *args: Any, **kwargs: Any) -> Visualizer: ...


def as_visualizer(item: Any) -> Visualizer | None:
    """The visualizer an override stands for, or ``None`` for plain per-entity settings (``EntityBehavior``)."""
    if isinstance(item, Visualizer):
        return item
    if isinstance(item, VisualizableArchetype):
        return item.visualizer()
    if isinstance(item, Archetype):
        visualizer_type = VISUALIZER_OF_ARCHETYPE.get(item.archetype().rsplit(".", 1)[-1])
        if visualizer_type is not None and item.archetype().startswith("rerun.archetypes."):
            return Visualizer(visualizer_type, overrides=item.as_component_batches())
    return None
