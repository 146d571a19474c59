"""Pixel enums: ``ChannelDatatype`` to and from numpy dtypes, ``ColorModel.num_channels()``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from rerun._generated.enums import ChannelDatatype

__all__ = ["ChannelDatatypeExt", "ColorModelExt"]

_DTYPES = {
    "U8": np.uint8, "U16": np.uint16, "U32": np.uint32, "U64": np.uint64,
    "I8": np.int8, "I16": np.int16, "I32": np.int32, "I64": np.int64,
    "F16": np.float16, "F32": np.float32, "F64": np.float64,
}  # fmt: skip


class ChannelDatatypeExt:
    """Extension of ``ChannelDatatype``."""

    @staticmethod
    def from_np_dtype(dtype: Any) -> ChannelDatatype:
        from rerun._generated.enums import ChannelDatatype

        by_type = {value: name for name, value in _DTYPES.items()}
        return ChannelDatatype[by_type[np.dtype(dtype).type]]

    def to_np_dtype(self: Any) -> type:
        return _DTYPES[self.name]


class ColorModelExt:
    """Extension of ``ColorModel``."""

    def num_channels(self: Any) -> int:
        return {"L": 1, "RGB": 3, "BGR": 3, "RGBA": 4, "BGRA": 4}[self.name]
