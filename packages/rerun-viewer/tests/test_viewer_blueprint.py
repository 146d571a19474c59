"""Blueprints in the viewer: .rbl files and blueprints sent by SDKs become the layout of views.

The blueprints are logged with our SDK's ``rerun.blueprint`` (and, for the cross-checks, with the
reference 0.41 SDK); the reference viewer's headless screenshots of the same files give the expected
geometry.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from _viewer_support import compare_with_golden, fixture, reference_screenshot, require_gpu

import rerun as rr
import rerun.blueprint as rrb
from rerun_viewer import Viewer, load_recordings
from rerun_viewer._blueprint import (
    BlueprintContainer,
    BlueprintView,
    ContainerKind,
    PanelState,
    active_blueprint,
    parse_blueprint,
)
from rerun_viewer._blueprint_layout import Leaf, Split, arrange, weighted
from rerun_viewer._recording import Recording, RecordingSet, load_file
from rerun_viewer._registry import ViewKind
from rerun_viewer._theme import THEME
from rerun_viewer._ui import Rect
from rerun_viewer._view_properties import ViewProperties
from rerun_viewer._viewport import Viewport, viewport_for

pytestmark = pytest.mark.timeout(180)

APP = "bp_test"
REFERENCE_VENV = Path(__file__).resolve().parents[3] / ".venv-ref"
WIDTH, HEIGHT = 1280, 720
RED, GREEN = (255, 0, 0), (0, 255, 0)


def _log_data(rec: rr.RecordingStream) -> None:
    """Red points to show, green ones a view excludes, a sine, a few log lines."""
    for step in range(100):
        rec.set_time("step", sequence=step)
        rec.log("plots/sin", rr.Scalars(np.sin(step / 10)))
        if step % 10 == 0:
            rec.log("logs", rr.TextLog(f"message {step}", level="INFO"))
    rec.log("world/points", rr.Points3D([[0, 0, 0], [1, 0, 0]], colors=[RED], radii=0.1), static=True)
    rec.log("world/excluded", rr.Points3D([[0, 1, 0], [1, 1, 0]], colors=[GREEN], radii=0.1), static=True)


def _layout_blueprint() -> rrb.Blueprint:
    """Horizontal(3D, Vertical(time series, text log)) with shares; the 3D view leaves one entity out."""
    return rrb.Blueprint(
        rrb.Horizontal(
            rrb.Spatial3DView(origin="/world", contents=["+ $origin/**", "- /world/excluded"], name="World"),
            rrb.Vertical(
                rrb.TimeSeriesView(origin="/plots", name="Plots"),
                rrb.TextLogView(origin="/logs", name="Logs"),
                row_shares=[2, 1],
            ),
            column_shares=[3, 2],
        ),
        collapse_panels=True,
    )


def _save(tmp_path: Path, blueprint: rrb.Blueprint | None, name: str = "data.rrd") -> Path:
    """Data and (sent like ``rr.send_blueprint`` does) a blueprint, in one file."""
    path = tmp_path / name
    rec = rr.RecordingStream(APP, recording_id="bp_data")
    rec.save(str(path))
    _log_data(rec)
    if blueprint is not None:
        rec.send_blueprint(blueprint)
    rec.disconnect()
    return path


def _data(recordings: list[Recording]) -> Recording:
    return next(r for r in recordings if not r.is_blueprint)


def _viewport(*paths: Path) -> Viewport:
    recordings = load_recordings(paths)
    recording = _data(recordings)
    return viewport_for(recording.store, active_blueprint(recordings, recording))


# -- reading blueprints ----------------------------------------------------------------------------------


def test_reference_rbl_fixture_parses_into_its_tree() -> None:
    recordings = load_recordings([fixture("blueprint.rbl")])
    assert [r.is_blueprint for r in recordings] == [True]
    blueprint = parse_blueprint(recordings[0].store)
    root = blueprint.root
    assert root is not None and root.kind == ContainerKind.HORIZONTAL and root.col_shares == (3.0, 2.0)
    world, right = root.contents
    assert isinstance(world, BlueprintView) and isinstance(right, BlueprintContainer)
    assert (world.class_identifier, world.name, world.origin, world.query) == (
        "3D",
        "3D",
        "/world",
        ("$origin/**",),
    )
    assert right.kind == ContainerKind.VERTICAL and right.row_shares == (2.0, 1.0)
    assert [
        (v.class_identifier, v.name, v.origin) for v in right.contents if isinstance(v, BlueprintView)
    ] == [
        ("TimeSeries", "Plots", "/plots"),
        ("TextLog", "Logs", "/logs"),
    ]
    assert blueprint.panel("blueprint_panel") == PanelState.COLLAPSED
    assert blueprint.panel("time_panel") == PanelState.EXPANDED
    assert blueprint.timeline == "step"
    assert not blueprint.auto_views and not blueprint.auto_layout


def test_bad_panel_name_is_named() -> None:
    blueprint = parse_blueprint(load_recordings([fixture("blueprint.rbl")])[0].store)
    with pytest.raises(ValueError, match="'left_panel'"):
        blueprint.panel("left_panel")


def test_view_query_resolves_origin_and_excludes(tmp_path: Path) -> None:
    viewport = _viewport(_save(tmp_path, _layout_blueprint()))
    assert [(v.kind, v.title, v.origin, v.entities) for v in viewport.views] == [
        (ViewKind.SPATIAL_3D, "World", "/world", ("/world/points",)),
        (ViewKind.TIME_SERIES, "Plots", "/plots", ("/plots/sin",)),
        (ViewKind.TEXT_LOG, "Logs", "/logs", ("/logs",)),
    ]
    assert viewport.panel("time_panel") == PanelState.COLLAPSED
    assert viewport.panel("selection_panel") == PanelState.COLLAPSED
    assert viewport.panel("top_panel") == PanelState.EXPANDED


def test_hidden_views_and_unknown_classes_leave_the_layout(tmp_path: Path) -> None:
    blueprint = rrb.Blueprint(
        rrb.Horizontal(
            rrb.Spatial3DView(name="L"),
            rrb.Spatial3DView(name="M", visible=False),
            rrb.DataframeView(name="Table"),
            rrb.TimeSeriesView(name="R"),
        )
    )
    viewport = _viewport(_save(tmp_path, blueprint))
    assert [v.title for v in viewport.views] == ["L", "R"]
    cells = viewport.arrange(Rect(0, 0, 1000, 500)).cells
    assert [(c.view, c.rect) for c in cells] == [(0, Rect(0, 0, 500, 500)), (1, Rect(500, 0, 500, 500))]


def test_last_activated_blueprint_wins(tmp_path: Path) -> None:
    first = tmp_path / "first.rbl"
    second = tmp_path / "second.rbl"
    rrb.Blueprint(rrb.Spatial3DView(name="first")).save(APP, str(first))
    rrb.Blueprint(rrb.TimeSeriesView(name="second")).save(APP, str(second))
    rrb.Blueprint(rrb.TextLogView(name="other app")).save("other_app", str(tmp_path / "other.rbl"))
    data = _save(tmp_path, None)
    assert [v.title for v in _viewport(data, first, second, tmp_path / "other.rbl").views] == ["second"]
    assert [v.title for v in _viewport(data, second, first).views] == ["first"]
    assert [v.title for v in _viewport(data, tmp_path / "other.rbl").views] == ["/", "plots/sin", "/"]


def test_an_active_blueprint_wins_over_a_later_default_one(tmp_path: Path) -> None:
    path = tmp_path / "two.rrd"
    rec = rr.RecordingStream(APP, recording_id="bp_data")
    rec.save(str(path))
    _log_data(rec)
    rec.send_blueprint(rrb.Blueprint(rrb.Spatial3DView(name="active")), make_active=True, make_default=False)
    rec.send_blueprint(
        rrb.Blueprint(rrb.TimeSeriesView(name="default")), make_active=False, make_default=True
    )
    rec.disconnect()
    loaded = RecordingSet()
    load_file(path, loaded)
    recordings = loaded.recordings()
    with_commands = active_blueprint(recordings, _data(recordings), loaded.blueprint_activations)
    assert with_commands is not None and [v.name for v in with_commands.views()] == ["active"]
    without = active_blueprint(recordings, _data(recordings))  # no commands: the last blueprint loaded
    assert without is not None and [v.name for v in without.views()] == ["default"]


def test_auto_views_join_the_root_container_as_the_reference_does(tmp_path: Path) -> None:
    # The reference 0.41 viewer shows, for this blueprint, four tabs: "only", "/" (3D), "/" (text log), "plots/sin".
    viewport = _viewport(
        _save(tmp_path, rrb.Blueprint(rrb.Spatial3DView(origin="/world", name="only"), auto_views=True))
    )
    assert isinstance(viewport.layout, Split) and viewport.layout.kind == ContainerKind.TABS
    labels = {(v.kind, v.title) for v in viewport.views}
    assert labels == {
        (ViewKind.SPATIAL_3D, "only"),
        (ViewKind.SPATIAL_3D, "/"),
        (ViewKind.TEXT_LOG, "/"),
        (ViewKind.TIME_SERIES, "plots/sin"),
    }
    arrangement = viewport.arrange(Rect(0, 0, 800, 600))
    assert [c.view for c in arrangement.cells] == [0]
    assert arrangement.tab_bars[0].labels[0][1] == "only"


def test_without_views_the_blueprint_keeps_the_heuristics(tmp_path: Path) -> None:
    viewport = _viewport(_save(tmp_path, rrb.Blueprint(rrb.TimePanel(state="collapsed"))))
    assert viewport.layout is None
    assert [v.title for v in viewport.views] == ["/", "plots/sin", "/"]
    assert viewport.panel("time_panel") == PanelState.COLLAPSED


# -- layout geometry ----------------------------------------------------------------------------------------


def _leaf(index: int) -> Leaf:
    return Leaf(index, ViewKind.SPATIAL_3D, f"v{index}")


def test_weighted_split() -> None:
    assert weighted(1000, [3, 2]) == [600, 400]
    assert weighted(90, [0, 0, 0]) == [30, 30, 30]


def test_linear_containers_split_by_shares() -> None:
    vertical = Split(ContainerKind.VERTICAL, (_leaf(1), _leaf(2)), "v", shares=(2.0, 1.0))
    root = Split(ContainerKind.HORIZONTAL, (_leaf(0), vertical), "h", shares=(3.0, 2.0))
    cells = arrange(root, Rect(10, 20, 1000, 600)).cells
    assert [(c.view, c.rect) for c in cells] == [
        (0, Rect(10, 20, 600, 600)),
        (1, Rect(610, 20, 400, 400)),
        (2, Rect(610, 420, 400, 200)),
    ]


def test_grid_fills_rows_with_auto_or_given_columns() -> None:
    five = tuple(_leaf(i) for i in range(5))
    auto = arrange(Split(ContainerKind.GRID, five, "g"), Rect(0, 0, 900, 600)).cells
    assert [c.rect for c in auto] == [
        Rect(0, 0, 300, 300), Rect(300, 0, 300, 300), Rect(600, 0, 300, 300),
        Rect(0, 300, 300, 300), Rect(300, 300, 300, 300),
    ]  # fmt: skip
    two = arrange(
        Split(ContainerKind.GRID, five[:3], "g", grid_columns=2, col_shares=(1, 3)), Rect(0, 0, 800, 600)
    )
    assert [c.rect for c in two.cells] == [
        Rect(0, 0, 200, 300),
        Rect(200, 0, 600, 300),
        Rect(0, 300, 200, 300),
    ]


def test_tabs_show_the_active_tab_under_a_tab_bar() -> None:
    inner = Split(ContainerKind.HORIZONTAL, (_leaf(1), _leaf(2)), "Horizontal container")
    tabs = Split(ContainerKind.TABS, (_leaf(0), inner), "t", active=1)
    arrangement = arrange(tabs, Rect(0, 0, 800, 600))
    (bar,) = arrangement.tab_bars
    assert bar.rect == Rect(0, 0, 800, THEME.view_title_height) and bar.active == 1
    assert bar.labels == ((ViewKind.SPATIAL_3D, "v0"), (None, "Horizontal container"))
    below = 600 - THEME.view_title_height
    assert [(c.view, c.rect, c.titled) for c in arrangement.cells] == [
        (1, Rect(0, THEME.view_title_height, 400, below), True),
        (2, Rect(400, THEME.view_title_height, 400, below), True),
    ]
    single = arrange(Split(ContainerKind.TABS, (_leaf(0),), "t"), Rect(0, 0, 800, 600))
    assert single.tab_bars == [] and single.cells[0].titled


def test_active_tab_and_grid_columns_come_from_the_blueprint(tmp_path: Path) -> None:
    blueprint = rrb.Blueprint(
        rrb.Tabs(
            rrb.Spatial3DView(name="A3D", origin="/world"),
            rrb.Grid(
                rrb.TimeSeriesView(name="G1"),
                rrb.TextLogView(name="G2"),
                rrb.Spatial3DView(name="G3"),
                grid_columns=2,
            ),
            active_tab=1,
        )
    )
    viewport = _viewport(_save(tmp_path, blueprint))
    arrangement = viewport.arrange(Rect(0, 0, 800, 628))
    assert arrangement.tab_bars[0].active == 1
    assert [viewport.views[c.view].title for c in arrangement.cells] == ["G1", "G2", "G3"]
    assert [c.rect for c in arrangement.cells] == [
        Rect(0, 28, 400, 300), Rect(400, 28, 400, 300), Rect(0, 328, 400, 300),
    ]  # fmt: skip


# -- rendering ---------------------------------------------------------------------------------------------

SEPARATOR = THEME.separator[:3]


def _render(*paths: Path, size: tuple[int, int] = (WIDTH, HEIGHT)) -> tuple[np.ndarray, Viewer]:
    require_gpu()
    with Viewer(load_recordings(paths), width=size[0], height=size[1]) as viewer:
        return viewer.render()[..., :3], viewer


def _count(pixels: np.ndarray, color: tuple[int, int, int], tolerance: int = 40) -> int:
    return int(_count_mask(pixels, color, tolerance).sum())


def _crop(pixels: np.ndarray, rect: Rect) -> np.ndarray:
    return pixels[int(rect.y) : int(rect.bottom), int(rect.x) : int(rect.right)]


def _has_title(pixels: np.ndarray, rect: Rect) -> bool:
    """Bright text where a view's title goes (right of its icon, in its title bar)."""
    strip = _crop(pixels, Rect(rect.x + 28, rect.y + 4, 60, THEME.view_title_height - 8))
    return _count(strip, (255, 255, 255), tolerance=60) > 10


