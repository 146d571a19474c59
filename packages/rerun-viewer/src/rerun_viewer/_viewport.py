"""The viewport: which views a recording shows and how they are laid out, from its blueprint or not.

Without a blueprint the views come from the heuristics and sit in the automatic grid. With one, its
views show what their queries select (``$origin`` replaced by the view's origin; entity path
filters as 0.41 applies them) in its container tree; with ``auto_views`` the heuristics' views that
the blueprint lacks join the root container (ordered by view class identifier, as 0.41 adds them), and with ``auto_layout`` (or no root container) every
view goes to the automatic grid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

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

__all__ = ["TreeNode", "Viewport", "resolve_view", "viewport_for"]


@dataclass(frozen=True)
class TreeNode:
    """A row of the blueprint tree: a container (``container`` its kind) or a view (``view`` what it
    shows, ``index`` its place in the viewport's views, ``None`` when not shown); hidden ones stay
    in the tree, greyed out. ``details`` are what the selection panel lists for it."""

    path: str  # the blueprint's entity (``/container/<uuid>``, ``/view/<uuid>``), ``auto/<n>`` without
    title: str
    visible: bool = True
    container: ContainerKind | None = None
    view: ViewSpec | None = None
    index: int | None = None
    children: tuple[TreeNode, ...] = ()
    details: tuple[tuple[str, str], ...] = ()
    query: tuple[str, ...] = ("$origin/**",)  # a view's entity path filter (its tree lists what it reaches)

    def find(self, path: str) -> TreeNode | None:
        """The node at ``path`` in this subtree."""
        if self.path == path:
            return self
        return next((found for child in self.children if (found := child.find(path)) is not None), None)


@dataclass(frozen=True)
class Viewport:
    """The visible views, their layout (``None``: the automatic grid) and the blueprint they came from."""

    views: tuple[ViewSpec, ...]
    layout: Split | Leaf | None = None
    blueprint: Blueprint | None = None
    blueprint_tree: TreeNode | None = None  # the blueprint's containers and views (None: automatic)

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

    @property
    def tree(self) -> TreeNode:
        """The blueprint tree's root: the blueprint's root container, else the automatic one."""
        if self.blueprint_tree is not None:
            return self.blueprint_tree
        kind = ContainerKind.TABS if len(self.views) == 1 else ContainerKind.GRID
        views = tuple(_view_node(f"auto/{i}", view, i) for i, view in enumerate(self.views))
        return TreeNode("auto", _container_title(kind, None), container=kind, children=views,
                        details=(("Kind", kind.name.title()), ("Contents", str(len(views)))))  # fmt: skip

    def arrange(self, area: Rect, active_tabs: Mapping[str, int] | None = None) -> Arrangement:
        """Each view's rectangle in ``area`` (and the tab bars); ``active_tabs``: the tabs clicked."""
        if self.layout is None:
            return Arrangement([Cell(i, r) for i, r in enumerate(view_cells(area, len(self.views)))], [])
        return arrange(self.layout, area, active_tabs)


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
    properties = view_properties(view.properties, view.overrides)
    return ViewSpec(kind, view.origin, entities, name=view.name, properties=properties)


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
    if blueprint.root is not None and not blueprint.auto_layout:
        extra.sort(key=lambda spec: spec.kind.value)  # the reference adds them by view class identifier
    all_views = tuple(views + extra)
    tree = None
    if blueprint.root is not None:
        added = tuple(
            _view_node(f"auto/{len(views) + i}", spec, len(views) + i) for i, spec in enumerate(extra)
        )
        tree = _tree(store, blueprint.root, index_of, all_views, visible=True)
        tree = replace(tree, children=tree.children + added)
    if blueprint.maximized in index_of:
        return Viewport(all_views, _leaf(index_of[blueprint.maximized], all_views), blueprint, tree)
    if blueprint.auto_layout or blueprint.root is None:
        return Viewport(all_views, None, blueprint, tree)
    layout = _split(blueprint.root, index_of, all_views)
    leaves = tuple(_leaf(len(views) + i, all_views) for i in range(len(extra)))
    layout = replace(layout, children=layout.children + leaves, shares=layout.shares + (1.0,) * len(leaves))
    return Viewport(all_views, layout, blueprint, tree)


def _container_title(kind: ContainerKind, name: str | None) -> str:
    return name or f"{'Tab' if kind == ContainerKind.TABS else kind.name.title()} container"


def _shares_text(shares: tuple[float, ...]) -> str:
    return ", ".join(f"{share:g}" for share in shares)


def _view_node(path: str, spec: ViewSpec, index: int | None, *, visible: bool = True,
               query: tuple[str, ...] = ("$origin/**",)) -> TreeNode:  # fmt: skip
    details = (
        ("Kind", spec.kind.value), ("Name", spec.title), ("Origin", spec.origin),
        ("Visible", "yes" if visible else "no"), ("Entities", str(len(spec.entities))),
        *(("Query" if i == 0 else "", line) for i, line in enumerate(query)),
    )  # fmt: skip
    return TreeNode(path, spec.title, visible, view=spec, index=index, details=details, query=query)


def _tree(
    store: ChunkStore, container: BlueprintContainer, index_of: Mapping[str, int],
    views: tuple[ViewSpec, ...], *, visible: bool,
) -> TreeNode:  # fmt: skip
    """The container's tree: hidden containers and views included (greyed: ``visible`` False under a
    hidden one); views show what their query selects, hidden or not."""
    shown = visible and container.visible
    children: list[TreeNode] = []
    for child in container.contents:
        if isinstance(child, BlueprintContainer):
            children.append(_tree(store, child, index_of, views, visible=shown))
            continue
        index = index_of.get(child.path)
        spec = views[index] if index is not None else resolve_view(store, child)
        if spec is not None:
            query = tuple(child.query)
            children.append(_view_node(child.path, spec, index, visible=shown and child.visible, query=query))
    details = [("Kind", container.kind.name.title()), ("Visible", "yes" if shown else "no"),
               ("Contents", str(len(container.contents)))]  # fmt: skip
    if container.col_shares:
        details.append(("Column shares", _shares_text(container.col_shares)))
    if container.row_shares:
        details.append(("Row shares", _shares_text(container.row_shares)))
    if container.grid_columns is not None:
        details.append(("Grid columns", str(container.grid_columns)))
    if container.kind == ContainerKind.TABS and children:  # the first tab unless the blueprint names one
        active = next((c for c in children if c.path == container.active_tab), children[0])
        details.append(("Active tab", active.title))
    return TreeNode(container.path, _container_title(container.kind, container.name), shown,
                    container=container.kind, children=tuple(children), details=tuple(details))  # fmt: skip


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
    return Split(
        kind=container.kind,
        children=tuple(children),
        title=_container_title(container.kind, container.name),
        shares=tuple(shares),
        col_shares=container.col_shares if container.kind == ContainerKind.GRID else (),
        row_shares=container.row_shares if container.kind == ContainerKind.GRID else (),
        grid_columns=container.grid_columns,
        active=active,
        path=container.path,
    )
