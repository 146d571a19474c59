"""The viewer in an OS window: rendercanvas (glfw backend) shows frames and delivers input events.

Frames are drawn offscreen by the viewer and handed to the window as bitmaps, so the window and a
headless screenshot show exactly the same pixels. Drawing is on demand: after input, when
``needs_redraw`` says so (new data, playback), and at least a few times per second, which is also
when remote-control requests run.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Protocol

import numpy as np

__all__ = ["FrameSource", "deliver", "display_problem", "run_window"]

_IDLE_FPS = 4.0  # how often an idle window looks for new data
_MAX_FPS = 60.0
_BUTTONS = {1: "left", 2: "right", 3: "middle"}  # rendercanvas' button numbers
_WHEEL_PIXELS_PER_STEP = 100.0  # rendercanvas reports a wheel notch as 100 pixels, down positive
# rendercanvas key names (the browser's ``KeyboardEvent.key``) -> imgui.Key names; letters and digits map by rule
_KEYS = {
    "ArrowLeft": "left_arrow", "ArrowRight": "right_arrow", "ArrowUp": "up_arrow", "ArrowDown": "down_arrow",
    " ": "space", "Escape": "escape", "Enter": "enter", "Tab": "tab", "Backspace": "backspace",
    "Delete": "delete", "Home": "home", "End": "end", "PageUp": "page_up", "PageDown": "page_down",
    "Control": "left_ctrl", "Shift": "left_shift", "Alt": "left_alt", "Meta": "left_super",
}  # fmt: skip


class FrameSource(Protocol):
    """What a window shows: frames at a size, and what to do with input."""

    def frame(self, width: int, height: int) -> np.ndarray:
        """An RGBA ``(height, width, 4)`` uint8 frame."""
        ...

    def handle_event(self, event: dict[str, Any]) -> None:
        """A rendercanvas event (``pointer_down``, ``wheel``, ``key_down``, …)."""
        ...

    def needs_redraw(self) -> bool:
        """Whether something changed since the last frame (new data, playback)."""
        ...

    def process_requests(self) -> int:
        """Run the remote-control requests waiting for the UI thread; returns how many ran."""
        ...


class ViewerInput(Protocol):
    """The input methods of :class:`~rerun_viewer.Viewer` that a window drives."""

    def mouse_move(self, x: float, y: float) -> None: ...
    def mouse_button(self, button: str, *, down: bool) -> None: ...
    def scroll(self, steps: float) -> None: ...
    def key(self, name: str, *, down: bool) -> None: ...


def deliver(event: dict[str, Any], viewer: ViewerInput) -> None:
    """Pass one rendercanvas event (positions in physical pixels) to the viewer's input methods."""
    kind = event["event_type"]
    if kind == "pointer_move":
        viewer.mouse_move(event["x"], event["y"])
    elif kind in ("pointer_down", "pointer_up") and event.get("button") in _BUTTONS:
        viewer.mouse_move(event["x"], event["y"])
        viewer.mouse_button(_BUTTONS[event["button"]], down=kind == "pointer_down")
    elif kind == "wheel":
        viewer.mouse_move(event["x"], event["y"])
        viewer.scroll(-event["dy"] / _WHEEL_PIXELS_PER_STEP)
    elif kind in ("key_down", "key_up") and (name := _key_name(event.get("key", ""))):
        viewer.key(name, down=kind == "key_down")


def _key_name(key: str) -> str | None:
    if key in _KEYS:
        return _KEYS[key]
    if len(key) == 1 and key.isascii() and key.isalpha():
        return key.lower()
    if len(key) == 1 and key.isdigit():
        return f"_{key}"
    return None


def display_problem() -> str | None:
    """Why no window can open here (no X11/Wayland display, or no glfw), else ``None``."""
    if not any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET")):
        return "no display found: neither WAYLAND_DISPLAY nor WAYLAND_SOCKET nor DISPLAY is set"
    try:
        import glfw  # noqa: F401
    except ImportError as err:  # the wheel bundles the library; a source install may lack it
        return f"the glfw library is not available ({err})"
    return None


def run_window(
    source: FrameSource,
    *,
    size: tuple[int, int],
    title: str = "Rerun Viewer",
    stop: threading.Event | None = None,
) -> None:
    """Open a window of ``size`` (logical pixels) showing ``source``; returns when it closes (or
    soon after ``stop`` is set: idle windows still draw a few times per second)."""
    from rendercanvas.glfw import RenderCanvas, loop

    canvas = RenderCanvas(size=size, title=title, update_mode="ondemand", min_fps=_IDLE_FPS, max_fps=_MAX_FPS)
    context = canvas.get_context("bitmap")

    def draw() -> None:
        if stop is not None and stop.is_set():
            canvas.close()
            return
        source.process_requests()  # between frames, on this (the UI) thread
        width, height = canvas.get_physical_size()
        context.set_bitmap(source.frame(max(width, 64), max(height, 64)))
        if source.needs_redraw():
            canvas.request_draw()

    def on_event(event: dict[str, Any]) -> None:
        source.handle_event(event)
        canvas.request_draw()

    canvas.add_event_handler(
        on_event,
        "pointer_down",
        "pointer_up",
        "pointer_move",
        "double_click",
        "wheel",
        "key_down",
        "key_up",
        "char",
    )
    canvas.request_draw(draw)
    loop.run()
