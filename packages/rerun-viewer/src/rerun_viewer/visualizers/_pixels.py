"""Image buffers to pixels: every ``ImageFormat`` (color model × channel datatype, or a pixel format).

Facts learned from the reference viewer's screenshots: the planar YUV formats use BT.709 coefficients,
NV12 and YUY2 BT.601 (limited range: Y in [16, 235], chroma in [16, 240]); Bayer mosaics are
demosaiced bilinearly and their samples taken as linear light; non-8-bit values are shown over the
range of :func:`display_range`.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

__all__ = ["decode_buffer", "display_range", "to_rgba"]

# encodings.ChannelDatatype / ColorModel / PixelFormat values (tools/codegen/types.toml).
CHANNEL_DTYPES = {
    6: "u1", 7: "i1", 8: "<u2", 9: "<i2", 10: "<u4", 11: "<i4", 12: "<u8", 13: "<i8", 33: "<f2", 34: "<f4", 35: "<f8",
}  # fmt: skip
COLOR_MODEL_CHANNELS = {1: 1, 2: 3, 3: 4, 4: 3, 5: 4}
_BGR_MODELS = (4, 5)
_Y8 = {30: True, 41: False}  # pixel format -> full range?
_PLANAR = {  # pixel format -> (chroma width divisor, chroma height divisor, full range?)
    20: (2, 2, False), 44: (2, 2, True), 39: (1, 1, False), 40: (1, 1, True), 49: (2, 1, False), 50: (2, 1, True),
}  # fmt: skip
_NV12, _YUY2 = 26, 27
_BAYER = {128: "RGGB", 129: "BGGR", 130: "GBRG", 131: "GRBG"}
_BT709 = np.array([[1.0, 0.0, 1.5748], [1.0, -0.1873, -0.4681], [1.0, 1.8556, 0.0]], np.float32)
_BT601 = np.array([[1.0, 0.0, 1.402], [1.0, -0.344136, -0.714136], [1.0, 1.772, 0.0]], np.float32)


def _yuv_to_rgb(
    y: np.ndarray, u: np.ndarray, v: np.ndarray, full_range: bool, matrix: np.ndarray = _BT709
) -> np.ndarray:
    """Planes of equal shape to ``(h, w, 3)`` uint8 sRGB."""
    luma = y.astype(np.float32)
    chroma = np.stack([u, v], axis=-1).astype(np.float32) - 128.0
    if not full_range:
        luma = (luma - 16.0) * (255.0 / 219.0)
        chroma *= 255.0 / 224.0
    yuv = np.concatenate([luma[..., None], chroma], axis=-1)
    return np.round(np.clip(yuv @ matrix.T, 0, 255)).astype(np.uint8)


def _upsampled(plane: np.ndarray, div_y: int, div_x: int) -> np.ndarray:
    """A subsampled chroma plane repeated back to full resolution."""
    return np.repeat(np.repeat(plane, div_y, axis=0), div_x, axis=1)


def _planar(raw: np.ndarray, width: int, height: int, pixel_format: int) -> np.ndarray:
    div_x, div_y, full = _PLANAR[pixel_format]
    cw, ch = width // div_x, height // div_y
    y = raw[: width * height].reshape(height, width)
    u = raw[width * height : width * height + cw * ch].reshape(ch, cw)
    v = raw[width * height + cw * ch : width * height + 2 * cw * ch].reshape(ch, cw)
    return _yuv_to_rgb(y, _upsampled(u, div_y, div_x), _upsampled(v, div_y, div_x), full)


def _nv12(raw: np.ndarray, width: int, height: int) -> np.ndarray:
    y = raw[: width * height].reshape(height, width)
    uv = raw[width * height : width * height * 3 // 2].reshape(height // 2, width // 2, 2)
    return _yuv_to_rgb(y, _upsampled(uv[..., 0], 2, 2), _upsampled(uv[..., 1], 2, 2), False, _BT601)


def _yuy2(raw: np.ndarray, width: int, height: int) -> np.ndarray:
    quads = raw[: width * height * 2].reshape(height, width // 2, 4)  # Y0 U Y1 V
    y = quads[..., [0, 2]].reshape(height, width)
    u, v = np.repeat(quads[..., 1], 2, axis=1), np.repeat(quads[..., 3], 2, axis=1)
    return _yuv_to_rgb(y, u, v, False, _BT601)


def _box3(values: np.ndarray) -> np.ndarray:
    """Sums over each pixel's 3×3 neighbourhood (zero outside), separably."""
    padded = np.pad(values, 1)
    rows = padded[:-2] + padded[1:-1] + padded[2:]
    return rows[:, :-2] + rows[:, 1:-1] + rows[:, 2:]