def _line_positions(pixels: np.ndarray, *, axis: int, span: slice, scale: int = 1) -> list[float]:
    """Where long separator lines run (x of vertical ones for ``axis=0``), over ``span`` of the other axis."""
    band = pixels[span, :] if axis == 0 else pixels[:, span].transpose(1, 0, 2)
    is_line = (np.abs(band.astype(np.int16) - np.array(SEPARATOR)).max(axis=2) <= 3).mean(axis=0) > 0.9
    runs = np.split(np.flatnonzero(is_line), np.flatnonzero(np.diff(np.flatnonzero(is_line)) > 1) + 1)
    return [float(run.mean()) / scale for run in runs if len(run)]


def test_blueprint_layout_renders_views_where_it_puts_them(tmp_path: Path) -> None:
    pixels, viewer = _render(_save(tmp_path, _layout_blueprint()))
    viewport = viewer.viewport
    assert [v.title for v in viewer.views] == ["World", "Plots", "Logs"]
    # Collapsed panels: no blueprint tree or selection panel, the time panel down to its controls row.
    assert viewer.cursor.timeline_name == "step"
    area = Rect(0, THEME.top_bar_height, WIDTH, HEIGHT - THEME.top_bar_height - THEME.time_controls_height)
    cells = {viewport.views[c.view].title: c.rect for c in viewport.arrange(area).cells}
    assert cells == {
        "World": Rect(0, 36, 768, 654),
        "Plots": Rect(768, 36, 512, 436),
        "Logs": Rect(768, 472, 512, 218),
    }
    assert all(_has_title(pixels, rect) for rect in cells.values())
    assert _line_positions(pixels, axis=0, span=slice(40, 685)) == [768.0]
    assert 472.0 in _line_positions(pixels, axis=1, span=slice(800, 1200))
    world = _crop(pixels, cells["World"].inset(top=THEME.view_title_height))
    assert _count(world, RED) > 100, "the shown points are red in the 3D view"
    assert _count(pixels, GREEN) == 0, "the excluded entity is nowhere"
    assert _count(_crop(pixels, cells["Plots"]), (255, 0, 0), tolerance=40) == 0
    assert _count(_crop(pixels, Rect(0, 690, WIDTH, 30)), (255, 255, 255), tolerance=60) > 10, "controls row"
    compare_with_golden(pixels, "blueprint_layout")


