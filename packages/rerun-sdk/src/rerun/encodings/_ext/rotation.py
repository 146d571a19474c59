"""Rotations: ``Quaternion.identity()``, ``RotationAxisAngle(axis, radians= | degrees= | angle)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from rerun._generated.encodings import Quaternion

__all__ = ["QuaternionExt", "RotationAxisAngleExt"]


class QuaternionExt:
    """Extension of ``Quaternion`` (``xyzw``, scalar last)."""

    @staticmethod
    def identity() -> Quaternion:
        from rerun._generated.encodings import Quaternion

        return Quaternion(xyzw=np.array([0, 0, 0, 1], dtype=np.float32))

    @staticmethod
    def invalid() -> Quaternion:
        """All zeros: marks an instance as having no rotation to apply."""
        from rerun._generated.encodings import Quaternion

        return Quaternion(xyzw=np.array([0, 0, 0, 0], dtype=np.float32))


class RotationAxisAngleExt:
    """Extension of ``RotationAxisAngle``: the angle as an ``Angle``, in radians or in degrees."""

    def __init__(
        self: Any,
        axis: Any,
        angle: Any = None,
        *,
        radians: float | None = None,
        degrees: float | None = None,
    ) -> None:
        from rerun._generated.encodings import Angle

        if sum(x is not None for x in (angle, radians, degrees)) != 1:
            raise ValueError("Must provide exactly one of angle, radians, or degrees")
        if radians is not None:
            angle = Angle(rad=radians)
        elif degrees is not None:
            angle = Angle(deg=degrees)
        self._set_fields(axis=axis, angle=angle)
