"""``DepthImage(image, *, meter=, colormap=, ...)``: a single-channel image."""

from __future__ import annotations

from typing import Any

from rerun._ext._common import warn_on_error
from rerun._ext.images import image_from_array


def init(self: Any, image: Any = None, **fields: Any) -> None:
    buffer = format_ = None
    with warn_on_error("DepthImage"):
        buffer, format_ = image_from_array(image, single_channel=True)
    self._set(buffer=None if buffer is None else [buffer], format=format_, **fields)
