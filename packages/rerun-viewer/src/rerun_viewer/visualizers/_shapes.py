"""Boxes, arrows, transform axes and pinhole frustums: shapes built from segments and triangles."""

from __future__ import annotations

import numpy as np

from rerun_viewer import _arrow
from rerun_viewer._entity_query import EntityQuery
from rerun_viewer._primitives import Primitive, Segments, Triangles
from rerun_viewer._registry import ViewKind, visualizer
from rerun_viewer._transforms import axis_angle_matrix, quaternion_matrix
from rerun_viewer.visualizers._common import colors_for, labels_for, radii_for, to_3d

__all__ = ["arrow_primitives"]

_SOLID = 3  # components.FillMode.Solid
_CUBE = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], np.float32)
_CUBE_EDGES = np.array(
    [[0, 1], [2, 3], [4, 5], [6, 7], [0, 2], [1, 3], [4, 6], [5, 7], [0, 4], [1, 5], [2, 6], [3, 7]]
)
_CUBE_FACES = np.array(
    [[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1], [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]],
    np.uint32,
)  # fmt: skip
_SQUARE_EDGES = np.array([[0, 1], [1, 3], [3, 2], [2, 0]])


def _splat(array: np.ndarray | None, count: int, default: np.ndarray) -> np.ndarray:
    if array is None or len(array) == 0:
        return np.repeat(default[None], count, axis=0)
    if len(array) >= count:
        return array[:count]
    return np.concatenate([array, np.repeat(array[-1:], count - len(array), axis=0)])


def _box_rotations(cells: dict, count: int) -> list[np.ndarray]:
    quats = _arrow.vectors(cells.get("quaternions"), 4)
    axis_angles = _arrow.structs(cells.get("rotation_axis_angles"))
    rotations = []
    for i in range(count):
        rotation = np.eye(3)
        if axis_angles:
            entry = axis_angles[min(i, len(axis_angles) - 1)]
            rotation = rotation @ axis_angle_matrix(np.asarray(entry["axis"], float), float(entry["angle"]))  # type: ignore[arg-type]
        if quats is not None:
            rotation = rotation @ quaternion_matrix(quats[min(i, len(quats) - 1)].astype(float))
        rotations.append(rotation)
    return rotations


@visualizer("Boxes3D", ViewKind.SPATIAL_3D)
def boxes3d(query: EntityQuery) -> list[Primitive]:
    cells = query.latest(
        "half_sizes", "centers", "rotation_axis_angles", "quaternions", "colors", "radii", "fill_mode",
        "labels", "show_labels",
    )  # fmt: skip
    half_sizes = _arrow.vectors(cells.get("half_sizes"), 3)
    if half_sizes is None:
        return []
    count = len(half_sizes)
    centers = _splat(_arrow.vectors(cells.get("centers"), 3), count, np.zeros(3, np.float32))
    rotations = _box_rotations(cells, count)
    corners = np.stack([centers[i] + (_CUBE * half_sizes[i]) @ rotations[i].T for i in range(count)])
    corners = query.to_view(corners.reshape(-1, 3)).reshape(count, 8, 3)
    colors = colors_for(query, cells, count)
    labels = labels_for(cells, query.to_view(centers), colors)
    fill = _arrow.ints(cells.get("fill_mode"))
    if fill is not None and fill[0] == _SOLID:
        indices = np.concatenate([_CUBE_FACES + 8 * i for i in range(count)])
        return [
            Triangles(
                query.entity, corners.reshape(-1, 3), indices, np.repeat(colors, 8, axis=0), None, labels
            )
        ]
    segments = corners[:, _CUBE_EDGES].reshape(-1, 3)
    radii = radii_for(cells, count, -0.75)
    return [Segments(query.entity, segments, np.repeat(colors, 12, axis=0), np.repeat(radii, 12), labels)]


@visualizer("Boxes2D", ViewKind.SPATIAL_2D)
def boxes2d(query: EntityQuery) -> list[Primitive]:
    cells = query.latest("half_sizes", "centers", "colors", "radii", "labels", "show_labels", "draw_order")
    half_sizes = _arrow.vectors(cells.get("half_sizes"), 2)
    if half_sizes is None:
        return []
    count = len(half_sizes)
    centers = _splat(_arrow.vectors(cells.get("centers"), 2), count, np.zeros(2, np.float32))
    square = np.array([[-1, -1], [1, -1], [-1, 1], [1, 1]], np.float32)
    corners = centers[:, None] + square[None] * half_sizes[:, None]
    segments = query.to_view(to_3d(corners[:, _SQUARE_EDGES].reshape(-1, 2)))
    colors = colors_for(query, cells, count)
    radii = radii_for(cells, count, -1.0)
    labels = labels_for(cells, query.to_view(to_3d(centers - half_sizes * [1, 1])), colors)
    return [Segments(query.entity, segments, np.repeat(colors, 4, axis=0), np.repeat(radii, 4), labels)]


