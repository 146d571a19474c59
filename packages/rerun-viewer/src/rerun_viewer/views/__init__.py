"""View painters, one per view kind: each draws a view's contents into its rectangle of the UI.

Spatial views render a pygfx scene to a texture and show it; the others draw with imgui/ImPlot.
"""

from __future__ import annotations

from collections.abc import Callable

from rerun_viewer._registry import ViewKind
from rerun_viewer._ui import Rect, UiFrame
from rerun_viewer._view_core import ViewContents
from rerun_viewer.views._bar_chart import paint_bar_chart
from rerun_viewer.views._document import paint_document
from rerun_viewer.views._plot import paint_time_series, style_plots
from rerun_viewer.views._spatial_painter import paint_spatial
from rerun_viewer.views._tensor import paint_tensor
from rerun_viewer.views._text import paint_text_log

__all__ = ["PAINTERS", "Painter", "style_plots"]

Painter = Callable[[UiFrame, ViewContents, Rect, str], None]

PAINTERS: dict[ViewKind, Painter] = {
    ViewKind.SPATIAL_3D: paint_spatial,
    ViewKind.SPATIAL_2D: paint_spatial,
    ViewKind.TIME_SERIES: paint_time_series,
    ViewKind.TEXT_LOG: paint_text_log,
    ViewKind.TEXT_DOCUMENT: paint_document,
    ViewKind.BAR_CHART: paint_bar_chart,
    ViewKind.TENSOR: paint_tensor,
}
