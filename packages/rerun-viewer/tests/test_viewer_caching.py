"""Performance machinery, checked for correctness (never for timings): decimation keeps the extremes,
unchanged inputs are not collected, built or rendered again, and 5000 entities merge into one object
that still draws every entity in its place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pygfx as gfx
import pytest
from _viewer_support import require_gpu

import rerun as rr
from rerun_viewer import Viewer, ViewKind, auto_views, default_cursor, load_recordings
from rerun_viewer._primitives import Points, Segments
from rerun_viewer._recording import Recording
from rerun_viewer._time import TimeCursor
from rerun_viewer._transforms import TransformResolver
from rerun_viewer._view_core import collect
from rerun_viewer.views._plot import decimate
from rerun_viewer.views._scene import OBJECT_BUILDS

Logger = Callable[[rr.RecordingStream], None]
RED, GREEN = (255, 0, 0), (0, 255, 0)


def _load(tmp_path: Path, log: Logger) -> Recording:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "perf.rrd"
    stream = rr.RecordingStream("perf_test", recording_id="perf_test")
    stream.save(str(path))
    log(stream)
    stream.disconnect()
    (recording,) = load_recordings([path])
    return recording


# -- decimation ------------------------------------------------------------------------------------


def test_decimation_keeps_every_columns_min_and_max() -> None:
    rng = np.random.default_rng(7)
    times = np.sort(rng.uniform(0, 1000, 50_000))
    values = rng.normal(size=len(times))
    values[rng.integers(0, len(values), 50)] = np.nan
    columns = 300
    kept_times, kept_values = decimate(times, values, columns)
    assert len(kept_times) <= 2 * columns
    assert np.all(np.diff(kept_times) >= 0), "decimated samples must stay in time order"
    bucket = np.minimum(((times - times[0]) * (columns / (times[-1] - times[0]))).astype(int), columns - 1)
    kept_bucket = np.minimum(
        ((kept_times - times[0]) * (columns / (times[-1] - times[0]))).astype(int), columns - 1
    )
    for column in range(0, columns, 7):
        inside = values[bucket == column]
        kept = kept_values[kept_bucket == column]
        assert np.nanmin(kept) == np.nanmin(inside) and np.nanmax(kept) == np.nanmax(inside)


def test_decimation_leaves_short_series_alone() -> None:
    times, values = np.arange(100.0), np.arange(100.0) ** 2
    kept_times, kept_values = decimate(times, values, 50)
    assert kept_times is times and kept_values is values


def _spiky_series(stream: rr.RecordingStream) -> None:
    """200 000 zeros but for one sample at +1 and one at -1: a stride would miss both."""
    values = np.zeros(200_000)
    values[70_001], values[140_003] = 1.0, -1.0
    stream.log("spiky", rr.SeriesLines(colors=[RED], widths=[1.0]), static=True)
    stream.send_columns(
        "spiky", indexes=[rr.TimeColumn("step", sequence=np.arange(len(values)))],
        columns=rr.Scalars.columns(scalars=values),
    )  # fmt: skip


def test_time_series_draws_the_extremes_of_a_long_series(tmp_path: Path) -> None:
    require_gpu()
    recording = _load(tmp_path, _spiky_series)
    with Viewer([recording], width=640, height=400) as viewer:
        pixels = viewer.render()[..., :3].astype(int)
    red = (pixels[..., 0] > 180) & (pixels[..., 1] < 90) & (pixels[..., 2] < 90)
    rows = np.flatnonzero(red.any(axis=1))
    assert len(rows), "the series line is not drawn"
    zero_row = int(np.bincount(np.nonzero(red)[0]).argmax())  # the flat line at 0
    up, down = zero_row - rows.min(), rows.max() - zero_row
    assert up > 60 and down > 60, (
        f"spikes lost: line spans rows {rows.min()}..{rows.max()}, zero at {zero_row}"
    )
    assert abs(up - down) <= 6, "+1 and -1 must lie as far from 0"


# -- caching ---------------------------------------------------------------------------------------


def _moving_points(stream: rr.RecordingStream) -> None:
    """Points at steps 0 and 10 only (nothing in between)."""
    for step, x in ((0, 0.0), (10, 1.0)):
        stream.set_time("step", sequence=step)
        stream.log("points", rr.Points3D([[x, 0, 0], [x, 1, 0], [x, 0, 1]], colors=[RED]))


def test_collect_reuses_contents_until_data_changes(tmp_path: Path) -> None:
    store = _load(tmp_path, _moving_points).store
    (spec,) = auto_views(store)
    timeline = default_cursor(store).timeline
    first = collect(store, spec, TimeCursor(timeline, 3))
    in_the_gap = collect(store, spec, TimeCursor(timeline, 7))
    assert in_the_gap.primitives is first.primitives, "no data between 3 and 7: nothing to collect again"
    assert in_the_gap.cursor.at == 7
    moved = collect(store, spec, TimeCursor(timeline, 10))
    assert moved.primitives is not first.primitives
    (points,) = moved.primitives
    assert isinstance(points, Points) and points.positions[0, 0] == pytest.approx(1.0)


def test_collect_sees_new_data_at_the_same_cursor(tmp_path: Path) -> None:
    store = _load(tmp_path, _moving_points).store
    (spec,) = auto_views(store)
    cursor = default_cursor(store)
    before = collect(store, spec, cursor)
    more = _load(tmp_path / "more", lambda s: s.log("points", rr.Points3D([[5, 5, 5]]), static=True)).store
    store.insert_many(more.chunks())
    after = collect(store, spec, cursor)
    assert after.primitives is not before.primitives
    (points,) = after.primitives
    assert isinstance(points, Points) and points.positions.tolist() == [[5.0, 5.0, 5.0]]


def test_an_unchanged_frame_renders_no_view_and_builds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_gpu()
    renders: list[object] = []
    original = gfx.WgpuRenderer.render

    def counting(self: gfx.WgpuRenderer, *args: object, **kwargs: object) -> None:
        renders.append(args[0])
        original(self, *args, **kwargs)

    monkeypatch.setattr(gfx.WgpuRenderer, "render", counting)
    with Viewer([_load(tmp_path, _moving_points)], width=480, height=320) as viewer:
        viewer.set_time(3)
        first = viewer.render()
        assert len(renders) == 1, "the 3D view renders once per frame, not once per UI pass"
        builds = (OBJECT_BUILDS.made, OBJECT_BUILDS.refilled)
        again = viewer.render()
        assert len(renders) == 1, "nothing changed: the view's texture is shown as it is"
        viewer.set_time(7)  # no data between 3 and 7
        viewer.render()
        unchanged = (OBJECT_BUILDS.made, OBJECT_BUILDS.refilled)
        assert unchanged == builds, "the same primitives keep their objects"
        viewer.set_time(10)
        moved = viewer.render()
        moved_builds = (OBJECT_BUILDS.made, OBJECT_BUILDS.refilled)
        assert moved_builds == (builds[0], builds[1] + 1), "moved points refill their object, none is made"
        assert len(renders) >= 2
    assert np.array_equal(first, again)
    assert not np.array_equal(first, moved), "new data must show"


# -- many entities ---------------------------------------------------------------------------------


def _grid_of_strips(stream: rr.RecordingStream) -> None:
    """5000 entities on a 100 x 50 grid (z = 0), each with its own translation and a 10-point strip;
    red on the left half (x < 0), green on the right."""
    strip = np.stack([np.linspace(0, 0.6, 10), np.zeros(10), np.zeros(10)], axis=1)
    for index in range(5_000):
        column, row = index % 100, index // 100
        color = RED if column < 50 else GREEN
        stream.log(
            f"grid/e{index}", rr.Transform3D(translation=[column - 50, row - 25, 0]),
            rr.LineStrips3D([strip], colors=[color]),  # default: 3 px wide, as 0.41
        )  # fmt: skip


@pytest.fixture(scope="module")
def grid_of_strips(tmp_path_factory: pytest.TempPathFactory) -> Recording:
    return _load(tmp_path_factory.mktemp("grid"), _grid_of_strips)


def test_5000_entities_are_placed_each_by_its_transform(grid_of_strips: Recording) -> None:
    store = grid_of_strips.store
    (spec,) = [view for view in auto_views(store) if view.kind == ViewKind.SPATIAL_3D]
    contents = collect(store, spec, default_cursor(store))
    segments = [p for p in contents.primitives if isinstance(p, Segments)]
    assert len(segments) == 5_000
    by_entity = {p.entity: p for p in segments}
    for index in (0, 1234, 4999):
        column, row = index % 100, index // 100
        start = by_entity[f"/grid/e{index}"].positions[0]
        assert start.tolist() == pytest.approx([column - 50, row - 25, 0])
    resolver = TransformResolver(store, default_cursor(store), "/")
    assert resolver.origin_from("/grid/e77")[:3, 3].tolist() == pytest.approx([27, -25, 0])


def test_5000_entities_draw_as_one_object_in_their_places(grid_of_strips: Recording) -> None:
    require_gpu()
    with Viewer([grid_of_strips], width=800, height=500) as viewer:
        pixels = viewer.render()[..., :3].astype(int)
        (renderer,) = [entry for entry in viewer._frame.cache.values() if hasattr(entry, "projection")]
        lines = [obj for obj in renderer._content.children if isinstance(obj, gfx.Line)]
        assert len(lines) == 1, "every strip of the view merges into one line object"
        assert lines[0].geometry.positions.nitems == 5_000 * 9 * 2
    red = (pixels[..., 0] > 150) & (pixels[..., 1] < 80)
    green = (pixels[..., 1] > 150) & (pixels[..., 0] < 80)
    assert red.sum() > 800 and green.sum() > 800, (red.sum(), green.sum())  # the reference's framing
    red_x, green_x = np.nonzero(red)[1], np.nonzero(green)[1]
    assert np.percentile(red_x, 90) < np.percentile(green_x, 10) + 40, "red strips lie left of green ones"


def test_many_thin_segments_draw_as_one_pixel_lines_on_a_cpu_adapter() -> None:
    require_gpu()
    from rerun_viewer import get_gpu
    from rerun_viewer.views._scene import THIN_LINES_FROM_SEGMENTS, _line_material

    many = _line_material(-0.75, THIN_LINES_FROM_SEGMENTS)
    assert isinstance(many, gfx.LineThinSegmentMaterial) == get_gpu().is_cpu
    for radius, segments in ((-0.75, 10), (-3.0, THIN_LINES_FROM_SEGMENTS), (0.1, THIN_LINES_FROM_SEGMENTS)):
        material = _line_material(radius, segments)
        assert not isinstance(material, gfx.LineThinSegmentMaterial), (radius, segments)
        assert material.thickness == pytest.approx(2 * abs(radius))


def test_smooth_normals_average_the_adjacent_faces() -> None:
    from rerun_viewer.views._scene import smooth_normals

    # two triangles folded along the x axis: one in the z = 0 plane, one in the y = 0 plane
    positions = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], np.float32)
    normals = smooth_normals(positions, np.array([[0, 1, 2], [0, 3, 1]], np.uint32))
    diagonal = np.array([0, 1, 1]) / np.sqrt(2)
    assert normals[0] == pytest.approx(diagonal) and normals[1] == pytest.approx(diagonal)
    assert normals[2] == pytest.approx([0, 0, 1]) and normals[3] == pytest.approx([0, 1, 0])


def test_distinct_times_match_numpys_unique() -> None:
    from rerun_viewer._time import distinct_times

    times = np.random.default_rng(9).integers(-1_000, 1_000, 5_000)
    assert np.array_equal(distinct_times(times), np.unique(times))
    assert len(distinct_times(np.zeros(0, np.int64))) == 0