def test_tabs_show_the_active_view_and_a_tab_bar(tmp_path: Path) -> None:
    blueprint = rrb.Blueprint(
        rrb.Tabs(
            rrb.Spatial3DView(name="A3D", origin="/world"),
            rrb.TimeSeriesView(name="BPlot", origin="/plots"),
            rrb.TextLogView(name="CLog"),
            active_tab=1,
        )
    )
    pixels, _ = _render(_save(tmp_path, blueprint))
    left, right = 200, WIDTH - 300  # expanded side panels
    bar = _crop(pixels, Rect(left, 36, right - left, THEME.view_title_height))
    bright = np.flatnonzero((bar.min(axis=2) > 230).any(axis=0))
    dim = np.flatnonzero(((bar.max(axis=2) > 100) & (bar.max(axis=2) < 150)).any(axis=0))
    assert len(bright) and len(dim)
    assert dim.min() < bright.min() < bright.max() < dim.max(), "the active tab sits between two dim ones"
    view = _crop(pixels, Rect(left, 36 + THEME.view_title_height, right - left, 400))
    assert _count(view, RED) == 0, "the 3D tab is not shown"
    assert _count(view, (200, 160, 90), tolerance=50) > 50, "the plot's line is"


def test_reference_rbl_fixture_lays_out_its_views() -> None:
    pixels, viewer = _render(fixture("scalars_seq.rrd"), fixture("blueprint.rbl"))
    assert [(v.title, v.entities) for v in viewer.views] == [
        ("3D", ()),
        ("Plots", ("/plots/cos", "/plots/sin")),
        ("Logs", ()),
    ]
    ours = _line_positions(pixels, axis=0, span=slice(40, 465))
    assert ours == [588.0, 980.0], "3:2 of the 980 pixels left of the selection panel, then the panel's edge"
    assert 325.0 in _line_positions(pixels, axis=1, span=slice(600, 970)), "2:1 of the right column"


