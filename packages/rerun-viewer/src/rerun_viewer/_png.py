"""Frames as PNG files or bytes: what screenshots, ``--screenshot-to`` and the remote control hand out."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np

__all__ = ["png_bytes", "write_png"]


def png_bytes(pixels: np.ndarray, max_size: int | None = None) -> bytes:
    """RGB PNG bytes of RGB(A) ``pixels``, scaled down so the longest side is at most ``max_size``."""
    from PIL import Image  # only screenshots need Pillow

    image = Image.fromarray(np.ascontiguousarray(pixels[..., :3]))
    if max_size is not None and max(image.size) > max_size > 0:
        scale = max_size / max(image.size)
        size = (max(round(image.width * scale), 1), max(round(image.height * scale), 1))
        image = image.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def write_png(pixels: np.ndarray, path: str | os.PathLike[str]) -> Path:
    """``pixels`` as an RGB PNG at ``path`` (its folder made if needed); returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(png_bytes(pixels))
    return target
