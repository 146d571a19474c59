"""The base of every view: what it shows (origin, contents), its properties, defaults and overrides.

A view is logged under ``/view/<uuid>`` of the blueprint store: the ``ViewBlueprint`` there, its
query at ``/view/<uuid>/ViewContents``, one entity per property archetype (``/view/<uuid>/Background``),
defaults at ``/view/<uuid>/defaults`` and visualizer overrides under
``/view/<uuid>/ViewContents/overrides/<entity>/visualizers``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from rerun._baseclasses import AsComponents
from rerun._generated.blueprint_archetypes import (
    ActiveVisualizers,
    ViewBlueprint,
    ViewContents,
    VisualizerInstruction,
)
from rerun._recording_stream import RecordingStream
from rerun.blueprint._visualizers import as_visualizer

if TYPE_CHECKING:
    from rerun.blueprint._api import Blueprint
    from rerun.blueprint._containers import Container

__all__ = ["View", "uuid_bytes"]


def uuid_bytes(*ids: uuid.UUID) -> np.ndarray:
    """Ids as the flat ``uint8`` values of fixed-size-16 components (``RootContainer``, instruction ids)."""
    return np.frombuffer(b"".join(i.bytes for i in ids), dtype=np.uint8)


class View:
    """A view of some entities; prefer the concrete views (``Spatial3DView``, ``TimeSeriesView``, ...)."""

    def __init__(
        self,
        *,
        class_identifier: str,
        origin: Any,
        contents: Any,
        name: str | None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        properties: Mapping[str, AsComponents] | None = None,
        defaults: Iterable[Any] | None = None,
        overrides: Mapping[Any, Any] | None = None,
    ) -> None:
        self.id = uuid.uuid4()
        self.class_identifier = class_identifier
        self.name = name
        self.origin = origin
        self.contents = contents
        self.visible = visible
        self.titlebar = titlebar
        self.properties = dict(properties) if properties is not None else {}
        self.defaults = list(defaults) if defaults is not None else []
        self.visualizer_overrides = dict(overrides) if overrides is not None else {}

    def blueprint_path(self) -> str:
        """Where the view lives in the blueprint store (not in the recording's entity tree)."""
        return f"view/{self.id}"

    def to_container(self) -> Container:
        """A lone view becomes a one-tab container, as a blueprint's root must be a container."""
        from rerun.blueprint._containers import Tabs

        return Tabs(self)

    def to_blueprint(self) -> Blueprint:
        from rerun.blueprint._api import Blueprint

        return Blueprint(self)

    def _log_to_stream(self, stream: RecordingStream) -> None:
        """Log the view and everything that belongs to it, in the order 0.41 does."""
        path = self.blueprint_path()
        contents = self.contents if isinstance(self.contents, ViewContents) else ViewContents(self.contents)
        stream.log(f"{path}/ViewContents", contents)
        stream.log(
            path,
            ViewBlueprint(
                self.class_identifier,
                display_name=self.name,
                space_origin=self.origin,
                visible=self.visible,
                titlebar=self.titlebar,
            ),
        )
        for property_name, archetype in self.properties.items():
            stream.log(f"{path}/{property_name}", archetype)
        for default in self.defaults:
            self._log_default(stream, default)
        for entity_path, visualizers in self.visualizer_overrides.items():
            self._log_overrides(stream, entity_path, visualizers)

    def _log_default(self, stream: RecordingStream, default: Any) -> None:
        """Defaults are archetypes or described component batches, all on one ``defaults`` entity."""
        is_batch = hasattr(default, "component_descriptor") and hasattr(default, "as_arrow_array")
        if not isinstance(default, AsComponents | Iterable) and not is_batch:
            raise ValueError(f"Provided default: {default} is neither a component nor a component batch.")
        stream.log(f"{self.blueprint_path()}/defaults", [default] if is_batch else default)

    def _log_overrides(self, stream: RecordingStream, entity_path: Any, visualizers: Any) -> None:
        """Each visualizer gets its own entity (by id); the entity's list of active ones names them all."""
        entity = str(entity_path).removeprefix("/")
        base = f"{self.blueprint_path()}/ViewContents/overrides/{entity}/visualizers"
        items = list(visualizers) if isinstance(visualizers, Iterable) else [visualizers]
        active: list[uuid.UUID] = []
        for item in items:
            visualizer = as_visualizer(item)
            if visualizer is None:
                stream.log(base, item)
                continue
            instruction_path = f"{base}/{visualizer.id}"
            instruction = VisualizerInstruction(visualizer.visualizer_type, component_map=visualizer.mappings)
            stream.log(instruction_path, instruction)
            if visualizer.overrides:
                stream.log(instruction_path, visualizer.overrides)
            active.append(visualizer.id)
        if active:
            stream.log(base, ActiveVisualizers(uuid_bytes(*active)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(origin={self.origin!r}, name={self.name!r}, id={self.id})"
