"""Primitives to pygfx world objects: the only place spatial plain data meets the GPU library.

Sizes follow Rerun: a positive radius is in scene units (world-space size), a negative one in UI
points (screen-space size). Colors are sRGB, as pygfx expects for vertex colors.

Points and segments of every entity are merged per draw order before they become pygfx objects:
pygfx costs milliseconds per object and frame on a CPU, so 5000 small line strips must be one
object, not 5000. Built objects are kept for the primitives list they came from, so re-rendering
the same contents (a moved camera) uploads nothing again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

import numpy as np
import pygfx as gfx
from pygfx.renderers.wgpu import register_wgpu_render_function
from pygfx.renderers.wgpu.shaders.pointsshader import PointsShader

from rerun_viewer._gpu import get_gpu
from rerun_viewer._primitives import ImageLayer, Points, Primitive, Segments, Triangles

__all__ = [
    "BUILT_OBJECTS",
    "THIN_LINES_FROM_SEGMENTS",
    "ObjectReuse",
    "build_objects",
    "scene_bounds",
    "smooth_normals",
]


def _rgba(colors: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(colors, dtype=np.float32) / 255.0


def _linear_rgba(colors: np.ndarray) -> np.ndarray:
    """sRGB colors to linear: pygfx converts point and line colors itself, but takes mesh colors as linear."""
    rgba = _rgba(colors)
    srgb = rgba[:, :3]
    rgba[:, :3] = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    return rgba


def _by_space(radii: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Instances split by size space: ("world", mask) for positive radii, ("screen", mask) otherwise."""
    world = radii > 0
    return [(space, mask) for space, mask in (("world", world), ("screen", ~world)) if mask.any()]


def _smooth_edges() -> bool:
    """Shader anti-aliasing of point edges: on GPUs only; on lavapipe it doubles the cost of 100k points."""
    return not get_gpu().is_cpu


class OneTrianglePointsMaterial(gfx.PointsMaterial):
    """Points drawn as one triangle each rather than a quad of two, on CPU adapters: lavapipe's cost for
    small points is setting triangles up (~1 µs each; 10k points of 4 px took ~23 ms of CPU, ~2 ms of
    it shading), so this nearly halves it (100k 3D points: ~290 -> ~200 ms of CPU a frame). The
    triangle encloses the quad, twice its area: a loss only for points over ~9 px across, which are
    rarely many. Its pixels outside the quad fail the marker's distance test as the quad's corners do,
    so the same pixels are drawn (but for a rare one centred exactly on the quad's edge: 1 of 10 000
    in a test of 400 points of 1–12 px)."""


@register_wgpu_render_function(gfx.Points, OneTrianglePointsMaterial)
class _OneTrianglePointsShader(PointsShader):
    _QUAD = (
        "array<vec2<f32>, 6>(\n"
        "        vec2<f32>(-1.0, -1.0),\n        vec2<f32>( 1.0, -1.0),\n        vec2<f32>(-1.0,  1.0),\n"
        "        vec2<f32>(-1.0,  1.0),\n        vec2<f32>( 1.0, -1.0),\n        vec2<f32>( 1.0,  1.0),\n    )"
    )
    _EDITS = (
        ("let node_index = index / 6;", "let node_index = index / 3;"),
        ("let vertex_index = index % 6;", "let vertex_index = index % 3;"),
        (_QUAD, "array<vec2<f32>, 3>(vec2<f32>(-1.0, -1.0), vec2<f32>(3.0, -1.0), vec2<f32>(-1.0, 3.0))"),
    )

    def get_render_info(self, wobject: Any, shared: Any) -> dict[str, Any]:
        offset, size = wobject.geometry.positions.draw_range
        return {"indices": (size * 3, 1, offset * 3, 0)}

    def get_code(self) -> str:
        code: str = super().get_code()
        for old, new in self._EDITS:
            if old not in code:
                raise RuntimeError(f"pygfx's points shader changed: {old!r} is gone; update {__name__}")
            code = code.replace(old, new)
        return code


