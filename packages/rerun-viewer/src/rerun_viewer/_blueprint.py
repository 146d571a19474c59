"""Blueprints: the layout a recording is shown with, read from a blueprint store at its latest time.

A blueprint store (same application id as the data) holds ``/viewport`` (the root container, whether
the viewer may add views of its own or lay them out itself, a maximized view), ``/container/<uuid>``
(kind, contents, shares, active tab, visibility), ``/view/<uuid>`` (view class, name, origin) with its
query at ``/view/<uuid>/ViewContents`` and one entity per property archetype
(``/view/<uuid>/Background``...), and the panels' states (``/top_panel``, ``/blueprint_panel``,
``/selection_panel``, ``/time_panel``).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import pyarrow as pa

from rerun_core import BlueprintActivationCommand
from rerun_core.entity_path import EntityPath
from rerun_core.query import LatestAtCell, latest_at
from rerun_core.store import ChunkStore
from rerun_viewer._recording import Recording

__all__ = [
    "PANELS",
    "Blueprint",
    "BlueprintContainer",
    "BlueprintView",
    "ContainerKind",
    "PanelState",
    "active_blueprint",
    "active_blueprint_store",
    "latest_cells",
    "parse_blueprint",
]

T = TypeVar("T")
_TIMELINE = "blueprint"
_LATEST = int(np.iinfo(np.int64).max)
_LOOP_ALL = 3  # LoopMode values: 1 off, 2 the time selection, 3 all
_NOT_PROPERTIES = {"ViewContents", "defaults"}  # children of a view that are not property archetypes
PANELS = ("top_panel", "blueprint_panel", "selection_panel", "time_panel")


class ContainerKind(enum.IntEnum):
    """How a container arranges its contents (the values of the ``ContainerKind`` component)."""

    TABS = 1
    HORIZONTAL = 2
    VERTICAL = 3
    GRID = 4


class PanelState(enum.IntEnum):
    """A panel's state (the values of the ``PanelState`` component)."""

    HIDDEN = 1
    COLLAPSED = 2
    EXPANDED = 3


@dataclass(frozen=True)
class BlueprintView:
    """One view as the blueprint describes it; ``query`` still holds ``$origin``."""

    path: str
    class_identifier: str
    name: str | None
    origin: str
    query: tuple[str, ...]
    visible: bool = True
    properties: Mapping[str, Mapping[str, pa.Array]] = field(default_factory=dict)
    overrides: Mapping[str, Mapping[str, Mapping[str, pa.Array]]] = field(default_factory=dict)  # per entity


@dataclass(frozen=True)
class BlueprintContainer:
    """A container and its contents (views and containers, in order)."""

    path: str
    kind: ContainerKind
    contents: tuple[BlueprintContainer | BlueprintView, ...]
    col_shares: tuple[float, ...] = ()
    row_shares: tuple[float, ...] = ()
    active_tab: str | None = None
    visible: bool = True
    grid_columns: int | None = None
    name: str | None = None


@dataclass(frozen=True)
class Blueprint:
    """A whole blueprint: the container tree, what the viewer may add itself, and the panels' states."""

    root: BlueprintContainer | None
    auto_layout: bool = False
    auto_views: bool = False
    maximized: str | None = None
    panels: Mapping[str, PanelState] = field(default_factory=dict)
    timeline: str | None = None  # the time panel's, and how it plays (None: the viewer's default)
    playback_speed: float | None = None
    fps: float | None = None
    loop_all: bool | None = None

    def panel(self, name: str) -> PanelState:
        """A panel's state (``name`` one of :data:`PANELS`); unset panels are expanded."""
        if name not in PANELS:
            raise ValueError(f"panel must be one of {PANELS}, got {name!r}")
        return self.panels.get(name, PanelState.EXPANDED)

    def views(self) -> list[BlueprintView]:
        """Every view of the tree, depth first, hidden ones included."""
        return [] if self.root is None else _views_of(self.root)


