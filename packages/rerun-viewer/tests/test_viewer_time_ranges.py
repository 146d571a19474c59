"""Visible time ranges in 2D and 3D views: a blueprint's ``VisibleTimeRanges`` (on the view, or
overriding it for one entity) shows every row of a window of time together, as 0.41 does.

Facts checked on the reference viewer (its renders of the same scenes): a window shows each row of
its data inside it; a component logged before the window's start does not carry in (the default
colour shows instead), static data applies to every row; a per-entity override changes that entity
only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from _viewer_support import reference_screenshot, require_gpu

import rerun as rr
import rerun.blueprint as rrb
from rerun_viewer import Viewer, load_recordings
from rerun_viewer._blueprint import active_blueprint
from rerun_viewer._colors import auto_color
from rerun_viewer._heuristics import ViewSpec
from rerun_viewer._layout import shell_layout
from rerun_viewer._primitives import Points, Primitive, Segments, Triangles
from rerun_viewer._recording import Recording
from rerun_viewer._time import default_cursor
from rerun_viewer._view_core import collect
from rerun_viewer._viewport import viewport_for

pytestmark = pytest.mark.timeout(120)

FRAMES = 30
RED, GREEN = (255, 0, 0), (0, 255, 0)


def _relative(start: int, end: int) -> rrb.VisibleTimeRange:
    return rrb.VisibleTimeRange(
        "frame",
        start=rrb.TimeRangeBoundary.cursor_relative(seq=start),
        end=rrb.TimeRangeBoundary.cursor_relative(seq=end),
    )


def _absolute(start: int, end: int) -> rrb.VisibleTimeRange:
    return rrb.VisibleTimeRange(
        "frame", start=rrb.TimeRangeBoundary.absolute(seq=start), end=rrb.TimeRangeBoundary.absolute(seq=end)
    )


def _trail(t: int, z: float = 0.0) -> list[list[float]]:
    return [[t * 0.1, float(np.sin(t * 0.3)), z]]


def _save(tmp_path: Path, log: Callable[[rr.RecordingStream], None], blueprint: rrb.Blueprint) -> Path:
    path = tmp_path / "time_ranges.rrd"
    stream = rr.RecordingStream("time_ranges_test", recording_id="time_ranges")
    stream.save(str(path))
    log(stream)
    stream.send_blueprint(blueprint)
    stream.disconnect()
    return path


def _view(path: Path) -> tuple[Recording, ViewSpec]:
    recordings = load_recordings([path])
    recording = next(r for r in recordings if not r.is_blueprint)
    (view,) = viewport_for(recording.store, active_blueprint(recordings, recording)).views
    return recording, view


def _drawn(recording: Recording, view: ViewSpec, at: int | None = None) -> dict[str, list[Primitive]]:
    cursor = default_cursor(recording.store)
    cursor = cursor if at is None else dataclasses.replace(cursor, at=at)
    drawn: dict[str, list[Primitive]] = {}
    for primitive in collect(recording.store, view, cursor).primitives:
        drawn.setdefault(primitive.entity, []).append(primitive)
    return drawn


def _points(drawn: dict[str, list[Primitive]], entity: str) -> Points:
    """The entity's point batches (one per row drawn) as one, in time order."""
    batches = [batch for batch in drawn[entity] if isinstance(batch, Points)]
    assert len(batches) == len(drawn[entity])
    return Points(
        entity,
        np.concatenate([b.positions for b in batches]),
        np.concatenate([b.colors for b in batches]),
        np.concatenate([b.radii for b in batches]),
    )


def _log_two_trails(rec: rr.RecordingStream) -> None:
    for t in range(FRAMES):
        rec.set_time("frame", sequence=t)
        rec.log("a", rr.Points3D(_trail(t), colors=RED, radii=-5))
        rec.log("b", rr.Points3D(_trail(t, 1.0), colors=GREEN, radii=-5))


def test_a_views_window_shows_every_row_inside_it_and_follows_the_cursor(tmp_path: Path) -> None:
    """The last 10 frames of two trails, a batch per row; moving the cursor moves the window."""
    blueprint = rrb.Blueprint(rrb.Spatial3DView(origin="/", time_ranges=[_relative(-9, 0)]))
    recording, view = _view(_save(tmp_path, _log_two_trails, blueprint))
    drawn = _drawn(recording, view)
    expected = np.array([_trail(t)[0] for t in range(20, 30)], np.float32)
    np.testing.assert_allclose(_points(drawn, "/a").positions, expected, rtol=1e-6)
    assert len(_points(drawn, "/b").positions) == len(drawn["/b"]) == 10
    earlier = _drawn(recording, view, at=12)  # the same store, another cursor: not the cached result
    np.testing.assert_allclose(_points(earlier, "/a").positions[[0, -1]], [_trail(3)[0], _trail(12)[0]])


