"""Asset3D: glTF, GLB, OBJ and STL files, decoded with trimesh into meshes (one per geometry node).

The media type is the logged one, else guessed from the bytes as the reference does (GLB's magic,
glTF's JSON, STL's ``solid`` header or its binary size). Materials give base colors and textures;
the albedo factor multiplies them. Decoded assets are cached by their bytes.
"""

from __future__ import annotations

import functools
import io
import struct
from typing import Any

import numpy as np
import trimesh

from rerun_viewer import _arrow
from rerun_viewer._entity_query import EntityQuery
from rerun_viewer._primitives import Primitive
from rerun_viewer._registry import ViewKind, visualizer
from rerun_viewer.visualizers._mesh import MeshData, albedo_colors, mesh_primitives

__all__ = ["guess_file_type", "load_asset"]

_FILE_TYPES = {
    "model/gltf-binary": "glb",
    "model/gltf+json": "gltf",
    "model/obj": "obj",
    "model/stl": "stl",
}
_BINARY_STL_HEADER, _BINARY_STL_TRIANGLE = 84, 50
_WHITE = np.array([255, 255, 255, 255], np.uint8)


def guess_file_type(blob: bytes, media_type: str | None) -> str | None:
    """trimesh's file type for the logged media type, else for what the bytes look like."""
    if media_type:
        return _FILE_TYPES.get(media_type.strip().lower())
    if blob[:4] == b"glTF":
        return "glb"
    if len(blob) >= _BINARY_STL_HEADER:  # before "solid": binary STL headers may start with it too
        (triangles,) = struct.unpack_from("<I", blob, 80)
        if len(blob) == _BINARY_STL_HEADER + _BINARY_STL_TRIANGLE * triangles:
            return "stl"
    head = blob[:256].lstrip()
    if head.startswith(b"{"):
        return "gltf"
    return "stl" if head.startswith(b"solid") else None


def _material_color_and_texture(visual: object) -> tuple[np.ndarray, np.ndarray | None]:
    """A material's base color (RGBA uint8) and base-color texture (RGBA uint8), if any."""
    material = getattr(visual, "material", None)
    if material is None:
        return _WHITE, None
    factor = getattr(material, "baseColorFactor", None)
    if factor is None:
        factor = getattr(material, "diffuse", None)
    color = _WHITE if factor is None else np.asarray(factor, np.uint8).reshape(-1)[:4]
    image = getattr(material, "baseColorTexture", None) or getattr(material, "image", None)
    texture = None if image is None else np.asarray(image.convert("RGBA"), np.uint8)
    return color, texture


def _geometry_mesh(geometry: trimesh.Trimesh, transform: np.ndarray) -> MeshData:
    """One trimesh geometry, placed by its scene node's transform, with its colors or texture."""
    positions = geometry.vertices @ transform[:3, :3].T + transform[:3, 3]
    faces = np.asarray(geometry.faces, np.uint32)
    visual: Any = geometry.visual
    kind = getattr(visual, "kind", None)
    if kind == "face":  # one color per face: unshare the vertices
        positions, faces = (
            positions[faces].reshape(-1, 3),
            np.arange(3 * len(faces), dtype=np.uint32).reshape(-1, 3),
        )
        colors = np.repeat(np.asarray(visual.face_colors, np.uint8), 3, axis=0)
        return MeshData(positions, faces, colors)
    if kind == "vertex":
        return MeshData(positions, faces, np.asarray(visual.vertex_colors, np.uint8))
    color, texture = _material_color_and_texture(visual)
    colors = np.tile(color, (len(positions), 1))
    uv = getattr(visual, "uv", None)
    if texture is None or uv is None or len(uv) != len(positions):
        return MeshData(positions, faces, colors)
    texcoords = np.column_stack([uv[:, 0], 1.0 - uv[:, 1]])  # trimesh's v points up, ours down
    return MeshData(positions, faces, colors, texcoords=texcoords, texture=texture)


@functools.lru_cache(maxsize=32)
def load_asset(blob: bytes, file_type: str) -> tuple[MeshData, ...]:
    """Every geometry of an asset file, in the asset's frame; raises ValueError for unreadable files."""
    try:
        scene: Any = trimesh.load(io.BytesIO(blob), file_type=file_type, force="scene", process=False)
    except Exception as err:  # trimesh raises many kinds of errors for malformed files
        raise ValueError(f"Asset3D: cannot read the {file_type} file: {err}") from err
    meshes = []
    for node in scene.graph.nodes_geometry:
        transform, name = scene.graph[node]
        geometry = scene.geometry.get(name)
        if isinstance(geometry, trimesh.Trimesh) and len(geometry.faces):
            meshes.append(_geometry_mesh(geometry, np.asarray(transform, np.float64)))
    return tuple(meshes)


@visualizer("Asset3D", ViewKind.SPATIAL_3D)
def asset3d(query: EntityQuery) -> list[Primitive]:
    cells = query.latest("blob", "media_type", "albedo_factor")
    if "blob" not in cells:
        return []
    blob = cells["blob"][0].values.to_numpy(zero_copy_only=False).tobytes()
    media_types = _arrow.strings(cells.get("media_type"))
    file_type = guess_file_type(blob, media_types[0] if media_types else None)
    if file_type is None:
        return []
    try:
        meshes = load_asset(blob, file_type)
    except ValueError:  # a broken file shows nothing, as a missing one would
        return []
    factor = _arrow.ints(cells.get("albedo_factor"))
    primitives: list[Primitive] = []
    for mesh in meshes:
        colors = mesh.colors if factor is None else _tinted(mesh.colors, factor)
        placed = MeshData(mesh.positions, mesh.indices, colors, mesh.normals, mesh.texcoords, mesh.texture)
        primitives += mesh_primitives(query, placed)
    return primitives


def _tinted(colors: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """Asset colors times the albedo factor."""
    scale = albedo_colors(None, factor, 1)[0].astype(np.float64) / 255.0
    return np.round(colors * scale).astype(np.uint8)
