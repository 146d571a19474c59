"""``Boxes2D(sizes=, mins=, array=, array_format=)``, and the ``Box2DFormat`` of ``array``."""

from __future__ import annotations

from enum import Enum
from typing import Any

import numpy as np

from rerun._ext._common import as_float_rows, warn_on_error


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


def init(self: Any, *, sizes: Any = None, mins: Any = None, half_sizes: Any = None, centers: Any = None,
         array: Any = None, array_format: Any = None, **fields: Any) -> None:  # fmt: skip
    with warn_on_error("Boxes2D"):
        if array is not None:
            half_sizes, centers = _from_array(as_float_rows(array, 4), str(array_format or "XYWH"))
        if sizes is not None:
            half_sizes = as_float_rows(sizes, 2) / 2.0
        if mins is not None:
            if half_sizes is None:
                raise ValueError("mins needs sizes or half_sizes")
            centers = as_float_rows(mins, 2) + as_float_rows(half_sizes, 2)
    self._set(half_sizes=half_sizes, centers=centers, **fields)


def _from_array(boxes: np.ndarray, array_format: str) -> tuple[np.ndarray, np.ndarray]:
    name = array_format.rsplit(".", 1)[-1].upper()
    a, b, c, d = boxes.T
    if name == "XYWH":
        mins, sizes = np.stack([a, b], 1), np.stack([c, d], 1)
    elif name == "YXHW":
        mins, sizes = np.stack([b, a], 1), np.stack([d, c], 1)
    elif name == "XYXY":
        mins, sizes = np.stack([a, b], 1), np.stack([c - a, d - b], 1)
    elif name == "YXYX":
        mins, sizes = np.stack([b, a], 1), np.stack([d - b, c - a], 1)
    elif name == "XCYCWH":
        return np.stack([c, d], 1) / 2.0, np.stack([a, b], 1)
    elif name == "XCYCW2H2":
        return np.stack([c, d], 1), np.stack([a, b], 1)
    else:
        raise ValueError(f"unknown Box2DFormat {array_format!r}")
    return sizes / 2.0, mins + sizes / 2.0