def test_an_entity_override_changes_that_entity_only(tmp_path: Path) -> None:
    """``overrides={"a": [VisibleTimeRanges(...)]}``: /a shows frames 10..19, /b only its latest row."""
    override = rrb.VisibleTimeRanges(
        timeline="frame",
        start=rrb.TimeRangeBoundary.absolute(seq=10),
        end=rrb.TimeRangeBoundary.absolute(seq=19),
    )
    blueprint = rrb.Blueprint(rrb.Spatial3DView(origin="/", overrides={"a": [override]}))
    recording, view = _view(_save(tmp_path, _log_two_trails, blueprint))
    assert [(entity, timeline) for entity, timeline, _ in view.properties.entity_ranges] == [("/a", "frame")]
    drawn = _drawn(recording, view)
    np.testing.assert_allclose(_points(drawn, "/a").positions[[0, -1]], [_trail(10)[0], _trail(19)[0]])
    np.testing.assert_allclose(_points(drawn, "/b").positions, [_trail(29, 1.0)[0]])


def test_fields_logged_before_the_window_do_not_carry_in_but_static_ones_do(tmp_path: Path) -> None:
    """A colour logged at frame 0 is outside the window 10..19 (the automatic colour shows, as in
    the reference); a static radius and a colour logged inside the window apply from their row on."""

    def log(rec: rr.RecordingStream) -> None:
        rec.log("a", rr.Points3D.from_fields(radii=[0.5]), static=True)
        for t in range(FRAMES):
            rec.set_time("frame", sequence=t)
            if t in (0, 15):
                rec.log("a", rr.Points3D.from_fields(colors=[255, 0, 255] if t == 0 else [0, 0, 255]))
            rec.log("a", rr.Points3D.from_fields(positions=_trail(t)))

    blueprint = rrb.Blueprint(rrb.Spatial3DView(origin="/", time_ranges=[_absolute(10, 19)]))
    recording, view = _view(_save(tmp_path, log, blueprint))
    points = _points(_drawn(recording, view), "/a")
    automatic = auto_color("/a")
    assert [tuple(c[:3]) for c in points.colors] == [tuple(automatic[:3])] * 5 + [(0, 0, 255)] * 5
    np.testing.assert_allclose(points.radii, 0.5)


def test_2d_strips_and_shapes_draw_each_row_of_the_window(tmp_path: Path) -> None:
    """Line strips, 2D boxes and 3D boxes: every row of the window."""

    def log(rec: rr.RecordingStream) -> None:
        for t in range(FRAMES):
            rec.set_time("frame", sequence=t)
            rec.log("line", rr.LineStrips2D([[[t * 10, 0], [t * 10, 20]]]))
            rec.log("box", rr.Boxes2D(mins=[t * 10, 30], sizes=[5, 5]))

    blueprint = rrb.Blueprint(rrb.Spatial2DView(origin="/", time_ranges=[_absolute(10, 14)]))
    recording, view = _view(_save(tmp_path, log, blueprint))
    drawn = _drawn(recording, view)
    lines = [p for p in drawn["/line"] if isinstance(p, Segments)]
    np.testing.assert_allclose([line.positions[0, 0] for line in lines], [100, 110, 120, 130, 140])
    boxes = [p for p in drawn["/box"] if isinstance(p, Segments)]
    assert [len(box.positions) for box in boxes] == [4 * 2] * 5, "four edges per box"

    def log_3d(rec: rr.RecordingStream) -> None:
        for t in range(FRAMES):
            rec.set_time("frame", sequence=t)
            rec.log(
                "b", rr.Boxes3D(centers=[[t * 0.2, 0, 0]], half_sizes=[0.05, 0.05, 0.1], fill_mode="solid")
            )

    blueprint = rrb.Blueprint(rrb.Spatial3DView(origin="/", time_ranges=[_absolute(10, 14)]))
    recording, view = _view(_save(tmp_path, log_3d, blueprint))
    meshes = [p for p in _drawn(recording, view)["/b"] if isinstance(p, Triangles)]
    centers = sorted(round(float(mesh.positions[:, 0].mean()), 3) for mesh in meshes)
    assert centers == [2.0, 2.2, 2.4, 2.6, 2.8]


