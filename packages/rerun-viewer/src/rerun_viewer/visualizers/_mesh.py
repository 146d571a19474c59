"""Mesh3D: indexed triangles with vertex colors and normals (albedo textures not yet)."""

from __future__ import annotations

import numpy as np

from rerun_viewer import _arrow
from rerun_viewer._colors import auto_color, rgba_u8
from rerun_viewer._entity_query import EntityQuery
from rerun_viewer._primitives import Primitive, Triangles
from rerun_viewer._registry import ViewKind, visualizer

__all__: list[str] = []


@visualizer("Mesh3D", ViewKind.SPATIAL_3D)
def mesh3d(query: EntityQuery) -> list[Primitive]:
    cells = query.latest(
        "vertex_positions", "triangle_indices", "vertex_normals", "vertex_colors", "albedo_factor"
    )
    positions = _arrow.vectors(cells.get("vertex_positions"), 3)
    if positions is None:
        return []
    indices = _arrow.vectors(cells.get("triangle_indices"), 3)
    if indices is None:  # a triangle soup: every three vertices
        indices = np.arange(len(positions) - len(positions) % 3).reshape(-1, 3)
    albedo = _arrow.ints(cells.get("albedo_factor"))
    fallback = (
        auto_color(query.entity) if albedo is None else tuple(int(c) for c in rgba_u8(albedo, 1, (0,) * 4)[0])
    )
    colors = rgba_u8(_arrow.ints(cells.get("vertex_colors")), len(positions), fallback)  # type: ignore[arg-type]
    normals = _arrow.vectors(cells.get("vertex_normals"), 3)
    if normals is not None and len(normals) == len(positions):
        normals = query.to_view(normals) - query.to_view(np.zeros((1, 3), np.float32))
    else:
        normals = None
    return [Triangles(query.entity, query.to_view(positions), indices.astype(np.uint32), colors, normals)]
