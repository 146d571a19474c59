"""Our blueprints against the reference 0.41: the same builder calls must write the same blueprint store.

Ids are random on both sides, so every uuid is renamed by where it sits in the layout (``root``,
``root.1``, ... from the viewport's root container down; visualizer ids by their position in the
entity's active-visualizer list) and rows are compared as a multiset, with values, Arrow types and
union members.
"""

from __future__ import annotations

import re
import sys
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

import rerun as rr
import rerun.blueprint as rrb
from _support import run_reference
from rerun_core import ArrowMsg, BlueprintActivationCommand, SetStoreInfo
from rerun_core.rrd import read_rrd

pytestmark = pytest.mark.reference

UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ROOT_CONTAINER = "ViewportBlueprint:root_container"

FIXTURE_LAYOUT = """rrb.Blueprint(
    rrb.Horizontal(
        rrb.Spatial3DView(origin="/world", name="3D"),
        rrb.Vertical(rrb.TimeSeriesView(origin="/plots", name="Plots"), rrb.TextLogView(origin="/logs", name="Logs"),
                     row_shares=[2, 1]),
        column_shares=[3, 2],
    ),
    rrb.BlueprintPanel(state="collapsed"),
    rrb.TimePanel(timeline="step"),
)"""

PROPERTIES = """rrb.Blueprint(
    rrb.Tabs(
        rrb.Spatial3DView(origin="/world", name="3D", background=[10, 20, 30],
            line_grid=rrb.LineGrid3D(visible=True, spacing=0.5),
            eye_controls=rrb.EyeControls3D(kind=rrb.Eye3DKind.Orbital, speed=2.0),
            time_ranges=rrb.VisibleTimeRange("step", start=rrb.TimeRangeBoundary.cursor_relative(seq=-10),
                                             end=rrb.TimeRangeBoundary.infinite()),
            defaults=[rr.Points3D.from_fields(radii=0.1)],
            overrides={"/world/points": [rr.Points3D.from_fields(colors=[255, 0, 0])],
                       "/world/hidden": rrb.EntityBehavior(visible=False)}),
        rrb.TimeSeriesView(origin="/plots", name="TS", axis_y=rrb.ScalarAxis(range=(-1.0, 1.0), zoom_lock=True),
            plot_legend=rrb.Corner2D.LeftTop, axis_x=rrb.TimeAxis(link=rrb.components.LinkAxis.LinkToGlobal),
            time_ranges=[
                rrb.VisibleTimeRange("step", start=rrb.TimeRangeBoundary.absolute(seq=5),
                                     end=rrb.TimeRangeBoundary.cursor_relative()),
                rrb.VisibleTimeRange("time", range=rrb.TimeRange(rrb.TimeRangeBoundary.cursor_relative(seconds=-1.5),
                                                                 rrb.TimeRangeBoundary.absolute(nanos=7))),
            ],
            overrides={"/plots/sin": rr.SeriesLines.from_fields(colors=[0, 255, 0], widths=2.0)}),
        rrb.Spatial2DView(origin="/img", visual_bounds=rrb.VisualBounds2D(x_range=[0, 64], y_range=[0, 48]),
                          background=rrb.BackgroundKind.GradientBright),
        rrb.TextDocumentView(origin="/readme", visible=False, titlebar=False),
        rrb.BarChartView(origin="/bars", plot_legend=rrb.PlotLegend(visible=False)),
        rrb.MapView(origin="/map", zoom=12.0, background=rrb.MapProvider.OpenStreetMap),
        rrb.TensorView(origin="/t", view_fit="Fill"),
        rrb.GraphView(origin="/g", force_link=rrb.archetypes.ForceLink(enabled=True, distance=10.0)),
        rrb.DataframeView(origin="/", query=rrb.archetypes.DataframeQuery(timeline="step")),
        rrb.TextLogView(origin="/logs", contents=["+ /logs/**", "- /logs/debug"]),
        rrb.AudioView(origin="/audio"),
        rrb.StateTimelineView(origin="/state"),
        active_tab=1,
        name="Tabs!",
    ),
    rrb.TopPanel(state="hidden"), rrb.SelectionPanel(expanded=True),
    rrb.TimePanel(state="expanded", timeline="step", playback_speed=2.0, fps=30.0, play_state="paused", loop_mode="all"),
    auto_layout=False, auto_views=True, collapse_panels=True,
)"""

