"""Small pieces every painter shares: rectangles, colors in imgui's forms, fonts, and the frame context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from imgui_bundle import imgui

from rerun_viewer._gpu import Gpu

__all__ = ["Fonts", "Rect", "UiFrame", "col32", "text_at", "vec4"]


@dataclass(frozen=True)
class Rect:
    """A screen rectangle in UI pixels."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def inset(self, left: float = 0, top: float = 0, right: float = 0, bottom: float = 0) -> Rect:
        return Rect(self.x + left, self.y + top, max(self.w - left - right, 0), max(self.h - top - bottom, 0))

    def split_columns(self, count: int) -> list[Rect]:
        width = self.w / count
        return [Rect(self.x + i * width, self.y, width, self.h) for i in range(count)]

    def split_rows(self, count: int) -> list[Rect]:
        height = self.h / count
        return [Rect(self.x, self.y + i * height, self.w, height) for i in range(count)]


def col32(color: tuple[int, int, int, int]) -> int:
    """A color as imgui's packed ABGR u32."""
    red, green, blue, alpha = color
    return int(imgui.IM_COL32(red, green, blue, alpha))


def vec4(color: tuple[int, int, int, int]) -> Any:
    return imgui.ImVec4(*(channel / 255 for channel in color))


@dataclass
class Fonts:
    """The UI font at the sizes the shell uses (imgui 1.92 fonts scale on demand)."""

    regular: Any
    bold: Any
    size: float


@dataclass
class UiFrame:
    """What painters need during one UI frame: the GPU, the UI backend (to show textures), fonts, caches."""

    gpu: Gpu
    backend: Any  # wgpu.utils.imgui.ImguiWgpuBackend
    fonts: Fonts
    cache: dict[str, Any] = field(default_factory=dict)  # per-view state kept across frames
    keep_alive: list[Any] = field(default_factory=list)  # texture views referenced by this frame's draw data

    def texture_ref(self, texture: Any) -> Any:
        """Register a wgpu texture for this frame's draw data."""
        view = texture.create_view()
        self.keep_alive.append(view)
        return self.backend.register_texture(view)


def text_at(
    draw: Any, fonts: Fonts, x: float, y: float, text: str, color: tuple[int, int, int, int], *,
    bold: bool = False, size: float | None = None,
) -> None:  # fmt: skip
    """Text with its top-left corner at (x, y)."""
    draw.add_text(
        fonts.bold if bold else fonts.regular, size or fonts.size, imgui.ImVec2(x, y), col32(color), text
    )
