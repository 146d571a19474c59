"""``Angle(rad=)`` or ``Angle(deg=)``: stored in radians."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["AngleExt"]


class AngleExt:
    """Extension of ``Angle``."""

    def __init__(self: Any, rad: float | None = None, deg: float | None = None) -> None:
        if rad is not None:
            radians = rad
        elif deg is not None:
            radians = math.radians(deg)
        else:
            raise ValueError("Either `rad` or `deg` must be provided.")
        self._set_fields(radians=radians)
