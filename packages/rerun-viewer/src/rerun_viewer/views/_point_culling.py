"""Large 3D point clouds on a CPU adapter: the points that nearer points hide are left out before drawing.

lavapipe spends ~1 µs setting up, binning and rasterizing each point's triangle that lands in the
view (100k points of 1–2 px: ~130 ms of CPU a frame), but next to nothing on one outside it. In a
dense cloud most points are behind nearer ones in every pixel they would cover: each frame (when the
data or the camera change) projects the points with numpy, keeps per pixel the depth of the nearest
point covering it, and fills the object's buffers with the points nearest in some pixel they cover,
drawing only those (``tools/bench/bench_viewer.py``'s 100k points: 44.6k drawn, ~9 ms of numpy;
one pixel in 130 000 differs from drawing them all). Pixels follow pygfx's points shader: a point
covers the pixel centers within its radius, a radius never under ``1.415 / 2`` px; points of 2 px
radius or more are always drawn (and hide nothing here), and points as near as the nearest are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pygfx as gfx

from rerun_viewer.views._camera import Projection

__all__ = ["CULL_FROM_POINTS", "CulledPoints", "cullable", "visible_points"]

CULL_FROM_POINTS = 20_000
"""Point objects with this many points are culled; for fewer, numpy's fixed costs outweigh the gain."""

_MIN_RADIUS_PX = 1.415 / 2  # pygfx draws non-anti-aliased points at least this big (radius, pixels)


_TIERS = ((1.0, 2), (1.5, 3), (2.0, 4))
"""Points tested, by radius (px) under a limit: the columns (and rows) of pixels such a point can cover."""
_MARGIN = _TIERS[-1][1]  # pixels around the target in which blocks of pixels may lie


def visible_points(
    positions: np.ndarray, diameters: np.ndarray, *, world_sized: bool, projection: Projection
) -> np.ndarray:
    """Which points can show, as a boolean mask: those in front of the eye that are the nearest (or as
    near) in some pixel they cover, and all those of 2 px radius or more."""
    width, height = projection.width, projection.height
    clip_x, clip_y, clip_z, w = _clip_coordinates(positions, projection.clip_from_view)
    in_front = (w > 0) & np.isfinite(w)  # a finite w: finite coordinates throughout
    safe_w = np.where(in_front, w, 1.0)
    radii = diameters / 2
    if world_sized:
        radii = radii * np.float32(projection.focal_y * height / 2) / safe_w
    disks = _Disks(
        (clip_x / safe_w + 1) * (width / 2),
        (1 - clip_y / safe_w) * (height / 2),
        np.where(in_front, np.maximum(radii, _MIN_RADIUS_PX), np.inf),  # behind the eye: in no tier
        clip_z / safe_w,
    )
    big = in_front & (disks.radii >= _TIERS[-1][0])
    return big | _nearest_in_some_pixel(disks, (width, height))


@dataclass(frozen=True)
class _Disks:
    """Points as drawn: centers in pixels (x right, y down), radii in pixels, depths as compared."""

    x: np.ndarray
    y: np.ndarray
    radii: np.ndarray
    depth: np.ndarray


def _clip_coordinates(positions: np.ndarray, clip_from_world: np.ndarray) -> list[np.ndarray]:
    """x, y, z and w in clip space, one row of the matrix at a time: a matrix product would go
    through BLAS, whose threads spin on the cores that lavapipe renders with."""
    columns = np.ascontiguousarray(positions.T)  # each axis contiguous: the products run faster
    matrix = np.asarray(clip_from_world, np.float32)
    return [columns[0] * row[0] + columns[1] * row[1] + columns[2] * row[2] + row[3] for row in matrix]


def _nearest_in_some_pixel(disks: _Disks, size: tuple[int, int]) -> np.ndarray:
    """Whether each disk under 2 px of radius is the nearest, or as near, in some pixel it covers: the
    pixels whose centers are within its radius, found in the block of pixels it can reach.

    Pixels are counted in the target with a margin as wide as the widest block all around, so that a
    block never needs clipping: depths land in the margin like anywhere else, but nothing is the
    nearest there. Candidate pixels a disk does not cover count as one more pixel, after the margin.
    """
    width, height = size
    padded = (height + 2 * _MARGIN, width + 2 * _MARGIN)
    uncovered = padded[0] * padded[1]
    tiers = []
    lower = 0.0
    for limit, span in _TIERS:
        which = np.flatnonzero((disks.radii >= lower) & (disks.radii < limit))
        lower = limit
        if len(which):
            tiers.append((which, disks.depth[which], _covered_pixels(disks, which, span, size, uncovered)))
    nearest = np.full(uncovered + 1, np.inf, np.float32)
    for _, depth, pixels in tiers:
        for candidate in pixels:
            np.minimum.at(nearest, candidate, depth)
    image = nearest[:uncovered].reshape(padded)
    for margin in (image[:_MARGIN], image[-_MARGIN:], image[:, :_MARGIN], image[:, -_MARGIN:]):
        margin[...] = -np.inf
    nearest[uncovered] = -np.inf
    shown = np.zeros(len(disks.x), bool)
    for which, depth, pixels in tiers:
        nearest_somewhere = np.zeros(len(which), bool)
        for candidate in pixels:
            nearest_somewhere |= depth <= nearest[candidate]
        shown[which] = nearest_somewhere
    return shown


