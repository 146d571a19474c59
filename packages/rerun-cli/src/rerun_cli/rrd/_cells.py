"""Short text for Arrow values, as the reference shows them in chunk tables (types: ``rerun_core.arrow_names``).

Values are cut at a width budget (with ``…``) while being formatted, so showing one row of a large
image or point cloud costs what fits on screen, not the whole buffer.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from rerun_cli.rrd._fmt import format_duration_iso, format_timestamp
from rerun_core.tuid import Tuid

__all__ = ["format_cell"]

_ELLIPSIS = "…"


def format_cell(array: pa.Array, index: int, budget: int = 100, *, row_ids: bool = False) -> str:
    """One value of ``array``, at most ``budget`` characters long."""
    text = _format(array, index, budget + 1, row_ids=row_ids)
    return text if len(text) <= budget else text[: budget - 1] + _ELLIPSIS


def _format(array: pa.Array, index: int, budget: int, *, row_ids: bool = False) -> str:
    if not array[index].is_valid:
        return "null"
    arrow_type = array.type
    if (
        pa.types.is_list(arrow_type)
        or pa.types.is_large_list(arrow_type)
        or pa.types.is_fixed_size_list(arrow_type)
    ):
        return _format_list(array[index].values, budget)
    if pa.types.is_struct(arrow_type):
        parts = [f"{f.name}: {_format(array.field(i), index, budget)}" for i, f in enumerate(arrow_type)]
        return _join(parts, "{", "}", budget)
    if row_ids and pa.types.is_fixed_size_binary(arrow_type) and arrow_type.byte_width == 16:
        return f"row_{Tuid.from_bytes(array[index].as_py())}"
    return _format_scalar(array, index)


def _format_list(values: pa.Array, budget: int) -> str:
    parts: list[str] = []
    used = 1
    for i in range(len(values)):
        if used > budget:
            parts.append(_ELLIPSIS)
            break
        part = _format(values, i, budget)
        parts.append(part)
        used += len(part) + 2
    return _join(parts, "[", "]", budget)


def _join(parts: list[str], opening: str, closing: str, budget: int) -> str:
    return opening + ", ".join(parts) + closing


def _format_scalar(array: pa.Array, index: int) -> str:
    arrow_type = array.type
    if pa.types.is_timestamp(arrow_type):
        return format_timestamp(array.view(pa.int64())[index].as_py())
    if pa.types.is_duration(arrow_type):
        return format_duration_iso(array.view(pa.int64())[index].as_py())
    value = array[index].as_py()
    if pa.types.is_floating(arrow_type):
        return _format_float(value, arrow_type)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _format_float(value: float, arrow_type: pa.DataType) -> str:
    if arrow_type == pa.float64():
        return repr(value)
    dtype = np.float32 if arrow_type == pa.float32() else np.float16
    text = np.format_float_positional(dtype(value), unique=True, trim="0")
    return text if abs(value) < 1e16 else repr(value)
