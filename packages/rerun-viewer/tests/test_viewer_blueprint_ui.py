"""The blueprint in the UI: the tree of containers and views in the left panel, tab clicks, and
``--screenshot-to`` without inputs giving up when no SDK data comes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from _viewer_support import require_gpu

import rerun as rr
import rerun.blueprint as rrb
from rerun_viewer import Selection, Viewer, load_recordings
from rerun_viewer._blueprint import ContainerKind, active_blueprint
from rerun_viewer._layout import shell_layout
from rerun_viewer._registry import ViewKind
from rerun_viewer._theme import THEME
from rerun_viewer._ui import Rect
from rerun_viewer._view_properties import ViewProperties
from rerun_viewer._viewport import Viewport, viewport_for

pytestmark = pytest.mark.timeout(120)

WIDTH, HEIGHT = 1280, 720
LAYOUT = shell_layout(WIDTH, HEIGHT)
PLOT_LINE = (255, 0, 255)  # the series' color, logged
INFO_GREEN = (0, 218, 126)


def _save(tmp_path: Path) -> Path:
    """A sine, log lines, two point clouds; the blueprint nests a tab container and hides a view."""
    path = tmp_path / "data.rrd"
    rec = rr.RecordingStream("bp_ui", recording_id="bp_ui_data")
    rec.save(str(path))
    rec.log("plots/sin", rr.SeriesLines(colors=[PLOT_LINE]), static=True)
    for step in range(100):
        rec.set_time("step", sequence=step)
        rec.log("plots/sin", rr.Scalars(np.sin(step / 10)))
        if step % 10 == 0:
            rec.log("logs", rr.TextLog(f"message {step}", level="INFO"))
    rec.log("world/points", rr.Points3D([[0, 0, 0], [1, 0, 0]], colors=[(255, 0, 0)]), static=True)
    rec.log("world/excluded", rr.Points3D([[0, 1, 0]], colors=[(0, 255, 0)]), static=True)
    rec.send_blueprint(
        rrb.Blueprint(
            rrb.Horizontal(
                rrb.Spatial3DView(
                    origin="/world", contents=["+ $origin/**", "- /world/excluded"], name="World"
                ),
                rrb.Vertical(
                    rrb.Tabs(
                        rrb.TimeSeriesView(origin="/plots", name="Plots"),
                        rrb.TextLogView(origin="/logs", name="Logs"),
                    ),
                    rrb.Spatial3DView(origin="/world", name="Hidden", visible=False),
                    row_shares=[2, 1],
                ),
                column_shares=[3, 2],
            )
        )
    )
    rec.disconnect()
    return path


def _viewport(path: Path) -> Viewport:
    recordings = load_recordings([path])
    data = next(r for r in recordings if not r.is_blueprint)
    return viewport_for(data.store, active_blueprint(recordings, data))


def _row_y(row: int) -> float:
    """The middle of a row of the blueprint tree below its root row (one recording loaded)."""
    return LAYOUT.left.y + 170 + 48 + row * THEME.row_height + 8


def _brightest(pixels: np.ndarray, row: int) -> int:
    """The brightest grey of a tree row's text (right of its arrow and icon)."""
    y = int(_row_y(row))
    return int(pixels[y - 7 : y + 7, 60 : int(LAYOUT.left.right) - 30, :3].min(axis=2).max())


def _count(pixels: np.ndarray, color: tuple[int, int, int], tolerance: int = 40) -> int:
    return int((np.abs(pixels[..., :3].astype(np.int16) - np.array(color)).max(axis=2) <= tolerance).sum())


# -- the blueprint tree ------------------------------------------------------------------------------------


