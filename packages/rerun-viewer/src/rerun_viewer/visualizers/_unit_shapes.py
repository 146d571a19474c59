"""Unit shapes (sphere, capsule, cylinder, box) as triangles and as wireframes, generated once per detail.

Every shape comes in local units that an instance's sizes stretch: a sphere of radius 1, a cylinder
of radius 1 and length 1 centered on the origin along z, a box from -1 to 1. A capsule is a sphere
whose upper half is lifted by the capsule's length, which turns the equator band into its side.
Wireframes are segments as ``(s, 2, 3)`` arrays; "major" ones draw only the lines that show the
logged sizes (the reference's ``MajorWireframe``), "dense" ones the whole surface. Batches of
thousands of shapes use coarser shapes: a software rasterizer pays for every segment and triangle.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

__all__ = ["UnitShape", "box", "capsule", "cylinder", "detail_for", "lift_upper_half", "sphere"]

_LIFT_EPSILON = 1e-6  # above this z, a capsule vertex belongs to the upper cap
# detail -> (sphere rings, sectors of spheres and cylinders, segments per circle)
_DETAIL = {2: (16, 32, 48), 1: (8, 16, 24), 0: (6, 12, 12)}


@dataclass(frozen=True)
class UnitShape:
    """One unit shape: a triangle mesh with its normals, and its two wireframes."""

    vertices: np.ndarray  # (v, 3) float64
    normals: np.ndarray  # (v, 3) float64, unit length
    triangles: np.ndarray  # (t, 3) uint32
    major_wireframe: np.ndarray  # (s, 2, 3)
    dense_wireframe: np.ndarray  # (s, 2, 3)


def detail_for(count: int) -> int:
    """The detail level for a batch of ``count`` shapes: fine for a hundred, coarse beyond a thousand."""
    return 2 if count <= 100 else 1 if count <= 1000 else 0


def _polyline_segments(points: np.ndarray) -> np.ndarray:
    return np.stack([points[:-1], points[1:]], axis=1)


def _circle(plane: tuple[int, int], steps: int, *, offset: float = 0.0) -> np.ndarray:
    """Segments of a unit circle in the plane of two axes, shifted by ``offset`` along the third."""
    angles = np.linspace(0, 2 * np.pi, steps + 1)
    points = np.zeros((steps + 1, 3))
    points[:, plane[0]], points[:, plane[1]] = np.cos(angles), np.sin(angles)
    points[:, 3 - sum(plane)] = offset
    points[np.abs(points) < _LIFT_EPSILON] = 0.0  # exact zeros keep equator points off the lifted half
    return _polyline_segments(points)


def _grid_triangles(rows: int, columns: int) -> np.ndarray:
    """Two triangles per cell of a ``(rows + 1) x (columns + 1)`` vertex grid."""
    row, column = np.meshgrid(np.arange(rows), np.arange(columns), indexing="ij")
    a = (row * (columns + 1) + column).ravel()
    b, c, d = a + 1, a + columns + 1, a + columns + 2
    return np.concatenate([np.stack([a, c, b], 1), np.stack([b, c, d], 1)]).astype(np.uint32)


@functools.cache
def sphere(detail: int = 2) -> UnitShape:
    """A latitude/longitude sphere (an even number of rings, so the equator is a vertex ring at z = 0)."""
    rings, sectors, steps = _DETAIL[detail]
    polar = np.linspace(0, np.pi, rings + 1)[:, None]
    azimuth = np.linspace(0, 2 * np.pi, sectors + 1)[None, :]
    z = np.where(np.abs(np.cos(polar)) < _LIFT_EPSILON, 0.0, np.cos(polar))
    grid = np.stack(
        np.broadcast_arrays(np.sin(polar) * np.cos(azimuth), np.sin(polar) * np.sin(azimuth), z), -1
    )
    parallels = [_polyline_segments(grid[i]) for i in range(1, rings)]
    meridians = [_polyline_segments(grid[:, j]) for j in range(0, sectors, 2)]
    major = [_circle((0, 1), steps), _circle((1, 2), steps), _circle((0, 2), steps)]
    vertices = grid.reshape(-1, 3)
    return UnitShape(
        vertices, vertices, _grid_triangles(rings, sectors), np.concatenate(major),
        np.concatenate(parallels + meridians),
    )  # fmt: skip


@functools.cache
def capsule(detail: int = 2) -> UnitShape:
    """A unit sphere whose wireframes also ring the upper cap, for :func:`lift_upper_half`."""
    base = sphere(detail)
    steps = _DETAIL[detail][2]
    upper_ring = _circle((0, 1), steps, offset=2 * _LIFT_EPSILON)
    major = np.concatenate(
        [_circle((0, 1), steps), upper_ring, _circle((1, 2), steps), _circle((0, 2), steps)]
    )
    dense = np.concatenate([base.dense_wireframe, upper_ring])
    return UnitShape(base.vertices, base.normals, base.triangles, major, dense)


def lift_upper_half(unit_points: np.ndarray, radii: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``(n, p, 3)`` capsule points: unit points scaled by each radius, those above z = 0 lifted by each length."""
    points = unit_points[None] * radii[:, None, None]
    points[..., 2] += (unit_points[:, 2] > _LIFT_EPSILON)[None] * lengths[:, None]
    return points


