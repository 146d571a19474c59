"""``Ellipsoids3D(radii=)``: spheres, one radius per instance."""

from __future__ import annotations

from typing import Any

import numpy as np


def init(self: Any, *, radii: Any = None, half_sizes: Any = None, **fields: Any) -> None:
    if radii is not None and half_sizes is None:
        half_sizes = np.repeat(np.asarray(radii, dtype=np.float32).reshape(-1, 1), 3, axis=1)
    self._set(half_sizes=half_sizes, **fields)
