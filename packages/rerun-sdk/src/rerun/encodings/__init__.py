"""Value types that components are built from (``Quaternion``, ``RotationAxisAngle``, ...).

Each knows its Arrow form through ``as_arrow_value()`` (a struct value) or ``as_vector()``
(a fixed-size vector), which the converters use.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from rerun._generated.enums import ChannelDatatype, ColorModel, PixelFormat, ViewDir

__all__ = [
    "Angle",
    "AnnotationInfo",
    "Box2DFormat",
    "ChannelDatatype",
    "ClassDescription",
    "ColorModel",
    "ImageFormat",
    "KeypointPair",
    "PixelFormat",
    "Quaternion",
    "RotationAxisAngle",
    "TensorData",
    "ViewDir",
]


class Box2DFormat(Enum):
    """How ``Boxes2D(array=...)`` reads its four numbers."""

    XYWH = "XYWH"
    YXHW = "YXHW"
    XYXY = "XYXY"
    YXYX = "YXYX"
    XCYCWH = "XCYCWH"
    XCYCW2H2 = "XCYCW2H2"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Quaternion:
    """A rotation as ``xyzw`` (scalar last)."""

    xyzw: Sequence[float]

    def __init__(self, *, xyzw: Sequence[float]) -> None:
        object.__setattr__(self, "xyzw", [float(x) for x in np.asarray(xyzw, dtype=np.float64).ravel()])
        if len(self.xyzw) != 4:
            raise ValueError(f"a quaternion has 4 components (xyzw), got {len(self.xyzw)}")

    @classmethod
    def identity(cls) -> Quaternion:
        return cls(xyzw=[0.0, 0.0, 0.0, 1.0])

    def as_vector(self) -> list[float]:
        return list(self.xyzw)


@dataclass(frozen=True)
class Angle:
    """An angle, stored in radians."""

    radians: float

    def __init__(self, rad: float | None = None, *, deg: float | None = None) -> None:
        if (rad is None) == (deg is None):
            raise ValueError("give exactly one of rad and deg")
        object.__setattr__(self, "radians", float(rad) if rad is not None else math.radians(float(deg)))  # type: ignore[arg-type]


@dataclass(frozen=True)
class RotationAxisAngle:
    """A rotation of ``angle`` radians around ``axis``."""

    axis: Sequence[float]
    angle: float

    def __init__(
        self,
        axis: Sequence[float],
        angle: Any = None,
        *,
        radians: float | None = None,
        degrees: float | None = None,
    ) -> None:
        given = [v for v in (angle, radians, degrees) if v is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of angle, radians and degrees")
        if isinstance(angle, Angle):
            value = angle.radians
        elif degrees is not None:
            value = math.radians(float(degrees))
        else:
            value = float(given[0])
        object.__setattr__(self, "axis", [float(x) for x in np.asarray(axis, dtype=np.float64).ravel()])
        object.__setattr__(self, "angle", value)

    def as_arrow_value(self) -> dict[str, Any]:
        return {"axis": list(self.axis), "angle": self.angle}


@dataclass(frozen=True)
class AnnotationInfo:
    """Label and color of a class or keypoint id."""

    id: int
    label: str | None = None
    color: Any = None

    def as_arrow_value(self) -> dict[str, Any]:
        from rerun._converters import color as to_color

        packed = None if self.color is None else to_color(self.color, None).to_pylist()[0]
        return {"id": int(self.id), "label": self.label, "color": packed}


@dataclass(frozen=True)
class KeypointPair:
    keypoint0: int
    keypoint1: int

    def as_arrow_value(self) -> dict[str, int]:
        return {"keypoint0": int(self.keypoint0), "keypoint1": int(self.keypoint1)}


@dataclass(frozen=True)
class ClassDescription:
    """A class: its info, and optionally the keypoints of its skeleton and how they connect."""

    info: Any
    keypoint_annotations: Sequence[Any] = field(default_factory=list)
    keypoint_connections: Sequence[Any] = field(default_factory=list)

    def as_arrow_value(self) -> dict[str, Any]:
        return {
            "info": _annotation_info(self.info).as_arrow_value(),
            "keypoint_annotations": [_annotation_info(k).as_arrow_value() for k in self.keypoint_annotations],
            "keypoint_connections": [_pair(c).as_arrow_value() for c in self.keypoint_connections],
        }


def _annotation_info(value: Any) -> AnnotationInfo:
    if isinstance(value, AnnotationInfo):
        return value
    if isinstance(value, int):
        return AnnotationInfo(value)
    return AnnotationInfo(*value)


def _pair(value: Any) -> KeypointPair:
    return value if isinstance(value, KeypointPair) else KeypointPair(*value)


class TensorData:
    """An n-d array and (optionally) a name per dimension."""

    def __init__(self, *, array: Any, dim_names: Sequence[str] | None = None) -> None:
        self.array = np.asarray(array)
        if dim_names is not None and len(dim_names) != self.array.ndim:
            raise ValueError(f"{len(dim_names)} dim_names for a {self.array.ndim}-d tensor")
        self.names = None if dim_names is None else [str(n) for n in dim_names]


@dataclass(frozen=True)
class ImageFormat:
    """Size and pixel layout of an image buffer (either a pixel format, or a color model and datatype)."""

    width: int
    height: int
    pixel_format: Any = None
    color_model: Any = None
    channel_datatype: Any = None

    def __init__(self, width: int, height: int, *, pixel_format: Any = None, color_model: Any = None,
                 channel_datatype: Any = None) -> None:  # fmt: skip
        for name, value in (("width", int(width)), ("height", int(height)), ("pixel_format", pixel_format),
                            ("color_model", color_model), ("channel_datatype", channel_datatype)):  # fmt: skip
            object.__setattr__(self, name, value)

    def as_arrow_value(self) -> dict[str, Any]:
        from rerun._ext.images import image_format

        return image_format(self.width, self.height, color_model=self.color_model, pixel_format=self.pixel_format,
                            datatype=self.channel_datatype)  # fmt: skip