@pytest.mark.reference
@pytest.mark.parametrize("case", ["rbl_fixture", "sent_by_our_sdk"])
def test_layout_matches_the_reference_viewer(tmp_path: Path, case: str) -> None:
    """The separators between views sit where the reference 0.41 viewer draws them for the same files.

    Across, the pixels match; down, the split is compared as a fraction of the views' height (the
    reference's time panel is shorter than ours).
    """
    if case == "rbl_fixture":
        files: tuple[Path, ...] = (fixture("scalars_seq.rrd"), fixture("blueprint.rbl"))
    else:
        files = (_save(tmp_path, _layout_blueprint()),)
    pixels, _ = _render(*files)
    ours = _line_positions(pixels, axis=0, span=slice(40, 465))
    reference = _reference_screenshot(tmp_path, *files, lines=ours)
    theirs = _line_positions(reference, axis=0, span=slice(80, 930), scale=2)
    assert len(theirs) == len(ours) and np.allclose(theirs, ours, atol=2), (ours, theirs)
    split = int(ours[0]) + 2  # just right of the first vertical separator, left of any plot frame
    below_top_bar = THEME.top_bar_height - 2
    ours_down = [
        y for y in _line_positions(pixels, axis=1, span=slice(split, split + 10)) if y > below_top_bar
    ]
    theirs_down = _line_positions(reference, axis=1, span=slice(2 * split, 2 * split + 20), scale=2)
    theirs_down = [y for y in theirs_down if y > below_top_bar]
    assert len(ours_down) >= 3 and len(theirs_down) >= 3, (ours_down, theirs_down)
    # top bar's edge, the split, the time panel's edge
    fraction = [(down[1] - down[0]) / (down[2] - down[0]) for down in (ours_down, theirs_down)]
    assert fraction[0] == pytest.approx(fraction[1], abs=0.01)