def _views_of(container: BlueprintContainer) -> list[BlueprintView]:
    found: list[BlueprintView] = []
    for child in container.contents:
        found += _views_of(child) if isinstance(child, BlueprintContainer) else [child]
    return found


def active_blueprint(
    recordings: Sequence[Recording],
    recording: Recording,
    activations: Sequence[BlueprintActivationCommand] = (),
) -> Blueprint | None:
    """The blueprint of ``recording``'s application the viewer shows, parsed; ``None`` for none."""
    chosen = active_blueprint_store(recordings, recording, activations)
    return None if chosen is None else parse_blueprint(chosen.store)


def active_blueprint_store(
    recordings: Sequence[Recording],
    recording: Recording,
    activations: Sequence[BlueprintActivationCommand] = (),
) -> Recording | None:
    """The blueprint store of ``recording``'s application the viewer shows; ``None`` for none.

    As the reference does: the blueprint activated last (``activations`` in arrival order), else
    the last one made default, else (stores that came without any activation) the last one loaded.
    """
    application = recording.store_id.application_id
    candidates = {
        r.store_id: r for r in recordings if r.is_blueprint and r.store_id.application_id == application
    }
    if not candidates:
        return None
    chosen = list(candidates.values())[-1]
    for wanted in ("make_active", "make_default"):
        commands = [c for c in activations if getattr(c, wanted) and c.blueprint_id in candidates]
        if commands:
            return candidates[commands[-1].blueprint_id]
    return chosen


def latest_cells(store: ChunkStore, entity: str) -> dict[str, LatestAtCell]:
    """Every component of ``entity`` at the blueprint's latest time."""
    return latest_at(store, entity, _TIMELINE, _LATEST)


def _fields(store: ChunkStore, entity: str, archetype: str) -> dict[str, pa.Array]:
    """The archetype's fields on ``entity`` at the blueprint's latest time (empty ones left out)."""
    prefix = f"{archetype}:"
    return {
        name.removeprefix(prefix): cell.value
        for name, cell in latest_cells(store, entity).items()
        if name.startswith(prefix) and len(cell.value)
    }


def _first(values: Mapping[str, pa.Array], name: str) -> object | None:
    value = values.get(name)
    return None if value is None else value[0].as_py()


def _typed(values: Mapping[str, pa.Array], name: str, kind: type[T]) -> T | None:
    """The field's first value when it is a ``kind`` (else ``None``)."""
    value = _first(values, name)
    return value if isinstance(value, kind) else None


def _uuid_path(kind: str, value: pa.Array | None) -> str | None:
    """``/container/<uuid>`` (or ``/view/``) from a fixed-size-16 uuid component."""
    if value is None:
        return None
    raw = bytes(np.asarray(value.flatten(), dtype=np.uint8))
    return f"/{kind}/{uuid.UUID(bytes=raw[:16])}"


def _path(text: object) -> str:
    return str(EntityPath.parse(str(text)))


def parse_blueprint(store: ChunkStore) -> Blueprint:
    """Read a blueprint store at its latest time into a :class:`Blueprint`."""
    viewport = _fields(store, "/viewport", "ViewportBlueprint")
    root_path = _uuid_path("container", viewport.get("root_container"))
    root = _container(store, root_path, set()) if root_path is not None else None
    panels = {}
    for panel in PANELS:
        archetype = "TimePanelBlueprint" if panel == "time_panel" else "PanelBlueprint"
        state = _typed(_fields(store, f"/{panel}", archetype), "state", int)
        if state is not None:
            panels[panel] = PanelState(state)
    time_panel = _fields(store, "/time_panel", "TimePanelBlueprint")
    loop_mode = _typed(time_panel, "loop_mode", int)
    return Blueprint(
        root=root if isinstance(root, BlueprintContainer) else None,
        auto_layout=bool(_first(viewport, "auto_layout")),
        auto_views=bool(_first(viewport, "auto_views")),
        maximized=_uuid_path("view", viewport.get("maximized")),
        panels=panels,
        timeline=_typed(time_panel, "timeline", str),
        playback_speed=_typed(time_panel, "playback_speed", float),
        fps=_typed(time_panel, "fps", float),
        loop_all=None if loop_mode is None else loop_mode == _LOOP_ALL,
    )


