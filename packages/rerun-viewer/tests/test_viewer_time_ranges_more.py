"""Visible time ranges for Arrows2D, Ellipses2D, images and time series, against 0.41's renders.

Facts measured on the reference viewer (its renders of these very recordings): a 2D view's window
shows every arrow, ellipse and image logged inside it, the later images over the earlier ones; a plot
honours per-entity overrides, keeps one sample beyond each end of a window (its line runs to the
window's edges), and spans its axis over every entity's window together.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _viewer_support import reference_screenshot, require_gpu

import rerun as rr
import rerun.blueprint as rrb
from rerun_viewer import Viewer, load_recordings
from rerun_viewer._blueprint import active_blueprint
from rerun_viewer._heuristics import ViewSpec
from rerun_viewer._primitives import ImageLayer, Primitive, Segments, Series
from rerun_viewer._recording import Recording
from rerun_viewer._time import default_cursor
from rerun_viewer._view_core import collect
from rerun_viewer._view_properties import TimeRange, ViewProperties
from rerun_viewer._viewport import viewport_for

pytestmark = pytest.mark.timeout(120)

FRAMES = 30
RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)


def _absolute(start: int, end: int) -> rrb.VisibleTimeRange:
    return rrb.VisibleTimeRange(
        "frame", start=rrb.TimeRangeBoundary.absolute(seq=start), end=rrb.TimeRangeBoundary.absolute(seq=end)
    )


def _override(start: int, end: int) -> rrb.VisibleTimeRanges:
    return rrb.VisibleTimeRanges(
        timeline="frame",
        start=rrb.TimeRangeBoundary.absolute(seq=start),
        end=rrb.TimeRangeBoundary.absolute(seq=end),
    )


def _image_color(t: int) -> tuple[int, int, int]:
    return 8 * t, 200, 255 - 8 * t


def _log_2d(rec: rr.RecordingStream) -> None:
    """Per frame: an arrow and a circle moving right, and an image narrowing by 8 px."""
    rec.log("bg", rr.Boxes2D(mins=[0, 0], sizes=[300, 200], colors=BLUE), static=True)
    for t in range(FRAMES):
        rec.set_time("frame", sequence=t)
        rec.log("arr", rr.Arrows2D(origins=[[t * 10, 20]], vectors=[[0, 30]], colors=RED))
        rec.log("ell", rr.Ellipses2D(centers=[[t * 10, 80]], half_sizes=[[3, 3]], colors=GREEN))
        rec.log("img", rr.Image(np.tile(np.array(_image_color(t), np.uint8), (40, 300 - 8 * t, 1))))


def _log_plots(rec: rr.RecordingStream) -> None:
    for t in range(FRAMES):
        rec.set_time("frame", sequence=t)
        rec.log("plots/a", rr.Scalars(t))
        rec.log("plots/b", rr.Scalars(FRAMES - t))
    rec.log("plots/a", rr.SeriesLines(colors=RED), static=True)
    rec.log("plots/b", rr.SeriesLines(colors=GREEN), static=True)


def _save(tmp_path: Path, log: object, blueprint: rrb.Blueprint) -> Path:
    path = tmp_path / "time_ranges_more.rrd"
    stream = rr.RecordingStream("time_ranges_more", recording_id="time_ranges_more")
    stream.save(str(path))
    log(stream)  # type: ignore[operator]
    stream.send_blueprint(blueprint)
    stream.disconnect()
    return path


def _drawn(path: Path) -> dict[str, list[Primitive]]:
    recordings = load_recordings([path])
    recording: Recording = next(r for r in recordings if not r.is_blueprint)
    (view,) = viewport_for(recording.store, active_blueprint(recordings, recording)).views
    assert isinstance(view, ViewSpec)
    drawn: dict[str, list[Primitive]] = {}
    for primitive in collect(recording.store, view, default_cursor(recording.store)).primitives:
        drawn.setdefault(primitive.entity, []).append(primitive)
    return drawn


def _2d_blueprint() -> rrb.Blueprint:
    return rrb.Blueprint(rrb.Spatial2DView(origin="/", time_ranges=[_absolute(10, 19)]), collapse_panels=True)


def test_a_2d_window_shows_each_arrow_ellipse_and_image_inside_it(tmp_path: Path) -> None:
    drawn = _drawn(_save(tmp_path, _log_2d, _2d_blueprint()))
    shafts = [p for p in drawn["/arr"] if isinstance(p, Segments)]
    np.testing.assert_allclose([s.positions[0, 0] for s in shafts], np.arange(10, 20) * 10)
    assert len(drawn["/ell"]) == 10
    images = [p for p in drawn["/img"] if isinstance(p, ImageLayer)]
    assert [layer.rgba.shape[1] for layer in images] == [300 - 8 * t for t in range(10, 20)]
    assert [tuple(layer.rgba[0, 0, :3]) for layer in images] == [_image_color(t) for t in range(10, 20)]


def _runs(mask: np.ndarray) -> int:
    """How many separate runs of columns hold pixels of ``mask``."""
    columns = mask.any(axis=0).astype(np.int8)
    return int((np.diff(np.r_[0, columns]) == 1).sum())


def _is(pixels: np.ndarray, color: tuple[int, int, int], tolerance: int = 40) -> np.ndarray:
    return (np.abs(pixels.astype(np.int16) - color) < tolerance).all(axis=2)


def _image_stripes(view: np.ndarray) -> tuple[float, float]:
    """Where the images' strip ends (of the blue box's width) and how far image 19 reaches in it."""
    box_columns = np.flatnonzero(_is(view, BLUE).any(axis=0))
    left, width = box_columns[0], np.ptp(box_columns)
    strip = np.flatnonzero(np.abs(view.astype(np.int16) - (80, 200, 175)).max(axis=2).min(axis=0) < 40)
    last = np.flatnonzero(_is(view, _image_color(19), 4).any(axis=0))  # image 18 differs by 8
    return (strip.max() - left) / width, (last.max() - left) / width


def _facts_2d(view: np.ndarray) -> tuple[int, int, float, float]:
    red = _is(view, RED)
    red[:, : int(0.05 * view.shape[1])] = False  # the blue box's left edge is no arrow
    return (_runs(red), _runs(_is(view, GREEN)), *_image_stripes(view))


def test_the_2d_window_renders_as_the_references(tmp_path: Path) -> None:
    """Ten arrows, ten circles; the images' strip ends at 220/300 of the box (image 10), the last
    image (19, over the others) at 148/300; the same in the reference's shot."""
    require_gpu()
    path = _save(tmp_path, _log_2d, _2d_blueprint())
    with Viewer(load_recordings([path]), width=1280, height=720) as viewer:
        ours = viewer.render()[60:690, :, :3]
    arrows, circles, strip_end, last_end = _facts_2d(ours)
    assert (arrows, circles) == (10, 10)
    assert strip_end == pytest.approx(220 / 300, abs=0.01) and last_end == pytest.approx(148 / 300, abs=0.01)

    reference = reference_screenshot(tmp_path, path, loaded=lambda shot: _runs(_is(shot, GREEN)) >= 10)
    assert _facts_2d(reference[140:1380]) == pytest.approx((10, 10, strip_end, last_end), abs=0.01)