def _reference_screenshot(tmp_path: Path, *files: Path, lines: list[float]) -> np.ndarray:
    """The reference viewer's headless shot (HiDPI: twice our size) once it shows the blueprint.

    Before the blueprint has arrived, or while a collapsing panel still slides away, the shot lacks the
    vertical separators at ``lines``; it is then taken again.
    """

    def shows_blueprint(shot: np.ndarray) -> bool:
        found = _line_positions(shot, axis=0, span=slice(80, 930), scale=2)
        return len(found) == len(lines) and np.allclose(found, lines, atol=2)

    return reference_screenshot(tmp_path, *files, loaded=shows_blueprint, window_size=(WIDTH, HEIGHT))


# -- view properties ---------------------------------------------------------------------------------------


def _properties_file(tmp_path: Path) -> Path:
    """A blue 3D view without grid, a 2D view of a fixed region, a plot with a fixed y range and no legend."""
    blueprint = rrb.Blueprint(
        rrb.Horizontal(
            rrb.Spatial3DView(name="blue", origin="/world", background=[10, 20, 200], line_grid=rrb.LineGrid3D(visible=False)),
            rrb.Spatial2DView(name="bounds", origin="/flat", visual_bounds=rrb.VisualBounds2D(x_range=[0, 10], y_range=[0, 5])),
            rrb.TimeSeriesView(name="range", origin="/plots", axis_y=rrb.ScalarAxis(range=(-2, 2)), plot_legend=rrb.PlotLegend(visible=False)),
        ),
        collapse_panels=True,
    )  # fmt: skip
    path = tmp_path / "properties.rrd"
    rec = rr.RecordingStream(APP, recording_id="bp_data")
    rec.save(str(path))
    _log_data(rec)
    rec.log("flat/dot", rr.Points2D([[5, 2.5]], colors=[[255, 255, 0]], radii=0.5), static=True)
    rec.send_blueprint(blueprint)
    rec.disconnect()
    return path


