"""Tensor views: a slider per sliced-away dimension, and the colormapped slice fitted under them.

The slice shown is kept per view (``UiFrame.cache``) until the tensor's shape changes; it starts at
the visualizer's defaults (every other dimension at its middle index), colored with Viridis as the
reference does.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import wgpu
from imgui_bundle import imgui

from rerun_viewer._colormaps import apply_colormap
from rerun_viewer._primitives import TensorSlice
from rerun_viewer._theme import THEME
from rerun_viewer._ui import Rect, UiFrame, text_at
from rerun_viewer._view_core import ViewContents

__all__ = ["fit_rect", "paint_tensor", "slice_rgba"]

VIRIDIS = 6
_ROW = 26.0
_SLIDER_WIDTH = 160.0


def slice_rgba(tensor: TensorSlice, indices: dict[int, int]) -> np.ndarray:
    """The ``(h, w, 4)`` colormapped slice, the sliced-away dimensions at ``indices``."""
    data = tensor.data
    for dim, index in indices.items():
        if not 0 <= index < data.shape[dim]:
            raise ValueError(f"tensor index {index} is outside dimension {dim} of size {data.shape[dim]}")
    picked = data[tuple(indices.get(dim, slice(None)) for dim in range(data.ndim))]
    kept = [dim for dim in range(data.ndim) if dim not in indices]
    in_order = kept.index(tensor.height_dim) <= kept.index(tensor.width_dim)
    plane = np.atleast_2d(picked if in_order else picked.T)
    return apply_colormap(plane.astype(np.float64), *tensor.value_range, VIRIDIS)


def fit_rect(area: Rect, width: int, height: int) -> Rect:
    """The largest rectangle of the image's aspect inside ``area``, at its top-left (as the reference)."""
    scale = min(area.w / max(width, 1), area.h / max(height, 1))
    return Rect(area.x, area.y, width * scale, height * scale)


def _dimension(tensor: TensorSlice, dim: int) -> str:
    name = tensor.names[dim] if dim < len(tensor.names) and tensor.names[dim] else f"Dimension {dim}"
    return f"{name} (size={tensor.data.shape[dim]})"


def _selection(frame: UiFrame, key: str, tensor: TensorSlice) -> dict[int, int]:
    """The view's slice indices, reset to the defaults when the tensor's shape changes."""
    cached = frame.cache.get(f"tensor-indices{key}")
    if cached is None or cached[0] != tensor.data.shape:
        cached = frame.cache[f"tensor-indices{key}"] = (tensor.data.shape, dict(tensor.indices))
    indices: dict[int, int] = cached[1]
    return indices


def _sliders(frame: UiFrame, rect: Rect, key: str, tensor: TensorSlice, indices: dict[int, int]) -> float:
    """One slider per sliced-away dimension; returns the height they take."""
    for row, dim in enumerate(indices):
        y = rect.y + 4 + row * _ROW
        text_at(
            imgui.get_window_draw_list(), frame.fonts, rect.x + 12, y + 3, _dimension(tensor, dim), THEME.text
        )
        imgui.set_cursor_screen_pos(imgui.ImVec2(rect.x + 200, y))
        imgui.set_next_item_width(_SLIDER_WIDTH)
        changed, value = imgui.slider_int(f"##dim{dim}{key}", indices[dim], 0, tensor.data.shape[dim] - 1)
        if changed:
            indices[dim] = int(value)
    return len(indices) * _ROW + (6 if indices else 0)


def _slice(frame: UiFrame, key: str, tensor: TensorSlice, indices: dict[int, int]) -> np.ndarray:
    """:func:`slice_rgba`, colormapped again only when the tensor or the indices change, not every frame."""
    memo = (tensor.value_range, tensor.height_dim, tensor.width_dim, tuple(indices.items()))
    cached = frame.cache.get(f"tensor-slice{key}")
    if cached is None or cached[0] is not tensor.data or cached[1] != memo:
        cached = frame.cache[f"tensor-slice{key}"] = (tensor.data, memo, slice_rgba(tensor, indices))
    rgba: np.ndarray = cached[2]
    return rgba


def _texture(frame: UiFrame, key: str, rgba: np.ndarray) -> Any:
    """A GPU copy of ``rgba``, uploaded again only when the pixels change."""
    cached = frame.cache.get(key)
    if cached is not None and cached[2] is rgba:  # the same slice as the last frame's
        return cached[1]
    digest = hash(rgba.tobytes())
    if cached is not None and cached[0] == digest:
        frame.cache[key] = (digest, cached[1], rgba)
        return cached[1]
    height, width = rgba.shape[:2]
    texture = frame.gpu.device.create_texture(
        size=(width, height, 1),
        format="rgba8unorm",
        usage=wgpu.TextureUsage.COPY_DST | wgpu.TextureUsage.TEXTURE_BINDING,
    )
    frame.gpu.device.queue.write_texture(
        {"texture": texture}, np.ascontiguousarray(rgba), {"bytes_per_row": 4 * width}, (width, height, 1)
    )
    frame.cache[key] = (digest, texture, rgba)
    return texture


def paint_tensor(frame: UiFrame, contents: ViewContents, rect: Rect, key: str) -> None:
    """The sliders, then the slice (its axes named at its edges)."""
    tensor = next((p for p in contents.primitives if isinstance(p, TensorSlice)), None)
    if tensor is None:
        return
    indices = _selection(frame, key, tensor)
    top = _sliders(frame, rect, key, tensor, indices)
    rgba = _slice(frame, key, tensor, indices)
    height, width = rgba.shape[:2]
    image = fit_rect(rect.inset(0, top, 0, 0), width, height)
    draw = imgui.get_window_draw_list()
    draw.add_image(
        frame.texture_ref(_texture(frame, f"tensor{key}", rgba)),
        imgui.ImVec2(image.x, image.y),
        imgui.ImVec2(image.right, image.bottom),
    )
    right = f"-> {_dimension(tensor, tensor.width_dim)}"
    right_x = image.right - imgui.calc_text_size(right).x - 8
    text_at(draw, frame.fonts, right_x, image.y + 6, right, THEME.text_strong)
    down = f"v {_dimension(tensor, tensor.height_dim)}"
    text_at(draw, frame.fonts, image.x + 8, image.bottom - frame.fonts.size - 8, down, THEME.text_strong)
