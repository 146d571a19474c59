"""``rrb.Blueprint(..., collapse_panels=True)``: as in 0.41, the side panels go and the time panel keeps
only its controls row, so the view takes the whole width from the top bar down to that row.

Measured on the reference's render (``--screenshot-to``, 1280x720, in UI points): the top bar ends at
35, the controls row starts at 691 (ours: 36 and 690, our theme's heights).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _viewer_support import require_gpu

import rerun as rr
import rerun.blueprint as rrb
from rerun_viewer import Viewer, load_recordings

pytestmark = pytest.mark.timeout(120)

RED = (255, 0, 0)


def _shot(tmp_path: Path, *, collapse_panels: bool) -> np.ndarray:
    path = tmp_path / "collapse.rrd"
    stream = rr.RecordingStream("collapse_test", recording_id="collapse")
    stream.save(str(path))
    view = rrb.Spatial2DView(origin="/", background=[*RED, 255])
    stream.send_blueprint(rrb.Blueprint(view, collapse_panels=collapse_panels))
    for t in range(3):
        stream.set_time("frame", sequence=t)
        stream.log("points", rr.Points2D([[t, 0]], colors=[(0, 255, 0)]))
    stream.disconnect()
    with Viewer(load_recordings([path]), width=1280, height=720) as viewer:
        return viewer.render()[..., :3]


def _red_columns(row: np.ndarray) -> np.ndarray:
    """Where a row (or column) of pixels is the view's red background."""
    return np.flatnonzero(np.abs(row.astype(int) - RED).sum(axis=-1) < 30)


def test_collapsed_panels_leave_the_view_the_whole_width_and_the_time_panel_its_controls(
    tmp_path: Path,
) -> None:
    require_gpu()
    shot = _shot(tmp_path, collapse_panels=True)
    columns = _red_columns(shot[300])
    assert (columns[0], columns[-1]) == (0, 1279), "no side panels"
    rows = _red_columns(shot[:, 640])  # the red rows of the middle column
    assert rows[0] < 70, "the view starts below the top bar and its title"
    assert abs(int(rows[-1]) - 690) <= 2, "the view ends at the controls row"


def test_expanded_panels_keep_the_side_panels_and_the_streams(tmp_path: Path) -> None:
    require_gpu()
    shot = _shot(tmp_path, collapse_panels=False)
    columns = _red_columns(shot[300])
    assert columns[0] > 150 and columns[-1] < 1100, "the blueprint and selection panels show"
    assert not len(_red_columns(shot[600])), "the time panel's streams take the bottom"


def test_a_collapsed_time_panel_draws_a_one_line_timeline_as_0_41(tmp_path: Path) -> None:
    """The reference's collapsed row: a line at y 705.5 from x 343 to the cursor at the end (x 1172, the
    last time), then the time field from x 1191 to 1271."""
    require_gpu()
    shot = _shot(tmp_path, collapse_panels=True).astype(int)
    line = shot[705, 350:1160].max(axis=-1)
    assert (line > 150).mean() > 0.95, "the timeline's line"
    assert (shot[700, 350:1160].max(axis=-1) < 60).mean() > 0.95, "a line, not a band"
    cursor = np.flatnonzero(shot[712, 1150:1190].max(axis=-1) > 150) + 1150
    assert len(cursor) and abs(int(cursor.mean()) - 1172) <= 2, f"the cursor at the last time, not {cursor}"
    field = np.flatnonzero(shot[705, 1180:1280].max(axis=-1) > 40) + 1180
    assert abs(int(field[0]) - 1191) <= 1 and abs(int(field[-1]) - 1271) <= 1, "the time field at the right"
