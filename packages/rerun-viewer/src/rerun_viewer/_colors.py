"""Colors: Rerun's packed ``0xRRGGBBAA`` components, automatic per-entity and per-series colors, text-log
level colors."""

from __future__ import annotations

import colorsys
import functools

import numpy as np

from rerun_core.entity_path import EntityPath

__all__ = ["LEVEL_COLORS", "auto_color", "hsv_color", "rgba_u8", "series_color", "unpack_colors"]

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


def _hash_color(value: int) -> tuple[int, int, int, int]:
    """A 64-bit hash's color, as the reference picks it: the hash modulo 0xFFFF times the golden ratio,
    in single precision, is the hue."""
    hue = float(np.float32(value % 0xFFFF) * np.float32(_GOLDEN_RATIO)) % 1.0
    return hsv_color(hue)


@functools.cache
def auto_color(entity_path: str) -> tuple[int, int, int, int]:
    """The reference's color for an entity logged without one: its path's hash's color."""
    return _hash_color(_PathHasher.path_hash(EntityPath.parse(entity_path).parts))


@functools.cache
def series_color(entity_path: str, index: int) -> tuple[int, int, int, int]:
    """The reference's color for series ``index`` of an entity's Scalars logged without colors: the hash
    of the entity path, its line (or point) visualizer's mapping of values from ``Scalars:scalars`` (the
    one the reference's automatic visualizers carry, with an empty selector) and the index."""
    hasher = _PathHasher()
    hasher.word(_PathHasher.path_hash(EntityPath.parse(entity_path).parts))
    hasher.word(1)  # the mapping is there (Some)
    hasher.word(_PathHasher.string_hash("Scalars:scalars"))  # its source component (interned: its hash)
    hasher.string("")  # its selector
    hasher.word(index)
    return _hash_color(hasher.finish())


_U64 = (1 << 64) - 1


def _folded_multiply(a: int, b: int) -> int:
    product = a * b
    return (product & _U64) ^ (product >> 64)


def _rotate_left(value: int, bits: int) -> int:
    bits &= 63
    return ((value << bits) | (value >> (64 - bits))) & _U64 if bits else value


class _PathHasher:
    """The reference's entity path hash: aHash's portable algorithm (0.8) with the fixed seeds
    (0, 1, 2, 3) over the path's length and each part's own hash (its UTF-8 bytes, then 0xFF)."""

    _MULTIPLE = 6364136223846793005
    _SEEDS = (0x452821E638D01377, 0xBE5466CF34E90C6D, 0xC0AC29B7C97C50DF, 0x3F84D5B5B5470914)  # π ^ (0..3)

    def __init__(self) -> None:
        self.buffer, self.pad, self.extra = self._SEEDS[1], self._SEEDS[0], self._SEEDS[2:]

    @classmethod
    def path_hash(cls, parts: tuple[str, ...]) -> int:
        hasher = cls()
        hasher.word(len(parts))
        for part in parts:
            hasher.word(cls.string_hash(part))
        return hasher.finish()

    @classmethod
    def string_hash(cls, text: str) -> int:
        """An interned string's hash (entity path parts, component names)."""
        hasher = cls()
        hasher.string(text)
        return hasher.finish()

    def word(self, value: int) -> None:
        self.buffer = _folded_multiply(value ^ self.buffer, self._MULTIPLE)

    def string(self, text: str) -> None:
        """As Rust hashes a ``str``: its UTF-8 bytes, then 0xFF."""
        self.bytes(text.encode())
        self.word(0xFF)

    def _pair(self, low: int, high: int) -> None:
        combined = _folded_multiply(low ^ self.extra[0], high ^ self.extra[1])
        self.buffer = _rotate_left(((self.buffer + self.pad) & _U64) ^ combined, 23)

    def bytes(self, data: bytes) -> None:
        def u(chunk: bytes) -> int:
            return int.from_bytes(chunk, "little")

        self.buffer = ((self.buffer + len(data)) * self._MULTIPLE) & _U64
        if len(data) > 16:
            self._pair(u(data[-16:-8]), u(data[-8:]))
            while len(data) > 16:
                self._pair(u(data[:8]), u(data[8:16]))
                data = data[16:]
        elif len(data) > 8:
            self._pair(u(data[:8]), u(data[-8:]))
        elif len(data) >= 4:
            self._pair(u(data[:4]), u(data[-4:]))
        elif len(data) >= 2:
            self._pair(u(data[:2]), data[-1])
        else:
            self._pair(data[0] if data else 0, data[0] if data else 0)

    def finish(self) -> int:
        return _rotate_left(_folded_multiply(self.buffer, self.pad), self.buffer & 63)


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
