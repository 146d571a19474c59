"""The panels as 0.41 draws them: the blueprint tree (rows that open and close by their arrow, entity
diamonds, groups with one child closed, a text-log view listing the text it cannot draw), the text
log's table (as wide as its columns, entity paths in monospace after a diamond), and one time cursor
per recording, kept while another recording shows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _viewer_support import fixture, require_gpu

import rerun as rr
from rerun_core.store import ChunkStore
from rerun_viewer import Viewer, load_recordings
from rerun_viewer._heuristics import auto_views
from rerun_viewer._layout import shell_layout, view_cells
from rerun_viewer._panels import _opens_by_default
from rerun_viewer._state import AppState, LoopMode, Playback
from rerun_viewer._theme import THEME
from rerun_viewer._time import TimeCursor
from rerun_viewer._time_panel import stream_rows
from rerun_viewer._view_tree import TreeRow, view_rows
from rerun_viewer._viewport import TreeNode, viewport_for

pytestmark = pytest.mark.timeout(120)
WIDTH, HEIGHT = 1280, 720
LEFT = shell_layout(WIDTH, HEIGHT).left


# -- the blueprint tree's rows -----------------------------------------------------------------------------


def _rows_of(store: ChunkStore, node: TreeNode) -> tuple[TreeRow, ...]:
    assert node.view is not None, f"{node.path} is a view"
    return view_rows(store, node.path, node.view, node.query)


def test_the_text_log_view_lists_the_document_it_cannot_draw_and_opens_for_it() -> None:
    """0.41's text-log view of the text_log fixture lists readme beside logs, so "/" holds two children
    and the view starts open; logs, holding one child, starts closed."""
    (recording,) = load_recordings([fixture("text_log.rrd")])
    tree = viewport_for(recording.store, None).tree
    log_view = tree.children[0]
    rows = _rows_of(recording.store, log_view)
    assert [(row.label, row.depth, row.children, row.holds_data) for row in rows] == [
        ("/ (root)", 0, 2, False),
        ("logs", 1, 1, True),
        ("colored", 2, 0, True),
        ("readme", 1, 0, True),
    ]
    assert _opens_by_default(log_view, rows)
    assert [row.opens_by_default for row in rows] == [True, False, False, False]
    document = tree.children[1]
    assert not _opens_by_default(document, _rows_of(recording.store, document)), "readme holds no children"


def test_only_text_log_views_list_entities_they_do_not_draw(tmp_path: Path) -> None:
    """As measured on 0.41: a 3D view at "/" lists neither scalars nor text; a text log lists entities
    with text (labels too) but not scalars."""
    path = tmp_path / "listing.rrd"
    rec = rr.RecordingStream("listing", recording_id="listing")
    rec.save(str(path))
    rec.log("logs", rr.TextLog("hi"), static=True)
    rec.log("world/p", rr.Points3D([[0, 0, 0]]), static=True)
    rec.log("labeled", rr.Points2D([[0, 0]], labels=["p"]), static=True)
    rec.log("scalar", rr.Scalars(1.0), static=True)
    rec.disconnect()
    (recording,) = load_recordings([path])
    views = {view.kind.value: view for view in auto_views(recording.store)}
    log_rows = view_rows(recording.store, "log", views["TextLog"], ("$origin/**",))
    assert [row.path for row in log_rows] == ["/", "/labeled", "/logs"]
    space_rows = view_rows(recording.store, "3d", views["3D"], ("$origin/**",))
    assert [row.path for row in space_rows] == ["/", "/world", "/world/p"]


# -- opening and closing rows by their arrow ----------------------------------------------------------------


def _row_y(row: int) -> int:
    """The middle of a row of the blueprint tree (row 0: the first view), one recording loaded."""
    return int(LEFT.y + 170 + 48 + row * THEME.row_height + 8)


def _text_in_row(pixels: np.ndarray, row: int, x0: float, x1: float) -> bool:
    band = pixels[_row_y(row) - 6 : _row_y(row) + 6, int(x0) : int(x1), :3].min(axis=2)
    return bool((band > 150).sum() > 15)


def _row_start(pixels: np.ndarray, row: int) -> int:
    """Where a row's icon starts: its first bright pixel (the arrows are dimmer)."""
    band = pixels[_row_y(row) - 6 : _row_y(row) + 6, int(LEFT.x) + 30 : int(LEFT.right) - 40, :3]
    return int(LEFT.x) + 30 + int(np.flatnonzero(band.min(axis=2).max(axis=0) > 150)[0])