CASES = {
    "fixture_layout": FIXTURE_LAYOUT,
    "properties": PROPERTIES,
    "unnamed_views_pick_the_active_tab": """rrb.Blueprint(rrb.Horizontal(
        rrb.Spatial3DView(origin="/world"),
        rrb.Vertical(rrb.TimeSeriesView(origin="/plots"), rrb.TextLogView(origin="/logs"), row_shares=[2, 1]),
        column_shares=[3, 2]))""",
    "no_layout": "rrb.Blueprint(rrb.TimePanel(), rrb.BlueprintPanel())",
    "collapse_panels": "rrb.Blueprint(rrb.Spatial2DView(name='a'), rrb.Spatial2DView(), collapse_panels=True)",
    "grid_and_tabs": """rrb.Blueprint(
        rrb.Grid(rrb.TensorView(), rrb.Tabs(rrb.TextLogView(name="x"), rrb.TextLogView(name="y"), active_tab="y"),
                 grid_columns=2, column_shares=[1, 2], row_shares=[3], visible=True, name="grid"),
        auto_layout=False, auto_views=False)""",
    "lone_view": "rrb.TimeSeriesView(origin='/plots', name='only')",
    "container_kind": "rrb.Container(rrb.TextLogView(name='a'), kind='vertical', name='c')",
    "relative_paths_and_empty_containers": """rrb.Blueprint(
        rrb.Horizontal(rrb.Spatial3DView(origin="world", contents="world/**", name="w",
                                         overrides={"world/points": rrb.EntityBehavior(interactive=False)}),
                       rrb.Vertical(), column_shares=(1, 2)),
        rrb.Tabs(name="empty tabs"))""",
    "explicit_visualizers": """rrb.Spatial3DView(name="v", overrides={"/a": [
        rrb.Visualizer("Points3D", overrides=rr.Points3D.from_fields(radii=2.0).as_component_batches()),
        rrb.Visualizer("Boxes3D")]})""",
    "contents_archetype": """rrb.TextLogView(name="v", contents=rrb.archetypes.ViewContents(["/a/**", "- /a/b"]))""",
}  # fmt: skip

RECORDING_SCRIPT = """
import os, sys
os.environ["RERUN_FLUSH_TICK_SECS"] = "1000"  # no timed flushes: the recording's rows make one chunk
import rerun as rr, rerun.blueprint as rrb
rr.init("rec_app", recording_id="r1")
rr.save(sys.argv[1], default_blueprint=rrb.Blueprint(rrb.TextLogView(origin="/logs", name="L")))
rr.log("x", rr.TextLog("hi"))
rr.send_blueprint(rrb.Spatial2DView(origin="/img"), make_active=True, make_default=False)
rr.log("x", rr.TextLog("hi2"))
"""


def python_values(array: pa.Array) -> list[Any]:
    """Like ``to_pylist``, but each dense-union value says which member it is."""
    if pa.types.is_union(array.type):
        codes = list(array.type.type_codes)
        values = []
        for i in range(len(array)):
            index = codes.index(array.type_codes[i].as_py())
            member = array.field(index).slice(array.offsets[i].as_py(), 1)
            values.append((array.type[index].name, python_values(member)[0]))
        return values
    if pa.types.is_struct(array.type):
        fields = {f.name: python_values(array.field(i)) for i, f in enumerate(array.type)}
        return [
            {k: v[i] for k, v in fields.items()} if array[i].is_valid else None for i in range(len(array))
        ]
    if pa.types.is_list(array.type) or pa.types.is_fixed_size_list(array.type):
        flat, start, rows = python_values(array.flatten()), 0, []
        for i in range(len(array)):
            size = len(array[i].values) if array[i].is_valid else 0
            rows.append(flat[start : start + size] if array[i].is_valid else None)
            start += size
        return rows
    return array.to_pylist()