def test_view_properties_are_read_from_the_blueprint(tmp_path: Path) -> None:
    blue, bounds, plot = (view.properties for view in _viewport(_properties_file(tmp_path)).views)
    assert (blue.background, blue.grid) == ((10, 20, 200, 255), False)
    assert bounds.visual_bounds == ((0.0, 10.0), (0.0, 5.0)) and bounds.background is None and bounds.grid
    assert (plot.scalar_range, plot.legend) == ((-2.0, 2.0), False)
    assert ViewProperties() == _viewport(_save(tmp_path, _layout_blueprint())).views[0].properties


def test_view_properties_change_the_pixels(tmp_path: Path) -> None:
    pixels, viewer = _render(_properties_file(tmp_path))
    area = Rect(0, THEME.top_bar_height, WIDTH, HEIGHT - THEME.top_bar_height - THEME.time_controls_height)
    blue, flat, plot = (
        c.rect.inset(top=THEME.view_title_height) for c in viewer.viewport.arrange(area).cells
    )
    view = _crop(pixels, blue)
    assert _count(view, (10, 20, 200), tolerance=2) > 0.5 * blue.w * blue.h, (
        "the background is the blueprint's"
    )
    assert _count(view, (58, 58, 58), tolerance=3) == 0, "no grid lines"
    ys, xs = np.nonzero(_count_mask(_crop(pixels, flat), (255, 255, 0)))
    assert abs(xs.mean() - flat.w / 2) < 3 and abs(ys.mean() - flat.h / 2) < 3, (
        "(5, 2.5) is the middle of 0..10 x 0..5"
    )
    line = _crop(pixels, plot).astype(np.int16)
    rows = np.flatnonzero(((line[..., 0] - line[..., 2] > 40) & (line[..., 0] > 80)).any(axis=1))
    assert 0.4 < (rows.max() - rows.min()) / plot.h < 0.55, "the sine's -1..1 fills half of the -2..2 range"


