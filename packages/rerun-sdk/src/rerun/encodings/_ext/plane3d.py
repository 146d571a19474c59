"""``Plane3D(normal, distance)`` (not normalized), its parts, and the ``XY``/``YZ``/``ZX`` planes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

if TYPE_CHECKING:
    from rerun._generated.encodings import Plane3D

__all__ = ["Plane3DExt", "extend"]


class Plane3DExt:
    """Extension of ``Plane3D``: ``xyzd`` holds the normal, then the distance from the origin."""

    XY: ClassVar[Any]
    YZ: ClassVar[Any]
    ZX: ClassVar[Any]

    def __init__(self: Any, normal: Any, distance: float | None = None) -> None:
        normal_xyz = np.asarray(normal, dtype=np.float32).reshape(3)
        distance_d = np.array([0.0 if distance is None else distance], dtype=np.float32)
        self._set_fields(xyzd=np.concatenate([normal_xyz, distance_d]))

    def normal(self: Any) -> np.ndarray:
        return self.xyzd[:3]

    def distance(self: Any) -> float:
        return self.xyzd[3]

    def with_distance(self: Any, distance: float) -> Plane3D:
        """The same normal at another distance from the origin."""
        return type(self)(self.normal(), distance)


def extend(cls: Any) -> None:
    """The three planes through the origin, spanned by two axes each."""
    cls.YZ = cls([1.0, 0.0, 0.0])
    cls.ZX = cls([0.0, 1.0, 0.0])
    cls.XY = cls([0.0, 0.0, 1.0])
