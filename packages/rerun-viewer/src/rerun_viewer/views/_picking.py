"""Picking on the CPU: which instance of which entity lies under a pixel of a spatial view.

The primitives are plain data and the view keeps its projection, so picking projects them the
same way the GPU drew them (no readback, which a software adapter makes slow). Points are picked
per instance; lines, meshes and images pick their entity. Of everything under the mouse the nearest
to the eye wins, as it is what the user sees there; in flat (2D) views, where nothing is nearer,
points win over lines, lines over meshes, meshes over images.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rerun_viewer._primitives import ImageLayer, Points, Primitive, Segments, Triangles
from rerun_viewer._state import Selection
from rerun_viewer.views._camera import Projection

__all__ = ["Marker", "PickIndex", "edges", "markers", "pick"]

SLACK_PX = 3.0  # how far outside a point's disc a click still hits it
MAX_OUTLINED_TRIANGLES = 5_000  # bigger meshes are not outlined (the UI would draw every edge)


_Hit = tuple[tuple[bool, float], Selection]  # ((only within the slack, depth), what)


@dataclass(frozen=True)
class Marker:
    """Where an instance shows on screen: its center and radius in texture pixels."""

    x: float
    y: float
    radius: float


def _projected(points: Points, projection: Projection) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pixels, in_front = projection.to_pixels(points.positions)
    finite = np.isfinite(pixels).all(axis=1)
    return pixels, in_front & finite, projection.radii_to_pixels(points.positions, points.radii)


def _concat(parts: list[np.ndarray], shape: tuple[int, ...], dtype: type = np.float64) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(shape, dtype)


def _owners(sizes: list[tuple[int, int]]) -> np.ndarray:
    """Which primitive each element belongs to, for (primitive index, element count) pairs."""
    return _concat([np.full(count, index, np.intp) for index, count in sizes], (0,), np.intp)


class PickIndex:
    """Every primitive's screen geometry under one projection, batched: a pick is a few numpy passes
    however many entities the view holds."""

    def __init__(self, primitives: list[Primitive], projection: Projection) -> None:
        self.primitives, self.projection = primitives, projection
        self._flat = bool(np.allclose(projection.clip_from_view[3], [0, 0, 0, 1]))  # no perspective depth
        self._index_points()
        self._index_segments()
        self._index_triangles()
        self._images = [(i, p) for i, p in enumerate(primitives) if isinstance(p, ImageLayer)]

    def _index_points(self) -> None:
        points = [(i, p) for i, p in enumerate(self.primitives) if isinstance(p, Points) and len(p.positions)]
        positions = _concat([p.positions for _, p in points], (0, 3))
        radii = _concat([p.radii for _, p in points], (0,))
        pixels, visible = self.projection.to_pixels(positions)
        keep = visible & np.isfinite(pixels).all(axis=1)
        self._point_pixels = pixels[keep]
        self._point_radii = self.projection.radii_to_pixels(positions, radii)[keep]
        self._point_owners = _owners([(i, len(p.positions)) for i, p in points])[keep]
        self._point_instances = _concat([np.arange(len(p.positions)) for _, p in points], (0,), np.intp)[keep]
        fronts = 0 if self._flat else np.maximum(radii, 0)  # a sphere's front faces the eye
        self._point_depths = (self._depths(positions) - fronts)[keep]

    def _index_segments(self) -> None:
        lines = [
            (i, p) for i, p in enumerate(self.primitives) if isinstance(p, Segments) and len(p.positions)
        ]
        ends = _concat([p.positions.reshape(-1, 2, 3) for _, p in lines], (0, 2, 3))
        radii = _concat([p.radii[: len(p.positions) // 2] for _, p in lines], (0,))
        pixels, visible = self.projection.to_pixels(ends.reshape(-1, 3))
        keep = visible.reshape(-1, 2).all(axis=1) & np.isfinite(pixels).reshape(-1, 4).all(axis=1)
        self._segment_pixels = pixels.reshape(-1, 2, 2)[keep]
        reach = self.projection.radii_to_pixels(ends.mean(axis=1), radii) + SLACK_PX
        self._segment_reach = reach[keep]
        self._segment_owners = _owners([(i, len(p.positions) // 2) for i, p in lines])[keep]
        self._segment_depths = self._depths(ends.reshape(-1, 3)).reshape(-1, 2)[keep]
        self._segment_radii = np.maximum(radii, 0)[keep]

    def _index_triangles(self) -> None:
        meshes = [
            (i, p) for i, p in enumerate(self.primitives) if isinstance(p, Triangles) and len(p.indices)
        ]
        corners = _concat([p.positions[p.indices.astype(np.intp)] for _, p in meshes], (0, 3, 3))
        pixels, visible = self.projection.to_pixels(corners.reshape(-1, 3))
        keep = visible.reshape(-1, 3).all(axis=1) & np.isfinite(pixels).reshape(-1, 6).all(axis=1)
        self._triangle_pixels = pixels.reshape(-1, 3, 2)[keep]
        self._triangle_owners = _owners([(i, len(p.indices)) for i, p in meshes])[keep]
        self._triangle_depths = self._depths(corners.reshape(-1, 3)).reshape(-1, 3)[keep]

    def _depths(self, positions: np.ndarray) -> np.ndarray:
        """Distance along the view axis (clip w; positive in front); all zero in flat views."""
        if self._flat:
            return np.zeros(len(positions))
        return (
            np.c_[positions.astype(np.float64), np.ones(len(positions))] @ self.projection.clip_from_view[3]
        )

    def _selection(self, owner: int, instance: int | None = None) -> Selection:
        return Selection(self.primitives[owner].entity, instance)

    def pick(self, x: float, y: float) -> Selection | None:
        """What lies under (x, y): of the point (the closest to its center), line and mesh drawn there,
        the nearest; on equal depths (flat views) in that order. Only when none is drawn right there,
        what is within a few pixels (:data:`SLACK_PX`); images last."""
        hits = [
            hit
            for hit in (self._pick_point(x, y), self._pick_segment(x, y), self._pick_triangle(x, y))
            if hit is not None
        ]
        if hits:
            return min(hits, key=lambda hit: hit[0])[1]  # min keeps the first of equal ranks
        for owner, image in self._images:
            if _image_hit(image, self.projection, x, y):
                return self._selection(owner)
        return None

    def _pick_point(self, x: float, y: float) -> _Hit | None:
        distance = np.hypot(self._point_pixels[:, 0] - x, self._point_pixels[:, 1] - y)
        hit = np.flatnonzero(distance <= self._point_radii + SLACK_PX)
        if not len(hit):
            return None
        near = distance[hit] > self._point_radii[hit]  # in the slack ring, not on the disc
        score = distance[hit] / np.maximum(self._point_radii[hit], 1.0)
        best = int(np.lexsort((score, self._point_depths[hit], near))[0])
        index = hit[best]
        selection = self._selection(int(self._point_owners[index]), int(self._point_instances[index]))
        return (bool(near[best]), float(self._point_depths[index])), selection

    def _pick_segment(self, x: float, y: float) -> _Hit | None:
        start, along = self._segment_pixels[:, 0], self._segment_pixels[:, 1] - self._segment_pixels[:, 0]
        t = np.clip(
            ((np.array([x, y]) - start) * along).sum(axis=1) / np.maximum((along**2).sum(axis=1), 1e-12), 0, 1
        )
        miss = np.hypot(*(start + t[:, None] * along - np.array([x, y])).T) - self._segment_reach
        hit = np.flatnonzero(miss <= 0)
        if not len(hit):
            return None
        near = miss[hit] > -SLACK_PX  # beside the drawn line, within the slack
        depths = self._segment_depths[hit]
        first, last = np.maximum(depths[:, 0], 1e-12), np.maximum(depths[:, 1], 1e-12)
        # 1/w, not w, is linear across the screen
        depth = 0 if self._flat else 1 / ((1 - t[hit]) / first + t[hit] / last) - self._segment_radii[hit]
        depth = np.broadcast_to(depth, hit.shape)
        best = int(np.lexsort((miss[hit], depth, near))[0])
        selection = self._selection(int(self._segment_owners[hit[best]]))
        return (bool(near[best]), float(depth[best])), selection

    def _pick_triangle(self, x: float, y: float) -> _Hit | None:
        hit = np.flatnonzero(_inside_triangles(self._triangle_pixels, x, y))
        if not len(hit):
            return None
        if self._flat:
            return (False, 0.0), self._selection(int(self._triangle_owners[hit[0]]))
        weights = _barycentric(self._triangle_pixels[hit], x, y)
        depth = 1 / (weights / np.maximum(self._triangle_depths[hit], 1e-12)).sum(axis=1)
        best = int(np.argmin(depth))
        return (False, float(depth[best])), self._selection(int(self._triangle_owners[hit[best]]))


def _barycentric(corners: np.ndarray, x: float, y: float) -> np.ndarray:
    """``(n, 3)`` weights of (x, y) in each ``(3, 2)`` screen triangle (degenerate ones: equal weights)."""
    a, b, c = corners[:, 0], corners[:, 1], corners[:, 2]
    area = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (c[:, 0] - a[:, 0]) * (b[:, 1] - a[:, 1])
    wa = (b[:, 0] - x) * (c[:, 1] - y) - (c[:, 0] - x) * (b[:, 1] - y)
    wb = (c[:, 0] - x) * (a[:, 1] - y) - (a[:, 0] - x) * (c[:, 1] - y)
    degenerate = np.abs(area) < 1e-12
    safe = np.where(degenerate, 1.0, area)
    weights = np.stack([wa / safe, wb / safe, 1 - (wa + wb) / safe], axis=1)
    return np.where(degenerate[:, None], 1 / 3, weights)


def _inside_triangles(corners: np.ndarray, x: float, y: float) -> np.ndarray:
    """Whether (x, y) lies in each ``(3, 2)`` screen triangle (either winding)."""
    a, b, c = corners[:, 0], corners[:, 1], corners[:, 2]

    def side(p: np.ndarray, q: np.ndarray) -> np.ndarray:
        return (q[:, 0] - p[:, 0]) * (y - p[:, 1]) - (q[:, 1] - p[:, 1]) * (x - p[:, 0])

    sides = np.stack([side(a, b), side(b, c), side(c, a)], axis=1)
    return np.asarray((sides >= 0).all(axis=1) | (sides <= 0).all(axis=1))


def _image_hit(image: ImageLayer, projection: Projection, x: float, y: float) -> bool:
    """Only under flat (affine) projections: 2D views, where an image covers [0, w] × [0, h]."""
    matrix = projection.clip_from_view
    if not np.allclose(matrix[3], [0, 0, 0, 1]):
        return False
    clip = np.array([x / projection.width * 2 - 1, 1 - y / projection.height * 2])
    try:
        u, v = np.linalg.solve(matrix[:2, :2], clip - matrix[:2, 3])
    except np.linalg.LinAlgError:
        return False
    height, width = image.rgba.shape[:2]
    return bool(0 <= u < width and 0 <= v < height)


def pick(primitives: list[Primitive], projection: Projection, x: float, y: float) -> Selection | None:
    """What lies under (x, y) (see :meth:`PickIndex.pick`); index once to pick many times."""
    return PickIndex(primitives, projection).pick(x, y)


def markers(primitives: list[Primitive], projection: Projection, selection: Selection) -> list[Marker]:
    """The on-screen discs of the selected instance (or of every instance of the selected entity)."""
    found = []
    for points in primitives:
        if not isinstance(points, Points) or points.entity != selection.entity:
            continue
        pixels, visible, radii = _projected(points, projection)
        indices = range(len(pixels)) if selection.instance is None else [selection.instance]
        found += [
            Marker(float(pixels[i, 0]), float(pixels[i, 1]), float(radii[i]))
            for i in indices
            if i < len(pixels) and visible[i]
        ]
    return found


def edges(primitives: list[Primitive], projection: Projection, selection: Selection) -> np.ndarray:
    """``(n, 2, 2)`` on-screen line segments outlining the selected entity's lines, meshes and images."""
    found = [np.zeros((0, 2, 2))]
    for primitive in primitives:
        if primitive.entity != selection.entity or selection.instance is not None:
            continue
        if isinstance(primitive, Segments) and len(primitive.positions):
            ends = primitive.positions.reshape(-1, 2, 3)
        elif isinstance(primitive, Triangles) and 0 < len(primitive.indices) <= MAX_OUTLINED_TRIANGLES:
            corners = primitive.positions[primitive.indices.astype(np.intp)]
            ends = np.concatenate([corners[:, [0, 1]], corners[:, [1, 2]], corners[:, [2, 0]]])
        elif isinstance(primitive, ImageLayer):
            height, width = primitive.rgba.shape[:2]
            corners = np.array([[0, 0, 0], [width, 0, 0], [width, height, 0], [0, height, 0]], np.float64)
            ends = np.stack([corners, np.roll(corners, -1, axis=0)], axis=1)
        else:
            continue
        pixels, visible = projection.to_pixels(ends.reshape(-1, 3))
        shown = visible.reshape(-1, 2).all(axis=1) & np.isfinite(pixels).all(axis=1).reshape(-1, 2).all(
            axis=1
        )
        found.append(pixels.reshape(-1, 2, 2)[shown])
    return np.concatenate(found)
