"""More UI tests: odd recordings in the time panel, time-series zoom/pan, the selection panel's values, and
picking by depth. Recordings are logged here with our SDK; pure parts are tested without a GPU first.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest
from _viewer_support import require_gpu

import rerun as rr
from rerun_core.timeline import Timeline, TimeType
from rerun_viewer import Selection, Viewer, load_recordings
from rerun_viewer._component_values import component_rows, format_value
from rerun_viewer._enum_names import ENUMS
from rerun_viewer._layout import shell_layout
from rerun_viewer._primitives import Points, Segments, Triangles
from rerun_viewer._state import AppState, PlotRange
from rerun_viewer._theme import THEME
from rerun_viewer._time import TimeCursor, timeline_bounds
from rerun_viewer._time_panel import ruler_ticks
from rerun_viewer.views._camera import Projection
from rerun_viewer.views._picking import pick

pytestmark = pytest.mark.timeout(120)
WIDTH, HEIGHT = 1280, 720
LAYOUT = shell_layout(WIDTH, HEIGHT)
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
NOW_NS = 1_795_620_891_186_051_834  # a nanosecond timestamp in 2026: beyond a float's precision


# -- without a GPU ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lo", "hi"),
    [(0, 10), (5, 5), (-1000, -3), (INT64_MIN, INT64_MAX), (NOW_NS, NOW_NS + 1), (NOW_NS, NOW_NS + 2000)],
)
@pytest.mark.parametrize("max_ticks", [0, 1, 3, 12])
def test_ruler_ticks_are_few_round_exact_and_inside(lo: int, hi: int, max_ticks: int) -> None:
    ticks = ruler_ticks(lo, hi, max_ticks)
    assert 1 <= len(ticks) <= max(max_ticks, 1) or (lo < hi and not ticks)
    assert all(isinstance(tick, int) and lo <= tick <= hi for tick in ticks)
    assert ticks == sorted(set(ticks)), "distinct, increasing (no float collapsing at ~1e18)"
    if len(ticks) > 1:
        step = ticks[1] - ticks[0]
        assert str(step).strip("0") in ("1", "2", "5") and all(t % step == 0 for t in ticks)


def test_ruler_ticks_at_nanosecond_timestamps_step_by_nanoseconds() -> None:
    assert ruler_ticks(NOW_NS, NOW_NS + 4, 5) == [NOW_NS + i for i in range(5)]
    with pytest.raises(ValueError, match="reversed"):
        ruler_ticks(3, 2, 5)


# -- odd recordings render -------------------------------------------------------------------------------


def _save(tmp_path: Path, name: str, body: Callable[[rr.RecordingStream], object]) -> Path:
    path = tmp_path / f"{name}.rrd"
    rec = rr.RecordingStream(f"odd_{name}")
    rec.save(path)
    with rec, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the bad color below warns (and logs to /__warnings)
        body(rec)
    rec.disconnect()
    return path


def _points_at(rec: rr.RecordingStream, timeline: str, kind: str, times: Sequence[object]) -> None:
    for index, at in enumerate(times):
        rec.set_time(timeline, **{kind: at})
        rec.log("p", rr.Points3D([[index, 0, 0]]))


ODD_RECORDINGS: dict[str, Callable[[rr.RecordingStream], object]] = {
    "warnings": lambda rec: rec.log("x", rr.Points3D([[0, 0, 0]], colors="not a color")),
    "static_only": lambda rec: rec.log("p", rr.Points3D([[0, 0, 0], [1, 1, 1]]), static=True),
    "single_time": lambda rec: _points_at(rec, "frame", "sequence", [5]),
    "huge_sequence": lambda rec: _points_at(rec, "frame", "sequence", [INT64_MIN, -5, INT64_MAX]),
    "negative_sequence": lambda rec: _points_at(rec, "frame", "sequence", [-1000, -3]),
    "nanosecond_stamps": lambda rec: _points_at(
        rec, "t", "timestamp", [np.datetime64(NOW_NS + i, "ns") for i in range(3)]
    ),
    "far_stamps": lambda rec: _points_at(rec, "t", "timestamp", [-5e9, 9.2e9]),
    "durations": lambda rec: _points_at(rec, "d", "duration", [-1e9, 1e9]),
    "empty_entity": lambda rec: (
        rec.set_time("frame", sequence=1),
        rec.log("e", rr.Points3D(np.zeros((0, 3)))),
    ),
}


@pytest.mark.parametrize("name", list(ODD_RECORDINGS))
def test_odd_recordings_render_with_a_bounded_ruler(tmp_path: Path, name: str) -> None:
    require_gpu()
    recordings = load_recordings([_save(tmp_path, name, ODD_RECORDINGS[name])])
    with Viewer(recordings, width=WIDTH, height=HEIGHT) as viewer:
        pixels = viewer.render()
        timed = viewer.cursor.timeline is not None
        bounds = timeline_bounds(viewer.recording.store, viewer.cursor.timeline_name) if timed else None
    assert viewer.last_frame_seconds < 20
    panel = LAYOUT.time_panel
    ruler = pixels[int(panel.y) + 37 : int(panel.y) + 52, 190 : WIDTH - 20, :3].astype(int)
    lit_columns = np.flatnonzero((np.abs(ruler - THEME.background[:3]).max(axis=2) > 60).any(axis=0))
    if not timed:
        assert not len(lit_columns), "static only: no ruler"
        return
    assert len(lit_columns) > 8, "the ruler has labels"
    single = bounds is not None and bounds[0] == bounds[1]  # a zero-length axis: its time is at its start
    cursor_x = 175 + 26 if single else int(panel.right - 30)  # the cursor is at the timeline's end
    column = pixels[int(panel.y) + 60 : int(panel.bottom) - 5, cursor_x - 1 : cursor_x + 2, :3].max(axis=1)
    assert (column.min(axis=1) > 100).mean() > 0.9, "the time cursor's line"


def test_long_names_and_texts_stay_in_their_place(tmp_path: Path) -> None:
    require_gpu()

    def log(rec: rr.RecordingStream) -> None:
        rec.set_time("frame", sequence=0)
        rec.log("n" * 5000, rr.Points3D([[0, 0, 0]], labels=["L" * 100_000]))
        rec.log("log", rr.TextLog("x" * 1_000_000))

    with Viewer(load_recordings([_save(tmp_path, "long", log)]), width=WIDTH, height=HEIGHT) as viewer:
        pixels = viewer.render()
    row = int(LAYOUT.time_panel.y) + 31 + 36 + 2 * int(THEME.row_height)  # "/", "log", then the long one
    tree = pixels[row : row + 14, 40:170, :3].astype(int)
    assert (np.abs(tree - THEME.background[:3]).max(axis=2) > 60).mean() > 0.1, "the name shows in the tree"
    beside = pixels[row : row + 14, 215 : WIDTH - 5, :3].astype(int)  # the one time's tick is at x=201
    assert (np.abs(beside - THEME.background[:3]).max(axis=2) > 60).sum() == 0, "and ends at its edge"


# -- time-series views: zoom, pan, click, reset ------------------------------------------------------------


def test_plot_ranges_are_finite_increasing_and_move_with_the_origin() -> None:
    chosen = PlotRange(origin=1_000, lo=2.5, hi=7.5)
    assert chosen.relative_to(900) == (102.5, 107.5)
    for lo, hi in ((3.0, 3.0), (0.0, float("nan")), (float("-inf"), 1.0)):
        with pytest.raises(ValueError, match="plot range"):
            PlotRange(0, lo, hi)
    state = AppState(TimeCursor(None, 0), plot_ranges={"0:TimeSeries:/s": chosen})
    state.show("other", TimeCursor(None, 0))
    assert state.plot_ranges == {}, "another recording starts with whole timelines"


@pytest.fixture
def sine_viewer(tmp_path: Path) -> Viewer:
    """One time-series view of sin(t / 10) over frames 0..100, cursor at the end."""
    require_gpu()

    def log(rec: rr.RecordingStream) -> None:
        for t in range(101):
            rec.set_time("frame", sequence=t)
            rec.log("s", rr.Scalars([np.sin(t / 10)]))

    return Viewer(load_recordings([_save(tmp_path, "sine", log)]), width=WIDTH, height=HEIGHT)


PLOT_MIDDLE = (LAYOUT.views.x + LAYOUT.views.w / 2, LAYOUT.views.y + LAYOUT.views.h / 2)
VIEW_LEFT, VIEW_TOP, VIEW_RIGHT, VIEW_BOTTOM = (
    int(LAYOUT.views.x),
    int(LAYOUT.views.y),
    int(LAYOUT.views.right),
    int(LAYOUT.views.bottom),
)


def _curve_extremes(pixels: np.ndarray) -> tuple[float, float]:
    """Screen columns of the curve's trough (sin's minimum at t=47.1) and of the peak right of it (t=78.5)."""
    area = pixels[VIEW_TOP + 30 : VIEW_BOTTOM - 30, VIEW_LEFT + 40 : VIEW_RIGHT - 10]
    rgb = area[..., :3].astype(int)
    curve = rgb[..., 0] > rgb[..., 1] + 30  # the series' automatic red (series_color("/s", 0))
    drawn = curve.any(axis=0)
    tops = np.where(drawn, np.argmax(curve, axis=0), 10**6)
    bottoms = np.where(drawn, curve.shape[0] - 1 - np.argmax(curve[::-1], axis=0), -1)
    trough = float(np.flatnonzero(bottoms == bottoms.max()).mean())  # the middle of the flat bottom
    right = tops[int(trough) :]
    peak = int(trough) + float(np.flatnonzero(right == right.min()).mean())
    return VIEW_LEFT + 40 + trough, VIEW_LEFT + 40 + peak


def _cursor_columns(pixels: np.ndarray) -> np.ndarray:
    """Plot columns where a light grey vertical line (the time cursor) crosses most rows."""
    area = pixels[VIEW_TOP + 60 : VIEW_BOTTOM - 60, VIEW_LEFT:VIEW_RIGHT, :3]
    grey = (area.min(axis=2) > 90) & (np.ptp(area.astype(int), axis=2) < 20)
    return VIEW_LEFT + np.flatnonzero(grey.mean(axis=0) > 0.9)


def test_time_series_wheel_zooms_around_the_mouse_and_drag_pans(sine_viewer: Viewer) -> None:
    viewer, key = sine_viewer, "0:TimeSeries:/s"
    trough0, peak0 = _curve_extremes(viewer.render())
    viewer.mouse_move(trough0, PLOT_MIDDLE[1])
    viewer.scroll(2)
    zoomed = viewer.state.plot_ranges[key]
    assert zoomed.hi - zoomed.lo == pytest.approx(100 * 0.8**2)
    assert zoomed.lo / (1 - 0.8**2) == pytest.approx(15 * np.pi, abs=1), "the trough's time stays put"
    trough1, peak1 = _curve_extremes(viewer.render())
    assert trough1 == pytest.approx(trough0, abs=2), "zoomed around the mouse"
    assert (peak1 - trough1) / (peak0 - trough0) == pytest.approx(1 / 0.8**2, rel=0.03), "the curve widened"

    viewer.drag((trough1, PLOT_MIDDLE[1]), (trough1 + 100, PLOT_MIDDLE[1]))
    panned = viewer.state.plot_ranges[key]
    assert panned.hi - panned.lo == pytest.approx(zoomed.hi - zoomed.lo)
    pixels_per_frame = (peak1 - trough1) / (25 * np.pi - 15 * np.pi)
    assert zoomed.lo - panned.lo == pytest.approx(100 / pixels_per_frame, rel=0.03), "dragged right: earlier"
    trough2, _ = _curve_extremes(viewer.render())
    assert trough2 - trough1 == pytest.approx(100, abs=2), "the curve followed the mouse"
    assert viewer.state.plot_ranges[key] == panned, "the zoom and pan survive frames"
    assert viewer.cursor.at == 100, "a drag does not move the time cursor"


def test_time_series_click_sets_the_time_and_double_click_resets(sine_viewer: Viewer) -> None:
    viewer, key = sine_viewer, "0:TimeSeries:/s"
    before = viewer.render()
    assert not len(_cursor_columns(before)[_cursor_columns(before) < VIEW_RIGHT - 30]), (
        "the cursor at the end"
    )
    viewer.mouse_move(*PLOT_MIDDLE)
    viewer.scroll(1)
    x = PLOT_MIDDLE[0] - 150
    viewer.click(x, PLOT_MIDDLE[1])
    assert viewer.cursor.timeline is not None and viewer.cursor.timeline.name == "frame"
    chosen = viewer.state.plot_ranges[key]
    assert chosen.lo < viewer.cursor.at < (chosen.lo + chosen.hi) / 2, "a time left of the middle"
    assert np.abs(_cursor_columns(viewer.render()) - x).min() <= 4, "the cursor line where clicked"
    viewer.double_click(x, PLOT_MIDDLE[1])
    assert key not in viewer.state.plot_ranges, "the whole timeline again"
    viewer.set_time(100)
    viewer.mouse_move(5, 5)
    after = viewer.render()
    assert np.abs(after.astype(int) - before.astype(int)).max(axis=2).mean() < 0.5, "as before any input"


# -- the selection panel: enums by name, structs a field per line ----------------------------------------


def test_enum_names_match_the_sdks_enums() -> None:
    import enum
    import importlib

    for type_name, names in ENUMS.items():
        module, _, short = type_name.rpartition(".")
        module = module.replace("rerun.datatypes", "rerun.encodings")
        sdk_enum = getattr(importlib.import_module(module), short)
        assert issubclass(sdk_enum, enum.Enum)
        assert names == {member.value: member.name for member in sdk_enum}, type_name


def test_component_values_show_enums_by_name_and_structs_by_field() -> None:
    assert format_value(2, "rerun.components.MarkerShape") == "Diamond"
    assert format_value(99, "rerun.components.MarkerShape") == "99", "an unknown value stays a number"
    image_format = {"width": 6, "height": 4, "pixel_format": None, "color_model": 2, "channel_datatype": 6}
    assert format_value(image_format) == "width: 6\nheight: 4\ncolor_model: RGB\nchannel_datatype: U8"
    assert format_value({"pixel_format": 26, "width": 8}) == "pixel_format: NV12\nwidth: 8"
    assert format_value([{"a": 1, "color_model": 3}]) == "[{a: 1, color_model: RGBA}]"


@pytest.fixture
def image_and_series(tmp_path: Path) -> Path:
    def log(rec: rr.RecordingStream) -> None:
        rec.set_time("frame", sequence=0)
        rec.log("img", rr.Image(np.zeros((4, 6, 3), np.uint8)))
        rec.log("series", rr.SeriesPoints(markers="diamond", colors=[255, 0, 0]), static=True)

    return _save(tmp_path, "image_and_series", log)


def test_selection_rows_name_enum_components(image_and_series: Path) -> None:
    store = load_recordings([image_and_series])[0].store
    cursor = TimeCursor(Timeline("frame", TimeType.SEQUENCE), 0)
    rows = {row.name: row.text for row in component_rows(store, cursor, Selection("/series"))}
    assert rows["markers"] == "Diamond"
    rows = {row.name: row.text for row in component_rows(store, cursor, Selection("/img"))}
    assert rows["format"] == "width: 6\nheight: 4\ncolor_model: RGB\nchannel_datatype: U8"


def test_selection_panel_shows_a_struct_a_line_per_field(image_and_series: Path) -> None:
    require_gpu()
    with Viewer(load_recordings([image_and_series]), width=WIDTH, height=HEIGHT) as viewer:
        viewer.select("/img")
        pixels = viewer.render()
    panel = LAYOUT.right
    values = pixels[int(panel.y) + 115 : int(panel.bottom), int(panel.x) + 136 : int(panel.right), :3]
    lit_rows = (values.max(axis=2) > 120).any(axis=1)
    starts = np.flatnonzero(np.diff(lit_rows.astype(int), prepend=0) == 1)
    assert len(starts) == 5, "the buffer's row, then the format's four lines"
    assert np.all(np.diff(starts)[1:] < 22), "the struct's lines closer than table rows"


# -- picking by depth --------------------------------------------------------------------------------------


def _perspective(width: int = 200, height: int = 200) -> Projection:
    """An eye at the origin looking down -z, 90° field of view: view (x, y, z) shows at x/-z, y/-z."""
    near, far = 0.1, 100.0
    matrix = np.array(
        [
            [height / width, 0, 0, 0],
            [0, 1, 0, 0],
            [0, 0, far / (near - far), near * far / (near - far)],
            [0, 0, -1, 0],
        ]
    )
    return Projection(matrix, 1.0, width, height)


def _point(entity: str, xyz: tuple[float, float, float], radius: float = -5.0) -> Points:
    return Points(
        entity, np.array([xyz], np.float32), np.zeros((1, 4), np.uint8), np.array([radius], np.float32)
    )


def _square(entity: str, left_depth: float, right_depth: float) -> Triangles:
    """A square over the view's middle (pixels 50 to 150 both ways), its left and right edges at these depths."""
    left, right = left_depth / 2, right_depth / 2
    corners = [[-left, -left, -left_depth], [right, -right, -right_depth], [right, right, -right_depth]]
    corners += [[-left, left, -left_depth]]
    return Triangles(
        entity, np.array(corners, np.float32), np.array([[0, 1, 2], [0, 2, 3]], np.uint32),
        np.zeros((4, 4), np.uint8),
    )  # fmt: skip