def _points(primitive: Points, flat: bool) -> list[Any]:
    objects = []
    for space, mask in _by_space(primitive.radii):
        geometry = gfx.Geometry(
            positions=np.ascontiguousarray(primitive.positions[mask], np.float32),
            colors=_rgba(primitive.colors[mask]),
            sizes=np.ascontiguousarray(2 * np.abs(primitive.radii[mask]), np.float32),
        )
        kind = OneTrianglePointsMaterial if get_gpu().is_cpu else gfx.PointsMaterial
        material = kind(color_mode="vertex", size_mode="vertex", size_space=space, aa=_smooth_edges())
        material.depth_test = not flat
        objects.append(gfx.Points(geometry, material))
    return objects


THIN_LINES_FROM_SEGMENTS = 1_000
"""On a CPU adapter, this many segments of at most 2 px draw as 1 px lines: lavapipe pays ~1 µs per
triangle set up, so thick segments (two triangles each) cost ~4x thin ones: measured, 3 800 segments
~13 ms of CPU a frame against ~3 ms, 45 000 ~600 ms against ~80 ms. A few lines keep their smooth look."""


def _line_material(radius: float, segments: int) -> Any:
    thickness, space = 2 * abs(radius), "world" if radius > 0 else "screen"
    if space == "screen" and thickness <= 2 and segments >= THIN_LINES_FROM_SEGMENTS and get_gpu().is_cpu:
        return gfx.LineThinSegmentMaterial(color_mode="vertex")
    return gfx.LineSegmentMaterial(thickness=thickness, thickness_space=space, color_mode="vertex", aa=True)