@functools.cache
def cylinder(detail: int = 2) -> UnitShape:
    """Radius 1, z from -0.5 to 0.5; the caps have their own vertices so they shade flat."""
    sectors = _DETAIL[detail][1]
    angles = np.linspace(0, 2 * np.pi, sectors + 1)
    ring = np.stack([np.cos(angles), np.sin(angles), np.zeros_like(angles)], 1)
    half = np.array([0.0, 0.0, 0.5])
    bottom, top = ring - half, ring + half
    # The side's rows run top-down so its winding faces out; the caps repeat the rings with their own normals.
    vertices = np.concatenate([top, bottom, bottom, top, [-half, half]])
    down, up = np.tile(-2 * half, (sectors + 1, 1)), np.tile(2 * half, (sectors + 1, 1))
    normals = np.concatenate([ring, ring, down, up, [-2 * half, 2 * half]])
    cap_start, center = 2 * (sectors + 1), 4 * (sectors + 1)
    k = np.arange(sectors)
    bottom_cap = np.stack([np.full(sectors, center), cap_start + k + 1, cap_start + k], 1)
    top_cap = np.stack(
        [np.full(sectors, center + 1), cap_start + sectors + 1 + k, cap_start + sectors + 2 + k], 1
    )
    triangles = np.concatenate([_grid_triangles(1, sectors), bottom_cap, top_cap]).astype(np.uint32)
    rings = [_circle((0, 1), sectors, offset=z) for z in (-0.5, 0.5)]
    major = np.concatenate([*rings, np.stack([bottom[:: sectors // 4][:4], top[:: sectors // 4][:4]], 1)])
    dense = np.concatenate([*rings, _circle((0, 1), sectors), np.stack([bottom[:-1:2], top[:-1:2]], 1)])
    return UnitShape(vertices, normals, triangles, major, dense)


@functools.cache
def box() -> UnitShape:
    """From -1 to 1 on every axis; four vertices per face so faces shade flat."""
    faces, normals = [], []
    for axis in range(3):
        u, v = (axis + 1) % 3, (axis + 2) % 3
        for sign in (-1.0, 1.0):
            quad = np.zeros((4, 3))
            quad[:, axis] = sign
            quad[:, u] = [-1, 1, 1, -1]
            quad[:, v] = np.array([-1, -1, 1, 1]) * sign  # counter-clockwise seen from outside
            faces.append(quad)
            normals.append(np.tile(np.eye(3)[axis] * sign, (4, 1)))
    triangles = np.concatenate(
        [[[4 * f, 4 * f + 1, 4 * f + 2], [4 * f, 4 * f + 2, 4 * f + 3]] for f in range(6)]
    )
    corners = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], np.float64)
    edges = [[0, 1], [2, 3], [4, 5], [6, 7], [0, 2], [1, 3], [4, 6], [5, 7], [0, 4], [1, 5], [2, 6], [3, 7]]
    wireframe = corners[np.array(edges)]
    return UnitShape(
        np.concatenate(faces), np.concatenate(normals), triangles.astype(np.uint32), wireframe, wireframe
    )
