"""Time-series views, drawn with ImPlot: one line (or markers) per series, and the time cursor.

Long series are decimated to a min and a max per pixel column before they reach ImPlot, so a
million samples cost what a couple of thousand do.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from imgui_bundle import imgui, implot

from rerun_viewer._primitives import Series
from rerun_viewer._theme import THEME
from rerun_viewer._ui import Rect, UiFrame, vec4
from rerun_viewer._view_core import ViewContents
from rerun_viewer._view_properties import Corner
from rerun_viewer.views._plot_input import handle_plot_input, visible_range

__all__ = ["decimate", "paint_time_series", "style_plots", "time_limits", "value_limits"]

_Y_MARGIN_FRACTION = 0.05  # of the fitted y range, on each side (measured on 0.41's plots)
_LIMIT_COLUMNS = 256  # the y range comes from a coarser decimation: its extremes are the series' own

_LINKED_RANGE = "linked time axis"  # the zoom and pan of plots whose TimeAxis links to the global range
_LEGEND_CORNERS = {
    Corner.LEFT_TOP: implot.Location_.north_west, Corner.RIGHT_TOP: implot.Location_.north_east,
    Corner.LEFT_BOTTOM: implot.Location_.south_west, Corner.RIGHT_BOTTOM: implot.Location_.south_east,
}  # fmt: skip

_PLOT_FLAGS = (
    implot.Flags_.no_title
    | implot.Flags_.no_menus
    | implot.Flags_.no_box_select
    | implot.Flags_.no_mouse_text
)


def decimate(times: np.ndarray, values: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ~2 points per pixel column: each column's first min and first max, in time order.

    ``times`` must be sorted (range queries return them so); NaNs are skipped, as ImPlot would.
    """
    if len(times) <= 4 * max(columns, 1):
        return times, values
    span = float(times[-1] - times[0]) or 1.0
    bucket = np.minimum(((times - times[0]) * (columns / span)).astype(np.intp), columns - 1)
    starts = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
    segment = np.cumsum(np.r_[False, bucket[1:] != bucket[:-1]])  # each sample's run of equal buckets
    keep = np.zeros(len(times), bool)
    for reduce in (np.fmin, np.fmax):
        extreme = reduce.reduceat(values, starts)[segment]
        hits = np.flatnonzero(values == extreme)
        keep[hits[np.r_[True, segment[hits][1:] != segment[hits][:-1]]]] = True  # the first hit per run
    return times[keep], values[keep]


class _Decimated:
    """Decimated copies of the last few series, by the identity of their arrays (which it holds)."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[
            tuple[int, int, int], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
        ]
        self._entries = OrderedDict()

    def get(self, series: Series, columns: int) -> tuple[np.ndarray, np.ndarray]:
        key = (id(series.times), id(series.values), columns)
        entry = self._entries.get(key)
        if entry is None or entry[0] is not series.times or entry[1] is not series.values:
            entry = (series.times, series.values, *decimate(series.times, series.values, columns))
            self._entries[key] = entry
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)
        self._entries.move_to_end(key)
        return entry[2], entry[3]


_DECIMATED = _Decimated(capacity=64)


def style_plots() -> None:
    """ImPlot colors matching the dark theme (called once per UI context)."""
    style = implot.get_style()
    for slot, color in (
        (implot.Col_.frame_bg, THEME.background),
        (implot.Col_.plot_bg, THEME.background),
        (implot.Col_.plot_border, THEME.separator),
        (implot.Col_.legend_bg, (20, 20, 20, 230)),
        (implot.Col_.legend_border, THEME.separator),
        (implot.Col_.axis_grid, THEME.plot_grid),
        (implot.Col_.axis_text, THEME.text),
        (implot.Col_.legend_text, THEME.text),
    ):
        style.set_color_(int(slot), vec4(color))


def time_limits(contents: ViewContents) -> tuple[float, float]:
    """The whole x range (plot units): the timeline's, or a blueprint's TimeAxis view range."""
    time_range, properties = contents.time_range, contents.spec.properties
    axis_range = properties.time_axis_range
    if time_range is not None:  # a blueprint's VisibleTimeRanges (the view's, the entities'): those
        cursor = contents.cursor
        time_range = properties.plot_extent(
            contents.spec.entities, cursor.timeline_name, cursor.at, time_range
        )
    if time_range is not None and axis_range is not None:
        time_range = axis_range.resolve(contents.cursor.at, time_range)
    if time_range is None:
        return 0.0, 1.0
    x0, x1 = (float(t - contents.time_origin) * contents.time_scale for t in time_range)
    return x0, (x1 if x1 > x0 else x0 + 1)


def _visible_values(series: Series, scale: float, window: tuple[float, float]) -> np.ndarray:
    """The series' finite values whose time lies in ``window`` (plot units), plus the sample just beyond
    each end: the line runs on to them, and the reference fits its y axis to every drawn sample."""
    lo, hi = window[0] / scale, window[1] / scale  # timeline units after the origin
    times = series.times  # sorted, as range queries return them
    if not len(times) or (lo <= times[0] and times[-1] <= hi):
        values = _DECIMATED.get(series, _LIMIT_COLUMNS)[1]  # all of it: min and max survive decimation
    else:
        first = max(int(np.searchsorted(times, lo, "left")) - 1, 0)
        values = series.values[first : int(np.searchsorted(times, hi, "right")) + 1]
    return values[np.isfinite(values)]


def value_limits(
    series: list[Series], contents: ViewContents, window: tuple[float, float]
) -> tuple[float, float]:
    """The y range: a blueprint's ScalarAxis, else the values drawn in the time ``window`` (±1 around a
    single value, -1 to 1 without any) widened by 5 % on each side, as 0.41's plots fit their y axis."""
    if contents.spec.properties.scalar_range is not None:
        return contents.spec.properties.scalar_range
    parts = [_visible_values(s, contents.time_scale, window) for s in series]
    values = np.concatenate(parts) if parts else np.zeros(0)
    y0, y1 = (float(values.min()), float(values.max())) if len(values) else (0.0, 0.0)
    if y1 <= y0:
        y0, y1 = y0 - 1.0, y1 + 1.0
    margin = _Y_MARGIN_FRACTION * (y1 - y0)
    return y0 - margin, y1 + margin


