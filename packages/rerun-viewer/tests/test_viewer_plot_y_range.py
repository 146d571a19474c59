"""The y axis of time-series views fits the drawn samples with 0.41's margin.

Measured on the reference viewer's renders (``--screenshot-to``, 1280x720) from its grid lines: a step
from 0 to 100 shows -5..105, a constant 5 shows 3.9..6.1, and a ramp ``s = t`` under a visible time
range of frames 20..40 shows 17.9..42.1 (the samples at 19 and 41, just beyond the window, count).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

import rerun as rr
import rerun.blueprint as rrb
from rerun_viewer import load_recordings
from rerun_viewer._blueprint import active_blueprint
from rerun_viewer._primitives import Series
from rerun_viewer._time import default_cursor
from rerun_viewer._view_core import collect
from rerun_viewer._viewport import viewport_for
from rerun_viewer.views._plot import time_limits, value_limits

pytestmark = pytest.mark.timeout(60)


def _y_range(
    tmp_path: Path, values: Sequence[float], blueprint: rrb.Blueprint | None = None
) -> tuple[float, ...]:
    path = tmp_path / "plot.rrd"
    stream = rr.RecordingStream("plot_y_range_test", recording_id="plot")
    stream.save(str(path))
    for t, value in enumerate(values):
        stream.set_time("step", sequence=t)
        stream.log("s", rr.Scalars(value))
    if blueprint is not None:
        stream.send_blueprint(blueprint)
    stream.disconnect()
    recordings = load_recordings([path])
    recording = next(r for r in recordings if not r.is_blueprint)
    (view,) = viewport_for(recording.store, active_blueprint(recordings, recording)).views
    contents = collect(recording.store, view, default_cursor(recording.store))
    series = [p for p in contents.primitives if isinstance(p, Series)]
    return tuple(round(limit, 6) for limit in value_limits(series, contents, time_limits(contents)))


def test_a_step_from_0_to_100_shows_minus_5_to_105(tmp_path: Path) -> None:
    assert _y_range(tmp_path, [0.0] * 50 + [100.0] * 50) == (-5.0, 105.0)


def test_a_constant_shows_one_unit_around_it_plus_the_margin(tmp_path: Path) -> None:
    assert _y_range(tmp_path, [5.0] * 100) == (3.9, 6.1)


def test_a_visible_time_range_fits_its_samples_and_the_one_beyond_each_end(tmp_path: Path) -> None:
    window = rrb.VisibleTimeRange(
        "step", start=rrb.TimeRangeBoundary.absolute(seq=20), end=rrb.TimeRangeBoundary.absolute(seq=40)
    )
    blueprint = rrb.Blueprint(rrb.TimeSeriesView(origin="/", time_ranges=[window]))
    assert _y_range(tmp_path, [float(t) for t in range(100)], blueprint) == (17.9, 42.1)
