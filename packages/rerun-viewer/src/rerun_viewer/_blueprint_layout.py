"""Where a blueprint's views go: its container tree laid out in the viewport (pure geometry).

As the reference's tiles do: horizontal and vertical containers split their rectangle by the shares
of their visible children (1 each unless given); a grid fills ``grid_columns`` columns (else the
ceiling of the square root of its children) row by row, columns and rows weighed by their shares;
tabs show a tab bar and only the active child below it (the one clicked, else the blueprint's; a
single child needs no tab bar: the view's own title bar names it).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rerun_viewer._blueprint import ContainerKind
from rerun_viewer._registry import ViewKind
from rerun_viewer._theme import THEME
from rerun_viewer._ui import Rect

__all__ = ["Arrangement", "Cell", "Leaf", "Split", "TabBar", "arrange", "weighted"]


@dataclass(frozen=True)
class Leaf:
    """A view in the layout: its index in the viewport's views, its kind and title."""

    view: int
    kind: ViewKind
    title: str


@dataclass(frozen=True)
class Split:
    """A container with its visible contents only; ``shares`` holds one weight per child (linear
    containers) and ``col_shares``/``row_shares`` one per column/row (grids)."""

    kind: ContainerKind
    children: tuple[Split | Leaf, ...]
    title: str
    shares: tuple[float, ...] = ()
    col_shares: tuple[float, ...] = ()
    row_shares: tuple[float, ...] = ()
    grid_columns: int | None = None
    active: int = 0
    path: str = ""  # the blueprint's container entity: names it in the app state (clicked tabs)


@dataclass(frozen=True)
class Cell:
    """A view on screen; ``titled`` is False when a tab bar above it already names it."""

    view: int
    rect: Rect
    titled: bool = True


@dataclass(frozen=True)
class TabBar:
    """A tab container's bar: one label per child (a view's kind, ``None`` for a container)."""

    rect: Rect
    labels: tuple[tuple[ViewKind | None, str], ...]
    active: int
    container: str = ""  # the tab container's path


@dataclass
class Arrangement:
    cells: list[Cell]
    tab_bars: list[TabBar]


def weighted(total: float, shares: Sequence[float]) -> list[float]:
    """``total`` split in proportion to ``shares`` (equal parts when they sum to nothing)."""
    if not shares:
        return []
    clean = [max(float(share), 0.0) for share in shares]
    whole = sum(clean)
    if whole <= 0:
        return [total / len(clean)] * len(clean)
    return [total * share / whole for share in clean]


def _shares(given: Sequence[float], count: int) -> list[float]:
    return [given[i] if i < len(given) else 1.0 for i in range(count)]


def _edges(start: float, sizes: list[float]) -> list[float]:
    """Where consecutive parts of ``sizes`` meet, inner edges on whole pixels (crisp separators)."""
    inner = [float(round(start + sum(sizes[:i]))) for i in range(1, len(sizes))]
    return [start, *inner, start + sum(sizes)]


def _columns(area: Rect, widths: list[float]) -> list[Rect]:
    edges = _edges(area.x, widths)
    return [Rect(left, area.y, right - left, area.h) for left, right in itertools.pairwise(edges)]


def _rows(area: Rect, heights: list[float]) -> list[Rect]:
    edges = _edges(area.y, heights)
    return [Rect(area.x, top, area.w, bottom - top) for top, bottom in itertools.pairwise(edges)]


def arrange(
    root: Split | Leaf | None, area: Rect, active_tabs: Mapping[str, int] | None = None
) -> Arrangement:
    """Every visible view's rectangle (title bar included) and every tab bar, for ``root`` in ``area``;
    ``active_tabs`` (tab index by container path) overrides the blueprint's active tabs."""
    arrangement = Arrangement([], [])
    if root is not None:
        _place(root, area, arrangement, titled=True, tabs=active_tabs or {})
    return arrangement


def _place(
    node: Split | Leaf, area: Rect, out: Arrangement, *, titled: bool, tabs: Mapping[str, int]
) -> None:
    if isinstance(node, Leaf):
        out.cells.append(Cell(node.view, area, titled))
        return
    count = len(node.children)
    if count == 0:
        return
    if node.kind == ContainerKind.HORIZONTAL:
        rects = _columns(area, weighted(area.w, _shares(node.shares, count)))
    elif node.kind == ContainerKind.VERTICAL:
        rects = _rows(area, weighted(area.h, _shares(node.shares, count)))
    elif node.kind == ContainerKind.GRID:
        rects = _grid(node, area)
    else:
        _place_tabs(node, area, out, tabs)
        return
    for child, rect in zip(node.children, rects, strict=True):
        _place(child, rect, out, titled=True, tabs=tabs)


def _grid(node: Split, area: Rect) -> list[Rect]:
    count = len(node.children)
    columns = max(node.grid_columns or math.ceil(math.sqrt(count)), 1)
    rows = math.ceil(count / columns)
    column_rects = _columns(area, weighted(area.w, _shares(node.col_shares, columns)))
    row_rects = _rows(area, weighted(area.h, _shares(node.row_shares, rows)))
    return [
        Rect(column_rects[i % columns].x, row_rects[i // columns].y, column_rects[i % columns].w,
             row_rects[i // columns].h)
        for i in range(count)
    ]  # fmt: skip


def _place_tabs(node: Split, area: Rect, out: Arrangement, tabs: Mapping[str, int]) -> None:
    index = min(max(tabs.get(node.path, node.active), 0), len(node.children) - 1)
    active = node.children[index]
    if len(node.children) == 1:
        _place(active, area, out, titled=True, tabs=tabs)
        return
    bar = Rect(area.x, area.y, area.w, THEME.view_title_height)
    labels = tuple(
        (child.kind, child.title) if isinstance(child, Leaf) else (None, child.title)
        for child in node.children
    )
    out.tab_bars.append(TabBar(bar, labels, index, node.path))
    if isinstance(active, Leaf):
        out.cells.append(Cell(active.view, area, titled=False))
    else:
        _place(active, area.inset(top=THEME.view_title_height), out, titled=True, tabs=tabs)