def _container(store: ChunkStore, path: str, seen: set[str]) -> BlueprintContainer | None:
    """A container and (recursively) what it holds; missing or cyclic entries are left out."""
    values = _fields(store, path, "ContainerBlueprint")
    kind = _typed(values, "container_kind", int)
    if kind not in set(ContainerKind) or path in seen:  # unknown kinds (a newer SDK's) are left out
        return None
    seen.add(path)
    contents: list[BlueprintContainer | BlueprintView] = []
    for entry in values["contents"].to_pylist() if "contents" in values else []:
        child = _child(store, _path(entry), seen)
        if child is not None:
            contents.append(child)
    active = _typed(values, "active_tab", str)
    return BlueprintContainer(
        path=path,
        kind=ContainerKind(kind),
        contents=tuple(contents),
        col_shares=tuple(values["col_shares"].to_pylist()) if "col_shares" in values else (),
        row_shares=tuple(values["row_shares"].to_pylist()) if "row_shares" in values else (),
        active_tab=None if active is None else _path(active),
        visible=_first(values, "visible") is not False,
        grid_columns=_typed(values, "grid_columns", int),
        name=_typed(values, "display_name", str),
    )


def _child(store: ChunkStore, path: str, seen: set[str]) -> BlueprintContainer | BlueprintView | None:
    if path.startswith("/container/"):
        return _container(store, path, seen)
    return _view(store, path) if path.startswith("/view/") else None


def _view(store: ChunkStore, path: str) -> BlueprintView | None:
    values = _fields(store, path, "ViewBlueprint")
    class_identifier = _typed(values, "class_identifier", str)
    if class_identifier is None:
        return None
    query = _fields(store, f"{path}/ViewContents", "ViewContents").get("query")
    return BlueprintView(
        path=path,
        class_identifier=class_identifier,
        name=_typed(values, "display_name", str),
        origin=_path(_typed(values, "space_origin", str) or "/"),
        query=tuple(query.to_pylist()) if query is not None else ("$origin/**",),
        visible=_first(values, "visible") is not False,
        properties=_properties(store, path),
        overrides=_overrides(store, path),
    )


def _properties(store: ChunkStore, view_path: str) -> dict[str, dict[str, pa.Array]]:
    """The view's property archetypes (``Background``, ``VisualBounds2D``...) by name, field by field."""
    parent = EntityPath.parse(view_path)
    properties = {}
    for entity in store.entity_paths():
        child = EntityPath.parse(entity)
        if child.parent() == parent and child.parts[-1] not in _NOT_PROPERTIES:
            archetype = child.parts[-1]
            properties[archetype] = _fields(store, entity, archetype)
    return properties


def _overrides(store: ChunkStore, view_path: str) -> dict[str, dict[str, dict[str, pa.Array]]]:
    """Per-entity property overrides (``VisibleTimeRanges``), kept at
    ``<view>/ViewContents/overrides/<entity path>/visualizers``: entity path -> archetype -> field."""
    prefix, suffix = f"{view_path}/ViewContents/overrides/", "/visualizers"
    overrides: dict[str, dict[str, dict[str, pa.Array]]] = {}
    for entity in store.entity_paths():
        if entity.startswith(prefix) and entity.endswith(suffix):
            values = {"VisibleTimeRanges": _fields(store, entity, "VisibleTimeRanges")}
            if values["VisibleTimeRanges"]:
                overrides[_path(entity[len(prefix) : -len(suffix)])] = values
    return overrides
