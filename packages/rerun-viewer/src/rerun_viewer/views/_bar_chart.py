"""Bar-chart views, drawn with ImPlot: bars from their abscissa, framed tightly as the reference does."""

from __future__ import annotations

import numpy as np
from imgui_bundle import imgui, implot

from rerun_viewer._primitives import Bars
from rerun_viewer._ui import Rect, UiFrame, vec4
from rerun_viewer._view_core import ViewContents

__all__ = ["bar_limits", "paint_bar_chart"]

_FILL_ALPHA = 0.8
_PLOT_FLAGS = implot.Flags_.no_title | implot.Flags_.no_menus | implot.Flags_.no_box_select


def bar_limits(charts: list[Bars]) -> tuple[float, float, float, float]:
    """x from the first bar's left edge to the last one's right edge; y over the values and zero."""
    if not charts or not any(len(chart.values) for chart in charts):
        return 0.0, 1.0, 0.0, 1.0
    lefts = np.concatenate([chart.abscissa for chart in charts])
    rights = np.concatenate([chart.abscissa + chart.widths for chart in charts])
    values = np.concatenate([chart.values[np.isfinite(chart.values)] for chart in charts] + [np.zeros(1)])
    y0, y1 = float(values.min()), float(values.max())
    return float(lefts.min()), float(rights.max()), y0, (y1 if y1 > y0 else y0 + 1.0)


def _plot(chart: Bars) -> None:
    color = vec4(chart.color)
    spec = implot.Spec(fill_color=color, line_color=color, fill_alpha=_FILL_ALPHA, line_weight=1.0)
    for width in np.unique(chart.widths):
        mask = chart.widths == width
        centers = (chart.abscissa[mask] + width / 2).astype(np.float64)
        implot.plot_bars(chart.entity, centers, chart.values[mask].astype(np.float64), float(width), spec)


def paint_bar_chart(frame: UiFrame, contents: ViewContents, rect: Rect, key: str) -> None:
    """The plot fills ``rect``, its legend at the top right."""
    charts = [p for p in contents.primitives if isinstance(p, Bars)]
    x0, x1, y0, y1 = bar_limits(charts)
    imgui.set_cursor_screen_pos(imgui.ImVec2(rect.x, rect.y))
    if not implot.begin_plot(f"##bars{key}", imgui.ImVec2(rect.w, rect.h), _PLOT_FLAGS):
        return
    implot.setup_axes("", "", 0, 0)
    implot.setup_axis_limits(implot.ImAxis_.x1, x0, x1, implot.Cond_.always)
    implot.setup_axis_limits(implot.ImAxis_.y1, y0, y1, implot.Cond_.always)
    implot.setup_legend(implot.Location_.north_east)
    for chart in charts:
        _plot(chart)
    implot.end_plot()