def test_the_tree_holds_containers_and_views_hidden_ones_too(tmp_path: Path) -> None:
    tree = _viewport(_save(tmp_path)).tree
    assert (tree.title, tree.container, tree.visible) == (
        "Horizontal container",
        ContainerKind.HORIZONTAL,
        True,
    )
    world, vertical = tree.children
    assert world.view is not None and (world.title, world.index, world.view.entities) == (
        "World",
        0,
        ("/world/points",),
    )
    assert ("Column shares", "3, 2") in tree.details
    tabs, hidden = vertical.children
    assert (vertical.container, tabs.container) == (ContainerKind.VERTICAL, ContainerKind.TABS)
    assert [(c.title, c.index, c.view.kind if c.view else None) for c in tabs.children] == [
        ("Plots", 1, ViewKind.TIME_SERIES),
        ("Logs", 2, ViewKind.TEXT_LOG),
    ]
    assert ("Active tab", "Plots") in tabs.details
    assert hidden.view is not None and (hidden.visible, hidden.index) == (False, None)
    assert hidden.view.entities == ("/world/excluded", "/world/points"), (
        "a hidden view still lists its entities"
    )
    assert ("Origin", "/world") in hidden.details and ("Visible", "no") in hidden.details
    assert tree.find(hidden.path) is hidden and tree.find("/view/nothing") is None


def test_without_a_blueprint_the_tree_is_the_automatic_grid(tmp_path: Path) -> None:
    viewport = Viewport(_viewport(_save(tmp_path)).views)
    tree = viewport.tree
    assert (tree.title, tree.container) == ("Grid container", ContainerKind.GRID)
    assert [(c.title, c.index) for c in tree.children] == [("World", 0), ("Plots", 1), ("Logs", 2)]


def test_the_tree_panel_draws_nested_rows_and_greys_hidden_views(tmp_path: Path) -> None:
    require_gpu()
    with Viewer(load_recordings([_save(tmp_path)]), width=WIDTH, height=HEIGHT) as viewer:
        pixels = viewer.render()
    # Rows: World, Vertical container, Tab container, Plots, Logs, Hidden (greyed), open as its origin
    # holds two entities (as the reference opens such views): its origin and entities, greyed too.
    assert [_brightest(pixels, row) >= THEME.text[0] - 10 for row in range(5)] == [True] * 5
    assert abs(_brightest(pixels, 5) - THEME.text_weak[0]) <= 10, "the hidden view is greyed out"
    assert [abs(_brightest(pixels, row) - THEME.text_weak[0]) <= 10 for row in (6, 7)] == [True] * 2
    indents = [
        int(
            np.flatnonzero(
                pixels[int(_row_y(row)) - 6 : int(_row_y(row)) + 6, 10:190, :3].max(axis=(0, 2)) > 100
            )[0]
        )
        for row in (0, 2, 3)
    ]
    assert indents[0] < indents[1] < indents[2], "each container nests its contents one step further in"


def test_clicking_containers_and_views_selects_them(tmp_path: Path) -> None:
    require_gpu()
    with Viewer(load_recordings([_save(tmp_path)]), width=WIDTH, height=HEIGHT) as viewer:
        tree = viewer.viewport.tree
        before = viewer.render()
        viewer.click(120, _row_y(1))  # the vertical container
        assert viewer.state.selection == Selection(tree.children[1].path, blueprint=True)
        container = viewer.render()
        viewer.click(120, _row_y(5))  # the hidden view: selected and opened
        hidden = tree.children[1].children[1]
        assert viewer.state.selection == Selection(hidden.path, blueprint=True)
        view = viewer.render()
        viewer.press("escape")
        assert viewer.state.selection is None
    selected_row = container[int(_row_y(1)), 15:190, :3]
    assert _count(selected_row[None], THEME.selection[:3], tolerance=0) > 100, "the row is highlighted"
    right = (
        slice(int(LAYOUT.right.y) + 60, int(LAYOUT.right.y) + 300),
        slice(int(LAYOUT.right.x) + 2, WIDTH),
    )
    assert (np.abs(container[right].astype(int) - before[right]).max(axis=2) > 60).sum() > 300, (
        "its properties show"
    )
    assert (np.abs(view[right].astype(int) - container[right]).max(axis=2) > 60).sum() > 300
    assert _brightest(view, 6) > 60 and _brightest(view, 7) > 60, "the view's entities are listed under it"


