"""Shared image logic: numpy arrays -> (buffer bytes, ImageFormat) with 0.41's inference rules."""

from __future__ import annotations

from typing import Any

import numpy as np

from rerun._converters import enum_value
from rerun._generated.enums import ChannelDatatype, ColorModel, PixelFormat

__all__ = ["channel_datatype_of", "image_format", "image_from_array"]

_DATATYPES = {
    np.dtype(np.uint8): ChannelDatatype.U8,
    np.dtype(np.int8): ChannelDatatype.I8,
    np.dtype(np.uint16): ChannelDatatype.U16,
    np.dtype(np.int16): ChannelDatatype.I16,
    np.dtype(np.uint32): ChannelDatatype.U32,
    np.dtype(np.int32): ChannelDatatype.I32,
    np.dtype(np.uint64): ChannelDatatype.U64,
    np.dtype(np.int64): ChannelDatatype.I64,
    np.dtype(np.float16): ChannelDatatype.F16,
    np.dtype(np.float32): ChannelDatatype.F32,
    np.dtype(np.float64): ChannelDatatype.F64,
}
_CHANNELS = {1: ColorModel.L, 3: ColorModel.RGB, 4: ColorModel.RGBA}


def channel_datatype_of(dtype: Any) -> ChannelDatatype:
    if isinstance(dtype, ChannelDatatype):
        return dtype
    if isinstance(dtype, str) and dtype.upper() in ChannelDatatype.__members__:
        return ChannelDatatype[dtype.upper()]
    try:
        return _DATATYPES[np.dtype(dtype)]
    except (KeyError, TypeError):
        raise ValueError(f"unsupported image datatype {dtype!r}") from None


def image_format(width: int, height: int, *, color_model: Any = None, pixel_format: Any = None,
                 datatype: Any = None) -> dict[str, Any]:  # fmt: skip
    """The ``ImageFormat`` struct value."""
    return {
        "width": int(width),
        "height": int(height),
        "pixel_format": None if pixel_format is None else enum_value(PixelFormat, pixel_format),
        "color_model": None if color_model is None else enum_value(ColorModel, color_model),
        "channel_datatype": None if datatype is None else channel_datatype_of(datatype).value,
    }


def image_from_array(
    image: Any, *, color_model: Any = None, single_channel: bool = False
) -> tuple[np.ndarray, dict[str, Any]]:
    """Buffer and format of an HxW or HxWxC array; the color model follows from C unless given."""
    array = np.asarray(image)
    shape = array.shape
    while len(shape) > 2 and shape[-1] == 1 and single_channel:
        shape = shape[:-1]
    if len(shape) == 3 and shape[2] == 1:
        shape = shape[:2]
    if len(shape) not in (2, 3) or (single_channel and len(shape) != 2):
        raise ValueError(f"Expected a 2D or 3D tensor, got {array.shape}")
    height, width = shape[0], shape[1]
    if single_channel:
        model = None
    elif color_model is not None:
        model = color_model
    else:
        channels = 1 if len(shape) == 2 else shape[2]
        if channels not in _CHANNELS:
            raise ValueError(f"cannot infer a color model for {channels} channels (shape {array.shape})")
        model = _CHANNELS[channels]
    buffer = np.ascontiguousarray(array).view(np.uint8).ravel()
    return buffer, image_format(width, height, color_model=model, datatype=array.dtype)
