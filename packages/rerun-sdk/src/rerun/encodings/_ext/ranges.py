"""Batches of ``Range1D``: ``[min, max]`` pairs, or a Python ``slice``."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

__all__ = ["range1d_to_arrow"]


def range1d_to_arrow(data: Any, arrow_type: pa.DataType) -> pa.Array:
    from rerun._converters import fixed_vector

    if isinstance(data, slice):
        if data.step not in (None, 1):
            raise ValueError("Steps other than 1 are not supported for Range1D.")
        data = [data.start, data.stop]
    return fixed_vector(data, arrow_type)
