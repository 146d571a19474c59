"""Rotations given as ``RotationAxisAngle`` or ``Quaternion`` objects, split into the two stored fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rerun.encodings import Quaternion, RotationAxisAngle


def split_rotations(rotations: Any) -> tuple[list[Any], list[Any]]:
    """Axis-angles and quaternions of a batch; 0.41 writes both fields, one of them possibly empty."""
    items = [rotations] if isinstance(rotations, RotationAxisAngle | Quaternion) else list(rotations)
    axis_angles = [r for r in items if isinstance(r, RotationAxisAngle)]
    quaternions = [r for r in items if isinstance(r, Quaternion)]
    if len(axis_angles) + len(quaternions) != len(items):
        raise TypeError("rotations must be RotationAxisAngle or Quaternion objects")
    return axis_angles, quaternions


def is_rotation(value: Any) -> bool:
    return isinstance(value, RotationAxisAngle | Quaternion) or (
        isinstance(value, Sequence) and bool(value) and isinstance(value[0], RotationAxisAngle | Quaternion)
    )