def _line(entity: str, start: tuple[float, float, float], end: tuple[float, float, float]) -> Segments:
    return Segments(
        entity, np.array([start, end], np.float32), np.zeros((1, 4), np.uint8), np.array([-2.0], np.float32)
    )


def test_picking_takes_the_nearest_of_points_lines_and_meshes() -> None:
    view = _perspective()
    middle = (100.0, 100.0)
    wall = _square("/wall", 3.0, 3.0)
    assert pick([_point("/far", (0, 0, -5)), wall], view, *middle) == Selection("/wall"), (
        "a point behind a mesh"
    )
    assert pick([_point("/near", (0, 0, -2)), wall], view, *middle) == Selection("/near", 0)
    across = ((-4.0, 0, -4), (4.0, 0, -4))
    assert pick([_line("/line", *across), wall], view, *middle) == Selection("/wall"), "a line behind"
    assert pick([_line("/line", (-1.0, 0, -1), (1.0, 0, -1)), wall], view, *middle) == Selection("/line")
    behind, front = _point("/behind", (0, 0, -4), 1.0), _point("/front", (0.05, 0, -2), 0.3)
    assert pick([behind, front], view, *middle) == Selection("/front", 0), "the front one, if off center"
    beside = _point("/beside", (0.14, 0, -2), -5.0)  # 7 px right: the mouse is in its slack ring only
    assert pick([_point("/under", (0, 0, -5), -10.0), beside], view, *middle) == Selection("/under", 0)
    assert pick([beside], view, *middle) == Selection("/beside", 0), "the slack, when nothing is right there"


