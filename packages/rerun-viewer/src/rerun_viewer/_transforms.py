"""Transform hierarchies: where each entity sits in a view's frame, at the time cursor.

An entity's ``Transform3D`` maps it into its parent (``ParentFromChild``, the default) as
``translation · rotation_axis_angle · quaternion · scale · mat3x3``, the reference's order; the
view's frame is its origin entity, so the origin's own transform is not applied.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from rerun_core.entity_path import EntityPath
from rerun_core.query import latest_at
from rerun_core.store import ChunkStore
from rerun_viewer import _arrow
from rerun_viewer._store_tracker import StoreTracker, self_and_ancestors
from rerun_viewer._time import TimeCursor

__all__ = ["TransformResolver", "axis_angle_matrix", "is_under", "quaternion_matrix", "view_up_axis"]

_TRANSFORM_FIELDS = ("translation", "rotation_axis_angle", "quaternion", "scale", "mat3x3", "relation")
_CHILD_FROM_PARENT = 2
# ViewDir codes (encodings.ViewDir): which way each of x, y, z points.
_UP, _DOWN = 1, 2


def is_under(entity: str, origin: str) -> bool:
    """Whether ``entity`` is ``origin`` or a descendant of it."""
    return origin == "/" or entity == origin or entity.startswith(origin.rstrip("/") + "/")


def axis_angle_matrix(axis: np.ndarray, angle: float) -> np.ndarray:
    """Rodrigues' rotation about ``axis`` (normalized here) by ``angle`` radians."""
    norm = float(np.linalg.norm(axis))
    if norm == 0.0 or not np.isfinite(norm):
        return np.eye(3)
    x, y, z = axis / norm
    k = np.array([[0, -z, y], [z, 0, -x], [-y, x, 0]])
    return np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * (k @ k)


def quaternion_matrix(xyzw: np.ndarray) -> np.ndarray:
    """Rotation matrix of a quaternion stored as x, y, z, w (normalized here)."""
    norm = float(np.linalg.norm(xyzw))
    if norm == 0.0 or not np.isfinite(norm):
        return np.eye(3)
    x, y, z, w = xyzw / norm
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )


def _parent_from_child(cells: dict[str, pa.Array]) -> np.ndarray:
    """One entity's Transform3D components as a 4x4 parent-from-child matrix."""
    linear = np.eye(3)
    axis_angle = _arrow.structs(cells.get("rotation_axis_angle"))
    if axis_angle:
        entry = axis_angle[0]
        linear = linear @ axis_angle_matrix(np.asarray(entry["axis"], float), float(entry["angle"]))  # type: ignore[arg-type]
    quaternion = _arrow.vectors(cells.get("quaternion"), 4)
    if quaternion is not None:
        linear = linear @ quaternion_matrix(quaternion[0].astype(float))
    scale = _arrow.vectors(cells.get("scale"), 3)
    if scale is not None:
        linear = linear @ np.diag(scale[0].astype(float))
    mat3x3 = _arrow.vectors(cells.get("mat3x3"), 9)
    if mat3x3 is not None:
        linear = linear @ mat3x3[0].astype(float).reshape(3, 3).T  # stored column-major
    matrix: np.ndarray = np.eye(4)
    matrix[:3, :3] = linear
    translation = _arrow.vectors(cells.get("translation"), 3)
    if translation is not None:
        matrix[:3, 3] = translation[0]
    relation = _arrow.ints(cells.get("relation"))
    if relation is not None and relation[0] == _CHILD_FROM_PARENT:
        matrix = np.linalg.inv(matrix)
    return matrix


class TransformResolver:
    """Caches each entity's local transform and its chain down from a view's origin.

    With a :class:`~rerun_viewer._store_tracker.StoreTracker`, local transforms are also kept across
    frames, recomputed only for entities whose own data changed at the cursor.
    """

    def __init__(
        self, store: ChunkStore, cursor: TimeCursor, origin: str, *, tracker: StoreTracker | None = None
    ) -> None:
        self._store = store
        self._cursor = cursor
        self._origin = origin
        self._tracker = tracker
        self._local: dict[str, np.ndarray] = {}
        self._from_origin: dict[str, np.ndarray] = {origin: np.eye(4)}

    def local(self, entity: str) -> np.ndarray:
        """The entity's own parent-from-child transform (identity without Transform3D)."""
        matrix = self._local.get(entity)
        if matrix is None:
            if self._tracker is None:
                matrix = self._read_local(entity)
            else:
                timeline = self._cursor.timeline_name
                key = (timeline, self._tracker.own_key(entity, timeline, self._cursor.at))
                matrix = self._tracker.remember(("transform", entity), key, lambda: self._read_local(entity))
            self._local[entity] = matrix
        return matrix

    def _read_local(self, entity: str) -> np.ndarray:
        components = [f"Transform3D:{name}" for name in _TRANSFORM_FIELDS]
        cells = latest_at(self._store, entity, self._cursor.timeline_name, self._cursor.at, components)
        by_field = {name.split(":", 1)[1]: cell.value for name, cell in cells.items()}
        return _parent_from_child(by_field) if by_field else np.eye(4)

    def origin_from(self, entity: str) -> np.ndarray:
        """The view-frame-from-entity transform: the local transforms from below the origin down."""
        cached = self._from_origin.get(entity)
        if cached is not None:
            return cached
        chain = self_and_ancestors(entity)
        if len(chain) == 1 or not is_under(entity, self._origin):
            matrix = self.local(entity)
        else:
            matrix = self.origin_from(chain[1]) @ self.local(entity)
        self._from_origin[entity] = matrix
        return matrix


def view_up_axis(store: ChunkStore, cursor: TimeCursor, origin: str) -> np.ndarray:
    """The up direction from the nearest ViewCoordinates at or above ``origin``; +Z by default."""
    path: EntityPath | None = EntityPath.parse(origin)
    while path is not None:
        cells = latest_at(store, str(path), cursor.timeline_name, cursor.at, ["ViewCoordinates:xyz"])
        codes = _arrow.vectors(cells["ViewCoordinates:xyz"].value, 3) if cells else None
        if codes is not None:
            for axis, code in enumerate(codes[0].astype(int)):
                if code in (_UP, _DOWN):
                    return np.eye(3)[axis] * (1.0 if code == _UP else -1.0)
        path = path.parent()
    return np.array([0.0, 0.0, 1.0])
