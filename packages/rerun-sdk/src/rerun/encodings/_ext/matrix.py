"""``Mat3x3`` and ``Mat4x4`` from rows (the default) or ``columns=``; stored column-major, batches too."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyarrow as pa

from rerun.encodings._ext._common import warn_or_raise

__all__ = ["Mat3x3Ext", "Mat4x4Ext", "to_arrow"]


def _flat_columns(cls: Any, size: int, rows: Any, columns: Any) -> np.ndarray:
    if rows is not None:
        if columns is not None:
            warn_or_raise("Can't specify both columns and rows of matrix.")
        if isinstance(rows, cls):
            return np.asarray(rows.flat_columns, dtype=np.float32)
        return np.asarray(rows, dtype=np.float32).reshape(size, size).ravel("F")
    if columns is not None:
        return np.asarray(columns, dtype=np.float32).reshape(size, size).ravel("C")
    warn_or_raise("Need to specify either columns or columns of matrix.")
    return np.identity(size, dtype=np.float32).ravel()


class Mat3x3Ext:
    """Extension of ``Mat3x3``."""

    def __init__(self: Any, rows: Any = None, *, columns: Any = None) -> None:
        from rerun._generated.encodings import Mat3x3

        self._set_fields(flat_columns=_flat_columns(Mat3x3, 3, rows, columns))


class Mat4x4Ext:
    """Extension of ``Mat4x4``."""

    def __init__(self: Any, rows: Any = None, *, columns: Any = None) -> None:
        from rerun._generated.encodings import Mat4x4

        self._set_fields(flat_columns=_flat_columns(Mat4x4, 4, rows, columns))


def to_arrow(data: Any, arrow_type: pa.FixedSizeListType) -> pa.Array:
    """Batches of square matrices, each given by rows (or as a ``Mat3x3``/``Mat4x4``), stored column-major."""
    if isinstance(data, pa.Array) and data.type == arrow_type:
        return data
    size = math.isqrt(arrow_type.list_size)
    items = [data] if hasattr(data, "flat_columns") else data
    if isinstance(items, list | tuple) and any(hasattr(item, "flat_columns") for item in items):
        flat = np.concatenate([_columns(item, size) for item in items])
    else:
        rows = np.asarray(items, dtype=np.float32)
        flat = rows.reshape(-1, size, size).transpose(0, 2, 1).ravel() if rows.size else rows.ravel()
    return pa.FixedSizeListArray.from_arrays(pa.array(flat, type=arrow_type.value_type), type=arrow_type)


def _columns(item: Any, size: int) -> np.ndarray:
    if hasattr(item, "flat_columns"):
        return np.asarray(item.flat_columns, dtype=np.float32)
    return np.asarray(item, dtype=np.float32).reshape(size, size).ravel("F")
