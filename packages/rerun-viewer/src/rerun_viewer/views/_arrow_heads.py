"""Arrows as 0.41 draws them: a shaft, then a flat triangle facing the eye, 4 radii long and 4 radii
wide, whose tip is the arrow's end.

The head is sized like the line: in UI points for negative radii, so its shape in the scene depends on
the camera. Its objects are therefore refit from each frame's projection (:meth:`ArrowFit.shapes`),
working in pixels and mapping back at the depth the shaft has there.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pygfx as gfx

from rerun_viewer.views._camera import Projection

__all__ = [
    "HEAD_HALF_WIDTH_RADII",
    "HEAD_LENGTH_RADII",
    "ArrowFit",
    "ArrowHeads",
    "ArrowShafts",
    "arrow_shapes",
]

HEAD_LENGTH_RADII = 4.0
HEAD_HALF_WIDTH_RADII = 2.0
_TINY = 1e-9


def _clip(projection: Projection, positions: np.ndarray) -> np.ndarray:
    return np.c_[positions.astype(np.float64), np.ones(len(positions))] @ projection.clip_from_view.T


def _unproject(projection: Projection, pixels: np.ndarray, clip_zw: np.ndarray) -> np.ndarray:
    """View-frame points at ``pixels`` (x right, y down) with the clip depth and w of ``clip_zw``."""
    w = clip_zw[:, 1]
    ndc = np.c_[pixels[:, 0] / projection.width * 2 - 1, 1 - pixels[:, 1] / projection.height * 2]
    clip = np.c_[ndc * w[:, None], clip_zw]
    view = clip @ np.linalg.inv(projection.clip_from_view).T
    return view[:, :3] / np.where(np.abs(view[:, 3:]) > _TINY, view[:, 3:], _TINY)


def arrow_shapes(
    starts: np.ndarray, tips: np.ndarray, radii: np.ndarray, projection: Projection
) -> tuple[np.ndarray, np.ndarray]:
    """Where each shaft ends ``(n, 3)`` and each head triangle ``(n, 3, 3)`` (tip, two base corners), in
    the view's frame, for arrows from ``starts`` to ``tips`` seen through ``projection``."""
    clip_a, clip_b = _clip(projection, starts), _clip(projection, tips)
    pixels_a, _ = projection.to_pixels(starts)
    pixels_b, _ = projection.to_pixels(tips)
    radii_px = projection.radii_to_pixels(tips, radii)
    along = pixels_b - pixels_a
    length = np.linalg.norm(along, axis=1)
    direction = along / np.maximum(length, _TINY)[:, None]
    head = np.minimum(HEAD_LENGTH_RADII * radii_px, length)
    u = 1 - head / np.maximum(length, _TINY)  # the base's place along the shaft, on screen
    wa, wb = clip_a[:, 3], clip_b[:, 3]
    across_w = (1 - u) * wb + u * wa
    s = np.where(np.abs(across_w) > _TINY, u * wa / np.where(across_w == 0, 1, across_w), u)  # in the scene
    bases = starts + s[:, None] * (tips - starts)
    base_zw = (clip_a + s[:, None] * (clip_b - clip_a))[:, 2:]
    base_px = pixels_a + u[:, None] * along
    across = np.c_[-direction[:, 1], direction[:, 0]] * (HEAD_HALF_WIDTH_RADII * radii_px)[:, None]
    left, right = (
        _unproject(projection, base_px + across, base_zw),
        _unproject(projection, base_px - across, base_zw),
    )
    return bases, np.stack([tips, left, right], axis=1)


class ArrowFit:
    """Arrows of one radius, and their shapes for the last projection asked (shared by shafts and heads)."""

    def __init__(self, starts: np.ndarray, tips: np.ndarray, radius: float) -> None:
        self.starts, self.tips = starts.astype(np.float64), tips.astype(np.float64)
        self.radii = np.full(len(starts), radius)
        self._last: tuple[Projection, tuple[np.ndarray, np.ndarray]] | None = None

    def shapes(self, projection: Projection) -> tuple[np.ndarray, np.ndarray]:
        if self._last is None or self._last[0] is not projection:
            self._last = projection, arrow_shapes(self.starts, self.tips, self.radii, projection)
        return self._last[1]


def _pairs(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.stack([starts, ends], axis=1).reshape(-1, 3), np.float32)


class ArrowShafts(gfx.Line):
    """The shafts, ending where the heads start."""

    def __init__(self, fit: ArrowFit, colors: np.ndarray, material: Any) -> None:
        geometry = gfx.Geometry(positions=_pairs(fit.starts, fit.tips), colors=np.repeat(colors, 2, axis=0))
        super().__init__(geometry, material)
        self.arrows = fit

    def fit(self, projection: Projection) -> None:
        bases, _ = self.arrows.shapes(projection)
        self.geometry.positions.set_data(_pairs(self.arrows.starts, bases))


class ArrowHeads(gfx.Mesh):
    """The heads: one flat, unlit triangle per arrow."""

    def __init__(self, fit: ArrowFit, colors: np.ndarray, *, depth_test: bool) -> None:
        count = len(fit.tips)
        geometry = gfx.Geometry(
            positions=np.ascontiguousarray(np.repeat(fit.tips, 3, axis=0), np.float32),
            indices=np.arange(3 * count, dtype=np.uint32).reshape(-1, 3),
            colors=np.repeat(colors, 3, axis=0),
        )
        material = gfx.MeshBasicMaterial(color_mode="vertex", side="both")
        material.depth_test = depth_test
        if (colors[:, 3] < 1).any():
            material.alpha_mode = "blend"
        super().__init__(geometry, material)
        self.arrows = fit

    def fit(self, projection: Projection) -> None:
        _, heads = self.arrows.shapes(projection)
        self.geometry.positions.set_data(np.ascontiguousarray(heads.reshape(-1, 3), np.float32))