# -- tabs ------------------------------------------------------------------------------------------------


def test_clicking_a_tab_shows_its_view(tmp_path: Path) -> None:
    require_gpu()
    with Viewer(load_recordings([_save(tmp_path)]), width=WIDTH, height=HEIGHT) as viewer:
        bar = viewer.viewport.arrange(LAYOUT.views).tab_bars[0]
        content = Rect(bar.rect.x, bar.rect.bottom, bar.rect.w, 300)
        region = (slice(int(content.y), int(content.bottom)), slice(int(content.x), int(content.right)))
        plot = viewer.render()[region]
        viewer.click(bar.rect.x + 100, bar.rect.y + 14)  # the second tab, "Logs"
        assert viewer.state.active_tabs == {bar.container: 1}
        log = viewer.render()[region]
        viewer.click(bar.rect.x + 40, bar.rect.y + 14)  # back to "Plots"
        again = viewer.render()[region]
    assert _count(plot, PLOT_LINE) > 100 and _count(plot, INFO_GREEN) == 0
    assert _count(log, PLOT_LINE) == 0 and _count(log, INFO_GREEN) > 50, "the text log shows instead"
    assert _count(again, PLOT_LINE) > 100


# -- screenshots without inputs --------------------------------------------------------------------------


def test_a_screenshot_without_inputs_gives_up_when_no_data_comes(tmp_path: Path) -> None:
    require_gpu()
    out = tmp_path / "out.png"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "rerun_cli", "--screenshot-to", str(out), "--port", "0"],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "RERUN_SCREENSHOT_WAIT_SECS": "0.5"},
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "no data arrived from rerun+http://" in result.stderr
    assert "within 0.5 s; no screenshot taken" in result.stderr
    assert not out.exists()
    assert time.monotonic() - started < 30


def test_a_bad_screenshot_wait_is_named(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rerun_cli", "--screenshot-to", str(tmp_path / "out.png"), "--port", "0"],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "RERUN_SCREENSHOT_WAIT_SECS": "soon"},
    )  # fmt: skip
    assert result.returncode == 2
    assert "RERUN_SCREENSHOT_WAIT_SECS: expected a positive number of seconds, got 'soon'" in result.stderr


# -- auto views --------------------------------------------------------------------------------------------


def test_auto_views_join_the_root_in_the_reference_order(tmp_path: Path) -> None:
    # The reference 0.41 viewer shows these tabs for this recording: only, img, /, bars, doc, /, plots/sin
    # (2D, 3D, bar chart, text document, text log, time series: by view class identifier).
    path = tmp_path / "order.rrd"
    rec = rr.RecordingStream("order_app", recording_id="order")
    rec.save(str(path))
    rec.set_time("step", sequence=0)
    rec.log("plots/sin", rr.Scalars(1.0))
    rec.log("logs", rr.TextLog("hi"))
    rec.log("world/points", rr.Points3D([[0, 0, 0]]))
    rec.log("img", rr.Image(np.zeros((8, 8, 3), np.uint8)))
    rec.log("bars", rr.BarChart([1, 2, 3]))
    rec.log("doc", rr.TextDocument("hello"))
    rec.send_blueprint(rrb.Blueprint(rrb.TextLogView(origin="/logs", name="only"), auto_views=True))
    rec.disconnect()
    viewport = _viewport(path)
    assert [(v.kind, v.title) for v in viewport.views] == [
        (ViewKind.TEXT_LOG, "only"),
        (ViewKind.SPATIAL_2D, "img"),
        (ViewKind.SPATIAL_3D, "/"),
        (ViewKind.BAR_CHART, "bars"),
        (ViewKind.TEXT_DOCUMENT, "doc"),
        (ViewKind.TEXT_LOG, "/"),
        (ViewKind.TIME_SERIES, "plots/sin"),
    ]
    assert [child.title for child in viewport.tree.children] == [v.title for v in viewport.views]


# -- view properties ---------------------------------------------------------------------------------------

