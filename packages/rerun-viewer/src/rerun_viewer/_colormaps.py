"""Colormaps for depth, tensor and scalar images, as 256-entry sRGB lookup tables (plus alpha).

Matplotlib's maps come from the ``cmap`` package; Turbo is Google's polynomial approximation (what the
reference draws); Cyan-to-yellow and the three grid-map colormaps follow the reference's screenshots:
the grid maps read the scaled value as an 8-bit occupancy/cost code (0–100 known values, 101–127
and 128–254 "illegal" ranges, 255 unknown), zero being transparent in the cost maps.
"""

from __future__ import annotations

from functools import cache

import numpy as np

__all__ = ["COLORMAP_NAMES", "apply_colormap", "colormap_lut"]

# components.Colormap values (tools/codegen/types.toml).
COLORMAP_NAMES = {
    1: "Grayscale",
    2: "Inferno",
    3: "Magma",
    4: "Plasma",
    5: "Turbo",
    6: "Viridis",
    7: "CyanToYellow",
    8: "Spectral",
    9: "Twilight",
    10: "RvizMap",
    11: "RvizCostmap",
    12: "Costmap",
}
_CMAP_NAMES = {2: "inferno", 3: "magma", 4: "plasma", 6: "viridis", 8: "spectral", 9: "twilight"}
_TURBO = (
    ((0.13572138, 4.61539260, -42.66032258, 132.13108234), (-152.94239396, 59.28637943)),
    ((0.09140261, 2.19418839, 4.84296658, -14.18503333), (4.27729857, 2.82956604)),
    ((0.10667330, 12.64194608, -60.58204836, 110.36276771), (-89.90310912, 27.34824973)),
)
# Cyan (0) through blue and dark gray (0.5) to brass and yellow (1), every 8th of 256 entries.
_CYAN_TO_YELLOW = (
    "00ffff 00e8f3 00d2e7 00bedb 00abcf 009ac3 008ab7 007cab 006f9f 006493 005a87 05527b 104c6f 1d4663 294357 "
    "35414b 41403f 4d4133 594327 65471b 704c0f 7c5303 885c00 946500 a07100 ac7e00 b88c00 c49c00 d0ad00 dcc000 "
    "e8d500 f4eb00 ffff00"
)
_GREEN, _RED, _YELLOW, _UNKNOWN = (0, 255, 0), (255, 0, 0), (255, 255, 0), (112, 137, 134)


def _turbo(t: np.ndarray) -> np.ndarray:
    powers = np.stack([np.ones_like(t), t, t**2, t**3], axis=1)
    high = powers[:, 2:] * powers[:, 2:3]
    channels = [powers @ np.array(low) + high @ np.array(hi) for low, hi in _TURBO]
    return np.clip(np.stack(channels, axis=1), 0.0, 1.0) * 255


def _ramp(start: tuple[int, ...], end: tuple[int, ...], count: int) -> np.ndarray:
    return np.linspace(np.array(start, float), np.array(end, float), count)


def _cyan_to_yellow() -> np.ndarray:
    stops = np.array([[int(code[i : i + 2], 16) for i in (0, 2, 4)] for code in _CYAN_TO_YELLOW.split()])
    index = np.minimum(np.arange(len(stops)) * 8, 255)
    return np.stack([np.interp(np.arange(256), index, stops[:, k]) for k in range(3)], axis=1)


def _grid_map(code: int) -> np.ndarray:
    """RvizMap (10), RvizCostmap (11) or Costmap (12) over 8-bit values; alpha in the 4th column."""
    table = np.zeros((256, 4))
    table[:, 3] = 255
    if code == 10:
        table[:101, :3] = _ramp((255, 255, 255), (0, 0, 0), 101)
        table[101:128, :3], table[128:255, :3] = _GREEN, _ramp(_RED, _YELLOW, 127)
    elif code == 11:
        table[:99, :3] = _ramp((0, 0, 255), (247, 0, 8), 99)
        table[99:102, :3] = (0, 255, 255), (255, 0, 255), _GREEN
        table[102:128, :3], table[128:255, :3] = _GREEN, _ramp(_RED, _YELLOW, 127)
    else:
        table[:99, :3] = _ramp((134, 217, 166), (246, 218, 117), 99)
        table[99:101, :3] = (215, 47, 33), (24, 106, 221)
        table[101:128, :3], table[128:255, :3] = (134, 217, 166), _ramp((215, 47, 33), (246, 218, 117), 127)
    table[255, :3] = _UNKNOWN
    if code != 10:
        table[0] = 0  # no cost: transparent
    return table


@cache
def colormap_lut(code: int) -> np.ndarray:
    """``(256, 4)`` uint8 sRGB + alpha for a ``components.Colormap`` value."""
    if code not in COLORMAP_NAMES:
        raise ValueError(f"unknown colormap {code}; expected one of {sorted(COLORMAP_NAMES)}")
    t = np.linspace(0.0, 1.0, 256)
    if code in (10, 11, 12):
        return np.round(_grid_map(code)).astype(np.uint8)
    if code == 1:
        table = np.stack([t, t, t], axis=1) * 255
    elif code == 5:
        table = _turbo(t)
    elif code == 7:
        table = _cyan_to_yellow()
    else:
        import cmap

        table = cmap.Colormap(_CMAP_NAMES[code]).lut(256)[:, :3] * 255
    return np.concatenate([np.round(table), np.full((256, 1), 255)], axis=1).astype(np.uint8)


def apply_colormap(values: np.ndarray, lo: float, hi: float, code: int) -> np.ndarray:
    """Map ``values`` linearly from ``[lo, hi]`` through a colormap to RGBA uint8 (NaN → transparent)."""
    span = hi - lo if hi > lo else 1.0
    scaled = np.clip((values.astype(np.float64) - lo) / span, 0.0, 1.0)
    finite = np.isfinite(scaled)
    index = np.where(finite, np.round(scaled * 255), 0).astype(np.intp)
    rgba = colormap_lut(code)[index]
    rgba[..., 3] = np.where(finite, rgba[..., 3], 0)
    return rgba
