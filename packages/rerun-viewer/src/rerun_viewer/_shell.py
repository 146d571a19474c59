"""One frame of the app shell: panels, the grid of titled views, the time panel (all imgui).

The shell reads the app state (``frame.state``) and its widgets change it; keyboard shortcuts:
space plays or pauses, the left and right arrows step, escape clears the selection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from imgui_bundle import imgui

from rerun_viewer import _playback
from rerun_viewer._blueprint_layout import TabBar
from rerun_viewer._component_values import component_rows
from rerun_viewer._heuristics import ViewSpec
from rerun_viewer._layout import shell_layout
from rerun_viewer._panels import (
    RecordingSummary,
    paint_left_panel,
    paint_right_panel,
    paint_top_bar,
    selection_title,
    view_icon,
    view_key,
)
from rerun_viewer._recording import Recording
from rerun_viewer._state import AppState
from rerun_viewer._theme import THEME
from rerun_viewer._time_panel import data_times, paint_time_panel
from rerun_viewer._ui import Rect, UiFrame, clicked, col32, text_at
from rerun_viewer._view_core import ViewContents
from rerun_viewer._viewport import Viewport
from rerun_viewer.views import PAINTERS

__all__ = ["ShellModel", "paint_shell", "visible_views"]

_ROOT_FLAGS = (
    imgui.WindowFlags_.no_decoration | imgui.WindowFlags_.no_saved_settings | imgui.WindowFlags_.no_move
    | imgui.WindowFlags_.no_bring_to_front_on_focus | imgui.WindowFlags_.no_scroll_with_mouse
    | imgui.WindowFlags_.no_background
)  # fmt: skip


@dataclass
class ShellModel:
    """What the shell shows this frame."""

    recording: Recording
    recordings: list[Recording]
    summary: RecordingSummary
    bounds: tuple[int, int] | None
    specs: list[ViewSpec]  # the views as configured (the tree lists hidden entities too)
    views: list[ViewContents]  # what each view shows now
    viewport: Viewport | None = None  # how the views are laid out and which panels show (None: a grid)


def visible_views(views: Sequence[ViewSpec], state: AppState) -> list[ViewSpec]:
    """The views without their hidden entities."""
    if not state.hidden:
        return list(views)
    return [replace(view, entities=tuple(e for e in view.entities if state.is_visible(e))) for view in views]


def _paint_view(
    frame: UiFrame, draw: Any, contents: ViewContents, cell: Rect, index: int, *, titled: bool = True
) -> None:
    if titled:  # else a tab bar above names the view
        view_icon(draw, cell.x + 10, cell.y + 8, contents.spec.kind)
        text_at(draw, frame.fonts, cell.x + 29, cell.y + 7, contents.spec.title, THEME.text_strong)
    content = cell.inset(top=THEME.view_title_height)
    imgui.push_clip_rect(imgui.ImVec2(cell.x, cell.y), imgui.ImVec2(cell.right, cell.bottom), True)
    PAINTERS[contents.spec.kind](frame, contents, content, view_key(index, contents.spec))
    imgui.pop_clip_rect()


def _paint_tab_bar(frame: UiFrame, draw: Any, bar: TabBar) -> None:
    """A tab container's bar: each tab's icon and title, the active one bright; a click on a tab shows it."""
    x = bar.rect.x + 10
    for index, (kind, title) in enumerate(bar.labels):
        width = (19 if kind is not None else 0) + imgui.calc_text_size(title).x
        if clicked(f"##tab{bar.container}/{index}", Rect(x - 9, bar.rect.y, width + 18, bar.rect.h)):
            frame.state.active_tabs[bar.container] = index
        if kind is not None:
            view_icon(draw, x, bar.rect.y + 8, kind)
        color = THEME.text_strong if index == bar.active else THEME.text_weak
        text_at(draw, frame.fonts, x + width - imgui.calc_text_size(title).x, bar.rect.y + 7, title, color)
        x += width + 18


def _paint_separators(draw: Any, layout: Any, cells: list[Rect]) -> None:
    """One-pixel lines between the panels and between the views, on pixel centres so they stay crisp."""
    lines: list[tuple[tuple[float, float], tuple[float, float]]] = []
    if layout.top_bar.h > 0:
        lines.append(((0, layout.top_bar.bottom), (layout.top_bar.right, layout.top_bar.bottom)))
    if layout.left.w > 0:
        lines.append(((layout.left.right, layout.left.y), (layout.left.right, layout.left.bottom)))
    if layout.right.w > 0:
        lines.append(((layout.right.x, layout.right.y), (layout.right.x, layout.right.bottom)))
    if layout.time_panel.h > 0:
        lines.append(((0, layout.time_panel.y), (layout.time_panel.right, layout.time_panel.y)))
    for cell in cells:
        if cell.x > layout.views.x + 1:
            lines.append(((cell.x, cell.y), (cell.x, cell.bottom)))
        if cell.y > layout.views.y + 1:
            lines.append(((cell.x, cell.y), (cell.right, cell.y)))
    for (x0, y0), (x1, y1) in lines:
        draw.add_line((x0 + 0.5, y0 + 0.5), (x1 + 0.5, y1 + 0.5), col32(THEME.separator))


def _hover_tooltip(frame: UiFrame, model: ShellModel) -> None:
    """What the mouse is over, with the instance's values."""
    hover = frame.state.hover
    if hover is None:
        return
    imgui.begin_tooltip()
    imgui.text(selection_title(hover))
    for row in component_rows(model.recording.store, frame.state.cursor, hover):
        imgui.text_colored(imgui.ImVec4(0.6, 0.6, 0.6, 1.0), f"{row.name}:")
        imgui.same_line()
        imgui.text(row.text)
    imgui.end_tooltip()


