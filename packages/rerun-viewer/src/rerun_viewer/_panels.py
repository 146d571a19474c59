"""The shell's side panels: top bar, sources and blueprint tree (left), selection (right).

The left panel switches recordings and shows the blueprint tree: containers and views (hidden ones
greyed), each view opening into its entities; a click selects a container, view or entity, the eye
icons hide or show entities. The right one shows the selection: an entity's components at the
cursor, or a container's or view's properties.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from imgui_bundle import imgui

from rerun_core.store import ChunkStore
from rerun_viewer._blueprint import ContainerKind
from rerun_viewer._component_values import ComponentRow, component_rows
from rerun_viewer._heuristics import ViewSpec
from rerun_viewer._recording import Recording
from rerun_viewer._registry import ViewKind
from rerun_viewer._state import Selection
from rerun_viewer._store_tracker import tracker_for
from rerun_viewer._theme import THEME
from rerun_viewer._ui import Fonts, Rect, UiFrame, chevron, clicked, col32, entity_icon, row_clicked, text_at
from rerun_viewer._view_tree import TreeRow, entity_tree, shown_rows, view_rows
from rerun_viewer._viewport import TreeNode

__all__ = [
    "RecordingSummary",
    "container_icon",
    "paint_left_panel",
    "paint_right_panel",
    "paint_top_bar",
    "selection_title",
    "summarize",
    "view_icon",
    "view_key",
]


@dataclass(frozen=True)
class RecordingSummary:
    """The figures the selection panel shows for a recording."""

    entities: int
    timelines: int
    data_columns: int
    rows: int
    nbytes: int


def summarize(recording: Recording) -> RecordingSummary:
    """The recording's counts, once per store state (counting rows visits every chunk)."""
    store = recording.store
    return tracker_for(store).remember(("summary",), store.generation, lambda: _summary(store))


def _summary(store: ChunkStore) -> RecordingSummary:
    return RecordingSummary(
        entities=len(store.entity_paths()),
        timelines=len(store.timelines()),
        data_columns=len(store.columns()),
        rows=sum(chunk.num_rows for chunk in store.chunks()),
        nbytes=store.nbytes,
    )