def test_picking_compares_depth_where_the_mouse_is() -> None:
    """Depth varies across a tilted mesh or a receding line as 1/w does: linearly on screen."""
    view = _perspective()
    tilted = _square("/tilted", 1.5, 6.0)  # near on the left, far on the right
    flat = _square("/flat", 3.0, 3.0)
    assert pick([flat, tilted], view, 60, 100) == Selection("/tilted")
    assert pick([flat, tilted], view, 100, 100) == Selection("/tilted"), "depth 2.4 there (not 3.75)"
    assert pick([flat, tilted], view, 140, 100) == Selection("/flat")
    receding = _line("/receding", (-1.5, 0, -1.5), (6.0, 0, -6.0))  # screen x from 0 to 200
    assert pick([flat, receding], view, 100, 100) == Selection("/receding")
    assert pick([flat, receding], view, 145, 100) == Selection("/flat")


def test_flat_views_keep_points_over_lines_over_meshes() -> None:
    flat = Projection(np.diag([0.01, -0.01, 1, 1]), 1.0, 200, 200)  # 2D: no depth
    points = _point("/p", (0, 0, 0), 50.0)
    line = _line("/line", (-50.0, 0, 0), (50.0, 0, 0))
    square = Triangles(
        "/mesh", np.array([[-50, -50, 0], [50, -50, 0], [50, 50, 0]], np.float32),
        np.array([[0, 1, 2]], np.uint32), np.zeros((3, 4), np.uint8),
    )  # fmt: skip
    assert pick([square, line, points], flat, 100, 100) == Selection("/p", 0)
    assert pick([square, line], flat, 100, 100) == Selection("/line")
    assert pick([square], flat, 140, 100) == Selection("/mesh")


