"""The view core: runs the registered visualizers of a view's entities at the time cursor.

It knows views only by :class:`~rerun_viewer._registry.ViewKind` and visualizers only through the
registry, so adding an archetype or a view kind never touches this module.

Nothing is computed twice for the same inputs: the visualizers' output is kept per entity and
reused while the entity's data (:mod:`~rerun_viewer._store_tracker`: its own and its ancestors' rows
at the cursor, which also fix its placement) and the time axis stay the same; when no entity of the
view changed, the previous primitives list itself comes back, so the painters' caches (built GPU
objects) hit too. Which entities changed is found for all of them at once, in numpy: scrubbing
through 5000 entities of which a few move costs Python work for those few only.

Under a blueprint's visible time ranges a spatial view draws every row inside each entity's window (a
plot the samples there), so its results also depend on those windows, which move with the cursor.

In 3D, what is under a pinhole (its frustum, images on its image plane) is sized by the region the
default eye frames, which holds the cameras' centers and depth clouds too (never what they size), so
those entities run last, and once more when what they framed changes that region.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from rerun_core.store import ChunkStore
from rerun_core.timeline import TimeType
from rerun_viewer._arrow import vectors
from rerun_viewer._entity_query import EntityQuery, archetypes_of
from rerun_viewer._heuristics import ViewSpec
from rerun_viewer._primitives import Primitive
from rerun_viewer._registry import ViewKind, Visualizer, visualizers_for
from rerun_viewer._store_tracker import ChainTable, StoreTracker, tracker_for
from rerun_viewer._time import TimeCursor, timeline_bounds
from rerun_viewer._transforms import TransformResolver, view_up_axis

__all__ = ["ViewContents", "collect"]

_SPATIAL = (ViewKind.SPATIAL_3D, ViewKind.SPATIAL_2D)
_WINDOWED = (*_SPATIAL, ViewKind.TIME_SERIES)  # views whose data visible time ranges cut
_IDENTITY = np.eye(4)


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
    camera_resolution: tuple[float, float] | None = None  # 2D view of a pinhole space: its image size


@dataclass(frozen=True)
class _TimeAxis:
    """What a view's plot coordinates depend on: the active timeline's extent, origin and scale."""

    time_range: tuple[int, int] | None = None
    time_origin: int = 0
    time_scale: float = 1.0


def _time_axis(store: ChunkStore, cursor: TimeCursor) -> _TimeAxis:
    if cursor.timeline is None:
        return _TimeAxis()
    time_range = timeline_bounds(store, cursor.timeline.name)
    origin = 0 if time_range is None else _time_origin(cursor, time_range)
    return _TimeAxis(time_range, origin, 1.0 if origin == 0 and _is_sequence(cursor) else 1e-9)


@dataclass(frozen=True)
class _Collected:
    """A view's last collection: what it was made from, and each entity's primitives."""

    timeline: str
    axis: _TimeAxis
    registry: tuple[Visualizer, ...]
    windows: tuple[tuple[int, int] | None, ...]  # the visible time ranges' windows at the cursor
    table: ChainTable  # of the view's origin, then its entities
    counts: np.ndarray  # the table's row counts at the collection's cursor
    per_entity: list[list[Primitive]]
    contents: ViewContents
    scene_size: float | None  # what the entities under a camera were sized by


def collect(store: ChunkStore, spec: ViewSpec, cursor: TimeCursor) -> ViewContents:
    """Run every visualizer registered for the view's kind over its entities (reusing unchanged results)."""
    tracker = tracker_for(store)
    timeline = cursor.timeline_name
    axis = tracker.remember(("time axis", timeline), store.generation, lambda: _time_axis(store, cursor))
    registry = tuple(visualizers_for(spec.kind).values())
    windows = _windows(spec, cursor)
    table = tracker.chain_table((spec.origin, *spec.entities), timeline)
    counts = table.counts_at(cursor.at)
    kept = tracker.view_states.get(spec)
    last = kept if isinstance(kept, _Collected) else None
    rerun: np.ndarray | None = None  # which entities to run the visualizers for again; None: all
    if last is not None and (last.timeline, last.axis, last.registry, last.windows) == (
        timeline, axis, registry, windows
    ):  # fmt: skip
        changed = table.changed(table.owners_changed_since(last.table, last.counts, counts))
        if not changed.any():
            if last.table is not table:  # the store changed elsewhere: keep the new table's counts
                tracker.view_states[spec] = dataclasses.replace(last, table=table, counts=counts)
            previous = last.contents
            return previous if previous.cursor == cursor else dataclasses.replace(previous, cursor=cursor)
        if not changed[0]:  # the origin's placement is unchanged: only the changed entities again
            rerun = changed[1:]
    per_entity, scene_size = _collect(store, tracker, spec, cursor, axis, last, rerun)
    contents = ViewContents(spec, cursor, [p for primitives in per_entity for p in primitives],
                            time_origin=axis.time_origin, time_range=axis.time_range,
                            time_scale=axis.time_scale)  # fmt: skip
    if spec.kind == ViewKind.SPATIAL_3D:
        contents.up = view_up_axis(store, cursor, spec.origin)
    elif spec.kind == ViewKind.SPATIAL_2D:
        contents.camera_resolution = _camera_resolution(store, spec.origin, cursor)
    tracker.view_states[spec] = _Collected(
        timeline, axis, registry, windows, table, counts, per_entity, contents, scene_size
    )
    return contents