def _size(nbytes: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if nbytes < 1024 or unit == "GiB":
            return f"{nbytes:.0f} {unit}" if unit == "B" else f"{nbytes:.1f} {unit}"
        nbytes /= 1024  # type: ignore[assignment]
    return ""


def _header(draw: Any, fonts: Fonts, x: float, y: float, text: str) -> None:
    text_at(draw, fonts, x, y, text, THEME.text_strong, bold=True, size=fonts.size * 0.9)


def paint_top_bar(draw: Any, fonts: Fonts, rect: Rect, title: str) -> None:
    text_at(draw, fonts, rect.x + 11, rect.y + 10, "Menu", THEME.text_strong)
    width = fonts.size * 0.55 * len(title)
    text_at(draw, fonts, rect.x + (rect.w - width) / 2, rect.y + 10, title, THEME.text_weak)


def view_key(index: int, view: ViewSpec) -> str:
    """Names a view across frames: its camera and its row in the tree are kept under this."""
    return f"{index}:{view.kind.value}:{view.origin}"


def _selected_row(draw: Any, fonts: Fonts, rect: Rect, y: float, text: str) -> None:
    draw.add_rect_filled((rect.x + 9, y - 3), (rect.right - 9, y + 21), col32(THEME.selection), 4.0)
    text_at(draw, fonts, rect.x + 89, y + 1, text, THEME.text_strong)


def _paint_sources(frame: UiFrame, draw: Any, rect: Rect, recordings: list[Recording]) -> float:
    """The sources list; clicking a recording shows it. Returns where the blueprint section starts."""
    fonts, state = frame.fonts, frame.state
    x, y = rect.x + 17, rect.y + 10
    _header(draw, fonts, x, y, "SOURCES")
    text_at(draw, fonts, x + 18, y + 23, "Welcome to rerun", THEME.text)
    text_at(draw, fonts, x + 18, y + 47, "Viewer catalog", THEME.text, size=fonts.size * 0.9)
    playable = [r for r in recordings if not r.is_blueprint]
    if playable:
        text_at(draw, fonts, x + 54, y + 70, playable[0].store_id.application_id, THEME.text)
    for index, recording in enumerate(playable):
        row_y = y + 94 + index * THEME.row_height
        if row_clicked(draw, f"##source{index}", Rect(rect.x + 9, row_y - 3, rect.w - 18, THEME.row_height)):
            state.recording = recording.name
        if recording.name == state.recording:
            _selected_row(draw, fonts, rect, row_y, recording.name)
        else:
            text_at(draw, fonts, rect.x + 89, row_y + 1, recording.name, THEME.text)
    return rect.y + 170 + max(len(playable) - 1, 0) * THEME.row_height


def _eye(draw: Any, x: float, y: float, visible: bool) -> None:
    """An eye icon centered at (x, y); struck through when hidden."""
    color = col32(THEME.text if visible else THEME.text_weak)
    draw.add_ellipse((x, y), (7.0, 4.5), color, 0.0, 0, 1.2)
    draw.add_circle_filled((x, y), 2.2, color)
    if not visible:
        draw.add_line((x - 7, y + 6), (x + 7, y - 6), color, 1.5)


def _opens_by_default(node: TreeNode, rows: tuple[TreeRow, ...]) -> bool:
    """Containers start open; a view does as its origin's row (``rows[0]``) would, as in 0.41."""
    return node.container is not None or (node.view is not None and rows[0].opens_by_default)


def view_icon(
    draw: Any, x: float, y: float, kind: ViewKind, color: tuple[int, int, int, int] = THEME.text
) -> None:
    """A small framed glyph per view kind, standing in for the reference's icons."""
    packed = col32(color)
    draw.add_rect((x, y), (x + 13, y + 13), packed, 2.0)
    if kind == ViewKind.TIME_SERIES:
        draw.add_bezier_cubic((x + 2, y + 10), (x + 5, y - 2), (x + 8, y + 15), (x + 11, y + 3), packed, 1.0)
    elif kind == ViewKind.TEXT_LOG:  # a table: rows, and a column's edge
        for row in (3.5, 6.5, 9.5):
            draw.add_line((x, y + row), (x + 13, y + row), packed)
        draw.add_line((x + 4, y + 3.5), (x + 4, y + 13), packed)
    elif kind == ViewKind.TEXT_DOCUMENT:
        for row in (4, 7, 10):
            draw.add_line((x + 3, y + row), (x + 10, y + row), packed)
    elif kind == ViewKind.SPATIAL_3D:  # three axes from one corner
        corner = (x + 4, y + 9.5)
        for end in ((x + 4, y + 3), (x + 10.5, y + 9.5), (x + 9, y + 5)):
            draw.add_line(corner, end, packed)


def container_icon(
    draw: Any, x: float, y: float, kind: ContainerKind, color: tuple[int, int, int, int]
) -> None:
    """A frame split the way the container splits: side by side, stacked, a tab strip; a grid is four
    small cells, as 0.41 draws it."""
    packed = col32(color)
    if kind == ContainerKind.GRID:
        for left, top in ((0, 0), (8, 0), (0, 8), (8, 8)):
            draw.add_rect((x + left, y + top), (x + left + 5.5, y + top + 5.5), packed, 1.5)
        return
    draw.add_rect((x, y), (x + 13, y + 13), packed, 2.0)
    if kind == ContainerKind.HORIZONTAL:
        draw.add_line((x + 6.5, y), (x + 6.5, y + 13), packed)
    if kind == ContainerKind.VERTICAL:
        draw.add_line((x, y + 6.5), (x + 13, y + 6.5), packed)
    if kind == ContainerKind.TABS:  # a strip of tabs along the top
        draw.add_line((x, y + 4), (x + 13, y + 4), packed)
        for tab_x in (x + 4.5, x + 8.5):
            draw.add_line((tab_x, y), (tab_x, y + 4), packed)


@dataclass(frozen=True)
class _TreePainter:
    """Paints the blueprint tree of one recording's viewport into the left panel, a row at a time.

    Every row opens by itself as in 0.41 (:func:`_opens_by_default`, :attr:`TreeRow.opens_by_default`);
    ``state.expanded`` holds the rows toggled away from that (an entity row under its view's path).
    """

    frame: UiFrame
    draw: Any
    rect: Rect
    store: ChunkStore | None

    def rows(self, node: TreeNode) -> tuple[TreeRow, ...]:
        if node.view is None:
            return ()
        if self.store is None:
            return entity_tree(node.view.entities, node.view.origin)
        return view_rows(self.store, node.path, node.view, node.query)

    def is_open(self, key: str, by_default: bool) -> bool:
        return (key in self.frame.state.expanded) != by_default

    def arrow_clicked(self, key: str, arrow_x: float, y: float) -> bool:
        """The arrow's button (from the panel's edge to past the arrow) toggles the row."""
        arrow = Rect(self.rect.x + 9, y - 3, arrow_x + 8 - self.rect.x - 9, THEME.row_height)
        if clicked(f"##open{key}", arrow):
            self.frame.state.expanded ^= {key}
            return True
        return False

    def highlight(self, y: float) -> None:
        self.draw.add_rect_filled(
            (self.rect.x + 9, y - 3), (self.rect.right - 9, y + 21), col32(THEME.selection), 4.0
        )

    def node(self, y: float, node: TreeNode, depth: int) -> float:
        """The container or view, then (when open) what it holds; returns where the next row goes."""
        if y + THEME.row_height > self.rect.bottom:
            return y
        rows = self.rows(node)
        self.node_row(y, node, depth, rows)
        y += THEME.row_height
        if depth > 0 and not self.is_open(node.path, _opens_by_default(node, rows)):
            return y
        for child in node.children:
            y = self.node(y, child, depth + 1)
        for row in shown_rows(
            rows, lambda row: self.is_open(f"{node.path}|{row.path}", row.opens_by_default)
        ):
            if y + THEME.row_height > self.rect.bottom:
                return y
            self.entity_row(y, replace(row, depth=row.depth + depth + 1), node)
            y += THEME.row_height
        return y

    def node_row(self, y: float, node: TreeNode, depth: int, rows: tuple[TreeRow, ...]) -> None:
        """A container or view: the arrow opens or closes it, the name selects it (and opens a view)."""
        state = self.frame.state
        icon_x = self.rect.x + 17 + 18 * depth
        by_default = _opens_by_default(node, rows)
        has_arrow = depth > 0 and bool(node.children or node.view is not None)
        if has_arrow:
            self.arrow_clicked(node.path, icon_x - 11, y)
        left = icon_x - 3 if has_arrow else self.rect.x + 9
        name = Rect(left, y - 3, self.rect.right - 9 - left, THEME.row_height)
        if row_clicked(self.draw, f"##node{node.path}", name):
            state.select_item(node.path)
            if node.view is not None and not self.is_open(node.path, by_default):
                state.expanded ^= {node.path}
        selection = state.selection
        selected = selection is not None and selection.blueprint and selection.entity == node.path
        if selected:
            self.highlight(y)
        color = THEME.text_strong if selected else THEME.text if node.visible else THEME.text_weak
        if has_arrow:
            chevron(self.draw, icon_x - 11, y + 9, self.is_open(node.path, by_default))
        if node.container is not None:
            container_icon(self.draw, icon_x, y + 3, node.container, color)
        elif node.view is not None:
            view_icon(self.draw, icon_x, y + 3, node.view.kind, color)
        title = f"Viewport ({node.title})" if depth == 0 else node.title
        text_at(self.draw, self.frame.fonts, icon_x + 19, y, title, color)

    def entity_row(self, y: float, row: TreeRow, view: TreeNode) -> None:
        """An entity under a view: its arrow opens it, a click on its name selects it, the eye hides or
        shows it (and its subtree)."""
        state, rect, key = self.frame.state, self.rect, f"{view.path}|{row.path}"
        text_x = rect.x + 35 + 18 * row.depth
        eye_x = rect.right - 22
        if clicked(f"##eye{key}", Rect(eye_x - 10, y - 3, 20, THEME.row_height)):
            state.set_visible(row.path, not state.is_visible(row.path))
        if row.children:
            self.arrow_clicked(key, text_x - 29.5, y)
        left = text_x - 21 if row.children else rect.x + 9
        if row_clicked(self.draw, f"##tree{key}", Rect(left, y - 3, eye_x - 12 - left, THEME.row_height)):
            state.select(row.path)
        visible = state.is_visible(row.path)
        selection = state.selection
        selected = selection is not None and not selection.blueprint and selection.entity == row.path
        if selected:
            self.highlight(y)
        color = THEME.text_strong if selected else THEME.text if visible and view.visible else THEME.text_weak
        if row.children:
            chevron(self.draw, text_x - 29.5, y + 9, self.is_open(key, row.opens_by_default))
        entity_icon(self.draw, text_x - 10.5, y + 9, color, holds_data=row.holds_data)
        text_at(self.draw, self.frame.fonts, text_x, y, row.label, color)
        hovered = imgui.is_mouse_hovering_rect(imgui.ImVec2(rect.x, y - 3), imgui.ImVec2(rect.right, y + 21))
        if hovered or not visible:  # as 0.41: the eye shows under the mouse, or struck through
            _eye(self.draw, eye_x, y + 8, visible)


def paint_left_panel(
    frame: UiFrame, draw: Any, rect: Rect, recordings: list[Recording], tree: TreeNode
) -> None:
    """Sources, then the blueprint tree: the root container, the containers and views it holds (hidden
    ones greyed), and under each opened view its entities."""
    x, y = rect.x + 17, _paint_sources(frame, draw, rect, recordings)
    imgui.push_clip_rect(imgui.ImVec2(rect.x, rect.y), imgui.ImVec2(rect.right - 1, rect.bottom), True)
    _header(draw, frame.fonts, x, y, "BLUEPRINT")
    shown = [r for r in recordings if not r.is_blueprint and r.name == frame.state.recording]
    store = shown[-1].store if shown else None
    _TreePainter(frame, draw, rect, store).node(y + 24, tree, 0)
    imgui.pop_clip_rect()


def _paint_recording_data(draw: Any, fonts: Fonts, x: float, y: float, rect: Rect, recording: Recording,
                          summary: RecordingSummary) -> None:  # fmt: skip
    rows = [
        ("Recording ID", recording.name),
        ("Application ID", recording.store_id.application_id),
        ("Kind", "Blueprint" if recording.is_blueprint else "Recording"),
        ("Entities", str(summary.entities)),
        ("Timeline columns", str(summary.timelines)),
        ("Data columns", str(summary.data_columns)),
        ("Rows", f"{summary.rows:,}".replace(",", " ")),
        ("Size", _size(summary.nbytes)),
    ]
    _paint_details(draw, fonts, x, y, rect, tuple(rows))


def _paint_components(
    draw: Any, fonts: Fonts, x: float, y: float, rect: Rect, rows: list[ComponentRow]
) -> None:
    """The selected entity's components as a table, one archetype heading per group."""
    if not rows:
        text_at(draw, fonts, x, y, "No data here at this time", THEME.text_weak)
    archetype = None
    for row in rows:
        if y + 20 > rect.bottom:
            return
        if row.archetype != archetype:
            archetype = row.archetype
            text_at(draw, fonts, x, y, archetype or "Other", THEME.text_strong, bold=True)
            y += 23
        text_at(draw, fonts, x + 12, y, row.name, THEME.text)
        text_at(draw, fonts, x + 120, y, row.text, THEME.text)
        y += 23 + fonts.size * 1.2 * row.text.count("\n")  # a struct shows a line per field


def _chip(draw: Any, fonts: Fonts, x: float, y: float, text: str) -> None:
    width = fonts.size * 0.55 * len(text) + 34
    draw.add_rect_filled((x, y), (x + width, y + 22), col32(THEME.selection), 11.0)
    text_at(draw, fonts, x + 22, y + 3, text, THEME.text_strong)


def selection_title(selection: Selection) -> str:
    """An entity path, with ``[instance]`` for one instance, as the reference writes instance paths."""
    path = selection.entity.lstrip("/") or "/"
    return path if selection.instance is None else f"{path}[{selection.instance}]"


def _paint_details(
    draw: Any, fonts: Fonts, x: float, y: float, rect: Rect, rows: tuple[tuple[str, str], ...]
) -> None:
    """Key/value rows (a recording's data, a container's or view's properties), cut at the panel's bottom."""
    for index, (key, value) in enumerate(rows):
        row_y = y + index * 23
        if row_y + 20 > rect.bottom:
            return
        text_at(draw, fonts, x, row_y, key, THEME.text)
        text_at(draw, fonts, x + 120, row_y, value, THEME.text)


def paint_right_panel(
    frame: UiFrame, draw: Any, rect: Rect, recording: Recording, summary: RecordingSummary, tree: TreeNode
) -> None:
    """The selection: the recording's figures, the selected entity's (instance's) components now, or
    the selected container's or view's properties."""
    fonts, selection = frame.fonts, frame.state.selection
    x, y = rect.x + 16, rect.y + 10
    node = tree.find(selection.entity) if selection is not None and selection.blueprint else None
    if selection is not None and selection.blueprint and node is None:
        selection = None  # the container or view went away
    _header(draw, fonts, x, y, "SELECTION")
    chip = (
        recording.name
        if selection is None
        else node.title
        if node is not None
        else selection_title(selection)
    )
    _chip(draw, fonts, x, y + 23, chip)
    draw.add_line((rect.x, y + 53), (rect.right, y + 53), col32(THEME.separator))
    imgui.push_clip_rect(imgui.ImVec2(rect.x, rect.y), imgui.ImVec2(rect.right, rect.bottom), True)
    if node is not None:
        _header(draw, fonts, x, y + 67, "CONTAINER" if node.container is not None else "VIEW")
        _paint_details(draw, fonts, x, y + 90, rect, node.details)
    elif selection is None:
        _header(draw, fonts, x, y + 67, "DATA")
        _paint_recording_data(draw, fonts, x, y + 90, rect, recording, summary)
    else:
        _header(draw, fonts, x, y + 67, "COMPONENTS")
        rows = component_rows(recording.store, frame.state.cursor, selection)
        _paint_components(draw, fonts, x, y + 90, rect, rows)
    imgui.pop_clip_rect()