def test_clicking_a_mesh_in_front_of_a_point_selects_the_mesh(tmp_path: Path) -> None:
    require_gpu()

    def log(rec: rr.RecordingStream) -> None:  # a red wall in front of a green ball, hiding all but its top
        rec.log("ball", rr.Points3D([[0, 0, 0]], radii=0.3, colors=[0, 255, 0]), static=True)
        wall = [[-1, -1, -1], [1.0, -1, -1], [1.0, -1, 0.2], [-1, -1, 0.2]]
        rec.log("wall", rr.Mesh3D(vertex_positions=wall, triangle_indices=[[0, 1, 2], [0, 2, 3]],
                                  vertex_colors=[255, 0, 0]), static=True)  # fmt: skip

    with Viewer(load_recordings([_save(tmp_path, "wall", log)]), width=WIDTH, height=HEIGHT) as viewer:
        pixels = viewer.render()[..., :3].astype(int)
        view = np.zeros(pixels.shape[:2], bool)
        view[VIEW_TOP + 25 : VIEW_BOTTOM, VIEW_LEFT:VIEW_RIGHT] = True
        green = view & (pixels[..., 1] > 150) & (pixels[..., 0] < 60)
        rows, columns = np.nonzero(green)
        assert len(rows) > 100, "the ball's top shows above the wall"
        x, top, bottom = int(columns.mean()), int(rows.min()), int(rows.max())
        half_width = (columns.max() - columns.min()) / 2
        behind = (x, bottom + 8)  # the ball's disc goes on under the wall there
        assert behind[1] < top + half_width, "inside the ball's disc"
        assert pixels[behind[1], x, 0] > 200 and pixels[behind[1], x, 1] < 50, (
            "the wall's red, hiding the ball"
        )
        viewer.click(*behind)
        assert viewer.state.selection == Selection("/wall")
        viewer.click(x, top + 3)
        assert viewer.state.selection == Selection("/ball", 0)


def test_time_series_on_nanosecond_timestamps_zoom_and_click_exactly(tmp_path: Path) -> None:
    require_gpu()

    def log(rec: rr.RecordingStream) -> None:
        for t in range(101):
            rec.set_time("t", timestamp=np.datetime64(NOW_NS + t * 10_000_000, "ns"))
            rec.log("s", rr.Scalars([np.sin(t / 10)]))

    with Viewer(load_recordings([_save(tmp_path, "stamped", log)]), width=WIDTH, height=HEIGHT) as viewer:
        viewer.render()
        viewer.mouse_move(*PLOT_MIDDLE)
        viewer.scroll(1)
        (chosen,) = viewer.state.plot_ranges.values()
        assert chosen.origin == NOW_NS and chosen.hi - chosen.lo == pytest.approx(0.8 * 1e9)
        viewer.click(*PLOT_MIDDLE)
        at = viewer.cursor.at
        assert isinstance(at, int) and NOW_NS + chosen.lo < at < NOW_NS + chosen.hi
        assert abs(at - (NOW_NS + (chosen.lo + chosen.hi) / 2)) < 0.1 * 1e9, "about the middle"