def test_without_a_range_views_show_the_latest_row_and_other_timelines_are_unaffected(tmp_path: Path) -> None:
    """A range on another timeline leaves the view at latest-at on the active one."""
    other = rrb.VisibleTimeRange(
        "time", start=rrb.TimeRangeBoundary.cursor_relative(), end=rrb.TimeRangeBoundary.infinite()
    )
    blueprint = rrb.Blueprint(rrb.Spatial3DView(origin="/", time_ranges=[other]))
    recording, view = _view(_save(tmp_path, _log_two_trails, blueprint))
    assert view.properties.time_window("/a", "frame", 29) is None
    np.testing.assert_allclose(_points(_drawn(recording, view), "/a").positions, [_trail(29)[0]])


def _log_2d_trail(rec: rr.RecordingStream) -> None:
    rec.log("bg", rr.Boxes2D(mins=[0, 0], sizes=[300, 100], colors=[0, 0, 255]), static=True)
    for t in range(FRAMES):
        rec.set_time("frame", sequence=t)
        rec.log("pts", rr.Points2D([[t * 10, 50 + 40 * np.sin(t * 0.3)]], colors=RED, radii=-5))
        rec.log("line", rr.LineStrips2D([[[t * 10, 0], [t * 10, 20]]], colors=GREEN))


def _column_runs(mask: np.ndarray) -> int:
    """How many separate runs of columns hold pixels of ``mask`` (dots and lines spaced apart)."""
    columns = mask.any(axis=0).astype(np.int8)
    return int((np.diff(np.r_[0, columns]) == 1).sum())


def _is(pixels: np.ndarray, color: tuple[int, int, int]) -> np.ndarray:
    return (np.abs(pixels.astype(np.int16) - color) < 60).all(axis=2)


def test_2d_window_shows_ten_dots_and_lines_like_the_reference(tmp_path: Path) -> None:
    """Frames 10..19 of a moving dot and line over a static box: ten of each, in the reference too,
    spread from x = 100 to 190 (of a 300-wide box)."""
    require_gpu()
    blueprint = rrb.Blueprint(rrb.Spatial2DView(origin="/", time_ranges=[_absolute(10, 19)]))
    path = _save(tmp_path, _log_2d_trail, blueprint)
    with Viewer(load_recordings([path]), width=1280, height=720) as viewer:
        pixels = viewer.render()[..., :3]
    views = shell_layout(1280, 720).views
    view = pixels[int(views.y) + 24 : int(views.bottom), int(views.x) : int(views.right)]
    box_columns = np.flatnonzero(_is(view, (0, 0, 255)).any(axis=0))
    red_columns = np.flatnonzero(_is(view, RED).any(axis=0))
    assert _column_runs(_is(view, RED)) == 10 and _column_runs(_is(view, GREEN)) == 10
    span = (red_columns[[0, -1]].mean() - box_columns[0]) / np.ptp(box_columns) * 300
    assert abs(span - 145) < 8, "the dots' middle lies at x ~ 145 of the box"

    def ref_view_of(shot: np.ndarray) -> np.ndarray:
        return shot[72:1080, 400:1960]  # its 2D view, at twice the window size

    # it shoots mid-load at times: retried until all ten dots show
    reference = reference_screenshot(
        tmp_path, path, loaded=lambda shot: _column_runs(_is(ref_view_of(shot), RED)) >= 10
    )
    ref_view = ref_view_of(reference)
    assert _column_runs(_is(ref_view, RED)) == 10 and _column_runs(_is(ref_view, GREEN)) == 10


def test_rows_arriving_inside_a_window_past_the_cursor_show(tmp_path: Path) -> None:
    """Live data: a window 10..19 seen from frame 5 counts rows logged later at frame 15, which the
    rows at the cursor do not tell apart (the cached result must not be kept)."""

    def log(rec: rr.RecordingStream) -> None:
        for t in range(12):
            rec.set_time("frame", sequence=t)
            rec.log("a", rr.Points3D(_trail(t)))

    blueprint = rrb.Blueprint(rrb.Spatial3DView(origin="/", time_ranges=[_absolute(10, 19)]))
    recording, view = _view(_save(tmp_path, log, blueprint))
    assert len(_points(_drawn(recording, view, at=5), "/a").positions) == 2

    def later(rec: rr.RecordingStream) -> None:
        rec.set_time("frame", sequence=15)
        rec.log("a", rr.Points3D(_trail(15)))

    (tmp_path / "more").mkdir()
    more = next(
        r for r in load_recordings([_save(tmp_path / "more", later, blueprint)]) if not r.is_blueprint
    )
    recording.store.insert_many(more.store.chunks())
    np.testing.assert_allclose(_points(_drawn(recording, view, at=5), "/a").positions[-1], _trail(15)[0])
