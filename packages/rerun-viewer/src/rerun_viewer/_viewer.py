"""The headless viewer: recordings in, one rendered frame (pixels or a PNG) out.

Each frame the views' contents are collected from the store at the time cursor, spatial views
render into their own textures, and imgui draws the shell over one offscreen target that is read
back. The UI runs two passes per shot so that tables and fonts have settled, as a window would
after its first frame.
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import wgpu
from imgui_bundle import imgui, implot
from wgpu.utils.imgui import ImguiWgpuBackend

from rerun_viewer._gpu import get_gpu, read_texture
from rerun_viewer._heuristics import ViewSpec, auto_views
from rerun_viewer._panels import summarize
from rerun_viewer._recording import Recording
from rerun_viewer._shell import ShellModel, paint_shell
from rerun_viewer._theme import THEME, font_path
from rerun_viewer._time import TimeCursor, default_cursor, timeline_bounds
from rerun_viewer._ui import Fonts, UiFrame
from rerun_viewer._view_core import collect
from rerun_viewer.views import style_plots

__all__ = ["Viewer"]

_UI_PASSES = 2


def _active(recordings: Sequence[Recording]) -> Recording:
    """The recording to show: the last one loaded (as the reference selects), blueprints aside."""
    candidates = [r for r in recordings if not r.is_blueprint]
    if not candidates:
        raise ValueError("recordings holds no recording (only blueprints, or nothing)")
    return candidates[-1]


class Viewer:
    """Shows recordings; ``render()`` draws one frame offscreen and returns its pixels."""

    def __init__(self, recordings: Sequence[Recording], *, width: int = 1280, height: int = 720) -> None:
        if width < 64 or height < 64:
            raise ValueError(f"width and height must be at least 64 pixels, got {width}x{height}")
        self.recordings = list(recordings)
        self.recording = _active(self.recordings)
        self.width, self.height = width, height
        self.gpu = get_gpu()
        self.cursor: TimeCursor = default_cursor(self.recording.store)
        self.views: list[ViewSpec] = auto_views(self.recording.store)
        self.last_frame_seconds = 0.0
        self._ui_context = imgui.create_context()
        self._plot_context = implot.create_context()
        self._frame = self._init_ui()
        self._target = self.gpu.device.create_texture(
            size=(width, height, 1), format="rgba8unorm",
            usage=wgpu.TextureUsage.RENDER_ATTACHMENT | wgpu.TextureUsage.COPY_SRC,
        )  # fmt: skip

    def _init_ui(self) -> UiFrame:
        imgui.set_current_context(self._ui_context)
        implot.set_current_context(self._plot_context)
        backend = ImguiWgpuBackend(self.gpu.device, "rgba8unorm")
        io_ = imgui.get_io()
        io_.display_size = imgui.ImVec2(self.width, self.height)
        io_.display_framebuffer_scale = imgui.ImVec2(1, 1)
        io_.delta_time = 1 / 60
        font = io_.fonts.add_font_from_file_ttf(str(font_path()), THEME.font_size)
        bold_path = font_path().with_name("Roboto-Bold.ttf")
        bold = (
            io_.fonts.add_font_from_file_ttf(str(bold_path), THEME.font_size) if bold_path.is_file() else font
        )
        imgui.style_colors_dark()
        imgui.get_style().font_size_base = THEME.font_size
        style_plots()
        return UiFrame(self.gpu, backend, Fonts(font, bold, THEME.font_size))

    def set_time(self, at: int) -> None:
        """Move the time cursor on the active timeline."""
        self.cursor = TimeCursor(self.cursor.timeline, at)

    def _model(self) -> ShellModel:
        store = self.recording.store
        bounds = None if self.cursor.timeline is None else timeline_bounds(store, self.cursor.timeline.name)
        contents = [collect(store, spec, self.cursor) for spec in self.views]
        return ShellModel(self.recording, summarize(self.recording), self.cursor, bounds, contents)

    def _ui_pass(self, model: ShellModel) -> Any:
        imgui.set_current_context(self._ui_context)
        implot.set_current_context(self._plot_context)
        imgui.new_frame()
        try:
            paint_shell(self._frame, model, self.width, self.height)
        finally:
            imgui.render()
        return imgui.get_draw_data()

    def render(self) -> np.ndarray:
        """One frame at the current time: ``(height, width, 4)`` RGBA uint8."""
        started = time.perf_counter()
        model = self._model()
        for _ in range(_UI_PASSES):
            self._frame.keep_alive.clear()
            draw_data = self._ui_pass(model)
        encoder = self.gpu.device.create_command_encoder()
        clear = tuple(channel / 255 for channel in THEME.background)
        render_pass = encoder.begin_render_pass(
            color_attachments=[
                {
                    "view": self._target.create_view(),
                    "clear_value": clear,
                    "load_op": "clear",
                    "store_op": "store",
                }
            ]
        )
        self._frame.backend.render(draw_data, render_pass)
        render_pass.end()
        self.gpu.device.queue.submit([encoder.finish()])
        pixels = read_texture(self.gpu.device, self._target)
        self.last_frame_seconds = time.perf_counter() - started
        return pixels

    def render_png(self) -> bytes:
        """One frame as PNG bytes."""
        from PIL import Image

        buffer = io.BytesIO()
        Image.fromarray(self.render()[..., :3]).save(buffer, format="PNG")
        return buffer.getvalue()

    def close(self) -> None:
        """Free the UI contexts (GPU resources go with the objects)."""
        implot.destroy_context(self._plot_context)
        imgui.destroy_context(self._ui_context)

    def __enter__(self) -> Viewer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
