"""Which points the culling keeps, against a pixel-by-pixel account of the same rule (a point shows
where it is the nearest, or as near, in some pixel whose center it covers; points of 2 px radius or
more always show), on clouds with points of every size, at the edges, outside and behind the eye; and
that a cloud seen again the same way is not culled again."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _viewer_support import require_gpu

from rerun_viewer.views import _point_culling
from rerun_viewer.views._camera import Projection
from rerun_viewer.views._point_culling import CulledPoints, visible_points

_WIDTH, _HEIGHT = 40, 30
_MIN_RADIUS_PX = 1.415 / 2


def _perspective() -> Projection:
    """Looking down -z from the origin (OpenGL-style clip space), focal length 1.5."""
    near, far = 0.1, 100.0
    matrix = np.array(
        [
            [1.5 * _HEIGHT / _WIDTH, 0, 0, 0],
            [0, 1.5, 0, 0],
            [0, 0, far / (near - far), near * far / (near - far)],
            [0, 0, -1, 0],
        ]
    )
    return Projection(matrix, focal_y=1.5, width=_WIDTH, height=_HEIGHT)


def _pixel_by_pixel(
    positions: np.ndarray, diameters: np.ndarray, world_sized: bool, projection: Projection
) -> list[bool]:
    clip = np.c_[positions, np.ones(len(positions))].astype(np.float32) @ projection.clip_from_view.T.astype(
        np.float32
    )
    disks: list[tuple[tuple[float, float], float, float] | None] = []
    for (x, y, z, w), diameter in zip(clip, diameters, strict=True):
        if not w > 0:
            disks.append(None)
            continue
        radius = diameter / 2 * (projection.focal_y * _HEIGHT / 2 / w if world_sized else 1)
        center = ((x / w + 1) * _WIDTH / 2, (1 - y / w) * _HEIGHT / 2)
        disks.append((center, max(radius, _MIN_RADIUS_PX), z / w))
    covers: dict[int, list[tuple[int, int]]] = {}
    nearest: dict[tuple[int, int], float] = {}
    for index, disk in enumerate(disks):
        if disk is None or disk[1] >= 2:
            continue
        (cx, cy), radius, depth = disk
        covers[index] = [
            (px, py)
            for px in range(max(0, math.floor(cx - radius)), min(_WIDTH, math.ceil(cx + radius) + 1))
            for py in range(max(0, math.floor(cy - radius)), min(_HEIGHT, math.ceil(cy + radius) + 1))
            if (px + 0.5 - cx) ** 2 + (py + 0.5 - cy) ** 2 <= radius**2
        ]
        for pixel in covers[index]:
            nearest[pixel] = min(nearest.get(pixel, math.inf), depth)
    return [
        disk is not None and (disk[1] >= 2 or any(disk[2] <= nearest[pixel] for pixel in covers[index]))
        for index, disk in enumerate(disks)
    ]


@pytest.mark.parametrize("world_sized", [False, True], ids=["ui-sized", "world-sized"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_kept_points_are_those_nearest_in_some_pixel(seed: int, world_sized: bool) -> None:
    rng = np.random.default_rng(seed)
    count = 3_000
    depth = rng.uniform(-6, 1, count)  # some behind the eye (z > 0)
    spread = np.abs(depth)[:, None] * rng.uniform(-1.0, 1.0, (count, 2))  # some beyond the edges
    positions = np.c_[spread, depth].astype(np.float32)
    diameters = (rng.uniform(0.005, 0.06, count) if world_sized else rng.uniform(0.1, 5, count)).astype(
        np.float32
    )
    projection = _perspective()
    shown = visible_points(positions, diameters, world_sized=world_sized, projection=projection)
    expected = _pixel_by_pixel(positions, diameters, world_sized, projection)
    assert 0.1 * count < sum(expected) < 0.9 * count, "a real mix of shown and hidden points"
    assert shown.tolist() == expected


def test_a_cloud_seen_again_the_same_way_is_not_culled_again(monkeypatch: pytest.MonkeyPatch) -> None:
    require_gpu()
    import pygfx as gfx

    calls: list[int] = []
    original = _point_culling.visible_points

    def counted(*args: object, **kwargs: object) -> np.ndarray:
        calls.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_point_culling, "visible_points", counted)
    rng = np.random.default_rng(4)
    arrays = {
        "positions": np.c_[rng.uniform(-1, 1, (100, 2)), rng.uniform(-5, -2, 100)].astype(np.float32),
        "colors": np.ones((100, 4), np.float32),
        "sizes": np.full(100, 1.5, np.float32),
    }
    material = gfx.PointsMaterial(color_mode="vertex", size_mode="vertex", size_space="screen", aa=False)
    points = CulledPoints(arrays, material)
    projection = _perspective()
    points.cull(projection)
    points.cull(Projection(projection.clip_from_view.copy(), 1.5, _WIDTH, _HEIGHT))
    assert len(calls) == 1
    moved = projection.clip_from_view.copy()
    moved[0, 3] = 0.1
    points.cull(Projection(moved, 1.5, _WIDTH, _HEIGHT))
    assert len(calls) == 2, "a moved camera culls again"
    points.set_arrays({**arrays, "positions": arrays["positions"] * 0.5})
    points.cull(Projection(moved, 1.5, _WIDTH, _HEIGHT))
    assert len(calls) == 3, "new points are culled again"