def _arrow_x(depth: int) -> float:
    """The arrow's middle for a row at ``depth`` in the tree (1: a view, 2: its origin, ...)."""
    return LEFT.x + 35 + 18 * depth - 29.5


def test_clicking_an_entity_rows_arrow_opens_and_closes_it() -> None:
    require_gpu()
    with Viewer(load_recordings([fixture("text_log.rrd")]), width=WIDTH, height=HEIGHT) as viewer:
        closed = viewer.render()
        # Rows: view "/", "/ (root)", logs (closed), readme, view readme.
        viewer.click(_arrow_x(3), _row_y(2))
        opened = viewer.render()
        assert "auto/0|/logs" in viewer.state.expanded
        viewer.click(_arrow_x(3), _row_y(2))
        viewer.mouse_move(LEFT.right + 5, 5)  # away, so no row shows its hover
        again = viewer.render()
    assert _row_start(closed, 3) == _row_start(closed, 2), "closed, logs is followed by its sibling readme"
    assert _row_start(opened, 3) - _row_start(opened, 2) == 18, "opened, by colored one step in"
    assert _row_start(opened, 4) == _row_start(closed, 3), "readme moved one row down"
    assert np.array_equal(again, closed), "a second click closes it again"
    assert viewer.state.expanded == set()


def test_clicking_a_views_arrow_closes_the_view() -> None:
    require_gpu()
    with Viewer(load_recordings([fixture("text_log.rrd")]), width=WIDTH, height=HEIGHT) as viewer:
        viewer.click(_arrow_x(1), _row_y(0))
        pixels = viewer.render()
    assert viewer.state.expanded == {"auto/0"}
    assert _text_in_row(pixels, 1, LEFT.x + 53, LEFT.x + 110), "the document view moved up to row 1"
    assert not _text_in_row(pixels, 2, LEFT.x + 30, LEFT.right - 10), "nothing below it"


def test_entity_rows_show_diamonds_and_their_eye_only_under_the_mouse() -> None:
    require_gpu()
    with Viewer(load_recordings([fixture("text_log.rrd")]), width=WIDTH, height=HEIGHT) as viewer:
        pixels = viewer.render()
        viewer.mouse_move(LEFT.x + 100, _row_y(3))  # over readme's row
        hovered = viewer.render()
    eye = (slice(_row_y(3) - 5, _row_y(3) + 5), slice(int(LEFT.right) - 30, int(LEFT.right) - 14))
    assert pixels[eye][..., :3].max() < 40, "no eye while the mouse is elsewhere"
    assert hovered[eye][..., :3].max() > 150, "the eye shows under the mouse"
    diamond_x, y = int(LEFT.x + 89 - 10.5), _row_y(3) + 1
    assert pixels[y, diamond_x, :3].min() > 120, "the dot of readme's diamond (it holds data)"
    root_x, root_y = int(LEFT.x + 71 - 10.5), _row_y(1) + 1
    assert pixels[root_y, root_x, :3].max() < 40, "the root's diamond is hollow (no data of its own)"


# -- the text log's table -----------------------------------------------------------------------------------