def _cone(base: np.ndarray, tip: np.ndarray, radius: float, sides: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Vertices and triangles of a cone (its side and base)."""
    axis = tip - base
    helper = np.array([1.0, 0, 0]) if abs(axis[0]) < 0.9 * np.linalg.norm(axis) else np.array([0, 1.0, 0])
    u = np.cross(axis, helper)
    u /= np.linalg.norm(u)
    v = np.cross(axis, u)
    v /= np.linalg.norm(v)
    angles = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    ring = base + radius * (np.cos(angles)[:, None] * u + np.sin(angles)[:, None] * v)
    vertices = np.vstack([ring, tip, base]).astype(np.float32)
    sides_ = [[i, (i + 1) % sides, sides] for i in range(sides)]
    bottom = [[(i + 1) % sides, i, sides + 1] for i in range(sides)]
    return vertices, np.array(sides_ + bottom, np.uint32)


def arrow_primitives(
    entity: str, origins: np.ndarray, vectors: np.ndarray, colors: np.ndarray, radii: np.ndarray
) -> list[Primitive]:
    """Shafts as segments, heads as slim cones a tenth of each arrow long."""
    lengths = np.linalg.norm(vectors, axis=1)
    keep = lengths > 0
    origins, vectors, colors, radii, lengths = (
        origins[keep],
        vectors[keep],
        colors[keep],
        radii[keep],
        lengths[keep],
    )
    if not len(origins):
        return []
    head_bases = origins + 0.9 * vectors
    shafts = np.stack([origins, head_bases], axis=1).reshape(-1, 3).astype(np.float32)
    vertices: list[np.ndarray] = []
    indices: list[np.ndarray] = []
    vertex_colors: list[np.ndarray] = []
    offset = 0
    for i in range(len(origins)):
        cone_vertices, cone_indices = _cone(head_bases[i], origins[i] + vectors[i], 0.03 * lengths[i])
        indices.append(cone_indices + offset)
        offset += len(cone_vertices)
        vertices.append(cone_vertices)
        vertex_colors.append(np.repeat(colors[i : i + 1], len(cone_vertices), axis=0))
    heads = Triangles(entity, np.vstack(vertices), np.vstack(indices), np.vstack(vertex_colors), shaded=False)
    return [Segments(entity, shafts, colors, radii), heads]


@visualizer("Arrows3D", ViewKind.SPATIAL_3D)
def arrows3d(query: EntityQuery) -> list[Primitive]:
    cells = query.latest("vectors", "origins", "radii", "colors", "labels", "show_labels")
    vectors = _arrow.vectors(cells.get("vectors"), 3)
    if vectors is None:
        return []
    count = len(vectors)
    origins = _splat(_arrow.vectors(cells.get("origins"), 3), count, np.zeros(3, np.float32))
    starts, ends = query.to_view(origins), query.to_view(origins + vectors)
    colors = colors_for(query, cells, count)
    primitives = arrow_primitives(query.entity, starts, ends - starts, colors, radii_for(cells, count, -1.0))
    labels = labels_for(cells, ends, colors)
    if primitives and labels:
        primitives[0].labels = labels  # type: ignore[union-attr]
    return primitives


@visualizer("TransformAxes3D", ViewKind.SPATIAL_3D)
def transform_axes3d(query: EntityQuery) -> list[Primitive]:
    """Red, green and blue arrows along the entity's x, y and z axes."""
    length = _arrow.floats(query.latest("axis_length").get("axis_length"))
    size = 1.0 if length is None else float(length[0])
    origin = query.to_view(np.zeros((1, 3), np.float32))
    tips = query.to_view(np.eye(3, dtype=np.float32) * size)
    colors = np.array([[255, 25, 25, 255], [0, 240, 0, 255], [80, 80, 255, 255]], np.uint8)
    return arrow_primitives(
        query.entity, np.repeat(origin, 3, axis=0), tips - origin, colors, np.full(3, -1.0)
    )


@visualizer("Pinhole", ViewKind.SPATIAL_3D)
def pinhole_frustum(query: EntityQuery) -> list[Primitive]:
    """The camera's frustum, one unit deep, from its resolution and focal lengths."""
    cells = query.latest("image_from_camera", "resolution", "image_plane_distance")
    projection = _arrow.vectors(cells.get("image_from_camera"), 9)
    resolution = _arrow.vectors(cells.get("resolution"), 2)
    if projection is None or resolution is None:
        return []
    intrinsics = projection[0].reshape(3, 3).T  # column-major
    depth = _arrow.floats(cells.get("image_plane_distance"))
    distance = 1.0 if depth is None else float(depth[0])
    width, height = resolution[0]
    pixels = np.array([[0, 0, 1], [width, 0, 1], [width, height, 1], [0, height, 1]], np.float64)
    corners = (np.linalg.inv(intrinsics) @ pixels.T).T * distance
    apex = np.zeros(3)
    edges = [(apex, c) for c in corners] + [(corners[i], corners[(i + 1) % 4]) for i in range(4)]
    segments = query.to_view(np.array([p for edge in edges for p in edge], np.float32))
    colors = colors_for(query, {}, len(edges))
    return [Segments(query.entity, segments, colors, np.full(len(edges), -0.75, np.float32))]