def _shortcuts(frame: UiFrame, model: ShellModel) -> None:
    state = frame.state
    if imgui.is_key_pressed(imgui.Key.space, repeat=False):
        state.cursor = _playback.toggle(state.cursor, model.bounds, state.playback)
    for key, forward in ((imgui.Key.right_arrow, True), (imgui.Key.left_arrow, False)):
        if imgui.is_key_pressed(key) and state.cursor.timeline is not None:
            times = data_times(model.recording.store, state.cursor.timeline_name)
            state.cursor = _playback.step(state.cursor, times, state.playback, forward=forward)
    if imgui.is_key_pressed(imgui.Key.escape):
        state.selection = None


def _paint_window(
    frame: UiFrame, model: ShellModel, viewport: Viewport, layout: Any, size: tuple[int, int]
) -> None:
    draw = imgui.get_window_draw_list()
    if layout.top_bar.h > 0:
        paint_top_bar(draw, frame.fonts, layout.top_bar, model.recording.name)
    if layout.left.w > 0:
        paint_left_panel(frame, draw, layout.left, model.recordings, viewport.tree)
    arrangement = viewport.arrange(layout.views, frame.state.active_tabs)
    for cell in arrangement.cells:
        _paint_view(frame, draw, model.views[cell.view], cell.rect, cell.view, titled=cell.titled)
    for bar in arrangement.tab_bars:
        _paint_tab_bar(frame, draw, bar)
    if not model.views:
        text_at(
            draw, frame.fonts, layout.views.x + 20, layout.views.y + 20, "No data to show", THEME.text_weak
        )
    if layout.right.w > 0:
        paint_right_panel(frame, draw, layout.right, model.recording, model.summary, viewport.tree)
    if layout.time_panel.h > 0:
        paint_time_panel(frame, draw, layout.time_panel, model.recording.store, model.bounds)
    _paint_separators(draw, layout, [cell.rect for cell in arrangement.cells])
    _shortcuts(frame, model)


def paint_shell(frame: UiFrame, model: ShellModel, width: int, height: int) -> None:
    """Everything, in one undecorated window covering the screen (closed even when painting fails,
    so the error that surfaces is the painter's, not imgui's)."""
    viewport = model.viewport or Viewport(tuple(contents.spec for contents in model.views))
    layout = shell_layout(width, height, viewport.panel_states)
    frame.state.hover = None
    imgui.set_next_window_pos(imgui.ImVec2(0, 0))
    imgui.set_next_window_size(imgui.ImVec2(width, height))
    imgui.push_style_var(imgui.StyleVar_.window_padding, imgui.ImVec2(0, 0))
    imgui.push_style_var(imgui.StyleVar_.window_border_size, 0.0)
    imgui.begin("##rerun", None, _ROOT_FLAGS)
    try:
        _paint_window(frame, model, viewport, layout, (width, height))
    finally:
        imgui.end()
        imgui.pop_style_var(2)
    _hover_tooltip(frame, model)