def _windows(spec: ViewSpec, cursor: TimeCursor) -> tuple[tuple[int, int] | None, ...]:
    """A spatial or plot view's time windows at the cursor (rows arriving inside one, even past the cursor,
    change their entity's version, which the tracker sees); empty for other views."""
    return spec.properties.time_windows(cursor.timeline_name, cursor.at) if spec.kind in _WINDOWED else ()


def _camera_resolution(store: ChunkStore, origin: str, cursor: TimeCursor) -> tuple[float, float] | None:
    """The image size of the pinhole at a 2D view's origin, which 0.41 frames the view on."""
    resolution = vectors(
        EntityQuery(store, origin, "Pinhole", cursor).latest("resolution").get("resolution"), 2
    )
    if resolution is None:
        return None
    width, height = (float(size) for size in resolution[0])
    return (width, height) if width > 0 and height > 0 else None


@dataclass(frozen=True)
class _Pass:
    """One collection of a view: what running its visualizers over an entity needs."""

    store: ChunkStore
    tracker: StoreTracker
    spec: ViewSpec
    cursor: TimeCursor
    axis: _TimeAxis
    visualizers: dict[str, Visualizer]
    transforms: TransformResolver
    scene_size: float | None = None

    def archetypes(self, entity: str) -> set[str]:
        """The archetypes logged on ``entity`` (kept while its data stays the same)."""
        version = self.tracker.version(entity)
        return self.tracker.remember(
            ("archetypes", entity), version, lambda: archetypes_of(self.store, entity)
        )

    def entity_primitives(self, entity: str) -> list[Primitive]:
        """What every visualizer of the view makes of one entity, placed in the view's frame."""
        spatial = self.spec.kind in _SPATIAL
        placement = self.transforms.origin_from(entity) if spatial else _IDENTITY
        shown = self.archetypes(entity)
        window = self.spec.properties.time_window(entity, self.cursor.timeline_name, self.cursor.at)
        primitives: list[Primitive] = []
        for archetype in sorted(shown & self.visualizers.keys()):
            query = EntityQuery(
                self.store, entity, archetype, self.cursor, placement, self.axis.time_origin, self.scene_size,
                time_window=window if self.spec.kind in _WINDOWED else None,
            )  # fmt: skip
            primitives += self.visualizers[archetype].run(query)
        return primitives


def _collect(
    store: ChunkStore,
    tracker: StoreTracker,
    spec: ViewSpec,
    cursor: TimeCursor,
    axis: _TimeAxis,
    last: _Collected | None,
    rerun: np.ndarray | None,
) -> tuple[list[list[Primitive]], float | None]:
    """Each entity's primitives (from the last collection where ``rerun`` says it did not change), and
    the scene size the entities under a camera were run with."""
    visualizers = visualizers_for(spec.kind)
    transforms = TransformResolver(store, cursor, spec.origin, tracker=tracker)
    collection = _Pass(store, tracker, spec, cursor, axis, visualizers, transforms)
    if rerun is None or last is None:
        rerun = np.ones(len(spec.entities), bool)
        per_entity: list[list[Primitive]] = [[] for _ in spec.entities]
    else:
        per_entity = list(last.per_entity)
    cameras = _under_camera(collection)
    for index in np.flatnonzero(rerun & ~cameras):
        per_entity[index] = collection.entity_primitives(spec.entities[index])
    if not cameras.any():
        return per_entity, None
    scene_size = _diagonal([p for index in np.flatnonzero(~cameras) for p in per_entity[index]])
    if last is not None and last.scene_size is not None:
        scene_size = last.scene_size  # the cameras' own part of the region is likely unchanged
    for attempt in range(2):
        if attempt or last is None or scene_size != last.scene_size:
            rerun = np.ones(len(spec.entities), bool)
        collection = dataclasses.replace(collection, scene_size=scene_size)
        for index in np.flatnonzero(rerun & cameras):
            per_entity[index] = collection.entity_primitives(spec.entities[index])
        framed_size = _diagonal([p for primitives in per_entity for p in primitives])
        if framed_size == scene_size:
            break
        scene_size = framed_size
    return per_entity, scene_size


def _under_camera(collection: _Pass) -> np.ndarray:
    """Which of a 3D view's entities are a pinhole or below one (whose sizes follow the scene's)."""
    spec = collection.spec

    def compute() -> np.ndarray:
        flags = np.zeros(len(spec.entities), bool)
        if spec.kind != ViewKind.SPATIAL_3D:
            return flags
        pinholes = [e.rstrip("/") for e in spec.entities if "Pinhole" in collection.archetypes(e)]
        if not pinholes:
            return flags
        prefixes = tuple(f"{pinhole}/" for pinhole in pinholes)
        for index, entity in enumerate(spec.entities):
            flags[index] = entity.rstrip("/") in pinholes or entity.startswith(prefixes)
        return flags

    return collection.tracker.remember(("under camera", spec), collection.store.generation, compute)


def _diagonal(primitives: list[Primitive]) -> float | None:
    """The diagonal of the region the default eye frames of these primitives, if any."""
    from rerun_viewer.views._camera import framing_bounds  # the views package imports this module

    region = framing_bounds(primitives, None)
    if region is None:
        return None
    diagonal = float(np.linalg.norm(region[1] - region[0]))
    return diagonal if np.isfinite(diagonal) else None


def _is_sequence(cursor: TimeCursor) -> bool:
    return cursor.timeline is not None and cursor.timeline.typ == TimeType.SEQUENCE


def _time_origin(cursor: TimeCursor, time_range: tuple[int, int]) -> int:
    """Sequences plot as they are; nanosecond timelines relative to their start (float64 keeps precision)."""
    return 0 if _is_sequence(cursor) else time_range[0]
