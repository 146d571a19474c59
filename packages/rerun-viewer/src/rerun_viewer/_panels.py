"""The shell's side panels: top bar, sources and blueprint tree (left), selection (right).

The left panel switches recordings, expands views into their entities, selects an entity and
hides or shows it (eye icons); the right one shows the selection's components at the cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from imgui_bundle import imgui

from rerun_core.entity_path import EntityPath
from rerun_core.store import ChunkStore
from rerun_viewer._component_values import ComponentRow, component_rows
from rerun_viewer._heuristics import ViewSpec
from rerun_viewer._recording import Recording
from rerun_viewer._state import Selection
from rerun_viewer._store_tracker import tracker_for
from rerun_viewer._theme import THEME
from rerun_viewer._ui import Fonts, Rect, UiFrame, clicked, col32, row_clicked, text_at

__all__ = [
    "RecordingSummary",
    "TreeRow",
    "entity_tree",
    "paint_left_panel",
    "paint_right_panel",
    "paint_top_bar",
    "selection_title",
    "summarize",
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


@dataclass(frozen=True)
class TreeRow:
    """One node of a view's entity tree: a path, its depth below the view's origin, its label."""

    path: str
    depth: int
    label: str


def entity_tree(entities: tuple[str, ...], origin: str) -> list[TreeRow]:
    """The view's entities and their ancestors below the origin, depth first, as the reference's tree."""
    base = () if origin == "/" else EntityPath.parse(origin).parts
    nodes: set[tuple[str, ...]] = set()
    for entity in entities:
        parts = EntityPath.parse(entity).parts
        nodes.update(parts[:depth] for depth in range(len(base) + 1, len(parts) + 1))
        if len(parts) <= len(base):
            nodes.add(parts)
    parents = {node[:-1] for node in nodes}
    return [
        TreeRow(
            str(EntityPath(node)),
            max(len(node) - len(base), 0),
            (node[-1] if node else "/") + ("/" if node in parents else ""),
        )
        for node in sorted(nodes)
    ]


def _paint_tree_row(frame: UiFrame, draw: Any, rect: Rect, y: float, row: TreeRow, key: str) -> None:
    """One node under a view: click the name to select it, the eye to hide or show it (and its subtree)."""
    state, fonts = frame.state, frame.fonts
    eye_x = rect.right - 22
    if clicked(f"##eye{key}{row.path}", Rect(eye_x - 10, y - 3, 20, THEME.row_height)):
        state.set_visible(row.path, not state.is_visible(row.path))
    area = Rect(rect.x + 9, y - 3, eye_x - rect.x - 21, THEME.row_height)
    if row_clicked(draw, f"##tree{key}{row.path}", area):
        state.select(row.path)
    visible = state.is_visible(row.path)
    selected = state.selection is not None and state.selection.entity == row.path
    if selected:
        draw.add_rect_filled((rect.x + 9, y - 3), (rect.right - 9, y + 21), col32(THEME.selection), 4.0)
    color = THEME.text_strong if selected else THEME.text if visible else THEME.text_weak
    text_at(draw, fonts, rect.x + 35 + 18 * row.depth, y, row.label, color)
    _eye(draw, eye_x, y + 8, visible)


def paint_left_panel(
    frame: UiFrame,
    draw: Any,
    rect: Rect,
    recordings: list[Recording],
    views: list[ViewSpec],
    container: str | None = None,
) -> None:
    """Sources, then the blueprint tree: each view (click to expand) and its entities; ``container`` names
    the root container (a blueprint's), else the automatic layout's is named."""
    fonts, state = frame.fonts, frame.state
    x, y = rect.x + 17, _paint_sources(frame, draw, rect, recordings)
    _header(draw, fonts, x, y, "BLUEPRINT")
    container = container or ("Tab container" if len(views) == 1 else "Grid container")
    text_at(draw, fonts, x + 18, y + 24, f"Viewport ({container})", THEME.text)
    row_y = y + 48
    for index, view in enumerate(views):
        if row_y + THEME.row_height > rect.bottom:
            return
        key = view_key(index, view)
        if row_clicked(draw, f"##view{key}", Rect(rect.x + 9, row_y - 3, rect.w - 18, THEME.row_height)):
            state.expanded ^= {key}
        expanded = key in state.expanded
        text_at(draw, fonts, x + 4, row_y, "v" if expanded else ">", THEME.text_weak, size=fonts.size * 0.8)
        text_at(draw, fonts, x + 36, row_y, view.title, THEME.text)
        row_y += THEME.row_height
        for row in entity_tree(view.entities, view.origin) if expanded else ():
            if row_y + THEME.row_height > rect.bottom:
                return
            _paint_tree_row(frame, draw, rect, row_y, row, key)
            row_y += THEME.row_height


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
    for index, (key, value) in enumerate(rows):
        row_y = y + index * 23
        if row_y + 20 > rect.bottom:
            break
        text_at(draw, fonts, x, row_y, key, THEME.text)
        text_at(draw, fonts, x + 120, row_y, value, THEME.text)


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


def paint_right_panel(
    frame: UiFrame, draw: Any, rect: Rect, recording: Recording, summary: RecordingSummary
) -> None:
    """The selection: the recording's figures, or the selected entity's (instance's) components now."""
    fonts, selection = frame.fonts, frame.state.selection
    x, y = rect.x + 16, rect.y + 10
    _header(draw, fonts, x, y, "SELECTION")
    _chip(draw, fonts, x, y + 23, recording.name if selection is None else selection_title(selection))
    draw.add_line((rect.x, y + 53), (rect.right, y + 53), col32(THEME.separator))
    imgui.push_clip_rect(imgui.ImVec2(rect.x, rect.y), imgui.ImVec2(rect.right, rect.bottom), True)
    if selection is None:
        _header(draw, fonts, x, y + 67, "DATA")
        _paint_recording_data(draw, fonts, x, y + 90, rect, recording, summary)
    else:
        _header(draw, fonts, x, y + 67, "COMPONENTS")
        rows = component_rows(recording.store, frame.state.cursor, selection)
        _paint_components(draw, fonts, x, y + 90, rect, rows)
    imgui.pop_clip_rect()
