"""``Rgba32`` from RGB(A) channels (ints 0-255 or floats 0-1) or a packed ``0xRRGGBBAA`` integer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

__all__ = ["convert_rgba"]


def convert_rgba(value: Any) -> int:
    """The packed color: channels are scaled (floats) and packed; anything else is the packed value."""
    from rerun._converters import color
    from rerun._generated.encodings import Rgba32

    if isinstance(value, Rgba32):
        return int(value.rgba)
    if isinstance(value, np.ndarray | Sequence) and not isinstance(value, str):
        channels = np.asarray(value).reshape(1, -1)
        if channels.shape[1] not in (3, 4):
            raise ValueError(f"expected sequence of length of 3 or 4, received {channels.size}")
        return int(color(channels, pa.uint32())[0].as_py())
    return int(value)
