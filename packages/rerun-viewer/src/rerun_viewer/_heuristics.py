"""Automatic views, after the reference's heuristics: what a recording shows before any blueprint.

One 3D view for all 3D content (rooted at the entity holding ViewCoordinates when there is exactly
one such), a 2D view per pinhole space and one for the other 2D content, a time-series view per
scalar entity, one text-log view for every log, and a view per text document, bar chart and tensor.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rerun_core.entity_path import RECORDING_PROPERTIES_PATH, EntityPath
from rerun_core.store import ChunkStore
from rerun_viewer._entity_query import archetypes_of
from rerun_viewer._registry import ViewKind, visualizers_for
from rerun_viewer._transforms import is_under
from rerun_viewer._view_properties import ViewProperties

__all__ = ["MAX_SERIES_VIEWS", "ViewSpec", "auto_views", "common_ancestor"]

MAX_SERIES_VIEWS = 8  # more scalar entities than this share one view per top-level entity
_IMAGES = {"Image", "DepthImage", "SegmentationImage", "EncodedImage"}
_CONTENT_2D = _IMAGES | {"Points2D", "LineStrips2D", "Boxes2D", "Arrows2D", "Ellipses2D"}
_KIND_ORDER = list(ViewKind)


@dataclass(frozen=True)
class ViewSpec:
    """One view: its kind, its origin (whose frame it shows) and the entities it shows."""

    kind: ViewKind
    origin: str
    entities: tuple[str, ...]
    name: str | None = None  # a blueprint's display name; automatic views are named by their origin
    properties: ViewProperties = field(default_factory=ViewProperties)  # set by a blueprint

    @property
    def title(self) -> str:
        if self.name is not None:
            return self.name
        return "/" if self.origin == "/" else self.origin.lstrip("/")


def common_ancestor(paths: Iterable[str]) -> str:
    """The deepest path that is ``path`` or an ancestor of it, for every path."""
    parts_list = [EntityPath.parse(path).parts for path in paths]
    if not parts_list:
        return "/"
    common: list[str] = []
    for column in zip(*parts_list, strict=False):
        if any(part != column[0] for part in column):
            break
        common.append(column[0])
    return str(EntityPath(common))


def _content(store: ChunkStore) -> dict[str, set[str]]:
    """Archetypes of each entity (recording properties left out)."""
    return {
        entity: archetypes_of(store, entity)
        for entity in store.entity_paths()
        if not is_under(entity, RECORDING_PROPERTIES_PATH) or entity == "/"
    }


def _with(content: dict[str, set[str]], kind: ViewKind) -> list[str]:
    shown = set(visualizers_for(kind))
    return sorted(entity for entity, archetypes in content.items() if archetypes & shown)


def _under_pinhole(entity: str, pinholes: list[str]) -> str | None:
    return next((p for p in pinholes if entity != p and is_under(entity, p)), None)


def _in_3d(entity: str, archetypes: set[str], pinholes: list[str]) -> bool:
    """2D content reaches 3D only through a pinhole (drawn on its image plane); 3D content only outside one."""
    under_pinhole = _under_pinhole(entity, pinholes) is not None
    return under_pinhole if archetypes & _CONTENT_2D else not under_pinhole


def _spatial3d(content: dict[str, set[str]], pinholes: list[str]) -> list[ViewSpec]:
    entities = [e for e in _with(content, ViewKind.SPATIAL_3D) if _in_3d(e, content[e], pinholes)]
    if not entities:
        return []
    coordinates = [e for e, archetypes in content.items() if "ViewCoordinates" in archetypes]
    origin = "/"
    if len(coordinates) == 1 and all(is_under(e, coordinates[0]) for e in entities):
        origin = coordinates[0]
    return [ViewSpec(ViewKind.SPATIAL_3D, origin, tuple(entities))]


def _spatial2d(content: dict[str, set[str]], pinholes: list[str]) -> list[ViewSpec]:
    entities = _with(content, ViewKind.SPATIAL_2D)
    views = []
    for pinhole in pinholes:
        inside = tuple(e for e in entities if _under_pinhole(e, pinholes) == pinhole)
        if inside:
            views.append(ViewSpec(ViewKind.SPATIAL_2D, pinhole, inside))
    free = [e for e in entities if _under_pinhole(e, pinholes) is None]
    # Outside pinholes, every image (of any size) shares one view with the other 2D content, stacked
    # by draw order, as the reference 0.41 shows them.
    return views + ([ViewSpec(ViewKind.SPATIAL_2D, common_ancestor(free), tuple(free))] if free else [])


def _time_series(content: dict[str, set[str]]) -> list[ViewSpec]:
    entities = _with(content, ViewKind.TIME_SERIES)
    if len(entities) <= MAX_SERIES_VIEWS:
        return [ViewSpec(ViewKind.TIME_SERIES, e, (e,)) for e in entities]
    roots = sorted({str(EntityPath(EntityPath.parse(e).parts[:1])) for e in entities})
    return [ViewSpec(ViewKind.TIME_SERIES, r, tuple(e for e in entities if is_under(e, r))) for r in roots]


def auto_views(store: ChunkStore) -> list[ViewSpec]:
    """The views the reference would create for ``store``, in its order (3D, 2D, plots, logs, documents)."""
    content = _content(store)
    pinholes = sorted(e for e, archetypes in content.items() if "Pinhole" in archetypes)
    views = _spatial3d(content, pinholes) + _spatial2d(content, pinholes) + _time_series(content)
    logs = _with(content, ViewKind.TEXT_LOG)
    if logs:
        views.append(ViewSpec(ViewKind.TEXT_LOG, "/", tuple(logs)))
    for kind in (ViewKind.TEXT_DOCUMENT, ViewKind.BAR_CHART, ViewKind.TENSOR):  # one view per entity
        views += [ViewSpec(kind, e, (e,)) for e in _with(content, kind)]
    return sorted(views, key=lambda view: (_KIND_ORDER.index(view.kind), view.origin))
