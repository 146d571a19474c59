"""Per-instance rigid placements: shape centers/rotations and InstancePoses3D, as batches of 4x4 matrices.

Everything is vectorized over instances, so ten thousand ellipsoids cost a few numpy calls, not a
Python loop. Components are splatted as Rerun does: the last value repeats for the rest.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pyarrow as pa

from rerun_viewer import _arrow
from rerun_viewer._entity_query import EntityQuery
from rerun_viewer.visualizers._common import clamped

__all__ = [
    "compose", "instance_count", "instance_poses", "placements", "posed_copies", "splat", "with_first_pose",
]  # fmt: skip

_POSE_FIELDS = ("translations", "rotation_axis_angles", "quaternions", "scales", "mat3x3")


def splat(values: np.ndarray | None, count: int, default: np.ndarray) -> np.ndarray:
    """``count`` rows: the values, the last one repeated; ``default`` when there are none."""
    if values is None or len(values) == 0:
        return np.repeat(np.asarray(default)[None], count, axis=0)
    return clamped(values, count)


def _axis_angle_matrices(axes: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """Rodrigues' formula for ``(n, 3)`` axes (normalized here; a zero axis means no rotation)."""
    norms = np.linalg.norm(axes, axis=1, keepdims=True)
    valid = (norms[:, 0] > 0) & np.isfinite(norms[:, 0])
    x, y, z = (axes / np.where(valid[:, None], norms, 1.0)).T
    zero = np.zeros_like(x)
    k = np.stack([zero, -z, y, z, zero, -x, -y, x, zero], axis=1).reshape(-1, 3, 3)
    sin, cos = np.sin(angles)[:, None, None], np.cos(angles)[:, None, None]
    matrices = np.eye(3) + sin * k + (1 - cos) * (k @ k)
    matrices[~valid] = np.eye(3)
    return matrices


def _quaternion_matrices(xyzw: np.ndarray) -> np.ndarray:
    """Rotation matrices of ``(n, 4)`` x, y, z, w quaternions (normalized here; zero means identity)."""
    norms = np.linalg.norm(xyzw, axis=1, keepdims=True)
    valid = (norms[:, 0] > 0) & np.isfinite(norms[:, 0])
    x, y, z, w = (xyzw / np.where(valid[:, None], norms, 1.0)).T
    matrices = np.stack(
        [
            1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
            2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
            2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
        ],
        axis=1,
    ).reshape(-1, 3, 3)  # fmt: skip
    matrices[~valid] = np.eye(3)
    return matrices


def compose(
    count: int, cells: dict[str, pa.Array], *, translation: str, axis_angle: str, quaternion: str,
    scale: str | None = None, mat3x3: str | None = None,
) -> np.ndarray:  # fmt: skip
    """``(count, 4, 4)`` matrices ``translation · axis_angle · quaternion · scale · mat3x3`` from the named fields."""
    linear = np.repeat(np.eye(3)[None], count, axis=0)
    axis_angles = _arrow.structs(cells.get(axis_angle))
    if axis_angles:
        axes = np.array([entry["axis"] for entry in axis_angles], np.float64)
        angles = np.array([entry["angle"] for entry in axis_angles], np.float64)
        linear = linear @ _axis_angle_matrices(
            splat(axes, count, np.zeros(3)), splat(angles, count, np.zeros(()))
        )
    quaternions = _arrow.vectors(cells.get(quaternion), 4)
    if quaternions is not None:
        linear = linear @ _quaternion_matrices(splat(quaternions.astype(np.float64), count, np.zeros(4)))
    scales = _arrow.vectors(cells.get(scale), 3) if scale else None
    if scales is not None:
        linear = linear * splat(scales, count, np.ones(3))[:, None, :]
    matrices = _arrow.vectors(cells.get(mat3x3), 9) if mat3x3 else None
    if matrices is not None:  # stored column-major
        linear = linear @ splat(matrices, count, np.eye(3).ravel()).reshape(-1, 3, 3).transpose(0, 2, 1)
    result = np.repeat(np.eye(4)[None], count, axis=0)
    result[:, :3, :3] = linear
    result[:, :3, 3] = splat(_arrow.vectors(cells.get(translation), 3), count, np.zeros(3))
    return result


def instance_poses(query: EntityQuery) -> np.ndarray:
    """The entity's InstancePoses3D at the cursor as ``(k, 4, 4)``; ``k = 0`` when it has none."""
    poses = dataclasses.replace(query, archetype="InstancePoses3D")
    cells = poses.latest(*_POSE_FIELDS)
    if not cells:
        return np.zeros((0, 4, 4))
    count = max(len(value) for value in cells.values())
    return compose(
        count, cells, translation="translations", axis_angle="rotation_axis_angles", quaternion="quaternions",
        scale="scales", mat3x3="mat3x3",
    )  # fmt: skip


def instance_count(count: int, poses: np.ndarray) -> int:
    """Shape batches grow to the number of poses: the last shape repeats for the remaining poses."""
    return max(count, len(poses)) if count else 0


def placements(query: EntityQuery, poses: np.ndarray, count: int) -> np.ndarray:
    """``(count, 4, 4)`` view-from-instance matrices: the entity's transform, then instance ``i``'s pose."""
    view = np.asarray(query.view_from_entity, np.float64)
    if not len(poses):
        return np.repeat(view[None], count, axis=0)
    return view @ splat(poses, count, np.eye(4))


def with_first_pose(query: EntityQuery) -> EntityQuery:
    """The query placed by its first instance pose too: what archetypes without instancing apply, as the reference."""
    poses = instance_poses(query)
    if not len(poses):
        return query
    return dataclasses.replace(
        query, view_from_entity=np.asarray(query.view_from_entity, np.float64) @ poses[0]
    )


def posed_copies(query: EntityQuery, positions: np.ndarray) -> tuple[np.ndarray, int]:
    """The entity's ``(n, 3)`` positions in the view's frame, once per instance pose (the reference
    repeats a whole point cloud per pose), and how many copies that made (1 without poses)."""
    poses = instance_poses(query)
    if not len(poses):
        return query.to_view(positions), 1
    matrices = placements(query, poses, len(poses))
    local = np.c_[positions.astype(np.float64), np.ones(len(positions))]
    moved = np.einsum("kij,nj->kni", matrices[:, :3, :], local)
    return moved.reshape(-1, 3).astype(np.float32), len(poses)
