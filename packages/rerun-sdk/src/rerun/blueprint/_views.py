"""The twelve view classes of 0.41: each fixes its view class and takes its own property archetypes.

A property may be given as its archetype or as what the archetype's constructor takes first
(``background=[0, 0, 0]``, ``line_grid=False``, ``plot_legend=Corner2D.LeftTop``); each is logged at
``/view/<uuid>/<ArchetypeName>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rerun._baseclasses import Archetype
from rerun._generated import blueprint_archetypes as bp
from rerun.blueprint._view import View

__all__ = [
    "AudioView",
    "BarChartView",
    "DataframeView",
    "GraphView",
    "MapView",
    "Spatial2DView",
    "Spatial3DView",
    "StateTimelineView",
    "TensorView",
    "TextDocumentView",
    "TextLogView",
    "TimeSeriesView",
]


def _properties(*given: tuple[type[Any], Any]) -> dict[str, Archetype]:
    """The given properties by archetype name, each converted to its archetype when it is not one yet."""
    properties: dict[str, Archetype] = {}
    for archetype_type, value in given:
        if value is not None:
            properties[archetype_type.__name__] = (
                value if isinstance(value, archetype_type) else archetype_type(value)
            )
    return properties


class _ConcreteView(View):
    """A view of a fixed class: the keyword arguments every concrete view shares."""

    CLASS_IDENTIFIER: str = ""

    def _init_view(self, arguments: dict[str, Any], *properties: tuple[type[Any], Any]) -> None:
        """Pass the shared arguments (picked from the caller's ``locals()``) and the properties to ``View``."""
        common = {name: arguments[name] for name in _COMMON}
        super().__init__(
            class_identifier=self.CLASS_IDENTIFIER, properties=_properties(*properties), **common
        )


_COMMON = ("origin", "contents", "name", "visible", "titlebar", "defaults", "overrides")
Defaults = Iterable[Any] | None
Overrides = Mapping[Any, Any] | None


class AudioView(_ConcreteView):
    """Plays and plots audio."""

    CLASS_IDENTIFIER = "Audio"

    def __init__(self, *, origin: Any = "/", contents: Any = "$origin/**", name: str | None = None,
                 visible: bool | None = None, titlebar: bool | None = None, defaults: Defaults = None,
                 overrides: Overrides = None, playback: Any = None) -> None:  # fmt: skip
        self._init_view(locals(), (bp.AudioPlayback, playback))


class BarChartView(_ConcreteView):
    """Bar charts of 1-D tensors."""

    CLASS_IDENTIFIER = "BarChart"

    def __init__(self, *, origin: Any = "/", contents: Any = "$origin/**", name: str | None = None,
                 visible: bool | None = None, titlebar: bool | None = None, defaults: Defaults = None,
                 overrides: Overrides = None, plot_legend: Any = None, background: Any = None) -> None:  # fmt: skip
        self._init_view(locals(), (bp.PlotLegend, plot_legend), (bp.PlotBackground, background))


class DataframeView(_ConcreteView):
    """The data as a table."""

    CLASS_IDENTIFIER = "Dataframe"

    def __init__(self, *, origin: Any = "/", contents: Any = "$origin/**", name: str | None = None,
                 visible: bool | None = None, titlebar: bool | None = None, defaults: Defaults = None,
                 overrides: Overrides = None, query: Any = None) -> None:  # fmt: skip
        self._init_view(locals(), (bp.DataframeQuery, query))


class GraphView(_ConcreteView):
    """Graphs of nodes and edges, laid out by forces."""

    CLASS_IDENTIFIER = "Graph"

    def __init__(self, *, origin: Any = "/", contents: Any = "$origin/**", name: str | None = None,
                 visible: bool | None = None, titlebar: bool | None = None, defaults: Defaults = None,
                 overrides: Overrides = None, background: Any = None, visual_bounds: Any = None,
                 force_link: Any = None, force_many_body: Any = None, force_position: Any = None,
                 force_collision_radius: Any = None, force_center: Any = None) -> None:  # fmt: skip
        properties = (
            (bp.GraphBackground, background), (bp.VisualBounds2D, visual_bounds), (bp.ForceLink, force_link),
            (bp.ForceManyBody, force_many_body), (bp.ForcePosition, force_position),
            (bp.ForceCollisionRadius, force_collision_radius), (bp.ForceCenter, force_center),
        )  # fmt: skip
        self._init_view(locals(), *properties)


class MapView(_ConcreteView):
    """Geospatial data on a map."""

    CLASS_IDENTIFIER = "Map"

    def __init__(self, *, origin: Any = "/", contents: Any = "$origin/**", name: str | None = None,
                 visible: bool | None = None, titlebar: bool | None = None, defaults: Defaults = None,
                 overrides: Overrides = None, zoom: Any = None, background: Any = None) -> None:  # fmt: skip
        self._init_view(locals(), (bp.MapZoom, zoom), (bp.MapBackground, background))


class Spatial2DView(_ConcreteView):
    """2D space: images, points, boxes and lines."""

    CLASS_IDENTIFIER = "2D"

    def __init__(self, *, origin: Any = "/", contents: Any = "$origin/**", name: str | None = None,
                 visible: bool | None = None, titlebar: bool | None = None, defaults: Defaults = None,
                 overrides: Overrides = None, background: Any = None, visual_bounds: Any = None,
                 spatial_information: Any = None, time_ranges: Any = None) -> None:  # fmt: skip
        properties = (
            (bp.Background, background), (bp.VisualBounds2D, visual_bounds),
            (bp.SpatialInformation, spatial_information), (bp.VisibleTimeRanges, time_ranges),
        )  # fmt: skip
        self._init_view(locals(), *properties)


class Spatial3DView(_ConcreteView):
    """3D space: points, meshes, transforms and cameras."""

    CLASS_IDENTIFIER = "3D"

    def __init__(self, *, origin: Any = "/", contents: Any = "$origin/**", name: str | None = None,
                 visible: bool | None = None, titlebar: bool | None = None, defaults: Defaults = None,
                 overrides: Overrides = None, background: Any = None, line_grid: Any = None,
                 spatial_information: Any = None, eye_controls: Any = None, time_ranges: Any = None) -> None:  # fmt: skip
        properties = (
            (bp.Background, background), (bp.LineGrid3D, line_grid), (bp.SpatialInformation, spatial_information),
            (bp.EyeControls3D, eye_controls), (bp.VisibleTimeRanges, time_ranges),
        )  # fmt: skip
        self._init_view(locals(), *properties)


class StateTimelineView(_ConcreteView):
    """States over time, as colored bands."""

    CLASS_IDENTIFIER = "StateTimeline"

    def __init__(self, *, origin: Any = "/", contents: Any = "$origin/**", name: str | None = None,
                 visible: bool | None = None, titlebar: bool | None = None, defaults: Defaults = None,
                 overrides: Overrides = None, time_view: Any = None, time_ranges: Any = None) -> None:  # fmt: skip
        self._init_view(locals(), (bp.TimeAxis, time_view), (bp.VisibleTimeRanges, time_ranges))


class TensorView(_ConcreteView):
    """Slices of n-dimensional tensors."""

    CLASS_IDENTIFIER = "Tensor"

    def __init__(self, *, origin: Any = "/", contents: Any = "$origin/**", name: str | None = None,
                 visible: bool | None = None, titlebar: bool | None = None, defaults: Defaults = None,
                 overrides: Overrides = None, slice_selection: Any = None, scalar_mapping: Any = None,
                 view_fit: Any = None) -> None:  # fmt: skip
        properties = (
            (bp.TensorSliceSelection, slice_selection), (bp.TensorScalarMapping, scalar_mapping),
            (bp.TensorViewFit, view_fit),
        )  # fmt: skip
        self._init_view(locals(), *properties)


class TextDocumentView(_ConcreteView):
    """A text document (plain text or markdown)."""

    CLASS_IDENTIFIER = "TextDocument"

    def __init__(self, *, origin: Any = "/", contents: Any = "$origin/**", name: str | None = None,
                 visible: bool | None = None, titlebar: bool | None = None, defaults: Defaults = None,
                 overrides: Overrides = None, format_options: Any = None) -> None:  # fmt: skip
        self._init_view(locals(), (bp.TextDocumentFormat, format_options))


class TextLogView(_ConcreteView):
    """Text log entries as a filterable table."""

    CLASS_IDENTIFIER = "TextLog"

    def __init__(self, *, origin: Any = "/", contents: Any = "$origin/**", name: str | None = None,
                 visible: bool | None = None, titlebar: bool | None = None, defaults: Defaults = None,
                 overrides: Overrides = None, columns: Any = None, rows: Any = None,
                 format_options: Any = None) -> None:  # fmt: skip
        properties = (
            (bp.TextLogColumns, columns), (bp.TextLogRows, rows), (bp.TextLogFormat, format_options),
        )  # fmt: skip
        self._init_view(locals(), *properties)


class TimeSeriesView(_ConcreteView):
    """Scalars plotted over time."""

    CLASS_IDENTIFIER = "TimeSeries"

    def __init__(self, *, origin: Any = "/", contents: Any = "$origin/**", name: str | None = None,
                 visible: bool | None = None, titlebar: bool | None = None, defaults: Defaults = None,
                 overrides: Overrides = None, axis_x: Any = None, axis_y: Any = None, plot_legend: Any = None,
                 background: Any = None, interaction: Any = None, time_ranges: Any = None) -> None:  # fmt: skip
        properties = (
            (bp.TimeAxis, axis_x), (bp.ScalarAxis, axis_y), (bp.PlotLegend, plot_legend),
            (bp.PlotBackground, background), (bp.PlotInteraction, interaction), (bp.VisibleTimeRanges, time_ranges),
        )  # fmt: skip
        self._init_view(locals(), *properties)
