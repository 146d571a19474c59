"""Tensors: ``TensorData(array=)`` or ``TensorData(shape=, buffer=)``, and typed ``TensorBuffer`` batches."""

from __future__ import annotations

from collections.abc import Sequence
from math import prod
from typing import Any

import numpy as np
import pyarrow as pa

from rerun.encodings._ext._common import warn_or_raise

__all__ = ["TensorBufferExt", "TensorDataExt", "buffers_to_arrow", "convert_inner"]

_MEMBERS = {
    np.dtype(dtype): member
    for dtype, member in (
        (np.uint8, "U8"), (np.uint16, "U16"), (np.uint32, "U32"), (np.uint64, "U64"),
        (np.int8, "I8"), (np.int16, "I16"), (np.int32, "I32"), (np.int64, "I64"),
        (np.float16, "F16"), (np.float32, "F32"), (np.float64, "F64"),
    )
}  # fmt: skip


def convert_inner(value: Any) -> np.ndarray:
    """A buffer is flat; its dtype picks the union member."""
    return np.asarray(value).ravel()


def _to_numpy(tensor: Any) -> np.ndarray:
    """Arrays, and tensors of libraries that know ``.numpy(force=True)`` (torch)."""
    if isinstance(tensor, np.ndarray):
        return tensor
    try:
        return np.asarray(tensor.numpy(force=True))
    except AttributeError:
        return np.asarray(tensor)


class TensorBufferExt:
    """Extension of ``TensorBuffer``: one dense-union member per element type."""

    def as_arrow_value(self: Any) -> dict[str, list[Any]]:
        member = _MEMBERS.get(self.inner.dtype)
        if member is None:
            raise ValueError(f"unsupported tensor dtype {self.inner.dtype}")
        return {member: self.inner.tolist()}


def buffers_to_arrow(data: Any, arrow_type: pa.DataType) -> pa.Array:
    """One buffer (an array or a ``TensorBuffer``), or a sequence of them."""
    from rerun._converters import structured
    from rerun._generated.encodings import TensorBuffer

    items = [data] if isinstance(data, TensorBuffer | np.ndarray) else list(data)
    return structured([TensorBuffer._coerce(item).as_arrow_value() for item in items], arrow_type)


class TensorDataExt:
    """Extension of ``TensorData``: an n-d array, or a shape and a flat buffer; optionally dimension names."""

    def __init__(
        self: Any,
        *,
        shape: Sequence[int] | None = None,
        buffer: Any = None,
        array: Any = None,
        dim_names: Sequence[str] | None = None,
    ) -> None:
        from rerun._generated.encodings import TensorBuffer

        if (array is None) == (buffer is None):
            raise ValueError(
                "Must provide one of 'array' or 'buffer'"
                if array is None
                else "Can only provide one of 'array' or 'buffer'"
            )
        if array is not None:
            array = _to_numpy(array)
            if shape is not None and tuple(shape) != array.shape:
                warn_or_raise(
                    f"Provided array ({array.shape}) does not match shape argument ({tuple(shape)}). "
                    "Ignoring shape argument."
                )
            shape, buffer = array.shape, TensorBuffer(array)
        elif shape is None:
            raise ValueError("If 'buffer' is provided, 'shape' is also required")
        stored_shape = np.asarray(list(shape), dtype=np.uint64)
        names = None
        if dim_names:
            if len(dim_names) == len(stored_shape):
                names = [str(n) for n in dim_names]
            else:
                warn_or_raise(
                    f"len(shape) = {len(stored_shape)} != len(dim_names) = {len(dim_names)}. "
                    "Ignoring tensor dimension names."
                )
        self._set_fields(shape=stored_shape, buffer=buffer, names=names)
        if len(self.buffer.inner) != prod(int(d) for d in stored_shape):
            raise ValueError(f"Shape and buffer size do not match. {len(self.buffer.inner)} {stored_shape}")

    def numpy(self: Any, force: bool = False) -> np.ndarray:
        """The tensor as an n-d array."""
        return self.buffer.inner.reshape([int(d) for d in self.shape])

    def __array__(self: Any, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        return np.asarray(self.numpy(), dtype=dtype)