WARN_ORANGE, ERROR_RED, DEBUG_BLUE = (255, 122, 12), (171, 1, 22), (173, 187, 255)


def _text_log_file(tmp_path: Path, view: rrb.TextLogView) -> Path:
    path = tmp_path / "log.rrd"
    rec = rr.RecordingStream("bp_ui_log", recording_id="log")
    rec.save(str(path))
    for step, level in enumerate(["INFO", "WARN", "ERROR", "DEBUG"] * 3):
        rec.set_time("step", sequence=step)
        rec.log("log/a", rr.TextLog(f"message {step}", level=level))
    rec.send_blueprint(rrb.Blueprint(view))
    rec.disconnect()
    return path


def test_text_log_columns_and_levels_come_from_the_blueprint(tmp_path: Path) -> None:
    require_gpu()
    filtered = rrb.TextLogView(
        origin="/log",
        columns=rrb.TextLogColumns(
            timeline_columns=[{"visible": False, "timeline": "step"}],
            text_log_columns=[
                {"visible": True, "kind": 2},  # level first
                {"visible": False, "kind": 1},  # no entity path
                {"visible": True, "kind": 3},
            ],
        ),
        rows=rrb.TextLogRows(filter_by_log_level=["WARN", "ERROR"]),
    )
    properties = _viewport(_text_log_file(tmp_path, filtered)).views[0].properties
    assert (properties.log_columns, properties.log_timelines) == (("level", "body"), ())
    assert properties.log_levels == {"WARN", "ERROR"}
    with Viewer(load_recordings([_text_log_file(tmp_path, filtered)]), width=WIDTH, height=HEIGHT) as viewer:
        pixels = viewer.render()
    with Viewer(
        load_recordings([_text_log_file(tmp_path, rrb.TextLogView())]), width=WIDTH, height=HEIGHT
    ) as viewer:
        default = viewer.render()
    view = (
        slice(int(LAYOUT.views.y) + 40, int(LAYOUT.views.bottom)),
        slice(int(LAYOUT.views.x), int(LAYOUT.views.right)),
    )
    assert _count(pixels[view], WARN_ORANGE, 30) > 50 and _count(pixels[view], ERROR_RED, 30) > 50
    assert _count(pixels[view], INFO_GREEN, 30) == 0 and _count(pixels[view], DEBUG_BLUE, 30) == 0
    assert _count(default[view], INFO_GREEN, 30) > 50 and _count(default[view], DEBUG_BLUE, 30) > 50

    def first_warn_x(frame: np.ndarray) -> int:
        mask = (np.abs(frame[view][..., :3].astype(np.int16) - WARN_ORANGE).max(axis=2) <= 30).any(axis=0)
        return int(np.flatnonzero(mask)[0])

    assert first_warn_x(pixels) < 30 < 100 < first_warn_x(default), (
        "level is the first column (after the cell's padding, 8 px as 0.41's), no time column"
    )


def test_a_monospace_body_changes_only_the_body_column(tmp_path: Path) -> None:
    require_gpu()
    frames = []
    for monospace in (False, True):
        view = rrb.TextLogView(origin="/log", format_options=rrb.TextLogFormat(monospace_body=monospace))
        (tmp_path / str(monospace)).mkdir()
        path = _text_log_file(tmp_path / str(monospace), view)
        assert _viewport(path).views[0].properties.log_monospace is monospace
        with Viewer(load_recordings([path]), width=WIDTH, height=HEIGHT) as viewer:
            frames.append(viewer.render()[..., :3].astype(np.int16))
    changed = np.abs(frames[0] - frames[1]).max(axis=2) > 60
    rows = changed[int(LAYOUT.views.y) + 60 : int(LAYOUT.views.y) + 300]
    columns = np.flatnonzero(rows.any(axis=0))
    assert len(columns) > 30, "the body's glyphs change"
    assert columns.min() > LAYOUT.views.x + 150, "time, entity path and level stay as they were"


