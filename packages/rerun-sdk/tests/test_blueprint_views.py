"""Views: their classes, properties, defaults and visualizer overrides; time ranges; the ``rrb`` namespaces."""

from __future__ import annotations

import enum
import uuid
from typing import Any

import pyarrow as pa
import pytest

import rerun as rr
import rerun.blueprint as rrb
from rerun._generated import components as generated_components
from rerun.blueprint._api import blueprint_messages
from rerun_core import ArrowMsg

VIEW_CLASSES = {
    rrb.AudioView: "Audio", rrb.BarChartView: "BarChart", rrb.DataframeView: "Dataframe", rrb.GraphView: "Graph",
    rrb.MapView: "Map", rrb.Spatial2DView: "2D", rrb.Spatial3DView: "3D", rrb.StateTimelineView: "StateTimeline",
    rrb.TensorView: "Tensor", rrb.TextDocumentView: "TextDocument", rrb.TextLogView: "TextLog",
    rrb.TimeSeriesView: "TimeSeries",
}  # fmt: skip


def view_entities(view: rrb.View) -> dict[str, list[dict[str, Any]]]:
    """The view's entities (paths relative to the view), each with its rows as component -> value."""
    result: dict[str, list[dict[str, Any]]] = {}
    prefix = f"/{view.blueprint_path()}"
    for msg in blueprint_messages(view, "app", True, True):
        if isinstance(msg, ArrowMsg) and msg.chunk.entity_path.startswith(prefix):
            chunk = msg.chunk
            columns = {d.component: a.to_pylist() for d, a in chunk.components.items()}
            rows = [{k: v[r] for k, v in columns.items()} for r in range(chunk.num_rows)]
            result.setdefault(chunk.entity_path.removeprefix(prefix), []).extend(rows)
    return result


@pytest.mark.parametrize("view_type", list(VIEW_CLASSES), ids=lambda t: t.__name__)
def test_view_class_origin_and_contents(view_type: type[rrb.View]) -> None:
    written = view_entities(view_type())
    assert written[""] == [
        {"ViewBlueprint:class_identifier": [VIEW_CLASSES[view_type]], "ViewBlueprint:space_origin": ["/"]}
    ]
    assert written["/ViewContents"] == [{"ViewContents:query": ["$origin/**"]}]


def test_view_name_visibility_titlebar_and_queries() -> None:
    view = rrb.TextLogView(origin="/logs", contents=["+ /logs/**", "- /logs/debug"], name="Logs", visible=False,
                           titlebar=False)  # fmt: skip
    written = view_entities(view)
    assert written[""][0]["ViewBlueprint:display_name"] == ["Logs"]
    assert written[""][0]["ViewBlueprint:visible"] == [False]
    assert written[""][0]["ViewBlueprint:titlebar"] == [False]
    assert written["/ViewContents"] == [{"ViewContents:query": ["+ /logs/**", "- /logs/debug"]}]


def test_properties_from_archetypes_or_plain_values() -> None:
    view = rrb.Spatial3DView(
        background=[10, 20, 30], line_grid=False, eye_controls=rrb.EyeControls3D(speed=2.0)
    )
    written = view_entities(view)
    assert written["/Background"] == [{"Background:kind": [3], "Background:color": [0x0A141EFF]}]
    assert written["/LineGrid3D"] == [{"LineGrid3D:visible": [False]}]
    assert written["/EyeControls3D"] == [{"EyeControls3D:speed": [2.0]}]
    plots = view_entities(
        rrb.TimeSeriesView(plot_legend=rrb.Corner2D.LeftTop, axis_y=rrb.ScalarAxis(range=(0, 1)))
    )
    assert plots["/PlotLegend"] == [{"PlotLegend:corner": [1]}]
    assert plots["/ScalarAxis"] == [{"ScalarAxis:range": [[0.0, 1.0]]}]
    assert view_entities(rrb.MapView(zoom=3.0))["/MapZoom"] == [{"MapZoom:zoom": [3.0]}]
    assert view_entities(rrb.TensorView(view_fit="Fill"))["/TensorViewFit"] == [
        {"TensorViewFit:scaling": [2]}
    ]


def test_defaults_are_archetypes_or_described_batches() -> None:
    batch = rr.Points3D.from_fields(colors=[1, 2, 3]).as_component_batches()[0]
    view = rrb.Spatial3DView(defaults=[rr.Points3D.from_fields(radii=0.5), batch])
    rows = view_entities(view)["/defaults"]
    assert {"Points3D:radii": [0.5]} in rows and {"Points3D:colors": [0x010203FF]} in rows
    with pytest.raises(ValueError, match="neither a component nor a component batch"):
        view_entities(rrb.Spatial3DView(defaults=[42]))


