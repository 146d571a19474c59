"""Mesh3D: indexed triangles with vertex colors, normals, an albedo factor and an albedo texture.

With InstancePoses3D on the entity the whole mesh is drawn once per pose (the reference's
"instancing"), all copies in one batch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rerun_viewer import _arrow
from rerun_viewer._colors import auto_color, rgba_u8
from rerun_viewer._entity_query import EntityQuery
from rerun_viewer._primitives import Primitive, Triangles
from rerun_viewer._registry import ViewKind, visualizer
from rerun_viewer.visualizers._pixels import decode_buffer, to_rgba
from rerun_viewer.visualizers._poses import instance_poses, placements

__all__ = ["MeshData", "albedo_colors", "mesh_primitives"]

_WHITE = (255, 255, 255, 255)


@dataclass
class MeshData:
    """One mesh in its entity's frame, before placement."""

    positions: np.ndarray  # (v, 3)
    indices: np.ndarray  # (t, 3)
    colors: np.ndarray  # (v, 4) uint8, the albedo factor already applied
    normals: np.ndarray | None = None  # (v, 3)
    texcoords: np.ndarray | None = None  # (v, 2)
    texture: np.ndarray | None = None  # (h, w, 4) uint8


def albedo_colors(vertex_colors: np.ndarray | None, factor: np.ndarray | None, count: int) -> np.ndarray:
    """Vertex colors (white without) times the albedo factor, as ``(count, 4)`` uint8."""
    colors = rgba_u8(vertex_colors, count, _WHITE)
    if factor is None:
        return colors
    scale = rgba_u8(factor, 1, _WHITE)[0].astype(np.float64) / 255.0
    return np.round(colors * scale).astype(np.uint8)


def _transformed_normals(matrices: np.ndarray, normals: np.ndarray) -> np.ndarray:
    """Normals through each matrix's inverse transpose, renormalized: ``(k * v, 3)``."""
    linear = np.linalg.inv(matrices[:, :3, :3]).transpose(0, 2, 1)
    turned = (normals @ linear.transpose(0, 2, 1)).reshape(-1, 3)
    lengths = np.linalg.norm(turned, axis=1, keepdims=True)
    return (turned / np.where(lengths > 0, lengths, 1.0)).astype(np.float32)


def mesh_primitives(query: EntityQuery, mesh: MeshData) -> list[Primitive]:
    """The mesh placed in the view, one copy per instance pose, batched into one primitive."""
    poses = instance_poses(query)
    matrices = placements(query, poses, max(len(poses), 1))
    copies, count = len(matrices), len(mesh.positions)
    positions = mesh.positions @ matrices[:, :3, :3].transpose(0, 2, 1) + matrices[:, None, :3, 3]
    offsets = (np.arange(copies, dtype=np.int64) * count)[:, None, None]
    indices = (mesh.indices.astype(np.int64)[None] + offsets).reshape(-1, 3).astype(np.uint32)
    normals = None if mesh.normals is None else _transformed_normals(matrices, mesh.normals)
    texcoords = None if mesh.texcoords is None else np.tile(mesh.texcoords, (copies, 1)).astype(np.float32)
    vertex_colors = np.tile(mesh.colors, (copies, 1))
    placed = positions.reshape(-1, 3).astype(np.float32)
    return [
        Triangles(
            query.entity, placed, indices, vertex_colors, normals, texcoords=texcoords, texture=mesh.texture
        )
    ]


def _albedo_texture(cells: dict, vertex_count: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The albedo texture as RGBA and the texture coordinates, when both are logged."""
    texcoords = _arrow.vectors(cells.get("vertex_texcoords"), 2)
    formats = _arrow.structs(cells.get("albedo_texture_format"))
    if (
        texcoords is None
        or len(texcoords) != vertex_count
        or not formats
        or "albedo_texture_buffer" not in cells
    ):
        return None, None
    return to_rgba(decode_buffer(cells["albedo_texture_buffer"], formats[0])), texcoords


@visualizer("Mesh3D", ViewKind.SPATIAL_3D)
def mesh3d(query: EntityQuery) -> list[Primitive]:
    cells = query.latest(
        "vertex_positions", "triangle_indices", "vertex_normals", "vertex_colors", "vertex_texcoords",
        "albedo_factor", "albedo_texture_buffer", "albedo_texture_format",
    )  # fmt: skip
    positions = _arrow.vectors(cells.get("vertex_positions"), 3)
    if positions is None:
        return []
    indices = _arrow.vectors(cells.get("triangle_indices"), 3)
    if indices is None:  # a triangle soup: every three vertices
        indices = np.arange(len(positions) - len(positions) % 3).reshape(-1, 3)
    texture, texcoords = _albedo_texture(cells, len(positions))
    vertex_colors, factor = _arrow.ints(cells.get("vertex_colors")), _arrow.ints(cells.get("albedo_factor"))
    if vertex_colors is None and factor is None and texture is None:
        colors = rgba_u8(None, len(positions), auto_color(query.entity))
    else:
        colors = albedo_colors(vertex_colors, factor, len(positions))
    normals = _arrow.vectors(cells.get("vertex_normals"), 3)
    if normals is not None and len(normals) != len(positions):
        normals = None
    mesh = MeshData(positions, indices.astype(np.uint32), colors, normals, texcoords, texture)
    return mesh_primitives(query, mesh)
