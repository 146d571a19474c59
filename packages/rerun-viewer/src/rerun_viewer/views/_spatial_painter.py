"""Shows a spatial view's texture in its rectangle, with its labels drawn as UI text on top."""

from __future__ import annotations

from imgui_bundle import imgui

from rerun_viewer._theme import THEME
from rerun_viewer._ui import Rect, UiFrame, col32, text_at
from rerun_viewer._view_core import ViewContents
from rerun_viewer.views._spatial import SpatialRenderer

__all__ = ["paint_spatial"]


def paint_spatial(frame: UiFrame, contents: ViewContents, rect: Rect, key: str) -> None:
    renderer = frame.cache.get(key)
    if not isinstance(renderer, SpatialRenderer):
        renderer = frame.cache[key] = SpatialRenderer(frame.gpu)
    width, height = max(int(rect.w), 1), max(int(rect.h), 1)
    labels = renderer.render(contents, width, height)
    draw = imgui.get_window_draw_list()
    draw.add_image(
        frame.texture_ref(renderer.display_texture), imgui.ImVec2(rect.x, rect.y),
        imgui.ImVec2(rect.x + width, rect.y + height),
    )  # fmt: skip
    imgui.push_clip_rect(imgui.ImVec2(rect.x, rect.y), imgui.ImVec2(rect.right, rect.bottom), True)
    for label in labels:
        size = imgui.calc_text_size(label.text)
        x, y = rect.x + label.x - size.x / 2, rect.y + label.y + 4
        draw.add_rect_filled(imgui.ImVec2(x - 3, y - 1), imgui.ImVec2(x + size.x + 3, y + size.y + 1),
                             col32((*THEME.background[:3], 180)), 3.0)  # fmt: skip
        text_at(draw, frame.fonts, x, y, label.text, label.color)
    imgui.pop_clip_rect()
