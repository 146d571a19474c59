"""One frame of the app shell: panels, the grid of titled views, the time panel (all imgui)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from imgui_bundle import imgui

from rerun_viewer._layout import shell_layout, view_cells
from rerun_viewer._panels import RecordingSummary, paint_left_panel, paint_right_panel, paint_top_bar
from rerun_viewer._recording import Recording
from rerun_viewer._registry import ViewKind
from rerun_viewer._theme import THEME
from rerun_viewer._time import TimeCursor
from rerun_viewer._time_panel import paint_time_panel
from rerun_viewer._ui import Rect, UiFrame, col32, text_at
from rerun_viewer._view_core import ViewContents
from rerun_viewer.views import PAINTERS

__all__ = ["ShellModel", "paint_shell"]

_ROOT_FLAGS = (
    imgui.WindowFlags_.no_decoration | imgui.WindowFlags_.no_saved_settings | imgui.WindowFlags_.no_move
    | imgui.WindowFlags_.no_bring_to_front_on_focus | imgui.WindowFlags_.no_scroll_with_mouse
)  # fmt: skip


@dataclass
class ShellModel:
    """What the shell shows this frame."""

    recording: Recording
    summary: RecordingSummary
    cursor: TimeCursor
    bounds: tuple[int, int] | None
    views: list[ViewContents]


def _view_icon(draw: Any, x: float, y: float, kind: ViewKind) -> None:
    """A small framed glyph per view kind, standing in for the reference's icons."""
    color = col32(THEME.text)
    draw.add_rect((x, y), (x + 13, y + 13), color, 2.0)
    if kind == ViewKind.TIME_SERIES:
        draw.add_bezier_cubic((x + 2, y + 10), (x + 5, y - 2), (x + 8, y + 15), (x + 11, y + 3), color, 1.0)
    elif kind in (ViewKind.TEXT_LOG, ViewKind.TEXT_DOCUMENT):
        for row in (4, 7, 10):
            draw.add_line((x + 3, y + row), (x + 10, y + row), color)
    elif kind == ViewKind.SPATIAL_3D:
        draw.add_line((x + 3, y + 10), (x + 6, y + 5), color)
        draw.add_line((x + 6, y + 5), (x + 10, y + 8), color)


def _paint_view(frame: UiFrame, draw: Any, contents: ViewContents, cell: Rect, index: int) -> None:
    _view_icon(draw, cell.x + 10, cell.y + 8, contents.spec.kind)
    text_at(draw, frame.fonts, cell.x + 29, cell.y + 7, contents.spec.title, THEME.text_strong)
    content = cell.inset(top=THEME.view_title_height)
    imgui.push_clip_rect(imgui.ImVec2(cell.x, cell.y), imgui.ImVec2(cell.right, cell.bottom), True)
    PAINTERS[contents.spec.kind](frame, contents, content, f"view{index}")
    imgui.pop_clip_rect()


def _paint_separators(draw: Any, layout: Any, cells: list[Rect]) -> None:
    line = col32(THEME.separator)
    draw.add_line((0, layout.top_bar.bottom), (layout.top_bar.right, layout.top_bar.bottom), line)
    draw.add_line((layout.left.right, layout.left.y), (layout.left.right, layout.left.bottom), line)
    draw.add_line((layout.right.x, layout.right.y), (layout.right.x, layout.right.bottom), line)
    draw.add_line((0, layout.time_panel.y), (layout.time_panel.right, layout.time_panel.y), line)
    for cell in cells:
        if cell.x > layout.views.x + 1:
            draw.add_line((cell.x, cell.y), (cell.x, cell.bottom), line)
        if cell.y > layout.views.y + 1:
            draw.add_line((cell.x, cell.y), (cell.right, cell.y), line)


def paint_shell(frame: UiFrame, model: ShellModel, width: int, height: int) -> None:
    """Everything, in one undecorated window covering the screen."""
    layout = shell_layout(width, height)
    imgui.set_next_window_pos(imgui.ImVec2(0, 0))
    imgui.set_next_window_size(imgui.ImVec2(width, height))
    imgui.push_style_var(imgui.StyleVar_.window_padding, imgui.ImVec2(0, 0))
    imgui.push_style_var(imgui.StyleVar_.window_border_size, 0.0)
    imgui.begin("##rerun", None, _ROOT_FLAGS)
    draw = imgui.get_window_draw_list()
    draw.add_rect_filled((0, 0), (width, height), col32(THEME.background))
    paint_top_bar(draw, frame.fonts, layout.top_bar, model.recording.name)
    specs = [contents.spec for contents in model.views]
    paint_left_panel(draw, frame.fonts, layout.left, model.recording, specs)
    paint_right_panel(draw, frame.fonts, layout.right, model.recording, model.summary)
    cells = view_cells(layout.views, len(model.views))
    for index, (contents, cell) in enumerate(zip(model.views, cells, strict=True)):
        _paint_view(frame, draw, contents, cell, index)
    if not model.views:
        text_at(
            draw, frame.fonts, layout.views.x + 20, layout.views.y + 20, "No data to show", THEME.text_weak
        )
    paint_time_panel(draw, frame.fonts, layout.time_panel, model.recording.store, model.cursor, model.bounds)
    _paint_separators(draw, layout, cells)
    imgui.end()
    imgui.pop_style_var(2)
