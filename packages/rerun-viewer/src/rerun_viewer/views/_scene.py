"""Primitives to pygfx world objects: the only place spatial plain data meets the GPU library.

Sizes follow Rerun: a positive radius is in scene units (world-space size), a negative one in UI
points (screen-space size). Colors are sRGB, as pygfx expects for vertex colors.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pygfx as gfx

from rerun_viewer._primitives import ImageLayer, Points, Primitive, Segments, Triangles

__all__ = ["build_objects", "scene_bounds", "smooth_normals"]


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


def _points(primitive: Points, flat: bool) -> list[Any]:
    objects = []
    for space, mask in _by_space(primitive.radii):
        geometry = gfx.Geometry(
            positions=np.ascontiguousarray(primitive.positions[mask], np.float32),
            colors=_rgba(primitive.colors[mask]),
            sizes=np.ascontiguousarray(2 * np.abs(primitive.radii[mask]), np.float32),
        )
        material = gfx.PointsMaterial(color_mode="vertex", size_mode="vertex", size_space=space, aa=True)
        material.depth_test = not flat
        objects.append(gfx.Points(geometry, material))
    return objects


def _segments(primitive: Segments, flat: bool) -> list[Any]:
    objects = []
    for radius in np.unique(primitive.radii):
        mask = primitive.radii == radius
        positions = primitive.positions.reshape(-1, 2, 3)[mask].reshape(-1, 3)
        colors = np.repeat(_rgba(primitive.colors[mask]), 2, axis=0)
        space = "world" if radius > 0 else "screen"
        material = gfx.LineSegmentMaterial(
            thickness=float(2 * abs(radius)), thickness_space=space, color_mode="vertex", aa=True
        )
        material.depth_test = not flat
        geometry = gfx.Geometry(positions=np.ascontiguousarray(positions, np.float32), colors=colors)
        objects.append(gfx.Line(geometry, material))
    return objects


def smooth_normals(positions: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """Per-vertex normals: the area-weighted sum of the adjacent faces' normals."""
    corners = positions[indices.astype(np.intp)]
    face = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
    normals = np.zeros_like(positions, dtype=np.float64)
    for k in range(3):
        np.add.at(normals, indices[:, k].astype(np.intp), face)
    lengths = np.linalg.norm(normals, axis=1, keepdims=True)
    return (normals / np.where(lengths > 0, lengths, 1)).astype(np.float32)


def _triangles(primitive: Triangles) -> list[Any]:
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
    if primitive.shaded:
        material = gfx.MeshPhongMaterial(color_mode="vertex", side="both", specular="#000")
    else:
        material = gfx.MeshBasicMaterial(color_mode="vertex", side="both")
    return [gfx.Mesh(geometry, material)]


def _image(primitive: ImageLayer) -> list[Any]:
    texture = gfx.Texture(np.ascontiguousarray(primitive.rgba), dim=2)
    material = gfx.ImageBasicMaterial(
        clim=(0, 255), interpolation="nearest" if primitive.nearest else "linear", opacity=primitive.opacity
    )
    material.depth_test = False
    image = gfx.Image(gfx.Geometry(grid=texture), material)
    image.local.position = (
        0.5,
        0.5,
        0.0,
    )  # pygfx centers pixel (0, 0) on the origin; Rerun puts its corner there
    return [image]


_DEFAULT_ORDER = {ImageLayer: -10.0, Triangles: 0.0, Segments: 20.0, Points: 30.0}


def build_objects(primitives: list[Primitive], *, flat: bool) -> list[Any]:
    """World objects for the spatial primitives; ``flat`` (2D) draws by draw order, not depth."""
    objects: list[Any] = []
    for primitive in primitives:
        if isinstance(primitive, Points):
            made = _points(primitive, flat)
        elif isinstance(primitive, Segments):
            made = _segments(primitive, flat)
        elif isinstance(primitive, Triangles):
            made = _triangles(primitive)
        elif isinstance(primitive, ImageLayer):
            made = _image(primitive)
        else:
            continue
        if flat:
            order = getattr(primitive, "draw_order", 0.0) or _DEFAULT_ORDER[type(primitive)]
            for obj in made:
                obj.render_order = order
        objects += made
    return objects


def scene_bounds(primitives: list[Primitive]) -> tuple[np.ndarray, np.ndarray] | None:
    """Min and max corner of every spatial primitive's positions (images: their pixel rectangle)."""
    corners = []
    for primitive in primitives:
        if isinstance(primitive, Points | Segments | Triangles) and len(primitive.positions):
            finite = primitive.positions[np.isfinite(primitive.positions).all(axis=1)]
            if len(finite):
                corners += [finite.min(axis=0), finite.max(axis=0)]
        elif isinstance(primitive, ImageLayer):
            height, width = primitive.rgba.shape[:2]
            corners += [np.zeros(3), np.array([width, height, 0.0])]
    if not corners:
        return None
    stacked = np.stack(corners)
    return stacked.min(axis=0), stacked.max(axis=0)
