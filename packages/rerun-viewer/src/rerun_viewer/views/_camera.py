"""Camera framing of spatial views: the automatic eye, moved by the user's :class:`CameraState`,
and the projection of a drawn frame (view frame to texture pixels).

3D orbits around the framed target (yaw about "up", pitch towards it, never over the pole), pans
across the screen and zooms by coming closer; 2D pans and zooms its fitted rectangle. Mouse motion
maps to state changes here too, so the painter only routes events.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np

from rerun_viewer._primitives import Points, Primitive, Segments, Triangles
from rerun_viewer._state import CameraState

__all__ = [
    "FOV_Y_DEGREES",
    "Eye",
    "Projection",
    "default_eye",
    "drag_orbit",
    "drag_pan",
    "framing_bounds",
    "moved_eye",
    "pygfx_fov",
    "wheel_zoom",
]

FOV_Y_DEGREES = 55.0
_RADIANS_PER_PIXEL = 0.01
_ZOOM_PER_WHEEL_STEP = 1.15
_MAX_ELEVATION = math.radians(89.0)
_POINT_SPREAD = 2.0  # a point batch's framed region: its mean ± this many standard deviations per axis
_EYE_DISTANCE_PER_DIAGONAL = 0.75  # the default eye's distance from the framed region's center


@dataclass(frozen=True)
class Eye:
    """Where a 3D camera is, what it looks at, and which way is up."""

    position: np.ndarray
    target: np.ndarray
    up: np.ndarray

    @property
    def distance(self) -> float:
        return float(np.linalg.norm(self.target - self.position))


@dataclass(frozen=True)
class Projection:
    """From the view's frame to the pixels of its texture, as last drawn."""

    clip_from_view: np.ndarray  # (4, 4)
    focal_y: float  # the projection's y scale: clip units per view unit at depth w = 1
    width: int
    height: int

    def to_pixels(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(n, 2)`` pixel coordinates (x right, y down) and whether each position is in front of the eye."""
        clip = np.c_[positions.astype(np.float64), np.ones(len(positions))] @ self.clip_from_view.T
        w = clip[:, 3]
        safe = np.where(np.abs(w) > 1e-12, w, 1e-12)
        pixels = np.c_[(clip[:, 0] / safe + 1) / 2 * self.width, (1 - clip[:, 1] / safe) / 2 * self.height]
        return pixels, w > 0

    def radii_to_pixels(self, positions: np.ndarray, radii: np.ndarray) -> np.ndarray:
        """On-screen radii: UI-point radii (negative) as they are, scene-unit ones shrinking with depth."""
        clip_w = np.c_[positions.astype(np.float64), np.ones(len(positions))] @ self.clip_from_view[3]
        world = np.abs(radii) * self.focal_y * self.height / 2 / np.maximum(np.abs(clip_w), 1e-12)
        return np.where(radii > 0, world, np.abs(radii))


def framing_bounds(
    primitives: list[Primitive], whole: tuple[np.ndarray, np.ndarray] | None
) -> tuple[np.ndarray, np.ndarray] | None:
    """The region the default eye frames, all entities together: a point batch's mean ± two standard
    deviations per axis, measured again without the points beyond that (so a few far points don't
    shrink the rest), another primitive's (lines, meshes, shapes) bounding box, and the bounding box
    of its ``framed`` positions where it names them (a pinhole's frustum only its center, its image
    plane nothing); the ``whole`` bounds when there is nothing. Measured on the reference's renders
    (tests/test_viewer_framing.py, tests/test_viewer_pinhole_fidelity.py)."""
    batches = [
        (primitive.positions, isinstance(primitive, Points))
        if primitive.framed is None
        else (primitive.framed, False)
        for primitive in primitives
        if isinstance(primitive, Points | Segments | Triangles)
    ]
    batches = [(positions, spread) for positions, spread in batches if len(positions)]
    if not batches:
        return whole
    boxes = [box for box in _REGIONS.get_all(batches) if box is not None]
    if not boxes:
        return whole
    stacked: np.ndarray = np.array(boxes)  # (n, 2, 3)
    return stacked[:, 0].min(axis=0), stacked[:, 1].max(axis=0)


_Region = tuple[np.ndarray, np.ndarray] | None


def _regions(batches: list[tuple[np.ndarray, bool]]) -> list[_Region]:
    """Each batch's region from its finite rows (None without any): point batches (``spread``) their
    spread (``_spreads``), the rest their bounding box; each kind's batches measured together."""
    regions: list[_Region] = [None] * len(batches)
    for spread, measure in ((True, _spreads), (False, _boxes)):
        indices = [index for index, (_, each) in enumerate(batches) if each == spread]
        if indices:
            measured = measure(_Rows.of([batches[index][0] for index in indices]))
            for index, region in zip(indices, measured, strict=True):
                regions[index] = region
    return regions


@dataclass(frozen=True)
class _Rows:
    """Several batches' finite rows, concatenated and transposed to ``(3, rows)`` (each axis's
    reductions then run over contiguous memory), with how many rows each batch has."""

    columns: np.ndarray
    sizes: np.ndarray

    @classmethod
    def of(cls, arrays: list[np.ndarray]) -> _Rows:
        sizes = np.array([len(array) for array in arrays])
        dtype = np.result_type(*arrays, np.float32)  # float32 stays float32: sums are taken in float64
        columns = np.empty((3, int(sizes.sum())), dtype)  # C order (a plain concatenate would give F)
        np.concatenate([array.T for array in arrays], axis=1, out=columns)
        finite = np.isfinite(columns).all(axis=0)
        if not finite.all():
            columns, sizes = columns[:, finite], np.add.reduceat(finite, np.cumsum(sizes) - sizes)
        return cls(columns, sizes)

    def reduce(self, reduce: np.ufunc, values: np.ndarray | None = None, **kwargs: Any) -> np.ndarray:
        """``reduce`` over each batch's ``values`` (its columns by default), ``(3, batches)``; NaN for
        batches without rows (``np.add`` sums in order, as ``np.mean`` does but for the last bits)."""
        values = self.columns if values is None else values
        if len(self.sizes) == 1 and self.sizes[0]:  # reduce is faster than reduceat
            return reduce.reduce(values, axis=1, keepdims=True, **kwargs).astype(np.float64)
        present = self.sizes > 0
        reduced = np.full((len(values), len(self.sizes)), np.nan)
        starts = (np.cumsum(self.sizes) - self.sizes)[present]
        reduced[:, present] = reduce.reduceat(values, starts, axis=1, **kwargs)
        return reduced

    def per_row(self, per_batch: np.ndarray) -> np.ndarray:
        """A ``(3, batches)`` array's column for each row: broadcast for a single batch, else repeated."""
        return per_batch if len(self.sizes) == 1 else np.repeat(per_batch, self.sizes, axis=1)

    def batch_of(self, rows: np.ndarray) -> np.ndarray:
        return np.searchsorted(np.cumsum(self.sizes), rows, side="right")


def _boxes(rows: _Rows) -> list[_Region]:
    lows, highs = rows.reduce(np.minimum), rows.reduce(np.maximum)
    return [(lows[:, i], highs[:, i]) if size else None for i, size in enumerate(rows.sizes)]


def _spreads(rows: _Rows) -> list[_Region]:
    """Mean ± two standard deviations per axis of each batch's points not beyond that on any axis
    (0.41 leaves such outliers out, then measures again). The moments are sums of the deviations
    from a first mean rounded to the positions' precision (small numbers: float32 positions lose
    nothing), the outliers' share taken off those sums rather than the rest summed again."""
    dtype, count = rows.columns.dtype, len(rows.sizes)
    sizes = np.maximum(rows.sizes, 1)
    origins = (rows.reduce(np.add, dtype=np.float64) / sizes).astype(dtype)
    deviations = rows.columns - rows.per_row(origins)
    sums = rows.reduce(np.add, deviations, dtype=np.float64)
    squares = rows.reduce(np.add, deviations * deviations, dtype=np.float64)
    shifts, limits = sums / sizes, _POINT_SPREAD * _deviation(sums, squares, sizes)
    below, above = (
        rows.per_row((shifts - limits).astype(dtype)),
        rows.per_row((shifts + limits).astype(dtype)),
    )
    outliers = np.flatnonzero(((deviations < below) | (deviations > above)).any(axis=0))
    if len(outliers):
        owners, beyond = rows.batch_of(outliers), deviations[:, outliers].astype(np.float64)
        sums -= [np.bincount(owners, axis, minlength=count) for axis in beyond]
        squares -= [np.bincount(owners, axis * axis, minlength=count) for axis in beyond]
        sizes = np.maximum(rows.sizes - np.bincount(owners, minlength=count), 1)
    centers = origins + sums / sizes
    limits = _POINT_SPREAD * _deviation(sums, squares, sizes)
    lows, highs = centers - limits, centers + limits
    return [(lows[:, i], highs[:, i]) if size else None for i, size in enumerate(rows.sizes)]


def _deviation(sums: np.ndarray, squares: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The (population) standard deviation from the sum and the sum of squares of the deviations."""
    return np.sqrt(np.maximum(squares / sizes - (sums / sizes) ** 2, 0.0))


class _RegionCache:
    """Each positions array's region, while that array lives: visualizer output is reused for entities
    that don't change, so a frame recomputes only the moved ones (all of them together)."""

    def __init__(self) -> None:
        self._entries: dict[tuple[int, bool], tuple[weakref.ref[np.ndarray], Any]] = {}

    def get_all(self, batches: list[tuple[np.ndarray, bool]]) -> list[_Region]:
        """The region of each (non-empty positions, spread) pair."""
        regions: list[_Region] = []
        missing: list[int] = []
        for index, (positions, spread) in enumerate(batches):
            entry = self._entries.get((id(positions), spread))
            if entry is not None and entry[0]() is positions:
                regions.append(entry[1])
            else:
                regions.append(None)
                missing.append(index)
        if not missing:
            return regions
        if len(self._entries) > 100_000:
            self._entries = {k: e for k, e in self._entries.items() if e[0]() is not None}
        computed = _regions([batches[index] for index in missing])
        for index, region in zip(missing, computed, strict=True):
            positions, spread = batches[index]
            self._entries[(id(positions), spread)] = (weakref.ref(positions), region)
            regions[index] = region
        return regions


_REGIONS = _RegionCache()


def default_eye(bounds: tuple[np.ndarray, np.ndarray] | None, up: np.ndarray) -> Eye:
    """The reference's default eye: mostly along "forward", a little right and down, three quarters of
    the region's diagonal away from its center (measured on its renders)."""
    lo, hi = bounds if bounds is not None else (np.full(3, -1.0), np.full(3, 1.0))
    center = (lo + hi) / 2
    radius = _EYE_DISTANCE_PER_DIAGONAL * float(np.linalg.norm(hi - lo))
    radius = radius if np.isfinite(radius) and radius > 0 else 1.0
    right = np.array([1.0, 0, 0]) if abs(up[0]) < 0.9 else np.array([0, 1.0, 0])
    forward = np.cross(up, right)
    direction = 0.75 * forward + 0.25 * right - 0.25 * up
    direction /= np.linalg.norm(direction)
    return Eye(center - radius * direction, center, np.asarray(up, np.float64))


def pygfx_fov(aspect: float) -> float:
    """pygfx's ``fov`` (degrees) for the reference's vertical field of view at ``aspect`` (width/height):
    pygfx spans its fov over the mean of width and height, not over the height."""
    half = math.tan(math.radians(FOV_Y_DEGREES) / 2) * (1 + aspect) / 2
    return math.degrees(2 * math.atan(half))


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def moved_eye(eye: Eye, camera: CameraState) -> Eye:
    """``eye`` orbited, zoomed and panned as ``camera`` says."""
    up = _unit(eye.up)
    direction = _unit(eye.target - eye.position)
    elevation = math.asin(float(np.clip(direction @ up, -1.0, 1.0)))
    horizontal = direction - (direction @ up) * up
    if np.linalg.norm(horizontal) < 1e-9:  # looking straight along "up"
        horizontal = np.cross(up, [1.0, 0, 0] if abs(up[0]) < 0.9 else [0, 1.0, 0])
    horizontal = _unit(horizontal)
    side = np.cross(up, horizontal)
    pitched = float(np.clip(elevation - camera.pitch, -_MAX_ELEVATION, _MAX_ELEVATION))
    heading = math.cos(camera.yaw) * horizontal + math.sin(camera.yaw) * side
    turned = math.cos(pitched) * heading + math.sin(pitched) * up
    right = _unit(np.cross(turned, up))
    screen_up = np.cross(right, turned)
    target = eye.target + eye.distance * (camera.pan[0] * right + camera.pan[1] * screen_up)
    return Eye(target - (eye.distance / camera.zoom) * turned, target, up)


def drag_orbit(camera: CameraState, dx_px: float, dy_px: float) -> CameraState:
    """Dragging right turns the scene right; dragging down looks from higher up."""
    return camera.orbited(-dx_px * _RADIANS_PER_PIXEL, -dy_px * _RADIANS_PER_PIXEL)


def drag_pan(
    camera: CameraState, dx_px: float, dy_px: float, view_height_px: float, *, flat: bool
) -> CameraState:
    """The content follows the mouse: pan is kept in units of the framing (3D: eye distance; 2D: height)."""
    per_pixel = (1.0 if flat else 2 * math.tan(math.radians(FOV_Y_DEGREES) / 2)) / max(view_height_px, 1.0)
    scale = per_pixel / camera.zoom
    return camera.panned(-dx_px * scale, dy_px * scale)


def wheel_zoom(
    camera: CameraState, wheel_steps: float, *, anchor_px: tuple[float, float] | None = None,
    view_height_px: float = 1.0,
) -> CameraState:  # fmt: skip
    """Wheel up comes closer; 2D views keep what is under the mouse (``anchor_px`` from the view's
    center) where it is, 3D views zoom towards their target."""
    factor = _ZOOM_PER_WHEEL_STEP**wheel_steps
    zoomed = camera.zoomed(factor)
    if anchor_px is None:
        return zoomed
    shift = (1 / camera.zoom - 1 / zoomed.zoom) / max(view_height_px, 1.0)
    return zoomed.panned(anchor_px[0] * shift, -anchor_px[1] * shift)
