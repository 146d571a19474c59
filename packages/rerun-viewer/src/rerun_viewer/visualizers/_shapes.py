"""Boxes, ellipsoids, capsules, cylinders, arrows and transform axes: shapes built from segments and triangles.

The 3D shapes share one path: a unit shape (``_unit_shapes``) stretched by each instance's sizes,
placed by its center and rotation, then by its InstancePoses3D pose and the entity's transform, all
instances batched into one mesh and one set of segments per entity (per row of a visible time
range). Without a fill mode they draw as the reference does: a translucent surface under their major
wireframe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from rerun_viewer import _arrow
from rerun_viewer._entity_query import EntityQuery
from rerun_viewer._primitives import Primitive, Segments, Triangles
from rerun_viewer._registry import ViewKind, visualizer
from rerun_viewer.visualizers import _unit_shapes
from rerun_viewer.visualizers._common import colors_for, labels_for, radii_for, to_3d
from rerun_viewer.visualizers._poses import (
    compose,
    instance_count,
    instance_poses,
    placements,
    splat,
    with_first_pose,
)
from rerun_viewer.visualizers._time_rows import per_row

__all__ = ["AXIS_COLORS", "DEFAULT_ARROW_RADIUS_UI", "arrow_primitives"]

DEFAULT_ARROW_RADIUS_UI = -1.5  # 0.41's arrows: shafts 3 UI points wide, heads 6 long and 6 wide
AXIS_COLORS = np.array([[255, 105, 129, 255], [0, 178, 102, 255], [122, 149, 255, 255]], np.uint8)
"""TransformAxes3D's x, y and z, read off 0.41's render of the transforms fixture."""

# components.FillMode
_MAJOR_WIREFRAME, _DENSE_WIREFRAME, _SOLID = 1, 2, 3
_FILL_UNDER_WIREFRAME_ALPHA = 0.5
_DEFAULT_LINE_RADIUS = -0.75
_SQUARE_EDGES = np.array([[0, 1], [1, 3], [3, 2], [2, 0]])

# Each visualizer's fields, the first the one whose rows count under a visible time range.
_PLACED = ("rotation_axis_angles", "quaternions", "colors", "fill_mode", "labels", "show_labels")
_BOX_FIELDS = ("half_sizes", "centers", *_PLACED, "radii", "class_ids")
_ELLIPSOID_FIELDS = ("half_sizes", "centers", *_PLACED, "line_radii")
_CAPSULE_FIELDS = ("lengths", "radii", "translations", *_PLACED, "line_radii")
_CYLINDER_FIELDS = ("lengths", "radii", "centers", *_PLACED, "line_radii")
_BOX_2D_FIELDS = (
    "half_sizes",
    "centers",
    "colors",
    "radii",
    "labels",
    "show_labels",
    "draw_order",
    "class_ids",
)
_ARROW_FIELDS = ("vectors", "origins", "radii", "colors", "labels", "show_labels")

Stretch = Callable[[np.ndarray], np.ndarray]
"""Unit-shape points ``(p, 3)`` to every instance's local points ``(n, p, 3)``."""


def _instance_matrices(query: EntityQuery, cells: dict[str, pa.Array], count: int, center: str) -> np.ndarray:
    """``(n, 4, 4)`` view-from-shape matrices: center and rotation, then the pose, then the entity's transform."""
    poses = instance_poses(query)
    count = instance_count(count, poses)
    local = compose(
        count, cells, translation=center, axis_angle="rotation_axis_angles", quaternion="quaternions"
    )
    return placements(query, poses, count) @ local


def _place(matrices: np.ndarray, points: np.ndarray) -> np.ndarray:
    """``(n, p, 3)`` instance-local points through each instance's matrix, as float32."""
    placed = points @ matrices[:, :3, :3].transpose(0, 2, 1) + matrices[:, None, :3, 3]
    return placed.astype(np.float32)


@dataclass(frozen=True)
class _Instances:
    """Every instance of one entity's shape batch: where each goes and how the unit shape stretches."""

    matrices: np.ndarray  # (n, 4, 4) view-from-shape
    stretch: Stretch
    scales: np.ndarray  # (n, 3) the stretch's scaling, which normals undo (ones for capsules)