def _count_mask(pixels: np.ndarray, color: tuple[int, int, int], tolerance: int = 40) -> np.ndarray:
    return np.abs(pixels.astype(np.int16) - np.array(color)).max(axis=2) <= tolerance


def test_the_blueprint_time_panel_sets_timeline_and_playback(tmp_path: Path) -> None:
    time_panel = rrb.TimePanel(timeline="log_time", playback_speed=2.0, fps=10.0, loop_mode="all")
    pixels, viewer = _render(_save(tmp_path, rrb.Blueprint(rrb.TimeSeriesView(name="plot"), time_panel)))
    playback = viewer.state.playback
    assert (viewer.cursor.timeline_name, playback.speed, playback.fps, playback.loop.value) == (
        "log_time",
        2.0,
        10.0,
        "all",
    )
    assert _has_title(pixels, Rect(200, THEME.top_bar_height, 100, THEME.view_title_height))


_REFERENCE_LAYOUT = """
import sys
import rerun.blueprint as rrb
rrb.Blueprint(
    rrb.Horizontal(
        rrb.Spatial3DView(origin="/world", contents=["+ $origin/**", "- /world/excluded"], name="World"),
        rrb.Vertical(
            rrb.TimeSeriesView(origin="/plots", name="Plots"),
            rrb.TextLogView(origin="/logs", name="Logs"),
            row_shares=[2, 1],
        ),
        column_shares=[3, 2],
    ),
    collapse_panels=True,
).save("bp_test", sys.argv[1])
"""


def _shape(node: BlueprintContainer | BlueprintView) -> object:
    """A blueprint tree without its random ids."""
    if isinstance(node, BlueprintView):
        return (node.class_identifier, node.name, node.origin, node.query, node.visible)
    return (
        node.kind,
        node.col_shares,
        node.row_shares,
        node.visible,
        [_shape(child) for child in node.contents],
    )


@pytest.mark.reference
def test_the_reference_sdk_blueprint_reads_like_ours(tmp_path: Path) -> None:
    python = REFERENCE_VENV / "bin" / "python"
    if not python.exists():
        pytest.skip(f"reference Python ({python}) is missing")
    theirs_path, ours_path = tmp_path / "theirs.rbl", tmp_path / "ours.rbl"
    subprocess.run([str(python), "-c", _REFERENCE_LAYOUT, str(theirs_path)], check=True, timeout=60)
    _layout_blueprint().save(APP, str(ours_path))
    theirs, ours = (parse_blueprint(load_recordings([path])[0].store) for path in (theirs_path, ours_path))
    assert theirs.root is not None and ours.root is not None
    assert _shape(theirs.root) == _shape(ours.root)
    assert (
        dict(theirs.panels)
        == dict(ours.panels)
        == {
            "blueprint_panel": PanelState.COLLAPSED,
            "selection_panel": PanelState.COLLAPSED,
            "time_panel": PanelState.COLLAPSED,
        }
    )


