"""Image and DepthImage: decoded to RGBA on the CPU (the GPU only draws a texture).

Supported: color models L, RGB, RGBA, BGR, BGRA of every channel datatype (integers scaled from
their full range, floats taken as 0–1), and the Y8 pixel formats. Depth goes through a colormap
over the data's range; a depth of zero means "no measurement" and stays transparent.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from rerun_viewer import _arrow
from rerun_viewer._colormaps import apply_colormap
from rerun_viewer._entity_query import EntityQuery
from rerun_viewer._primitives import ImageLayer, Primitive
from rerun_viewer._registry import ViewKind, visualizer

__all__ = ["decode_image", "image_array"]

# encodings.ChannelDatatype / ColorModel / PixelFormat values (tools/codegen/types.toml).
CHANNEL_DTYPES = {
    6: "u1", 7: "i1", 8: "<u2", 9: "<i2", 10: "<u4", 11: "<i4", 12: "<u8", 13: "<i8", 33: "<f2", 34: "<f4", 35: "<f8",
}  # fmt: skip
COLOR_MODEL_CHANNELS = {1: 1, 2: 3, 3: 4, 4: 3, 5: 4}
_BGR_MODELS = (4, 5)
_Y8_FORMATS = (30, 41)
_TURBO = 5
_NEAREST = 1


def image_array(buffer: pa.Array, image_format: dict[str, object]) -> np.ndarray | None:
    """The pixels as ``(h, w)`` or ``(h, w, c)`` of the format's dtype; ``None`` for formats not supported."""
    width, height = int(image_format["width"]), int(image_format["height"])  # type: ignore[call-overload]
    raw = buffer[0].values.to_numpy(zero_copy_only=False)
    pixel_format = image_format.get("pixel_format")
    if pixel_format is not None:
        if pixel_format not in _Y8_FORMATS:
            return None
        return raw[: width * height].reshape(height, width)
    dtype = np.dtype(CHANNEL_DTYPES.get(image_format.get("channel_datatype") or 6, "u1"))  # type: ignore[call-overload]
    channels = COLOR_MODEL_CHANNELS.get(image_format.get("color_model") or 1, 1)  # type: ignore[call-overload]
    pixels = np.frombuffer(raw.tobytes(), dtype=dtype, count=width * height * channels)
    return pixels.reshape(height, width) if channels == 1 else pixels.reshape(height, width, channels)


def _to_u8(pixels: np.ndarray) -> np.ndarray:
    if pixels.dtype == np.uint8:
        return pixels
    if pixels.dtype.kind == "f":
        return np.round(np.clip(np.nan_to_num(pixels.astype(np.float64)), 0, 1) * 255).astype(np.uint8)
    info = np.iinfo(pixels.dtype)
    scaled = (pixels.astype(np.float64) - info.min) / (info.max - info.min)
    return np.round(scaled * 255).astype(np.uint8)


def decode_image(pixels: np.ndarray, color_model: int | None) -> np.ndarray:
    """Pixels of any supported layout to ``(h, w, 4)`` RGBA uint8."""
    values = _to_u8(pixels)
    if values.ndim == 2:
        values = values[..., None]
    if values.shape[2] in (3, 4) and color_model in _BGR_MODELS:
        values = values[..., [2, 1, 0, *([3] if values.shape[2] == 4 else [])]]
    height, width, channels = values.shape
    rgba = np.full((height, width, 4), 255, np.uint8)
    rgba[..., :3] = values[..., :3] if channels >= 3 else values[..., :1]
    if channels == 4:
        rgba[..., 3] = values[..., 3]
    return rgba


def _layer_fields(query: EntityQuery, cells: dict[str, pa.Array]) -> tuple[float, bool]:
    order = _arrow.floats(cells.get("draw_order"))
    filter_ = _arrow.ints(cells.get("magnification_filter"))
    return (0.0 if order is None else float(order[0])), (filter_ is None or filter_[0] == _NEAREST)


@visualizer("Image", ViewKind.SPATIAL_2D)
def image(query: EntityQuery) -> list[Primitive]:
    cells = query.latest("buffer", "format", "opacity", "draw_order", "magnification_filter")
    formats = _arrow.structs(cells.get("format"))
    if "buffer" not in cells or not formats:
        return []
    pixels = image_array(cells["buffer"], formats[0])
    if pixels is None:
        return []
    opacity = _arrow.floats(cells.get("opacity"))
    order, nearest = _layer_fields(query, cells)
    rgba = decode_image(pixels, formats[0].get("color_model"))  # type: ignore[arg-type]
    return [ImageLayer(query.entity, rgba, 1.0 if opacity is None else float(opacity[0]), order, nearest)]


@visualizer("DepthImage", ViewKind.SPATIAL_2D)
def depth_image(query: EntityQuery) -> list[Primitive]:
    cells = query.latest("buffer", "format", "colormap", "depth_range", "draw_order", "magnification_filter")
    formats = _arrow.structs(cells.get("format"))
    if "buffer" not in cells or not formats:
        return []
    pixels = image_array(cells["buffer"], formats[0])
    if pixels is None:
        return []
    depth = pixels.astype(np.float64).reshape(pixels.shape[:2])
    depth[depth == 0] = np.nan
    explicit = _arrow.vectors(cells.get("depth_range"), 2)
    finite = depth[np.isfinite(depth)]
    if explicit is not None:
        lo, hi = explicit[0]
    else:  # as the reference: from zero (or the minimum, when negative) to the largest depth
        lo, hi = (min(float(finite.min()), 0.0), float(finite.max())) if len(finite) else (0.0, 1.0)
    colormap = _arrow.ints(cells.get("colormap"))
    rgba = apply_colormap(depth, float(lo), float(hi), _TURBO if colormap is None else int(colormap[0]))
    order, nearest = _layer_fields(query, cells)
    return [ImageLayer(query.entity, rgba, 1.0, order, nearest)]