def _normals(instances: _Instances, unit_normals: np.ndarray) -> np.ndarray:
    """Unit normals through each instance's stretch and matrix (their inverse transposes), ``(n * v, 3)``."""
    linear = np.linalg.pinv(instances.matrices[:, :3, :3]).transpose(0, 2, 1)
    scales = np.where(instances.scales == 0, 1.0, instances.scales)
    turned = ((unit_normals[None] / scales[:, None, :]) @ linear.transpose(0, 2, 1)).reshape(-1, 3)
    lengths = np.linalg.norm(turned, axis=1, keepdims=True)
    return (turned / np.where(lengths > 0, lengths, 1.0)).astype(np.float32)


def _surface(
    entity: str, unit: _unit_shapes.UnitShape, instances: _Instances, colors: np.ndarray
) -> Triangles:
    count, per_instance = len(instances.matrices), len(unit.vertices)
    vertices = _place(instances.matrices, instances.stretch(unit.vertices)).reshape(-1, 3)
    offsets = (np.arange(count, dtype=np.uint32) * per_instance)[:, None, None]
    indices = (unit.triangles[None] + offsets).reshape(-1, 3)
    vertex_colors = np.repeat(colors, per_instance, axis=0)
    return Triangles(entity, vertices, indices, vertex_colors, _normals(instances, unit.normals))


def _shape_primitives(
    query: EntityQuery, cells: dict[str, pa.Array], unit_shape: Callable[[int], _unit_shapes.UnitShape],
    instances: _Instances, line_radii: str = "line_radii",
) -> list[Primitive]:  # fmt: skip
    """One batched mesh and/or one batch of segments for every instance of a 3D shape."""
    count = len(instances.matrices)
    if count == 0:
        return []
    unit = unit_shape(_unit_shapes.detail_for(count))
    colors = colors_for(query, cells, count)
    labels = labels_for(cells, instances.matrices[:, :3, 3].astype(np.float32), colors, query=query)
    fill = _arrow.ints(cells.get("fill_mode"))
    mode = None if fill is None else int(fill[0])
    primitives: list[Primitive] = []
    if mode in (None, _SOLID):
        surface = colors.copy()
        if mode is None:
            surface[:, 3] = np.round(surface[:, 3] * _FILL_UNDER_WIREFRAME_ALPHA).astype(np.uint8)
        primitives.append(_surface(query.entity, unit, instances, surface))
    if mode != _SOLID:
        wireframe = unit.dense_wireframe if mode == _DENSE_WIREFRAME else unit.major_wireframe
        segments = _place(instances.matrices, instances.stretch(wireframe.reshape(-1, 3))).reshape(-1, 3)
        radii = np.repeat(radii_for(cells, count, _DEFAULT_LINE_RADIUS, key=line_radii), len(wireframe))
        primitives.append(Segments(query.entity, segments, np.repeat(colors, len(wireframe), 0), radii))
    primitives[0].labels = labels  # type: ignore[union-attr]
    return primitives


def _scaled(matrices: np.ndarray, sizes: np.ndarray) -> _Instances:
    return _Instances(matrices, lambda points: points[None] * sizes[:, None, :], sizes)


@visualizer("Boxes3D", ViewKind.SPATIAL_3D)
@per_row(*_BOX_FIELDS)
def boxes3d(query: EntityQuery, cells: dict[str, pa.Array]) -> list[Primitive]:
    half_sizes = _arrow.vectors(cells.get("half_sizes"), 3)
    if half_sizes is None:
        return []
    matrices = _instance_matrices(query, cells, len(half_sizes), "centers")
    instances = _scaled(matrices, splat(half_sizes, len(matrices), np.ones(3)))
    return _shape_primitives(query, cells, lambda _: _unit_shapes.box(), instances, line_radii="radii")


@visualizer("Ellipsoids3D", ViewKind.SPATIAL_3D)
@per_row(*_ELLIPSOID_FIELDS)
def ellipsoids3d(query: EntityQuery, cells: dict[str, pa.Array]) -> list[Primitive]:
    half_sizes = _arrow.vectors(cells.get("half_sizes"), 3)
    if half_sizes is None:
        return []
    matrices = _instance_matrices(query, cells, len(half_sizes), "centers")
    instances = _scaled(matrices, splat(half_sizes, len(matrices), np.ones(3)))
    return _shape_primitives(query, cells, _unit_shapes.sphere, instances)


def _lengths_and_radii(cells: dict[str, pa.Array]) -> tuple[np.ndarray, np.ndarray] | None:
    lengths, radii = _arrow.floats(cells.get("lengths")), _arrow.floats(cells.get("radii"))
    if lengths is None or radii is None:
        return None
    count = max(len(lengths), len(radii))
    return splat(lengths, count, np.zeros(())), splat(radii, count, np.zeros(()))