def _segments(primitive: Segments, flat: bool) -> list[Any]:
    objects = []
    for radius in np.unique(primitive.radii):
        mask = primitive.radii == radius
        positions = primitive.positions.reshape(-1, 2, 3)[mask].reshape(-1, 3)
        colors = np.repeat(_rgba(primitive.colors[mask]), 2, axis=0)
        material = _line_material(float(radius), len(positions) // 2)
        material.depth_test = not flat
        geometry = gfx.Geometry(positions=np.ascontiguousarray(positions, np.float32), colors=colors)
        objects.append(gfx.Line(geometry, material))
    return objects


def smooth_normals(positions: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """Per-vertex normals: the area-weighted sum of the adjacent faces' normals."""
    corners = positions[indices.astype(np.intp)]
    face = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
    corner_of = indices.astype(np.intp).ravel()  # every face's three vertices, face by face
    per_corner = np.repeat(face, 3, axis=0)
    normals = np.stack(
        [np.bincount(corner_of, weights=per_corner[:, k], minlength=len(positions)) for k in range(3)], axis=1
    )  # bincount sums per vertex ~10x faster than np.add.at
    lengths = np.linalg.norm(normals, axis=1, keepdims=True)
    return (normals / np.where(lengths > 0, lengths, 1)).astype(np.float32)


def _triangles(primitive: Triangles, flat: bool = False) -> list[Any]:
    if not len(primitive.indices):
        return []
    normals = primitive.normals
    if normals is None:
        normals = smooth_normals(primitive.positions, primitive.indices)
    geometry = gfx.Geometry(
        positions=np.ascontiguousarray(primitive.positions, np.float32),
        indices=np.ascontiguousarray(primitive.indices, np.uint32),
        normals=np.ascontiguousarray(normals, np.float32),
        colors=_linear_rgba(primitive.colors),
    )
    color_mode = "vertex"
    if primitive.texture is not None and primitive.texcoords is not None:
        geometry.texcoords = gfx.Buffer(np.ascontiguousarray(primitive.texcoords, np.float32))
        color_mode = "auto"  # vertex colors times the texture
    if primitive.shaded:
        material = gfx.MeshPhongMaterial(color_mode=color_mode, side="both", specular="#000")
    else:
        material = gfx.MeshBasicMaterial(color_mode=color_mode, side="both")
    material.depth_test = not flat  # 2D layers go by draw order
    if (primitive.colors[:, 3] < 255).any():
        material.alpha_mode = "blend"  # translucent surfaces let what is behind them show
    if color_mode == "auto":
        texture = gfx.Texture(np.ascontiguousarray(primitive.texture, np.uint8), dim=2, colorspace="srgb")
        material.map = gfx.TextureMap(texture, filter="nearest" if primitive.texture_nearest else "linear")
    return [gfx.Mesh(geometry, material)]


def _image(primitive: ImageLayer, opacity: float) -> list[Any]:
    texture = gfx.Texture(np.ascontiguousarray(primitive.rgba), dim=2)
    material = gfx.ImageBasicMaterial(
        clim=(0, 255), interpolation="nearest" if primitive.nearest else "linear", opacity=opacity
    )
    material.depth_test = False
    image = gfx.Image(gfx.Geometry(grid=texture), material)
    image.local.position = (
        0.5,
        0.5,
        0.0,
    )  # pygfx centers pixel (0, 0) on the origin; Rerun puts its corner there
    return [image]


T = TypeVar("T")
_DEFAULT_ORDER = {ImageLayer: -10.0, Triangles: 0.0, Segments: 20.0, Points: 30.0}


_Merged = list[tuple[Primitive, tuple[Primitive, ...]]]


def _merged(primitives: list[Primitive], *, flat: bool) -> _Merged:
    """Points and segments concatenated per draw order (2D) or all together (3D); others as they are.
    Each with the primitives it was made of."""
    groups: dict[tuple[type, float], list[Points | Segments]] = {}
    merged: list[Primitive] = []
    for primitive in primitives:
        if isinstance(primitive, Points | Segments):
            order = primitive.draw_order if flat else 0.0
            key = (type(primitive), order)
            if key not in groups:
                groups[key] = []
                merged.append(primitive)  # a placeholder, keeping the first member's place
            groups[key].append(primitive)
        else:
            merged.append(primitive)
    joined = {id(members[0]): (_concatenate(members), tuple(members)) for members in groups.values()}
    return [joined.get(id(primitive), (primitive, (primitive,))) for primitive in merged]


def _concatenate(members: list[Points | Segments]) -> Points | Segments:
    first = members[0]
    if len(members) == 1:
        return first
    return type(first)(
        first.entity,
        np.concatenate([m.positions for m in members]),
        np.concatenate([m.colors for m in members]),
        np.concatenate([m.radii for m in members]),
        draw_order=first.draw_order,
    )


def _objects_of(primitive: Primitive, layers: list[ImageLayer], flat: bool) -> list[Any]:
    if isinstance(primitive, Points):
        return _points(primitive, flat)
    if isinstance(primitive, Segments):
        return _segments(primitive, flat)
    if isinstance(primitive, Triangles):
        return _triangles(primitive, flat)
    if isinstance(primitive, ImageLayer):
        return _image(primitive, primitive.shown_opacity(layers))
    return []


class ObjectReuse:
    """One view's objects by the primitives they were made from, so that a new time makes objects only
    for what changed (collection hands back the same primitive objects for unchanged entities).

    Per view, not global: a pygfx object belongs to one scene at a time.
    """

    def __init__(self) -> None:
        self._made: dict[Hashable, tuple[tuple[Primitive, ...], list[Any]]] = {}
        self._kept: dict[Hashable, tuple[tuple[Primitive, ...], list[Any]]] = {}

    def objects(
        self, sources: tuple[Primitive, ...], detail: Hashable, make: Callable[[], list[Any]]
    ) -> list[Any]:
        key = (tuple(id(source) for source in sources), detail)
        entry = self._made.get(key)
        if entry is None or not all(a is b for a, b in zip(entry[0], sources, strict=True)):
            entry = (sources, make())
        self._kept[key] = entry
        return entry[1]

    def done(self) -> None:
        """Forget what the last build did not use (the ids of dropped primitives may be reused)."""
        self._made, self._kept = self._kept, {}


def _build(primitives: list[Primitive], flat: bool, reuse: ObjectReuse | None = None) -> list[Any]:
    objects: list[Any] = []
    reuse = reuse or ObjectReuse()
    layers = [primitive for primitive in primitives if isinstance(primitive, ImageLayer)]
    for primitive, members in _MERGED.get(primitives, flat):
        opacity = primitive.shown_opacity(layers) if isinstance(primitive, ImageLayer) else None
        made = reuse.objects(
            members,
            (flat, opacity),
            lambda p=primitive: _objects_of(p, layers, flat),  # type: ignore[misc]
        )
        if flat:
            order = getattr(primitive, "draw_order", 0.0) or _DEFAULT_ORDER[type(primitive)]
            for obj in made:
                obj.render_order = order
        objects += made
    reuse.done()
    return objects


class _ByIdentity(Generic[T]):
    """What ``compute`` returned for the last few primitives lists, by identity (the lists are held,
    so their ids stay unique while cached)."""

    def __init__(self, compute: Callable[..., T], capacity: int) -> None:
        self._compute = compute
        self._capacity = capacity
        self._entries: OrderedDict[tuple[int, bool], tuple[list[Primitive], T]] = OrderedDict()
        self.builds = 0  # how many times ``compute`` ran rather than a result being reused

    def get(self, primitives: list[Primitive], flat: bool, *extra: Any) -> T:
        key = (id(primitives), flat)
        entry = self._entries.get(key)
        if entry is not None and entry[0] is primitives:
            self._entries.move_to_end(key)
            return entry[1]
        value = self._compute(primitives, flat, *extra)
        self.builds += 1
        self._entries[key] = (primitives, value)
        while len(self._entries) > self._capacity:
            self._entries.popitem(last=False)
        return value


_MERGED: _ByIdentity[_Merged] = _ByIdentity(lambda primitives, flat: _merged(primitives, flat=flat), 16)
BUILT_OBJECTS = _ByIdentity(_build, capacity=16)  # each entry holds GPU buffers


def build_objects(primitives: list[Primitive], *, flat: bool, reuse: ObjectReuse | None = None) -> list[Any]:
    """World objects for the spatial primitives; ``flat`` (2D) draws by draw order, not depth.

    The same list (unchanged contents) gets the same objects back, already uploaded to the GPU; a new
    list with some of the primitives of the view's last one (``reuse``) makes objects only for the rest.
    """
    return BUILT_OBJECTS.get(primitives, flat, reuse)


def _finite_extremes(positions: np.ndarray) -> list[np.ndarray]:
    """Min and max corner of the finite rows; filtering only when some row is not finite.

    Reduced per coordinate over a transposed copy: ~10x faster than along axis 0 of an ``(n, 3)`` array.
    """
    columns = np.ascontiguousarray(positions.T)
    lo, hi = columns.min(axis=1), columns.max(axis=1)
    if np.isfinite(lo).all() and np.isfinite(hi).all():
        return [lo, hi]
    finite = positions[np.isfinite(positions).all(axis=1)]
    return [finite.min(axis=0), finite.max(axis=0)] if len(finite) else []


def _bounds(primitives: list[Primitive], flat: bool) -> tuple[np.ndarray, np.ndarray] | None:
    corners = []
    for primitive, _ in _MERGED.get(primitives, False):
        if isinstance(primitive, Points | Segments | Triangles) and len(primitive.positions):
            corners += _finite_extremes(primitive.positions)
        elif isinstance(primitive, ImageLayer):
            height, width = primitive.rgba.shape[:2]
            corners += [np.zeros(3), np.array([width, height, 0.0])]
    if not corners:
        return None
    stacked = np.stack(corners)
    return stacked.min(axis=0), stacked.max(axis=0)


_BOUNDS = _ByIdentity(_bounds, capacity=16)


def scene_bounds(primitives: list[Primitive]) -> tuple[np.ndarray, np.ndarray] | None:
    """Min and max corner of every spatial primitive's positions (images: their pixel rectangle)."""
    return _BOUNDS.get(primitives, False)