def _demosaic(mosaic: np.ndarray, pattern: str) -> np.ndarray:
    """Bilinear demosaicing: each channel is the mean of its samples in the 3×3 neighbourhood."""
    height, width = mosaic.shape
    rgb = np.zeros((height, width, 3), np.float32)
    for channel, letter in enumerate("RGB"):
        mask = np.zeros((height, width), np.float32)
        for index, name in enumerate(pattern):
            if name == letter:
                mask[index // 2 :: 2, index % 2 :: 2] = 1.0
        rgb[..., channel] = _box3(mosaic * mask) / np.maximum(_box3(mask), 1.0)
    linear = rgb / 255.0
    srgb = np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)
    return np.round(srgb * 255).astype(np.uint8)


def _pixel_format(raw: np.ndarray, width: int, height: int, pixel_format: int) -> np.ndarray:
    if pixel_format in _Y8:
        y = raw[: width * height].reshape(height, width)
        return _yuv_to_rgb(y, np.full_like(y, 128), np.full_like(y, 128), _Y8[pixel_format])
    if pixel_format in _PLANAR:
        return _planar(raw, width, height, pixel_format)
    if pixel_format == _NV12:
        return _nv12(raw, width, height)
    if pixel_format == _YUY2:
        return _yuy2(raw, width, height)
    if pixel_format in _BAYER:
        return _demosaic(
            raw[: width * height].reshape(height, width).astype(np.float32), _BAYER[pixel_format]
        )
    raise ValueError(f"unknown image pixel_format {pixel_format}")


def decode_buffer(buffer: pa.Array, image_format: dict[str, object]) -> np.ndarray:
    """The pixels as ``(h, w)`` or ``(h, w, c)``: channel values of the format's dtype, or RGB uint8 for pixel formats."""
    width, height = int(image_format["width"]), int(image_format["height"])  # type: ignore[call-overload]
    raw = buffer[0].values.to_numpy(zero_copy_only=False)
    pixel_format = image_format.get("pixel_format")
    if pixel_format is not None:
        return _pixel_format(raw, width, height, int(pixel_format))  # type: ignore[call-overload]
    datatype = image_format.get("channel_datatype") or 6
    if datatype not in CHANNEL_DTYPES:
        raise ValueError(f"unknown image channel_datatype {datatype}")
    channels = COLOR_MODEL_CHANNELS.get(image_format.get("color_model") or 1, 1)  # type: ignore[call-overload]
    pixels = np.frombuffer(
        raw.tobytes(), dtype=np.dtype(CHANNEL_DTYPES[datatype]), count=width * height * channels
    )
    if image_format.get("color_model") in _BGR_MODELS:
        pixels = pixels.reshape(-1, channels)[:, [2, 1, 0, 3][:channels]]
    return pixels.reshape(height, width) if channels == 1 else pixels.reshape(height, width, channels)


def display_range(pixels: np.ndarray) -> tuple[float, float]:
    """The value range shown from black to white, as the reference picks it.

    Floats within [0, 1] show as [0, 1]; anything within [0, 255] as 8-bit; else the data's own range.
    """
    if pixels.dtype == np.uint8:
        return 0.0, 255.0
    finite = pixels[np.isfinite(pixels)] if pixels.dtype.kind == "f" else pixels
    if finite.size == 0:
        return 0.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    if pixels.dtype.kind == "f" and lo >= 0.0 and hi <= 1.0:
        return 0.0, 1.0
    if lo >= 0.0 and hi <= 255.0:
        return 0.0, 255.0
    return (lo, hi) if hi > lo else (lo, lo + 1.0)


def to_rgba(pixels: np.ndarray) -> np.ndarray:
    """Decoded pixels (1, 3 or 4 channels, any dtype) to ``(h, w, 4)`` RGBA uint8 over :func:`display_range`."""
    if pixels.dtype != np.uint8:
        lo, hi = display_range(pixels)
        scaled = (np.nan_to_num(pixels.astype(np.float64), nan=lo) - lo) / (hi - lo)
        pixels = np.round(np.clip(scaled, 0.0, 1.0) * 255).astype(np.uint8)
    if pixels.ndim == 2:
        pixels = pixels[..., None]
    height, width, channels = pixels.shape
    rgba = np.full((height, width, 4), 255, np.uint8)
    rgba[..., :3] = pixels[..., :3] if channels >= 3 else pixels[..., :1]
    if channels == 4:
        rgba[..., 3] = pixels[..., 3]
    return rgba