def _series(drawn: dict[str, list[Primitive]], entity: str) -> Series:
    (series,) = drawn[entity]
    assert isinstance(series, Series)
    return series


def test_a_plot_honours_entity_overrides_with_a_sample_beyond_each_end(tmp_path: Path) -> None:
    blueprint = rrb.Blueprint(rrb.TimeSeriesView(origin="/plots", overrides={"plots/a": [_override(10, 19)]}))
    drawn = _drawn(_save(tmp_path, _log_plots, blueprint))
    np.testing.assert_array_equal(_series(drawn, "/plots/a").times, np.arange(9, 21))
    np.testing.assert_array_equal(_series(drawn, "/plots/b").times, np.arange(FRAMES))


def test_an_override_wins_over_the_views_range_and_widens_the_axis(tmp_path: Path) -> None:
    blueprint = rrb.Blueprint(
        rrb.TimeSeriesView(
            origin="/plots", time_ranges=[_absolute(10, 19)], overrides={"plots/a": [_override(3, 25)]}
        )
    )
    path = _save(tmp_path, _log_plots, blueprint)
    drawn = _drawn(path)
    np.testing.assert_array_equal(_series(drawn, "/plots/a").times, np.arange(2, 27))
    np.testing.assert_array_equal(_series(drawn, "/plots/b").times, np.arange(9, 21))
    recordings = load_recordings([path])
    recording = next(r for r in recordings if not r.is_blueprint)
    (view,) = viewport_for(recording.store, active_blueprint(recordings, recording)).views
    cursor = default_cursor(recording.store)
    assert view.properties.plot_extent(view.entities, "frame", cursor.at, (0, 29)) == (3, 25)


def _green_span(pixels: np.ndarray) -> tuple[float, float]:
    columns = np.flatnonzero(_is(pixels, GREEN, 60).any(axis=0))
    return float(columns.min()), float(columns.max())


def test_the_overridden_plot_renders_as_the_references(tmp_path: Path) -> None:
    """The red series (override 10..19) runs from frame 9 to 20 of the green one's 0..29."""
    require_gpu()
    blueprint = rrb.Blueprint(
        rrb.TimeSeriesView(origin="/plots", overrides={"plots/a": [_override(10, 19)]}), collapse_panels=True
    )
    path = _save(tmp_path, _log_plots, blueprint)

    def red_columns(pixels: np.ndarray) -> np.ndarray:
        green = np.flatnonzero(_is(pixels, GREEN, 60).any(axis=0))
        if not len(green):
            return green
        red = _is(pixels, RED, 60)
        red[:, : int(green[0]) + 60] = False  # the legend's red swatch
        return np.flatnonzero(red.any(axis=0))

    def red_span(pixels: np.ndarray) -> tuple[float, float]:
        green_start, green_end = _green_span(pixels)
        columns = red_columns(pixels)
        return tuple((columns[[0, -1]] - green_start) / (green_end - green_start) * 29)

    with Viewer(load_recordings([path]), width=1280, height=720) as viewer:
        ours = red_span(viewer.render()[60:690, :, :3])
    assert ours == pytest.approx((9, 20), abs=0.15)
    # loaded: the red line itself shows (the legend's swatch alone shows mid-load too)
    reference = reference_screenshot(tmp_path, path, loaded=lambda shot: len(red_columns(shot[140:1380])) > 0)
    assert red_span(reference[140:1380]) == pytest.approx(ours, abs=0.15)


def test_a_plots_extent_takes_open_ends_from_the_data() -> None:
    """A view range from 10 before the cursor on (open end), an override 3..25 for /a: 3 to the data's end."""
    properties = ViewProperties(
        visible_ranges=(("frame", TimeRange((True, -10), None)),),
        entity_ranges=(("/a", "frame", TimeRange((False, 3), (False, 25))),),
    )
    assert properties.plot_extent(("/a", "/b"), "frame", 20, (0, 29)) == (3, 29)
    assert properties.plot_extent(("/b",), "frame", 20, (0, 29)) == (10, 29)
    assert properties.plot_extent(("/b",), "other", 20, (0, 29)) == (0, 29)