def decode(path: Path) -> tuple[list[tuple[Any, ...]], list[dict[str, Any]]]:
    """The messages in brief, and every row of every chunk (``log_time`` values left out)."""
    messages: list[tuple[Any, ...]] = []
    rows: list[dict[str, Any]] = []
    stores: dict[str, int] = {}  # store ids are random too: numbered in order of appearance
    for msg in read_rrd(path):
        if isinstance(msg, SetStoreInfo):
            store = stores.setdefault(msg.store_id.recording_id, len(stores))
            messages.append(("store_info", store, msg.store_id.kind.name, msg.store_id.application_id))
        elif isinstance(msg, BlueprintActivationCommand):
            store = stores[msg.blueprint_id.recording_id]
            messages.append(("activate", store, msg.make_active, msg.make_default))
        elif isinstance(msg, ArrowMsg):
            messages.append(("chunk", stores[msg.store_id.recording_id]))
            rows += _rows(msg.chunk, stores[msg.store_id.recording_id])
    return messages, rows


def _rows(chunk: Any, store: int) -> list[dict[str, Any]]:
    times = {name: chunk.index_column(name).cast(pa.int64()).to_pylist() for name in chunk.timelines}
    columns = {
        (d.component, d.archetype, d.component_type, str(a.type)): python_values(a)
        for d, a in chunk.components.items()
    }
    return [
        {
            "store": store,
            "entity": chunk.entity_path,
            "times": tuple(sorted((k, "now" if k == "log_time" else v[r]) for k, v in times.items())),
            "components": {k: v[r] for k, v in columns.items() if v[r] is not None},
        }
        for r in range(chunk.num_rows)
    ]


