"""Blueprint ``VisualBounds2D(x_range=, y_range=)``: the two ranges form one struct."""

from __future__ import annotations

from typing import Any


def init(self: Any, *, x_range: Any = None, y_range: Any = None) -> None:
    if x_range is not None and y_range is not None:
        value = {"x_range": [float(x) for x in x_range], "y_range": [float(y) for y in y_range]}
        self._set(range=value)
