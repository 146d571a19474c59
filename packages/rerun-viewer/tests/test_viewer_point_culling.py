"""Large 3D point clouds on CPU adapters draw only the points that can show: which points those are,
and that the view's pixels are those of drawing every point."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _viewer_support import require_gpu

import rerun as rr
from rerun_viewer import ViewKind, auto_views, default_cursor, load_recordings
from rerun_viewer._state import CameraState
from rerun_viewer._time import TimeCursor
from rerun_viewer._view_core import collect
from rerun_viewer.views import _point_culling
from rerun_viewer.views._camera import Projection
from rerun_viewer.views._point_culling import CulledPoints, visible_points
from rerun_viewer.views._spatial import SpatialRenderer

# Orthographic, 10x10 pixels: x and y in [-1, 1] span the target, depth is z.
_ORTHO = Projection(np.eye(4), focal_y=1.0, width=10, height=10)


def _at_pixel(x: float, y: float, z: float) -> list[float]:
    """The scene position drawn at pixel coordinates (x, y) (pixel centers at .5) and depth z."""
    return [x / 5 - 1, 1 - y / 5, z]


def test_a_point_shows_where_it_is_the_nearest_in_some_pixel_it_covers() -> None:
    positions = np.array(
        [
            _at_pixel(5.5, 5.5, 0.1),  # covers pixel (5, 5) alone
            _at_pixel(5.5, 5.5, 0.5),  # the same pixel, farther: hidden
            _at_pixel(6.0, 5.5, 0.5),  # pixels (5, 5) and (6, 5): the second is its own
            _at_pixel(5.5, 5.5, 0.9),  # farther still, but 2.5 px of radius: always drawn
            _at_pixel(30.0, 5.5, 0.0),  # outside the target
            _at_pixel(5.5, 5.5, 0.1),  # as near as the first: kept too (the GPU keeps the first drawn)
        ],
        np.float32,
    )
    diameters = np.array([1.5, 1.5, 1.5, 5.0, 1.5, 1.5], np.float32)
    shown = visible_points(positions, diameters, world_sized=False, projection=_ORTHO)
    assert shown.tolist() == [True, False, True, True, False, True]


def test_points_smaller_than_pygfx_draws_them_cover_its_least_disc() -> None:
    """A 0.2 px point still covers the pixel center 0.7 px away (pygfx draws at least 1.415 px)."""
    positions = np.array([_at_pixel(5.5, 5.5, 0.1), _at_pixel(6.0, 6.0, 0.5)], np.float32)
    shown = visible_points(positions, np.full(2, 0.2, np.float32), world_sized=False, projection=_ORTHO)
    assert shown.tolist() == [True, True], "the second covers (6, 6), (5, 6) and (6, 5) alone"


@pytest.fixture(scope="module")
def cloud_contents(tmp_path_factory: pytest.TempPathFactory) -> object:
    path = Path(tmp_path_factory.mktemp("cloud")) / "cloud.rrd"
    stream = rr.RecordingStream("point_culling", recording_id="cloud")
    stream.save(str(path))
    rng = np.random.default_rng(7)
    positions = rng.normal(size=(40_000, 3)).astype(np.float32)
    colors = rng.integers(0, 255, size=(40_000, 3), dtype=np.uint8)
    stream.log("cloud", rr.Points3D(positions, colors=colors, radii=0.01), static=True)
    stream.disconnect()
    (recording,) = load_recordings([path])
    (spec,) = [view for view in auto_views(recording.store) if view.kind == ViewKind.SPATIAL_3D]
    return collect(recording.store, spec, TimeCursor(default_cursor(recording.store).timeline, 0))


def _render(contents: object, camera: CameraState) -> tuple[np.ndarray, SpatialRenderer]:
    from rerun_viewer._gpu import get_gpu, read_texture

    renderer = SpatialRenderer(get_gpu())
    renderer.render(contents, 480, 270, camera)  # type: ignore[arg-type]
    return read_texture(get_gpu().device, renderer.display_texture)[..., :3].astype(int), renderer


@pytest.mark.parametrize("camera", [CameraState(), CameraState().orbited(0.6, 0.2).zoomed(2.0)])
def test_a_culled_cloud_draws_the_pixels_of_the_whole_cloud(
    cloud_contents: object, camera: CameraState, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_gpu()
    from rerun_viewer import get_gpu

    if not get_gpu().is_cpu:
        pytest.skip("culling is for CPU adapters")
    culled, renderer = _render(cloud_contents, camera)
    (points,) = renderer._culled
    drawn = points.geometry.positions.draw_range[1]
    assert drawn < 0.8 * len(points.arrays["positions"]), "a good part of the cloud is hidden"
    monkeypatch.setattr(_point_culling, "CULL_FROM_POINTS", 10**9)
    whole, renderer = _render(cloud_contents, camera)
    assert not renderer._culled
    covered = (whole > 40).any(axis=2).sum()
    assert covered > 0.2 * whole.shape[0] * whole.shape[1], "the cloud covers a good part of the view"
    differing = (np.abs(culled - whole) > 2).any(axis=2).sum()
    assert differing <= covered // 2000, f"{differing} of {covered} pixels differ"


def test_culled_points_take_new_arrays_and_draw_them() -> None:
    """A refilled culled object culls its new points at the next frame, not its old ones."""
    require_gpu()
    import pygfx as gfx

    def arrays(z: float) -> dict[str, np.ndarray]:
        positions = np.array([_at_pixel(5.5, 5.5, z), _at_pixel(5.5, 5.5, 0.5)], np.float32)
        return {
            "positions": positions,
            "colors": np.ones((2, 4), np.float32),
            "sizes": np.full(2, 1.5, np.float32),
        }

    material = gfx.PointsMaterial(color_mode="vertex", size_mode="vertex", size_space="screen", aa=False)
    points = CulledPoints(arrays(0.1), material)
    points.cull(_ORTHO)
    assert points.geometry.positions.draw_range == (0, 1)
    assert np.array_equal(points.geometry.positions.data[0], arrays(0.1)["positions"][0])
    points.set_arrays(arrays(0.9))  # now the first point is behind the second
    points.cull(_ORTHO)
    assert points.geometry.positions.draw_range == (0, 1)
    assert np.array_equal(points.geometry.positions.data[0], arrays(0.9)["positions"][1])