def test_time_axis_range_and_legend_corner_come_from_the_blueprint(tmp_path: Path) -> None:
    # The reference 0.41 viewer shows the same: the range follows the cursor, the legend top right.
    require_gpu()
    path = tmp_path / "plot.rrd"
    rec = rr.RecordingStream("bp_ui_plot", recording_id="plot")
    rec.save(str(path))
    rec.log("plots/sin", rr.SeriesLines(colors=[PLOT_LINE]), static=True)
    for step in range(100):
        rec.set_time("step", sequence=step)
        rec.log("plots/sin", rr.Scalars(np.sin(step / 10)))
    around_cursor = rr.TimeRange(
        start=rr.TimeRangeBoundary.cursor_relative(seq=-50), end=rr.TimeRangeBoundary.cursor_relative(seq=50)
    )
    rec.send_blueprint(
        rrb.Blueprint(
            rrb.TimeSeriesView(
                origin="/plots",
                axis_x=rrb.TimeAxis(view_range=around_cursor),
                plot_legend=rrb.PlotLegend(corner="righttop"),
            )
        )
    )
    rec.disconnect()
    properties = _viewport(path).views[0].properties
    assert properties.time_axis_range is not None
    assert properties.time_axis_range.resolve(99, (0, 99)) == (49, 149)
    with Viewer(load_recordings([path]), width=WIDTH, height=HEIGHT) as viewer:
        assert viewer.cursor.at == 99
        pixels = viewer.render()
    view = LAYOUT.views.inset(top=THEME.view_title_height)
    line = np.abs(pixels[..., :3].astype(np.int16) - PLOT_LINE).max(axis=2) <= 40
    columns = np.flatnonzero(
        line[int(view.y) + 40 : int(view.bottom) - 40, int(view.x) : int(view.right)].any(axis=0)
    )
    assert 0.45 * view.w < columns.max() < 0.55 * view.w, "the data (up to the cursor) fills half of 49..149"
    assert columns.min() < 80
    right_of_data = line[:, int(view.x + 0.6 * view.w) : int(view.right)]
    swatch_rows = np.flatnonzero(right_of_data.any(axis=1))
    assert right_of_data.sum() > 20, "the legend's swatch sits right of the data"
    assert swatch_rows.max() < view.y + 60, "at the top"


def test_a_blueprint_arriving_later_sets_the_timeline_and_playback(tmp_path: Path) -> None:
    require_gpu()
    data = load_recordings([_text_log_file(tmp_path, rrb.TextLogView())])
    time_panel = rrb.TimePanel(timeline="log_time", playback_speed=2.0, fps=10.0, loop_mode="all")
    later = tmp_path / "later.rbl"
    rrb.Blueprint(rrb.TextLogView(name="later"), time_panel).save("bp_ui_log", str(later))
    with Viewer([r for r in data if not r.is_blueprint], width=640, height=360) as viewer:
        assert viewer.cursor.timeline_name == "step"
        viewer.render()
        viewer.recordings += load_recordings([later])
        viewer.render()
        playback = viewer.state.playback
        assert [v.title for v in viewer.views] == ["later"]
        assert (viewer.cursor.timeline_name, playback.speed, playback.fps, playback.loop.value) == (
            "log_time",
            2.0,
            10.0,
            "all",
        )
        viewer.set_speed(4.0)
        viewer.render()
        assert viewer.state.playback.speed == 4.0, (
            "the user's change stays while the blueprint does not change"
        )


