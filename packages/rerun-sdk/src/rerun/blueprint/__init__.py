"""Blueprints (``import rerun.blueprint as rrb``): how the viewer lays out and configures its views.

A blueprint is data too: ``Blueprint.save`` writes it as an ``.rbl`` file and ``rr.send_blueprint``
sends it next to a recording, as a store of its own that 0.41 viewers read.
"""

from __future__ import annotations

from rerun.blueprint import archetypes, components, encodings
from rerun.blueprint._api import Blueprint, BlueprintLike, BlueprintPart
from rerun.blueprint._containers import Container, ContainerLike, Grid, Horizontal, Tabs, Vertical
from rerun.blueprint._panels import (
    BlueprintPanel,
    PanelState,
    PanelStateLike,
    SelectionPanel,
    TimePanel,
    TopPanel,
)
from rerun.blueprint._time_range import TimeRange, TimeRangeBoundary, VisibleTimeRange
from rerun.blueprint._view import View
from rerun.blueprint._views import (
    AudioView,
    BarChartView,
    DataframeView,
    GraphView,
    MapView,
    Spatial2DView,
    Spatial3DView,
    StateTimelineView,
    TensorView,
    TextDocumentView,
    TextLogView,
    TimeSeriesView,
)
from rerun.blueprint._visualizers import VisualizableArchetype, Visualizer
from rerun.blueprint.archetypes import (
    ActiveVisualizers,
    AudioPlayback,
    Background,
    EntityBehavior,
    EyeControls3D,
    LineGrid3D,
    PlotInteraction,
    PlotLegend,
    ScalarAxis,
    SpatialInformation,
    TensorScalarMapping,
    TensorSliceSelection,
    TextLogColumns,
    TextLogFormat,
    TextLogRows,
    TimeAxis,
    VisibleTimeRanges,
    VisualBounds2D,
)
from rerun.blueprint.components import BackgroundKind, Corner2D, Eye3DKind, LockRangeDuringZoom, MapProvider

__all__ = [
    "ActiveVisualizers",
    "AudioPlayback",
    "AudioView",
    "Background",
    "BackgroundKind",
    "BarChartView",
    "Blueprint",
    "BlueprintLike",
    "BlueprintPanel",
    "BlueprintPart",
    "Container",
    "ContainerLike",
    "Corner2D",
    "DataframeView",
    "EntityBehavior",
    "Eye3DKind",
    "EyeControls3D",
    "GraphView",
    "Grid",
    "Horizontal",
    "LineGrid3D",
    "LockRangeDuringZoom",
    "MapProvider",
    "MapView",
    "PanelState",
    "PanelStateLike",
    "PlotInteraction",
    "PlotLegend",
    "ScalarAxis",
    "SelectionPanel",
    "Spatial2DView",
    "Spatial3DView",
    "SpatialInformation",
    "StateTimelineView",
    "Tabs",
    "TensorScalarMapping",
    "TensorSliceSelection",
    "TensorView",
    "TextDocumentView",
    "TextLogColumns",
    "TextLogFormat",
    "TextLogRows",
    "TextLogView",
    "TimeAxis",
    "TimePanel",
    "TimeRange",
    "TimeRangeBoundary",
    "TimeSeriesView",
    "TopPanel",
    "Vertical",
    "View",
    "VisibleTimeRange",
    "VisibleTimeRanges",
    "VisualBounds2D",
    "VisualizableArchetype",
    "Visualizer",
    "archetypes",
    "components",
    "encodings",
]
