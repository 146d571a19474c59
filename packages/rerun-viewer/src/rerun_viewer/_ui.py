"""Small pieces every painter shares: rectangles, colors in imgui's forms, fonts, and the frame context."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from imgui_bundle import imgui

from rerun_viewer._gpu import Gpu
from rerun_viewer._state import AppState
from rerun_viewer._theme import THEME

__all__ = [
    "Fonts",
    "Rect",
    "UiFrame",
    "chevron",
    "clicked",
    "col32",
    "entity_icon",
    "row_clicked",
    "text_at",
    "vec4",
]


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
    mono: Any = None  # monospace, for text logs' bodies when a blueprint asks (None: regular)


@dataclass
class UiFrame:
    """What painters need during one UI frame: the GPU, the UI backend (to show textures), fonts, the app
    state (read, and changed by interaction), caches."""

    gpu: Gpu
    backend: Any  # rerun_viewer._ui_backend.UiBackend
    fonts: Fonts
    state: AppState
    cache: dict[str, Any] = field(default_factory=dict)  # per-view state kept across frames
    _textures: dict[int, tuple[Any, Any]] = field(default_factory=dict)  # id(texture) -> (texture, ref)
    _used: set[int] = field(default_factory=set)

    def begin_pass(self) -> None:
        """Forget textures the last pass did not show (they were replaced or their view went away)."""
        for key in set(self._textures) - self._used:
            self.backend.unregister_texture(self._textures.pop(key)[1])
        self._used = set()

    def texture_ref(self, texture: Any) -> Any:
        """Register a wgpu texture for this pass's draw data (once per texture, not once per frame)."""
        key = id(texture)
        if key not in self._textures:
            self._textures[key] = (texture, self.backend.register_texture(texture.create_view()))
        self._used.add(key)
        return self._textures[key][1]


def text_at(
    draw: Any, fonts: Fonts, x: float, y: float, text: str, color: tuple[int, int, int, int], *,
    bold: bool = False, size: float | None = None,
) -> None:  # fmt: skip
    """Text with its top-left corner at (x, y); none at a non-finite position (imgui asks for finite ones)."""
    if not (math.isfinite(x) and math.isfinite(y)):
        return
    draw.add_text(
        fonts.bold if bold else fonts.regular, size or fonts.size, imgui.ImVec2(x, y), col32(color), text
    )


def clicked(item_id: str, rect: Rect) -> bool:
    """An invisible button over ``rect``: whether it was clicked (pressed and released on it) this pass.

    The button stays the last item, so callers may ask imgui about it (``is_item_active``, ...).
    """
    imgui.set_cursor_screen_pos(imgui.ImVec2(rect.x, rect.y))
    return bool(imgui.invisible_button(item_id, imgui.ImVec2(max(rect.w, 1.0), max(rect.h, 1.0))))


def row_clicked(draw: Any, item_id: str, rect: Rect) -> bool:
    """A clickable row of a list or tree: a faint background while the mouse is over it."""
    pressed = clicked(item_id, rect)
    if imgui.is_item_hovered():
        draw.add_rect_filled((rect.x, rect.y), (rect.right, rect.bottom), col32(THEME.row_line), 4.0)
    return pressed


def chevron(draw: Any, x: float, y: float, is_open: bool) -> None:
    """A tree's small arrow centered at (x, y): pointing right on a closed row, down on an open one."""
    color, reach, rise = col32(THEME.chevron), 3.0, 1.5
    if is_open:
        draw.add_line((x - reach, y - rise), (x, y + rise), color, 1.2)
        draw.add_line((x, y + rise), (x + reach, y - rise), color, 1.2)
    else:
        draw.add_line((x - rise, y - reach), (x + rise, y), color, 1.2)
        draw.add_line((x + rise, y), (x - rise, y + reach), color, 1.2)


def entity_icon(
    draw: Any,
    x: float,
    y: float,
    color: tuple[int, int, int, int],
    *,
    holds_data: bool,
    properties: bool = False,
) -> None:
    """0.41's entity icon centered at (x, y): a diamond, dotted for an entity with data and hollow for a
    mere group; a dotted circle for the recording's properties."""
    packed, half = col32(color), 6.0
    if properties:
        draw.add_circle((x, y), half, packed, 0, 1.2)
    else:
        draw.add_quad((x, y - half), (x + half, y), (x, y + half), (x - half, y), packed, 1.2)
    if holds_data or properties:
        draw.add_circle_filled((x, y), 1.4, packed)