def test_visible_time_ranges_show_a_window_of_the_plot(tmp_path: Path) -> None:
    require_gpu()
    path = tmp_path / "window.rrd"
    rec = rr.RecordingStream("bp_ui_window", recording_id="window")
    rec.save(str(path))
    for step in range(100):
        rec.set_time("step", sequence=step)
        rec.log("plots/jump", rr.Scalars(float(step >= 30)))  # a jump at 30: mid-window in 20..40
    window = rr.VisibleTimeRange(
        "step", start=rr.TimeRangeBoundary.absolute(seq=20), end=rr.TimeRangeBoundary.absolute(seq=40)
    )
    rec.send_blueprint(rrb.Blueprint(rrb.TimeSeriesView(origin="/plots", time_ranges=[window])))
    rec.disconnect()
    properties = _viewport(path).views[0].properties
    assert properties.visible_range("step") is not None and properties.visible_range("log_time") is None
    with Viewer(load_recordings([path]), width=WIDTH, height=HEIGHT) as viewer:
        windowed = viewer.render()
        viewer.views = [replace(spec, properties=ViewProperties()) for spec in viewer.views]
        whole = viewer.render()
    view = LAYOUT.views.inset(top=THEME.view_title_height)

    def jump_at(pixels: np.ndarray) -> float:
        """Where the line reaches the top (its value 1), as a fraction of the view's width."""
        top = pixels[int(view.y) : int(view.y) + 30, int(view.x) : int(view.right), :3]
        colored = top.max(axis=2).astype(np.int16) - top.min(axis=2) > 60  # the line, not grey text
        return float(np.flatnonzero(colored.any(axis=0))[0]) / view.w

    assert 0.45 < jump_at(windowed) < 0.6, "20..40 fills the plot: the jump at 30 is in its middle"
    assert 0.25 < jump_at(whole) < 0.4


def test_linked_time_axes_zoom_together(tmp_path: Path) -> None:
    require_gpu()
    path = tmp_path / "linked.rrd"
    rec = rr.RecordingStream("bp_ui_linked", recording_id="linked")
    rec.save(str(path))
    for name in ("a", "b", "c"):
        rec.log(f"plots/{name}", rr.SeriesLines(colors=[PLOT_LINE]), static=True)
    for step in range(100):
        rec.set_time("step", sequence=step)
        for name in ("a", "b", "c"):
            rec.log(f"plots/{name}", rr.Scalars(float(step >= 50)))
    ignored = rr.TimeRange(
        start=rr.TimeRangeBoundary.absolute(seq=0), end=rr.TimeRangeBoundary.absolute(seq=10)
    )
    linked = rrb.TimeAxis(link="linktoglobal", view_range=ignored)  # linked: the view range does not apply
    rec.send_blueprint(
        rrb.Blueprint(
            rrb.Vertical(
                rrb.TimeSeriesView(origin="/plots/a", axis_x=linked),
                rrb.TimeSeriesView(origin="/plots/b", axis_x=linked),
                rrb.TimeSeriesView(origin="/plots/c"),
            ),
            collapse_panels=True,
        )
    )
    rec.disconnect()
    top = 36.0
    with Viewer(load_recordings([path]), width=WIDTH, height=HEIGHT) as viewer:
        assert [v.properties.time_axis_linked for v in viewer.views] == [True, True, False]
        assert viewer.views[0].properties.time_axis_range is None
        cells = [c.rect for c in viewer.viewport.arrange(Rect(0, top, WIDTH, HEIGHT - top - 30)).cells]
        before = viewer.render()
        viewer.mouse_move(cells[0].x + cells[0].w * 0.75, cells[0].y + cells[0].h / 2)
        viewer.scroll(3)  # zoom the first plot's time axis
        after = viewer.render()

    def jump_at(pixels: np.ndarray, cell: Rect) -> int:
        """The first column where the line is at its top value (1) in the view."""
        band = pixels[int(cell.y) + 28 : int(cell.y) + 50, int(cell.x) : int(cell.right), :3]
        colored = band.max(axis=2).astype(np.int16) - band.min(axis=2) > 60
        return int(np.flatnonzero(colored.any(axis=0))[0])

    starts = [jump_at(before, cell) for cell in cells]
    assert max(starts) - min(starts) <= 2, "all three show the whole timeline at first"
    zoomed = [jump_at(after, cell) for cell in cells]
    assert zoomed[0] != starts[0] and abs(zoomed[0] - zoomed[1]) <= 2, "the linked plots zoom together"
    assert abs(zoomed[2] - starts[2]) <= 2, "the independent one stays"
