"""Colors: Rerun's packed ``0xRRGGBBAA`` components, automatic per-entity colors, text-log level colors."""

from __future__ import annotations

import colorsys
import hashlib

import numpy as np

__all__ = ["LEVEL_COLORS", "auto_color", "hsv_color", "rgba_u8", "unpack_colors"]

# What the reference's text log shows for each well-known level (sampled from its screens).
LEVEL_COLORS: dict[str, tuple[int, int, int, int]] = {
    "TRACE": (191, 191, 191, 255),
    "DEBUG": (173, 187, 255, 255),
    "INFO": (0, 218, 126, 255),
    "WARN": (255, 122, 12, 255),
    "ERROR": (171, 1, 22, 255),
    "CRITICAL": (255, 255, 255, 255),
}
_GOLDEN_RATIO = (5**0.5 - 1) / 2


def unpack_colors(packed: np.ndarray) -> np.ndarray:
    """``0xRRGGBBAA`` integers to ``(n, 4)`` uint8 RGBA."""
    values = np.asarray(packed, dtype=np.uint32)
    shifts = np.array([24, 16, 8, 0], dtype=np.uint32)
    return ((values[:, None] >> shifts) & 0xFF).astype(np.uint8)


def _linear_to_srgb(channel: float) -> int:
    value = channel * 12.92 if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055
    return round(min(max(value, 0.0), 1.0) * 255)


def auto_color(entity_path: str) -> tuple[int, int, int, int]:
    """A stable color per entity, spread around the hue circle by the golden ratio as the reference does."""
    digest = hashlib.blake2b(entity_path.encode(), digest_size=8).digest()
    value = int.from_bytes(digest, "little") % 0xFFFF
    return hsv_color((value * _GOLDEN_RATIO) % 1.0)


def hsv_color(hue: float) -> tuple[int, int, int, int]:
    """The reference's automatic colors: saturation 0.85 and value 0.5 in linear space, as egui's Hsva."""
    red, green, blue = colorsys.hsv_to_rgb(hue, 0.85, 0.5)
    return _linear_to_srgb(red), _linear_to_srgb(green), _linear_to_srgb(blue), 255


def rgba_u8(packed: np.ndarray | None, count: int, fallback: tuple[int, int, int, int]) -> np.ndarray:
    """``count`` colors: the packed ones (the last repeated, as Rerun splats), else ``fallback``."""
    if packed is None or len(packed) == 0:
        return np.tile(np.array(fallback, dtype=np.uint8), (count, 1))
    colors = unpack_colors(packed)
    if len(colors) >= count:
        return colors[:count]
    return np.concatenate([colors, np.repeat(colors[-1:], count - len(colors), axis=0)])