def structural_names(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Each uuid named by its place: containers and views by path from the root, visualizers by index."""
    by_entity: dict[str, dict[tuple[str, ...], Any]] = {}
    for row in rows:
        by_entity.setdefault(row["entity"], {}).update(row["components"])
    names: dict[str, str] = {}
    for key, value in by_entity.get("/viewport", {}).items():
        if key[0] == ROOT_CONTAINER:
            _name_tree(by_entity, str(uuid.UUID(bytes=bytes(value[0]))), "root", names)
    for components in by_entity.values():
        for key, value in components.items():
            if key[0] == "ActiveVisualizers:instruction_ids":
                names.update(
                    (str(uuid.UUID(bytes=bytes(raw))), f"visualizer{i}") for i, raw in enumerate(value)
                )
    return names


def _name_tree(by_entity: dict[str, Any], ident: str, name: str, names: dict[str, str]) -> None:
    names[ident] = name
    for key, value in by_entity.get(f"/container/{ident}", {}).items():
        if key[0] == "ContainerBlueprint:contents":
            for i, child in enumerate(value):
                _name_tree(by_entity, child.split("/", 1)[1], f"{name}.{i}", names)


def _renamed(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return UUID_TEXT.sub(lambda m: names.get(m.group(0), "<unplaced uuid>"), value)
    if isinstance(value, list) and len(value) == 16 and all(isinstance(b, int) for b in value):
        return names.get(str(uuid.UUID(bytes=bytes(value))), value)
    if isinstance(value, list | tuple):
        return type(value)(_renamed(v, names) for v in value)
    if isinstance(value, dict):
        return {k: _renamed(v, names) for k, v in value.items()}
    return value


def normalised_rows(rows: list[dict[str, Any]]) -> Counter[tuple[Any, ...]]:
    """The rows with their uuids renamed, store by store."""
    result: Counter[tuple[Any, ...]] = Counter()
    for store in {row["store"] for row in rows}:
        store_rows = [row for row in rows if row["store"] == store]
        names = structural_names(store_rows)
        result.update(
            (
                store,
                _renamed(row["entity"], names),
                row["times"],
                tuple(sorted((key, repr(_renamed(v, names))) for key, v in row["components"].items())),
            )
            for row in store_rows
        )
    return result


def messages_by_store(messages: list[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    result: dict[int, list[tuple[Any, ...]]] = {}
    for message in messages:
        result.setdefault(message[1], []).append(message)
    return result


def save_ours(tmp_path: Path) -> Path:
    out = tmp_path / "ours"
    out.mkdir()
    for name, source in CASES.items():
        eval(source, {"rr": rr, "rrb": rrb}).to_blueprint().save("app", out / f"{name}.rbl")
    return out


def save_reference(reference_python: Path, tmp_path: Path) -> Path:
    out = tmp_path / "reference"
    out.mkdir()
    script = tmp_path / "reference_blueprints.py"
    script.write_text(
        "import sys\nimport rerun as rr, rerun.blueprint as rrb\n"
        f"CASES = {CASES!r}\n"
        "for name, source in CASES.items():\n"
        "    eval(source).to_blueprint().save('app', f'{sys.argv[1]}/{name}.rbl')\n"
    )
    result = run_reference(reference_python, script, out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def saved(reference_python: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp_path = tmp_path_factory.mktemp("blueprints")
    return save_ours(tmp_path), save_reference(reference_python, tmp_path)


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_blueprint_store(saved: tuple[Path, Path], case: str) -> None:
    ours, reference = (decode(folder / f"{case}.rbl") for folder in saved)
    assert ours[0] == reference[0]
    assert normalised_rows(ours[1]) == normalised_rows(reference[1])


def test_fixture_layout_matches_the_stored_fixture(saved: tuple[Path, Path], fixtures_dir: Path) -> None:
    """The committed fixture names its views; the same calls with ours give the same store."""
    ours = decode(saved[0] / "fixture_layout.rbl")
    fixture = decode(fixtures_dir / "blueprint.rbl")
    assert [m[:3] for m in ours[0]] == [m[:3] for m in fixture[0]]
    assert normalised_rows(ours[1]) == normalised_rows(fixture[1])


def test_reference_verifies_ours(saved: tuple[Path, Path], reference_rerun: Path) -> None:
    files = sorted(saved[0].glob("*.rbl"))
    result = run_reference(reference_rerun, "rrd", "verify", *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_default_and_sent_blueprints_sit_where_the_reference_puts_them(
    reference_python: Path, reference_rerun: Path, tmp_path: Path
) -> None:
    """``save(default_blueprint=)`` writes it before the recording; ``send_blueprint`` goes straight out."""
    script = tmp_path / "recording.py"
    script.write_text(RECORDING_SCRIPT)
    outputs = {}
    for side, python in (("ours", Path(sys.executable)), ("reference", reference_python)):
        outputs[side] = tmp_path / f"{side}.rrd"
        result = run_reference(python, script, outputs[side])
        assert result.returncode == 0, result.stderr
    ours, reference = decode(outputs["ours"]), decode(outputs["reference"])
    # The reference interleaves a sent blueprint with the recording's last flush at random, so
    # messages are compared store by store, plus the one ordering it always keeps.
    assert messages_by_store(ours[0]) == messages_by_store(reference[0])
    for messages, _ in (ours, reference):
        stores = [m[1] for m in messages]
        assert max(i for i, s in enumerate(stores) if s == 0) < stores.index(1)  # default blueprint first
    assert normalised_rows([r for r in ours[1] if r["entity"] != "/__properties"]) == normalised_rows(
        [r for r in reference[1] if r["entity"] != "/__properties"]
    )
    verified = run_reference(reference_rerun, "rrd", "verify", outputs["ours"])
    assert verified.returncode == 0, verified.stdout + verified.stderr
