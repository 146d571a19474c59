"""``Transform3D(rotation=, from_parent=, scale=...)``: rotation objects pick their stored field."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from rerun._ext._common import warn_on_error
from rerun.encodings import Quaternion, RotationAxisAngle


def init(self: Any, *, rotation: Any = None, from_parent: Any = None, scale: Any = None, relation: Any = None,
         rotation_axis_angle: Any = None, quaternion: Any = None, **fields: Any) -> None:  # fmt: skip
    with warn_on_error("Transform3D"):
        if isinstance(rotation, RotationAxisAngle):
            rotation_axis_angle = rotation
        elif isinstance(rotation, Quaternion):
            quaternion = rotation
        elif rotation is not None:
            raise TypeError(
                f"rotation must be a RotationAxisAngle or a Quaternion, got {type(rotation).__name__}"
            )
        if scale is not None and np.ndim(scale) == 0:
            scale = [float(scale)] * 3
        if from_parent is not None:
            warnings.warn(
                "`from_parent` is deprecated as an argument to `Transform3D`; "
                "use `relation=rerun.TransformRelation.ChildFromParent`",
                DeprecationWarning,
                stacklevel=4,
            )
            if from_parent:
                relation = "ChildFromParent"
    self._set(
        rotation_axis_angle=rotation_axis_angle,
        quaternion=quaternion,
        scale=scale,
        relation=relation,
        **fields,
    )
