"""The text-log view as 0.41 shows it: every row of the active timeline (also those after the cursor),
sorted by time then logging order, one time column (the active timeline's) or one per timeline a
blueprint's TextLogColumns lists, and a line under the last row at or before the cursor, which the
table scrolls to."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _viewer_support import require_gpu

import rerun as rr
import rerun.blueprint as rrb
from rerun_core.timeline import Timeline, TimeType
from rerun_viewer import Viewer, load_recordings
from rerun_viewer._colors import LEVEL_COLORS
from rerun_viewer._heuristics import auto_views
from rerun_viewer._layout import shell_layout, view_cells
from rerun_viewer._primitives import LogRow
from rerun_viewer._theme import THEME
from rerun_viewer._time import TimeCursor
from rerun_viewer._view_core import collect
from rerun_viewer.views._text import _tree_order, time_label

pytestmark = pytest.mark.timeout(120)
WIDTH, HEIGHT = 1280, 720

# (frame, sim_time seconds, entity, text, level), logged in this order: out of time order on purpose.
ROWS = [
    (3, 30.0, "logs/a", "third frame", "INFO"),
    (1, 10.0, "logs/a", "first frame", "WARN"),
    (2, 20.0, "logs/b", "second frame", "ERROR"),
    (1, 11.0, "logs/b", "first again", "DEBUG"),
]


def _recording(tmp_path: Path, extra_rows: int = 0, timeline_columns: list[str] | None = None) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "text.rrd"
    rec = rr.RecordingStream("text_log_fidelity", recording_id="text")
    rec.save(str(path))
    if timeline_columns is not None:
        listed = [{"visible": True, "timeline": name} for name in timeline_columns]
        view = rrb.TextLogView(origin="/", columns=rrb.TextLogColumns(timeline_columns=listed))
        rec.send_blueprint(rrb.Blueprint(view, rrb.TimePanel(timeline="frame")))
    for frame, seconds, entity, text, level in ROWS:
        rec.set_time("frame", sequence=frame)
        rec.set_time("sim_time", duration=seconds)
        rec.log(entity, rr.TextLog(text, level=level))
    rec.reset_time()
    for frame in range(4, 4 + extra_rows):
        rec.set_time("frame", sequence=frame)
        rec.log("logs/a", rr.TextLog(f"row {frame}", level="INFO"))
    rec.disconnect()
    return path


def _rows(tmp_path: Path, timeline: str, at: int) -> list[LogRow]:
    (recording,) = load_recordings([_recording(tmp_path, extra_rows=1)])
    (view,) = auto_views(recording.store)
    timelines = recording.store.timelines()
    contents = collect(recording.store, view, TimeCursor(timelines[timeline], at))
    return sorted((p for p in contents.primitives if isinstance(p, LogRow)), key=lambda r: (r.time, r.row_id))


def test_every_row_shows_in_time_then_logging_order_whatever_the_cursor(tmp_path: Path) -> None:
    expected = ["first frame", "first again", "second frame", "third frame"]
    assert [row.text for row in _rows(tmp_path, "frame", 1)] == [*expected, "row 4"]
    assert [row.text for row in _rows(tmp_path, "frame", 3)] == [*expected, "row 4"]
    assert [row.text for row in _rows(tmp_path, "sim_time", 0)] == expected  # "row 4" has no sim_time


def test_same_time_rows_follow_the_references_walk_of_the_entity_tree() -> None:
    """Orders the reference showed for rows logged at one time (in another order): children before
    their parent, siblings in natural order (case aside, numbers by value)."""
    logged = ["/z", "/a/child", "/a", "/m", "/b/x/y", "/b"]
    assert sorted(logged, key=_tree_order) == ["/a/child", "/a", "/b/x/y", "/b", "/m", "/z"]
    siblings = ["/n/x10", "/n/x9", "/n/x1", "/n/B", "/n/a"]
    assert sorted(siblings, key=_tree_order) == ["/n/a", "/n/B", "/n/x1", "/n/x9", "/n/x10"]


def test_rows_carry_their_time_on_every_timeline_as_the_table_shows_it(tmp_path: Path) -> None:
    labels = [
        {name: time_label(*time) for name, time in row.times.items() if name != "log_time"}
        for row in _rows(tmp_path, "frame", 1)
    ]
    assert labels == [
        {"frame": "#1", "sim_time": "+10s"},
        {"frame": "#1", "sim_time": "+11s"},
        {"frame": "#2", "sim_time": "+20s"},
        {"frame": "#3", "sim_time": "+30s"},
        {"frame": "#4"},
    ]
    duration = Timeline("d", TimeType.DURATION_NS)
    assert [time_label(duration, ns) for ns in (10_250_000_000, 500_000_000, -3_000_000_000)] == [
        "+10.25s",
        "+0.5s",
        "-3s",
    ]


def _view_region(viewer: Viewer) -> np.ndarray:
    (cell,) = view_cells(shell_layout(WIDTH, HEIGHT).views, 1)
    cell = cell.inset(2, THEME.view_title_height, 2, 2)
    pixels = viewer.render()[..., :3]
    return pixels[int(cell.y) : int(cell.bottom), int(cell.x) : int(cell.right)]


def _rows_with(region: np.ndarray, color: tuple[int, ...], tolerance: int = 30) -> np.ndarray:
    near = (np.abs(region.astype(np.int16) - np.array(color[:3])).max(axis=2) <= tolerance).sum(axis=1)
    return np.flatnonzero(near >= 3)


def _cursor_line_rows(region: np.ndarray) -> np.ndarray:
    """Pixel rows holding a long unbroken run of near-white pixels (no text has one): the cursor line,
    across the table (which is as wide as its columns)."""
    white = np.pad(region.min(axis=2) >= 200, ((0, 0), (1, 1))).astype(np.int8)
    rows = []
    for index, edges in enumerate(np.diff(white, axis=1)):
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        if len(starts) and (ends - starts).max() >= 150:
            rows.append(index)
    return np.array(rows, dtype=int)


def test_the_cursor_line_sits_between_the_rows_before_and_after_it(tmp_path: Path) -> None:
    require_gpu()
    with Viewer(load_recordings([_recording(tmp_path)]), width=WIDTH, height=HEIGHT) as viewer:
        viewer.set_timeline("frame")
        viewer.set_time(2)
        region = _view_region(viewer)
    error_rows = _rows_with(region, LEVEL_COLORS["ERROR"])
    info_rows = _rows_with(region, LEVEL_COLORS["INFO"])
    (line,) = np.split(rows := _cursor_line_rows(region), np.flatnonzero(np.diff(rows) > 1) + 1)
    assert len(error_rows) and len(info_rows), "the row after the cursor (INFO, frame 3) shows too"
    assert error_rows.max() < line.min() and line.max() < info_rows.min(), (error_rows, line, info_rows)


def test_the_table_scrolls_to_the_cursor(tmp_path: Path) -> None:
    require_gpu()
    with Viewer(
        load_recordings([_recording(tmp_path, extra_rows=200)]), width=WIDTH, height=HEIGHT
    ) as viewer:
        viewer.set_timeline("frame")
        viewer.set_time(120)
        region = _view_region(viewer)
    line = _cursor_line_rows(region)
    assert len(line), "the cursor line is in view"
    assert len(region) * 0.3 < line.mean() < len(region) * 0.7, "scrolled to put the cursor in the middle"
    assert not len(_rows_with(region, LEVEL_COLORS["WARN"])), "the first rows scrolled out of view"


def _selection_columns(region: np.ndarray) -> np.ndarray:
    """Columns of the header row (the table's first rows of pixels) in the selection blue."""
    header = region[:30].astype(np.int16)
    blue = (np.abs(header - np.array(THEME.selection[:3])).max(axis=2) <= 8).any(axis=0)
    return np.flatnonzero(blue)


def test_listed_timelines_get_a_column_each_with_the_active_one_highlighted(tmp_path: Path) -> None:
    require_gpu()
    path = _recording(tmp_path, extra_rows=1, timeline_columns=["sim_time", "frame"])
    with Viewer(load_recordings([path]), width=WIDTH, height=HEIGHT) as viewer:
        listed = _view_region(viewer)
    with Viewer(
        load_recordings([_recording(tmp_path / "default", extra_rows=1)]), width=WIDTH, height=HEIGHT
    ) as viewer:
        default = _view_region(viewer)
    assert _selection_columns(default).min() < 20, "alone, the active timeline's column comes first"
    assert _selection_columns(listed).min() > 40, "frame, highlighted, comes after sim_time"
    assert len(_cursor_line_rows(listed)) and len(_cursor_line_rows(default))


def test_without_the_active_timelines_column_there_is_no_cursor_line(tmp_path: Path) -> None:
    require_gpu()
    path = _recording(tmp_path, extra_rows=1, timeline_columns=["sim_time"])
    with Viewer(load_recordings([path]), width=WIDTH, height=HEIGHT) as viewer:
        region = _view_region(viewer)
    assert not len(_cursor_line_rows(region)) and not len(_selection_columns(region))
    assert len(_rows_with(region, LEVEL_COLORS["INFO"])), "the rows still show"


def test_the_cursor_line_sits_over_the_first_row_before_it_and_nowhere_after_the_last(
    tmp_path: Path,
) -> None:
    """As the reference draws it: over the first row after the cursor, none when no row is at or after it."""
    require_gpu()
    with Viewer(load_recordings([_recording(tmp_path)]), width=WIDTH, height=HEIGHT) as viewer:
        viewer.set_timeline("frame")
        viewer.set_time(0)
        before = _view_region(viewer)
        viewer.set_time(7)
        after = _view_region(viewer)
    (line,) = np.split(rows := _cursor_line_rows(before), np.flatnonzero(np.diff(rows) > 1) + 1)
    assert line.max() < _rows_with(before, LEVEL_COLORS["WARN"]).min(), "over the first row (WARN, frame 1)"
    assert not len(_cursor_line_rows(after))