def _covered_pixels(
    disks: _Disks, which: np.ndarray, span: int, size: tuple[int, int], uncovered: int
) -> list[np.ndarray]:
    """For each pixel of the ``span`` x ``span`` blocks from the first pixel each of the ``which``
    disks reaches: its index in the padded target where the disk covers its center, else ``uncovered``."""
    width, height = size
    x, y, radii = disks.x[which], disks.y[which], disks.radii[which]
    first_column = np.clip(np.ceil(x - 0.5 - radii), -_MARGIN, width)  # beyond the margin: covers nothing
    first_row = np.clip(np.ceil(y - 0.5 - radii), -_MARGIN, height)
    columns = _squared_distances(first_column + 0.5 - x, span)
    rows = _squared_distances(first_row + 0.5 - y, span)
    stride = width + 2 * _MARGIN
    rows_above, columns_left = (
        (first_row + _MARGIN).astype(np.int32),
        (first_column + _MARGIN).astype(np.int32),
    )
    first = rows_above * stride + columns_left  # int32: half the memory of intp, measured faster
    squared_radii = radii * radii
    return [
        np.where(column_distance + row_distance <= squared_radii, first + (row * stride + column), uncovered)
        for row, row_distance in enumerate(rows)
        for column, column_distance in enumerate(columns)
    ]


def _squared_distances(offsets: np.ndarray, span: int) -> list[np.ndarray]:
    """Squared distances to the centers of ``span`` pixels in a line, ``offsets`` from the first."""
    return [np.square(offsets + step if step else offsets) for step in range(span)]


class CulledPoints(gfx.Points):
    """A points object whose buffers hold, each frame, the points that can show (:func:`visible_points`).

    Its full arrays stay here (never written to); the buffers, copies with room for all of them,
    draw their first ones.
    Only for opaque points drawn with depth: otherwise what is behind shows through.
    """

    def __init__(self, arrays: dict[str, np.ndarray], material: gfx.PointsMaterial) -> None:
        super().__init__(gfx.Geometry(**{name: array.copy() for name, array in arrays.items()}), material)
        self.arrays = arrays
        self._opaque = _opaque(arrays)
        self._shown: np.ndarray | None = None  # the mask now in the buffers
        self._culled_through: Projection | None = None  # the projection it was culled for

    def set_arrays(self, arrays: dict[str, np.ndarray]) -> None:
        """New points (as many as before), drawn after the next :meth:`cull` (all of them, if some
        are translucent)."""
        self.arrays = arrays
        self._opaque = _opaque(arrays)
        self._shown = None

    def cull(self, projection: Projection) -> None:
        """Fill the buffers with the points that can show through ``projection``."""
        if self._shown is not None and _same_projection(projection, self._culled_through):
            return  # the same points seen the same way: the buffers hold what can show
        self._culled_through = projection
        world_sized = self.material.size_space == "world"
        arrays = self.arrays
        if self._opaque:
            shown = visible_points(
                arrays["positions"], arrays["sizes"], world_sized=world_sized, projection=projection
            )
        else:
            shown = np.ones(len(arrays["positions"]), bool)
        if self._shown is not None and np.array_equal(shown, self._shown):
            return
        self._shown = shown
        which = np.flatnonzero(shown)
        count = len(which)
        for name, array in arrays.items():
            buffer = getattr(self.geometry, name)
            np.take(array, which, axis=0, out=buffer.data[:count])
            buffer.update_range(0, count)
        self.geometry.positions.draw_range = (0, count)


def _same_projection(projection: Projection, other: Projection | None) -> bool:
    return (
        other is not None
        and (projection.width, projection.height, projection.focal_y)
        == (other.width, other.height, other.focal_y)
        and np.array_equal(projection.clip_from_view, other.clip_from_view)
    )


def _opaque(arrays: dict[str, np.ndarray]) -> bool:
    return bool((arrays["colors"][:, 3] >= 1).all())


def cullable(arrays: dict[str, np.ndarray], *, depth_tested: bool) -> bool:
    """Whether a points object gains from culling and may be culled (opaque, drawn with depth)."""
    return depth_tested and len(arrays["positions"]) >= CULL_FROM_POINTS and _opaque(arrays)