def _plot_series(series: Series, columns: int, scale: float) -> None:
    times, values = _DECIMATED.get(series, columns)
    times = times * scale
    if series.points or len(times) < 2:  # a lone sample shows as a dot
        spec = implot.Spec(
            marker=implot.Marker_.circle, marker_size=max(series.marker_size, 2.0), marker_fill_color=vec4(series.color),
            marker_line_color=vec4(series.color),
        )  # fmt: skip
        implot.plot_scatter(series.name, times, values, spec)
    else:
        spec = implot.Spec(line_color=vec4(series.color), line_weight=max(series.width, 1.0))
        implot.plot_line(series.name, times, values, spec)


def paint_time_series(frame: UiFrame, contents: ViewContents, rect: Rect, key: str) -> None:
    """The plot fills ``rect``; the legend sits at its bottom-left, as in the reference."""
    series = [p for p in contents.primitives if isinstance(p, Series)]  # cut to their windows already
    full = time_limits(contents)
    range_key = _LINKED_RANGE if contents.spec.properties.time_axis_linked else key  # linked plots share it
    x0, x1 = visible_range(frame, contents, range_key, full)  # the user's zoom and pan
    y0, y1 = value_limits(series, contents, (x0, x1))
    imgui.set_cursor_screen_pos(imgui.ImVec2(rect.x, rect.y))
    flags = _PLOT_FLAGS if contents.spec.properties.legend else _PLOT_FLAGS | implot.Flags_.no_legend
    if not implot.begin_plot(f"##plot{key}", imgui.ImVec2(rect.w, rect.h), flags):
        return
    implot.setup_axes("", "", implot.AxisFlags_.lock, implot.AxisFlags_.lock)  # our input zooms and pans
    implot.setup_axis_limits(implot.ImAxis_.x1, x0, x1, implot.Cond_.always)
    implot.setup_axis_limits(implot.ImAxis_.y1, y0, y1, implot.Cond_.always)
    implot.setup_legend(_LEGEND_CORNERS[contents.spec.properties.legend_corner or Corner.LEFT_BOTTOM])
    for entry in series:
        _plot_series(entry, int(rect.w), contents.time_scale)
    if contents.cursor.timeline is not None:
        cursor = np.array([float(contents.cursor.at - contents.time_origin) * contents.time_scale])
        implot.plot_inf_lines("##time", cursor, implot.Spec(line_color=vec4(THEME.cursor), line_weight=1.0))
    handle_plot_input(frame, contents, range_key, (x0, x1))
    implot.end_plot()