@visualizer("Capsules3D", ViewKind.SPATIAL_3D)
@per_row(*_CAPSULE_FIELDS)
def capsules3d(query: EntityQuery, cells: dict[str, pa.Array]) -> list[Primitive]:
    """Capsules run from their translation along +z for their length, capped by half spheres."""
    sizes = _lengths_and_radii(cells)
    if sizes is None:
        return []
    matrices = _instance_matrices(query, cells, len(sizes[0]), "translations")
    lengths, radii = (splat(values, len(matrices), np.zeros(())) for values in sizes)

    def stretch(points: np.ndarray) -> np.ndarray:
        return _unit_shapes.lift_upper_half(points, radii, lengths)

    instances = _Instances(matrices, stretch, np.ones((len(matrices), 3)))
    return _shape_primitives(query, cells, _unit_shapes.capsule, instances)


@visualizer("Cylinders3D", ViewKind.SPATIAL_3D)
@per_row(*_CYLINDER_FIELDS)
def cylinders3d(query: EntityQuery, cells: dict[str, pa.Array]) -> list[Primitive]:
    """Cylinders are centered on their center, their length along z."""
    sizes = _lengths_and_radii(cells)
    if sizes is None:
        return []
    matrices = _instance_matrices(query, cells, len(sizes[0]), "centers")
    lengths, radii = (splat(values, len(matrices), np.zeros(())) for values in sizes)
    instances = _scaled(matrices, np.stack([radii, radii, lengths], axis=1))
    return _shape_primitives(query, cells, _unit_shapes.cylinder, instances)


@visualizer("Boxes2D", ViewKind.SPATIAL_2D)
@per_row(*_BOX_2D_FIELDS)
def boxes2d(query: EntityQuery, cells: dict[str, pa.Array]) -> list[Primitive]:
    half_sizes = _arrow.vectors(cells.get("half_sizes"), 2)
    if half_sizes is None:
        return []
    count = len(half_sizes)
    centers = splat(_arrow.vectors(cells.get("centers"), 2), count, np.zeros(2, np.float32))
    square = np.array([[-1, -1], [1, -1], [-1, 1], [1, 1]], np.float32)
    corners = centers[:, None] + square[None] * half_sizes[:, None]
    segments = query.to_view(to_3d(corners[:, _SQUARE_EDGES].reshape(-1, 2)))
    colors = colors_for(query, cells, count)
    radii = radii_for(cells, count, -1.0)
    labels = labels_for(cells, query.to_view(to_3d(centers - half_sizes * [1, 1])), colors, query=query)
    return [Segments(query.entity, segments, np.repeat(colors, 4, axis=0), np.repeat(radii, 4), labels)]


def arrow_primitives(
    entity: str, origins: np.ndarray, vectors: np.ndarray, colors: np.ndarray, radii: np.ndarray
) -> list[Primitive]:
    """Segments ending in heads 4 radii long and wide, as 0.41's arrows (zero-length ones left out)."""
    keep = np.linalg.norm(vectors, axis=1) > 0
    if not keep.any():
        return []
    ends = np.stack([origins[keep], origins[keep] + vectors[keep]], axis=1).reshape(-1, 3).astype(np.float32)
    return [Segments(entity, ends, colors[keep], radii[keep], arrow_heads=True)]


@visualizer("Arrows3D", ViewKind.SPATIAL_3D)
@per_row(*_ARROW_FIELDS)
def arrows3d(query: EntityQuery, cells: dict[str, pa.Array]) -> list[Primitive]:
    query = with_first_pose(query)
    vectors = _arrow.vectors(cells.get("vectors"), 3)
    if vectors is None:
        return []
    count = len(vectors)
    origins = splat(_arrow.vectors(cells.get("origins"), 3), count, np.zeros(3, np.float32))
    starts, ends = query.to_view(origins), query.to_view(origins + vectors)
    colors = colors_for(query, cells, count)
    primitives = arrow_primitives(
        query.entity, starts, ends - starts, colors, radii_for(cells, count, DEFAULT_ARROW_RADIUS_UI)
    )
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
    return arrow_primitives(
        query.entity,
        np.repeat(origin, 3, axis=0),
        tips - origin,
        AXIS_COLORS,
        np.full(3, DEFAULT_ARROW_RADIUS_UI),
    )
