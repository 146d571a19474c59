"""The view core: runs the registered visualizers of a view's entities at the time cursor.

It knows views only by :class:`~rerun_viewer._registry.ViewKind` and visualizers only through the
registry, so adding an archetype or a view kind never touches this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rerun_core.store import ChunkStore
from rerun_core.timeline import TimeType
from rerun_viewer._entity_query import EntityQuery, archetypes_of
from rerun_viewer._heuristics import ViewSpec
from rerun_viewer._primitives import Primitive
from rerun_viewer._registry import ViewKind, visualizers_for
from rerun_viewer._time import TimeCursor, timeline_bounds
from rerun_viewer._transforms import TransformResolver, view_up_axis

__all__ = ["ViewContents", "collect"]

_SPATIAL = (ViewKind.SPATIAL_3D, ViewKind.SPATIAL_2D)


@dataclass
class ViewContents:
    """Everything one view draws this frame, as plain data."""

    spec: ViewSpec
    cursor: TimeCursor
    primitives: list[Primitive] = field(default_factory=list)
    up: np.ndarray = field(default_factory=lambda: np.array([0.0, 0.0, 1.0]))
    time_origin: int = 0  # time-series x coordinates are times minus this
    time_range: tuple[int, int] | None = None  # the active timeline's extent
    time_scale: float = 1.0  # plot x units per time unit: seconds for nanosecond timelines


def collect(store: ChunkStore, spec: ViewSpec, cursor: TimeCursor) -> ViewContents:
    """Run every visualizer registered for the view's kind over its entities."""
    contents = ViewContents(spec, cursor)
    if cursor.timeline is not None:
        contents.time_range = timeline_bounds(store, cursor.timeline.name)
        contents.time_origin = 0 if contents.time_range is None else _time_origin(cursor, contents.time_range)
        contents.time_scale = 1.0 if contents.time_origin == 0 and _is_sequence(cursor) else 1e-9
    if spec.kind == ViewKind.SPATIAL_3D:
        contents.up = view_up_axis(store, cursor, spec.origin)
    visualizers = visualizers_for(spec.kind)
    transforms = TransformResolver(store, cursor, spec.origin)
    for entity in spec.entities:
        placement = transforms.origin_from(entity) if spec.kind in _SPATIAL else np.eye(4)
        for archetype in sorted(archetypes_of(store, entity) & visualizers.keys()):
            query = EntityQuery(store, entity, archetype, cursor, placement, contents.time_origin)
            contents.primitives += visualizers[archetype].run(query)
    return contents


def _is_sequence(cursor: TimeCursor) -> bool:
    return cursor.timeline is not None and cursor.timeline.typ == TimeType.SEQUENCE


def _time_origin(cursor: TimeCursor, time_range: tuple[int, int]) -> int:
    """Sequences plot as they are; nanosecond timelines relative to their start (float64 keeps precision)."""
    return 0 if _is_sequence(cursor) else time_range[0]
