"""Mouse input in time-series views: the wheel zooms the time axis around the mouse, a left drag pans it,
a double-click restores the whole timeline, and a click moves the time cursor to the time under the mouse.

The zoom and pan live in the app state (:attr:`AppState.plot_ranges`, per view), so they survive frames
and scripts can read or set them; the plot's own (ImPlot's) pan and zoom are locked off.
"""

from __future__ import annotations

from imgui_bundle import imgui, implot

from rerun_viewer._state import PlotRange
from rerun_viewer._time import TimeCursor
from rerun_viewer._ui import UiFrame
from rerun_viewer._view_core import ViewContents

__all__ = ["handle_plot_input", "visible_range"]

ZOOM_PER_STEP = 0.8  # one wheel step up shows this fraction of the time range


def visible_range(
    frame: UiFrame, contents: ViewContents, key: str, full: tuple[float, float]
) -> tuple[float, float]:
    """The x range (plot units) the view shows: the user's zoom and pan, else ``full`` (the whole timeline)."""
    chosen = frame.state.plot_ranges.get(key)
    if chosen is None or contents.cursor.timeline is None:
        return full
    lo, hi = chosen.relative_to(contents.time_origin)
    return lo * contents.time_scale, hi * contents.time_scale


def handle_plot_input(frame: UiFrame, contents: ViewContents, key: str, shown: tuple[float, float]) -> None:
    """Between ImPlot's ``begin_plot`` and ``end_plot``: act on this pass's mouse input over the plot."""
    if contents.cursor.timeline is None:
        return
    state, io, pressed = frame.state, imgui.get_io(), f"plot press {key}"
    scale, origin = contents.time_scale, contents.time_origin
    lo, hi = shown[0] / scale, shown[1] / scale  # timeline units after the origin
    mouse = implot.get_plot_mouse_pos().x / scale
    hovered = implot.is_plot_hovered()

    def show(new_lo: float, new_hi: float) -> None:
        if new_hi > new_lo:
            state.plot_ranges[key] = PlotRange(origin, new_lo, new_hi)

    if hovered and io.mouse_wheel:
        factor = ZOOM_PER_STEP**io.mouse_wheel
        show(mouse + (lo - mouse) * factor, mouse + (hi - mouse) * factor)
    if hovered and imgui.is_mouse_double_clicked(0):
        state.plot_ranges.pop(key, None)
        frame.cache.pop(pressed, None)
        return
    if hovered and imgui.is_mouse_clicked(0):
        frame.cache[pressed] = False  # pressed in this plot, not dragged (yet)
    if pressed not in frame.cache:
        return
    if imgui.is_mouse_down(0):
        frame.cache[pressed] = frame.cache[pressed] or imgui.is_mouse_dragging(0)
        shift = -io.mouse_delta.x / max(implot.get_plot_size().x, 1.0) * (hi - lo)
        if shift:
            show(lo + shift, hi + shift)
    elif not frame.cache.pop(pressed) and hovered and contents.time_range is not None:  # a click here
        first, last = contents.time_range
        state.cursor = TimeCursor(contents.cursor.timeline, min(max(origin + round(mouse), first), last))
        state.playback.carry = 0.0
