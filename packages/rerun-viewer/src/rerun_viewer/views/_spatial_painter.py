"""Shows a spatial view's texture in its rectangle and lets the mouse move its camera and pick in it.

3D: left-drag orbits, right- or middle-drag pans, the wheel zooms; 2D: left-drag pans too, and the
wheel zooms about the mouse. A double-click restores the automatic framing. A click (press and
release without moving) selects what is under the mouse, or nothing; hovering marks it as hovered.
Labels and selection outlines are UI drawing on top of the texture.
"""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from rerun_viewer._registry import ViewKind
from rerun_viewer._state import AppState, CameraState
from rerun_viewer._theme import THEME
from rerun_viewer._ui import Rect, UiFrame, col32, text_at
from rerun_viewer._view_core import ViewContents
from rerun_viewer.views._camera import drag_orbit, drag_pan, wheel_zoom
from rerun_viewer.views._picking import edges, markers
from rerun_viewer.views._spatial import ProjectedLabel, SpatialRenderer

__all__ = ["paint_spatial"]

_CLICK_SLOP_PX = 4.0
_BUTTONS = (
    imgui.ButtonFlags_.mouse_button_left | imgui.ButtonFlags_.mouse_button_right
    | imgui.ButtonFlags_.mouse_button_middle
)  # fmt: skip
_HOVER = (255, 255, 255, 160)


def _move_camera(state: AppState, key: str, rect: Rect, flat: bool) -> None:
    """Routes this frame's mouse input over the view to its camera state."""
    camera = state.camera(key)
    io = imgui.get_io()
    if imgui.is_item_hovered() and imgui.is_mouse_double_clicked(imgui.MouseButton_.left):
        state.set_camera(key, CameraState())
        return
    if imgui.is_item_active():
        dx, dy = io.mouse_delta.x, io.mouse_delta.y
        if imgui.is_mouse_down(imgui.MouseButton_.left) and not flat:
            camera = drag_orbit(camera, dx, dy)
        elif any(imgui.is_mouse_down(b) for b in (imgui.MouseButton_.left, imgui.MouseButton_.right,
                                                  imgui.MouseButton_.middle)):  # fmt: skip
            camera = drag_pan(camera, dx, dy, rect.h, flat=flat)
    if imgui.is_item_hovered() and io.mouse_wheel:
        anchor = (
            (io.mouse_pos.x - rect.x - rect.w / 2, io.mouse_pos.y - rect.y - rect.h / 2) if flat else None
        )
        camera = wheel_zoom(camera, io.mouse_wheel, anchor_px=anchor, view_height_px=rect.h)
    state.set_camera(key, camera)


def _was_clicked(frame: UiFrame, key: str) -> bool:
    """A left press and release on the view without moving in between."""
    mouse = imgui.get_mouse_pos()
    if imgui.is_item_clicked(imgui.MouseButton_.left):
        frame.cache[f"{key}:pressed"] = (mouse.x, mouse.y)
    if not imgui.is_item_deactivated() or not imgui.is_mouse_released(imgui.MouseButton_.left):
        return False
    pressed = frame.cache.pop(f"{key}:pressed", None)
    return pressed is not None and abs(mouse.x - pressed[0]) + abs(mouse.y - pressed[1]) <= _CLICK_SLOP_PX


def _pick_and_hover(
    frame: UiFrame, contents: ViewContents, rect: Rect, renderer: SpatialRenderer, key: str
) -> None:
    state, projection = frame.state, renderer.projection
    clicked = _was_clicked(frame, key)
    if projection is None or not (clicked or imgui.is_item_hovered()):
        return
    mouse = imgui.get_mouse_pos()
    under = renderer.pick(mouse.x - rect.x, mouse.y - rect.y)
    if clicked:
        state.selection = under
    elif under is not None:
        state.hover = under


def _outline(
    frame: UiFrame, draw: Any, contents: ViewContents, rect: Rect, renderer: SpatialRenderer
) -> None:
    """Rings around the selected (or hovered) points, lines over its lines' and meshes' edges."""
    state, projection = frame.state, renderer.projection
    if projection is None:
        return
    for selection, color, width in ((state.hover, _HOVER, 1.5), (state.selection, THEME.selection, 2.5)):
        if selection is None:
            continue
        for marker in markers(contents.primitives, projection, selection):
            center = imgui.ImVec2(rect.x + marker.x, rect.y + marker.y)
            draw.add_circle(center, marker.radius + 2.5, col32(color), 0, width)
        for (x0, y0), (x1, y1) in edges(contents.primitives, projection, selection):
            draw.add_line((rect.x + x0, rect.y + y0), (rect.x + x1, rect.y + y1), col32(color), width)


def _labels(frame: UiFrame, draw: Any, rect: Rect, labels: list[ProjectedLabel]) -> None:
    for label in labels:
        size = imgui.calc_text_size(label.text)
        x, y = rect.x + label.x - size.x / 2, rect.y + label.y + 4
        draw.add_rect_filled(imgui.ImVec2(x - 3, y - 1), imgui.ImVec2(x + size.x + 3, y + size.y + 1),
                             col32((*THEME.background[:3], 180)), 3.0)  # fmt: skip
        text_at(draw, frame.fonts, x, y, label.text, label.color)


def paint_spatial(frame: UiFrame, contents: ViewContents, rect: Rect, key: str) -> None:
    renderer = frame.cache.get(key)
    if not isinstance(renderer, SpatialRenderer):
        renderer = frame.cache[key] = SpatialRenderer(frame.gpu)
    width, height = max(int(rect.w), 1), max(int(rect.h), 1)
    imgui.set_cursor_screen_pos(imgui.ImVec2(rect.x, rect.y))
    imgui.invisible_button(f"##{key}", imgui.ImVec2(width, height), _BUTTONS)
    _move_camera(frame.state, key, rect, contents.spec.kind == ViewKind.SPATIAL_2D)
    labels = renderer.render(contents, width, height, frame.state.camera(key))
    _pick_and_hover(frame, contents, rect, renderer, key)
    draw = imgui.get_window_draw_list()
    draw.add_image(
        frame.texture_ref(renderer.display_texture), imgui.ImVec2(rect.x, rect.y),
        imgui.ImVec2(rect.x + width, rect.y + height),
    )  # fmt: skip
    imgui.push_clip_rect(imgui.ImVec2(rect.x, rect.y), imgui.ImVec2(rect.right, rect.bottom), True)
    _outline(frame, draw, contents, rect, renderer)
    _labels(frame, draw, rect, labels)
    imgui.pop_clip_rect()