def test_a_blueprint_streamed_by_the_sdk_lays_out_the_live_viewer() -> None:
    """A default blueprint on connecting, one sent active, a later default one: the active one shows."""
    require_gpu()
    from rerun_viewer._app import App

    with App(width=640, height=360) as app:
        url = app.serve(bind="127.0.0.1", port=0)
        rec = rr.RecordingStream(APP, recording_id="live_bp")
        rec.connect_grpc(
            str(url), default_blueprint=rrb.Blueprint(rrb.TextLogView(name="default", origin="/logs"))
        )
        _log_data(rec)
        rec.send_blueprint(
            rrb.Blueprint(rrb.TimeSeriesView(name="sent", origin="/plots"), collapse_panels=True)
        )
        later = rrb.Blueprint(rrb.TextLogView(name="later default"))
        rec.send_blueprint(later, make_active=False, make_default=True)
        rec.flush()
        rec.disconnect()
        deadline = time.monotonic() + 30
        while len(app.recordings.blueprint_activations) < 3 or not any(
            not r.is_blueprint and r.store.num_chunks for r in app.recordings.recordings()
        ):
            assert time.monotonic() < deadline, "the SDK's messages did not all arrive"
            time.sleep(0.02)
        app.render()
        assert app.viewer is not None
        assert [(v.title, v.entities) for v in app.viewer.views] == [("sent", ("/plots/sin",))]
        assert app.viewer.viewport.panel("blueprint_panel") == PanelState.COLLAPSED


def test_eye_controls_place_the_3d_camera(tmp_path: Path) -> None:
    """An eye straight in front of the origin, up along +z: the origin's point is the view's centre."""
    eye = rrb.EyeControls3D(position=(0.0, -6.0, 0.0), look_target=(0.0, 0.0, 0.0), eye_up=(0.0, 0.0, 1.0))
    blueprint = rrb.Blueprint(
        rrb.Spatial3DView(name="eye", origin="/", eye_controls=eye), collapse_panels=True
    )
    path = tmp_path / "eye.rrd"
    rec = rr.RecordingStream(APP, recording_id="bp_data")
    rec.save(str(path))
    rec.log("dot", rr.Points3D([[0, 0, 0]], colors=[RED], radii=0.1), static=True)
    rec.log(
        "far", rr.Points3D([[40, 40, 40]], colors=[GREEN], radii=0.1), static=True
    )  # moves the automatic eye
    rec.send_blueprint(blueprint)
    rec.disconnect()
    pixels, viewer = _render(path)
    assert viewer.views[0].properties.eye_position == (0.0, -6.0, 0.0)
    (cell,) = viewer.viewport.arrange(Rect(0, 36, WIDTH, HEIGHT - 36 - THEME.time_controls_height)).cells
    view = cell.rect.inset(top=THEME.view_title_height)
    ys, xs = np.nonzero(_count_mask(_crop(pixels, view), RED))
    assert len(xs) > 20
    assert abs(xs.mean() - view.w / 2) < 3 and abs(ys.mean() - view.h / 2) < 3


def test_a_maximized_view_fills_the_viewport_and_auto_layout_uses_the_grid(tmp_path: Path) -> None:
    recordings = load_recordings([_save(tmp_path, _layout_blueprint())])
    recording = _data(recordings)
    blueprint = active_blueprint(recordings, recording)
    assert blueprint is not None
    plots = next(view for view in blueprint.views() if view.name == "Plots")
    maximized = viewport_for(recording.store, replace(blueprint, maximized=plots.path))
    cells = maximized.arrange(Rect(0, 0, 800, 600)).cells
    assert [(maximized.views[c.view].title, c.rect) for c in cells] == [("Plots", Rect(0, 0, 800, 600))]
    automatic = viewport_for(recording.store, replace(blueprint, auto_layout=True))
    assert automatic.layout is None and automatic.root_title is None
    assert [c.rect for c in automatic.arrange(Rect(0, 0, 900, 600)).cells] == [
        Rect(0, 0, 300, 600), Rect(300, 0, 300, 600), Rect(600, 0, 300, 600),
    ]  # fmt: skip
