"""``Image(image, color_model=None, *, pixel_format=, datatype=, bytes=, width=, height=)``."""

from __future__ import annotations

from typing import Any

import numpy as np

from rerun._ext._common import warn_on_error
from rerun._ext.images import image_format, image_from_array


def init(self: Any, image: Any = None, color_model: Any = None, *, pixel_format: Any = None, datatype: Any = None,
         bytes: Any = None, width: Any = None, height: Any = None, **fields: Any) -> None:  # fmt: skip
    buffer = format_ = None
    with warn_on_error("Image"):
        if image is not None:
            buffer, format_ = image_from_array(image, color_model=color_model)
        elif bytes is not None:
            if width is None or height is None:
                raise ValueError("Image(bytes=...) needs width and height")
            buffer = (
                np.frombuffer(bytes, dtype=np.uint8)
                if not isinstance(bytes, np.ndarray)
                else bytes.view(np.uint8)
            )
            format_ = image_format(
                width, height, color_model=color_model, pixel_format=pixel_format, datatype=datatype
            )
        else:
            raise ValueError("Image needs an image array or bytes")
    self._set(buffer=None if buffer is None else [buffer], format=format_, **fields)