def test_overrides_become_visualizer_instructions() -> None:
    view = rrb.TimeSeriesView(
        overrides={
            "/plots/sin": [rr.SeriesLines.from_fields(widths=2.0), rrb.Visualizer("SeriesPoints")],
            "plots/hidden": rrb.EntityBehavior(visible=False),
        }
    )
    written = view_entities(view)
    base = "/ViewContents/overrides/plots/sin/visualizers"
    (active,) = written[base]
    ids = [uuid.UUID(bytes=bytes(raw)) for raw in active["ActiveVisualizers:instruction_ids"]]
    lines, points = (written[f"{base}/{i}"] for i in ids)
    assert {"VisualizerInstruction:visualizer_type": ["SeriesLines"]} in lines
    assert {"SeriesLines:widths": [2.0]} in lines
    assert points == [{"VisualizerInstruction:visualizer_type": ["SeriesPoints"]}]
    hidden = "/ViewContents/overrides/plots/hidden/visualizers"
    assert written[hidden] == [{"EntityBehavior:visible": [False]}]


def test_archetypes_stand_for_their_visualizer() -> None:
    for archetype, visualizer in ((rr.LineStrips3D.from_fields(radii=1.0), "Lines3D"),
                                  (rr.Pinhole.from_fields(image_plane_distance=1.0), "Cameras")):  # fmt: skip
        written = view_entities(rrb.Spatial3DView(overrides={"/x": archetype}))
        types = [
            row.get("VisualizerInstruction:visualizer_type") for rows in written.values() for row in rows
        ]
        assert [visualizer] in types


def union_members(array: pa.Array) -> list[tuple[str, Any]]:
    codes = list(array.type.type_codes)
    members = []
    for i in range(len(array)):
        index = codes.index(array.type_codes[i].as_py())
        members.append((array.type[index].name, array.field(index)[array.offsets[i].as_py()].as_py()))
    return members


def test_visible_time_ranges_keep_their_boundary_kinds() -> None:
    ranges = rrb.VisibleTimeRanges([
        rrb.VisibleTimeRange("step", start=rrb.TimeRangeBoundary.cursor_relative(seq=-10),
                             end=rrb.TimeRangeBoundary.infinite()),
        rrb.VisibleTimeRange("time", rrb.TimeRange(rrb.TimeRangeBoundary.absolute(seconds=1.5),
                                                   rrb.TimeRangeBoundary.cursor_relative())),
    ])  # fmt: skip
    (batch,) = ranges.as_component_batches()
    array = batch.as_arrow_array()
    assert array.field("timeline").to_pylist() == ["step", "time"]
    assert union_members(array.field("range").field("start")) == [
        ("CursorRelative", -10),
        ("Absolute", 1_500_000_000),
    ]
    assert union_members(array.field("range").field("end")) == [("Infinite", None), ("CursorRelative", 0)]


def test_view_time_ranges_accept_one_range() -> None:
    one = rrb.VisibleTimeRange(
        "step", start=rrb.TimeRangeBoundary.absolute(seq=1), end=rrb.TimeRangeBoundary.absolute(seq=2)
    )
    (row,) = view_entities(rrb.Spatial2DView(time_ranges=one))["/VisibleTimeRanges"]
    assert row["VisibleTimeRanges:ranges"] == [{"timeline": "step", "range": {"start": 1, "end": 2}}]


def test_time_range_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="both start & end"):
        rrb.VisibleTimeRange("step", start=rrb.TimeRangeBoundary.infinite())
    with pytest.raises(ValueError, match="not both"):
        rrb.VisibleTimeRange("step", rrb.TimeRange(rrb.TimeRangeBoundary.infinite(), rrb.TimeRangeBoundary.infinite()),
                             start=rrb.TimeRangeBoundary.infinite())  # fmt: skip
    with pytest.raises(ValueError, match="Only one of"):
        rrb.TimeRangeBoundary.cursor_relative(seq=1, nanos=2)
    assert rrb.TimeRangeBoundary.cursor_relative(nanos=5).as_arrow_value() == {"CursorRelative": 5}


def test_namespaces_expose_the_generated_blueprint_types() -> None:
    archetypes = [n for n in rrb.archetypes.__all__ if isinstance(getattr(rrb.archetypes, n), type)]
    assert len(archetypes) == 44
    assert issubclass(rrb.components.PanelState, enum.Enum)
    assert rrb.components.PanelState is rrb.PanelState
    assert rrb.components.PanelStateBatch is generated_components.BlueprintPanelStateBatch
    assert rrb.components.ViewClass is generated_components.BlueprintViewClass
    assert not [n for n in rrb.components.__all__ if n.startswith("Blueprint")]


def test_public_names() -> None:
    assert all(hasattr(rrb, name) for name in rrb.__all__)
    assert rr.blueprint is rrb
    assert "send_blueprint" in rr.__all__ and "blueprint" in rr.__all__
