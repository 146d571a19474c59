"""The viewport: which views a recording shows and how they are laid out, from its blueprint or not.

Without a blueprint the views come from the heuristics and sit in the automatic grid. With one, its
views show what their queries select (``$origin`` replaced by the view's origin; entity path
filters as 0.41 applies them) in its container tree; with ``auto_views`` the heuristics' views that
the blueprint lacks join the root container, and with ``auto_layout`` (or no root container) every
view goes to the automatic grid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rerun_core.query import EntityPathFilter
from rerun_core.store import ChunkStore
from rerun_viewer._blueprint import Blueprint, BlueprintContainer, BlueprintView, ContainerKind, PanelState
from rerun_viewer._blueprint_layout import Arrangement, Cell, Leaf, Split, arrange
from rerun_viewer._entity_query import archetypes_of
from rerun_viewer._heuristics import ViewSpec, auto_views
from rerun_viewer._layout import view_cells
from rerun_viewer._registry import ViewKind, visualizers_for
from rerun_viewer._ui import Rect
from rerun_viewer._view_properties import view_properties

__all__ = ["Viewport", "resolve_view", "viewport_for"]


@dataclass(frozen=True)
class Viewport:
    """The visible views, their layout (``None``: the automatic grid) and the blueprint they came from."""

    views: tuple[ViewSpec, ...]
    layout: Split | Leaf | None = None
    blueprint: Blueprint | None = None

    def panel(self, name: str) -> PanelState:
        """A panel's state (see :data:`rerun_viewer._blueprint.PANELS`): expanded unless the blueprint says."""
        return PanelState.EXPANDED if self.blueprint is None else self.blueprint.panel(name)

    @property
    def root_title(self) -> str | None:
        """The root container's name (``"Horizontal container"``...), ``None`` for the automatic grid."""
        return self.layout.title if isinstance(self.layout, Split) else None

    @property
    def panel_states(self) -> Mapping[str, PanelState]:
        """The panels' states the blueprint sets, by panel name."""
        return {} if self.blueprint is None else self.blueprint.panels

    def arrange(self, area: Rect) -> Arrangement:
        """Each view's rectangle in ``area`` (and the tab bars)."""
        if self.layout is None:
            return Arrangement([Cell(i, r) for i, r in enumerate(view_cells(area, len(self.views)))], [])
        return arrange(self.layout, area)


def resolve_view(store: ChunkStore, view: BlueprintView) -> ViewSpec | None:
    """The entities a blueprint view shows: matched by its query and drawable by its kind of view.

    ``None`` for a view class this viewer does not draw.
    """
    try:
        kind = ViewKind(view.class_identifier)
    except ValueError:
        return None
    entity_filter = EntityPathFilter.parse([query.replace("$origin", view.origin) for query in view.query])
    drawable = set(visualizers_for(kind))
    entities = tuple(
        sorted(
            e for e in store.entity_paths() if entity_filter.matches(e) and archetypes_of(store, e) & drawable
        )
    )
    return ViewSpec(kind, view.origin, entities, name=view.name, properties=view_properties(view.properties))


def viewport_for(store: ChunkStore, blueprint: Blueprint | None) -> Viewport:
    """The viewport of ``store`` under ``blueprint`` (``None``: the heuristics' views in a grid)."""
    if blueprint is None:
        return Viewport(tuple(auto_views(store)))
    views: list[ViewSpec] = []
    index_of: dict[str, int] = {}
    for view in blueprint.views():
        spec = resolve_view(store, view) if view.visible else None
        if spec is not None:
            index_of[view.path] = len(views)
            views.append(spec)
    covered = {(spec.kind, spec.origin, spec.entities) for spec in views}
    extra = (
        [s for s in auto_views(store) if (s.kind, s.origin, s.entities) not in covered]
        if blueprint.auto_views
        else []
    )
    all_views = tuple(views + extra)
    if blueprint.maximized in index_of:
        return Viewport(all_views, _leaf(index_of[blueprint.maximized], all_views), blueprint)
    if blueprint.auto_layout or blueprint.root is None:
        return Viewport(all_views, None, blueprint)
    layout = _split(blueprint.root, index_of, all_views)
    added = tuple(_leaf(len(views) + i, all_views) for i in range(len(extra)))
    layout = Split(
        layout.kind, layout.children + added, layout.title, layout.shares + (1.0,) * len(added),
        layout.col_shares, layout.row_shares, layout.grid_columns, layout.active,
    )  # fmt: skip
    return Viewport(all_views, layout, blueprint)


def _leaf(index: int, views: tuple[ViewSpec, ...]) -> Leaf:
    return Leaf(index, views[index].kind, views[index].title)


def _split(container: BlueprintContainer, index_of: Mapping[str, int], views: tuple[ViewSpec, ...]) -> Split:
    """The container with only its visible, drawable contents, each keeping its share."""
    linear_shares = {
        ContainerKind.HORIZONTAL: container.col_shares,
        ContainerKind.VERTICAL: container.row_shares,
    }
    given = linear_shares.get(container.kind, ())
    children: list[Split | Leaf] = []
    shares: list[float] = []
    active = 0
    for position, child in enumerate(container.contents):
        if not child.visible:
            continue
        if isinstance(child, BlueprintContainer):
            node: Split | Leaf = _split(child, index_of, views)
        elif child.path in index_of:
            node = _leaf(index_of[child.path], views)
        else:
            continue
        if child.path == container.active_tab:
            active = len(children)
        children.append(node)
        shares.append(given[position] if position < len(given) else 1.0)
    kind_name = "Tab" if container.kind == ContainerKind.TABS else container.kind.name.title()
    return Split(
        kind=container.kind,
        children=tuple(children),
        title=container.name or f"{kind_name} container",
        shares=tuple(shares),
        col_shares=container.col_shares if container.kind == ContainerKind.GRID else (),
        row_shares=container.row_shares if container.kind == ContainerKind.GRID else (),
        grid_columns=container.grid_columns,
        active=active,
    )