def test_the_text_log_table_is_as_wide_as_its_columns() -> None:
    """0.41 sizes the table to its columns (the text_log fixture's ends well inside its view), with a
    line between columns and a darker header row."""
    require_gpu()
    with Viewer(load_recordings([fixture("text_log.rrd")]), width=WIDTH, height=HEIGHT) as viewer:
        viewer.views = viewer.views[:1]  # the text log alone: the whole width is the view's
        pixels = viewer.render()[..., :3].astype(np.int16)
        (cell,) = view_cells(shell_layout(WIDTH, HEIGHT).views, 1)
    header = pixels[int(cell.y) + 45, int(cell.x) : int(cell.right)]
    in_header = np.flatnonzero(np.abs(header - THEME.header_background[:3]).max(axis=1) <= 2)
    assert in_header.min() < 20, "the header starts at the view's left"
    assert 250 < in_header.max() < cell.w - 20, (
        f"and ends where the columns do, not the view ({in_header.max()})"
    )
    first_row = pixels[int(cell.y) + 83, int(cell.x) : int(cell.x) + in_header.max()]
    separators = np.flatnonzero(np.abs(first_row - THEME.row_line[:3]).max(axis=1) <= 2)
    assert len(separators) >= 3, "a line between each of the four columns"


# -- one time cursor per recording ------------------------------------------------------------------------


def test_each_recording_keeps_its_own_time_and_playback() -> None:
    first, second = TimeCursor(None, 5), TimeCursor(None, 9)
    state = AppState(first, recording="a", playback=Playback(playing=True, speed=2.0))
    state.show("b", second)
    assert (state.recording, state.cursor, state.playback.playing, state.playback.speed) == (
        "b",
        second,
        False,
        2.0,
    )
    state.playback.loop = LoopMode.ALL
    state.show("a", TimeCursor(None, 0))
    assert (state.cursor, state.playback.playing, state.playback.loop) == (first, True, LoopMode.OFF)
    state.show("b", TimeCursor(None, 0))
    assert (state.cursor, state.playback.loop) == (second, LoopMode.ALL), "b's own time and loop came back"


def _saved(tmp_path: Path, name: str, frames: int) -> Path:
    path = tmp_path / f"{name}.rrd"
    rec = rr.RecordingStream("per_recording_time", recording_id=name)
    rec.save(str(path))
    for frame in range(frames):
        rec.set_time("frame", sequence=frame)
        rec.log("s", rr.Scalars(float(frame)))
    rec.disconnect()
    return path


def test_switching_recordings_in_the_viewer_keeps_each_ones_time(tmp_path: Path) -> None:
    require_gpu()
    paths = [_saved(tmp_path, "a", 10), _saved(tmp_path, "b", 30)]
    with Viewer(load_recordings(paths), width=WIDTH, height=HEIGHT) as viewer:
        assert viewer.recording.name == "b" and viewer.cursor.at == 29
        viewer.set_time(12)
        viewer.set_recording("a")
        viewer.render()
        assert viewer.cursor.at == 9, "a opens at its own end"
        viewer.set_time(3)
        viewer.play()
        viewer.set_recording("b")
        viewer.render()
        assert (viewer.cursor.at, viewer.state.playback.playing) == (12, False)
        viewer.set_recording("a")
        viewer.render()
        assert (viewer.cursor.at, viewer.state.playback.playing) == (3, True), "a's time and play state"


# -- the streams tree's icons ------------------------------------------------------------------------------


def test_stream_rows_know_their_children_and_data_for_their_icons() -> None:
    """The text_log fixture's streams as 0.41 draws their icons: "/" and logs open groups, colored and
    readme entities with data, properties last."""
    (recording,) = load_recordings([fixture("text_log.rrd")])
    rows = stream_rows(recording.store.entity_paths())
    assert [(row.label, row.expanded, row.has_children, row.holds_data) for row in rows] == [
        ("/", True, True, False),
        ("logs/", True, True, True),
        ("colored", False, False, True),
        ("readme", False, False, True),
        ("__properties", False, False, True),
    ]
