"""Colormaps for depth and scalar images, as 256-entry sRGB lookup tables.

The matplotlib maps come from pygfx's tables (data only, no GPU); Turbo is Google's polynomial
approximation; maps not built yet fall back to Turbo, the reference's default for depth.
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
_TURBO = (
    ((0.13572138, 4.61539260, -42.66032258, 132.13108234), (-152.94239396, 59.28637943)),
    ((0.09140261, 2.19418839, 4.84296658, -14.18503333), (4.27729857, 2.82956604)),
    ((0.10667330, 12.64194608, -60.58204836, 110.36276771), (-89.90310912, 27.34824973)),
)


def _turbo(t: np.ndarray) -> np.ndarray:
    powers = np.stack([np.ones_like(t), t, t**2, t**3], axis=1)
    high = powers[:, 2:] * powers[:, 2:3]
    channels = [powers @ np.array(low) + high @ np.array(hi) for low, hi in _TURBO]
    return np.clip(np.stack(channels, axis=1), 0.0, 1.0)


@cache
def colormap_lut(code: int) -> np.ndarray:
    """``(256, 3)`` uint8 sRGB for a ``components.Colormap`` value."""
    name = COLORMAP_NAMES.get(code, "Turbo")
    t = np.linspace(0.0, 1.0, 256)
    if name == "Grayscale":
        table = np.stack([t, t, t], axis=1)
    elif name in ("Inferno", "Magma", "Plasma", "Viridis"):
        import pygfx

        table = np.asarray(getattr(pygfx.cm, name.lower()).texture.data, dtype=np.float64)[:, :3]
    else:
        table = _turbo(t)
    return np.round(table * 255).astype(np.uint8)


def apply_colormap(values: np.ndarray, lo: float, hi: float, code: int) -> np.ndarray:
    """Map ``values`` linearly from ``[lo, hi]`` through a colormap to RGBA uint8 (NaN → transparent)."""
    span = hi - lo if hi > lo else 1.0
    scaled = np.clip((values.astype(np.float64) - lo) / span, 0.0, 1.0)
    finite = np.isfinite(scaled)
    index = np.where(finite, np.round(scaled * 255), 0).astype(np.intp)
    rgba = np.empty((*values.shape, 4), dtype=np.uint8)
    rgba[..., :3] = colormap_lut(code)[index]
    rgba[..., 3] = np.where(finite, 255, 0)
    return rgba
