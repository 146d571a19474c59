"""``Pinhole(focal_length=, principal_point=, width=, height=, fov_y=, aspect_ratio=)``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from rerun._ext._common import warn_on_error


def init(self: Any, *, image_from_camera: Any = None, resolution: Any = None, focal_length: Any = None,
         principal_point: Any = None, width: Any = None, height: Any = None, fov_y: Any = None,
         aspect_ratio: Any = None, **fields: Any) -> None:  # fmt: skip
    with warn_on_error("Pinhole"):
        if width is not None and height is not None:
            resolution = [float(width), float(height)]
        elif fov_y is not None and aspect_ratio is not None and resolution is None:
            resolution = [float(aspect_ratio), 1.0]
        if fov_y is not None and focal_length is None:
            if resolution is None:
                raise ValueError("fov_y needs a resolution (or aspect_ratio)")
            focal_length = 0.5 * float(resolution[1]) / math.tan(float(fov_y) / 2.0)
        if image_from_camera is None and focal_length is not None:
            image_from_camera = _matrix(focal_length, principal_point, resolution)
    self._set(image_from_camera=image_from_camera, resolution=resolution, **fields)


def _matrix(focal_length: Any, principal_point: Any, resolution: Any) -> list[list[float]]:
    """The 3x3 intrinsics by rows (stored column-major); the principal point defaults to the center."""
    fx, fy = np.broadcast_to(np.asarray(focal_length, dtype=np.float64).ravel(), (2,))
    if principal_point is None:
        if resolution is None:
            raise ValueError("Pinhole needs principal_point or a resolution to center on")
        principal_point = [float(resolution[0]) / 2.0, float(resolution[1]) / 2.0]
    cx, cy = (float(x) for x in principal_point)
    return [[fx, 0.0, cx], [0.0, fy, cy], [0.0, 0.0, 1.0]]
