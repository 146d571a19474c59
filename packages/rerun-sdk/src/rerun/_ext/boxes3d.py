"""``Boxes3D(sizes=, mins=, rotations=)``: sizes are full extents, mins are corners."""

from __future__ import annotations

from typing import Any

from rerun._ext._common import as_float_rows, warn_on_error
from rerun._ext.rotations import split_rotations


def init(self: Any, *, sizes: Any = None, mins: Any = None, half_sizes: Any = None, centers: Any = None,
         rotations: Any = None, **fields: Any) -> None:  # fmt: skip
    with warn_on_error("Boxes3D"):
        if sizes is not None:
            if half_sizes is not None:
                raise ValueError("give either sizes or half_sizes, not both")
            half_sizes = as_float_rows(sizes, 3) / 2.0
        if mins is not None:
            if centers is not None:
                raise ValueError("give either mins or centers, not both")
            if half_sizes is None:
                raise ValueError("mins needs sizes or half_sizes")
            centers = as_float_rows(mins, 3) + as_float_rows(half_sizes, 3)
    if rotations is not None:
        axis_angles, quaternions = split_rotations(rotations)
        fields["rotation_axis_angles"] = axis_angles
        fields["quaternions"] = quaternions
    self._set(half_sizes=half_sizes, centers=centers, **fields)
