"""The viewer: recordings and an app state in, frames out; driven by input events or direct calls.

Each frame the views' contents are collected from the store at the time cursor, spatial views
render into their own textures, and imgui draws the shell over a target texture. Input events
(mouse, wheel, keys) go to imgui one UI pass each, as a window would deliver them across frames,
so a script clicks and drags exactly like a user; the UI then changes :attr:`Viewer.state`.
:meth:`Viewer.frame` draws into any texture (a window's too); :meth:`Viewer.render` reads one back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np
import wgpu
from imgui_bundle import imgui, implot

from rerun_core import BlueprintActivationCommand
from rerun_viewer import _playback
from rerun_viewer._blueprint import active_blueprint
from rerun_viewer._gpu import get_gpu, read_texture
from rerun_viewer._heuristics import ViewSpec
from rerun_viewer._panels import summarize
from rerun_viewer._png import png_bytes
from rerun_viewer._recording import Recording
from rerun_viewer._shell import ShellModel, paint_shell, visible_views
from rerun_viewer._state import AppState, LoopMode
from rerun_viewer._theme import THEME, font_path
from rerun_viewer._time import TimeCursor, default_cursor, timeline_bounds
from rerun_viewer._time_panel import data_times
from rerun_viewer._transforms import is_under
from rerun_viewer._ui import Fonts, UiFrame
from rerun_viewer._ui_backend import UiBackend
from rerun_viewer._view_core import collect
from rerun_viewer._viewport import Viewport, viewport_for
from rerun_viewer.views import style_plots

__all__ = ["Viewer"]

_SETTLE_PASSES = 1  # extra UI passes before a shot, so tables and fonts have settled as after a first frame
_MOUSE_BUTTONS = {"left": 0, "right": 1, "middle": 2}
_UI_SECONDS_PER_PASS = 1 / 60


def _playable(recordings: Sequence[Recording]) -> list[Recording]:
    return [r for r in recordings if not r.is_blueprint]


class Viewer:
    """Shows recordings (a list that may grow); ``render()`` draws one frame offscreen and returns its pixels."""

    def __init__(
        self,
        recordings: Sequence[Recording],
        *,
        width: int = 1280,
        height: int = 720,
        blueprint_activations: Sequence[BlueprintActivationCommand] = (),
    ) -> None:
        if width < 64 or height < 64:
            raise ValueError(f"width and height must be at least 64 pixels, got {width}x{height}")
        self.recordings = list(recordings)
        candidates = _playable(self.recordings)
        if not candidates:
            raise ValueError("recordings holds no recording (only blueprints, or nothing)")
        self._recording = candidates[-1]  # the last one loaded, as the reference selects
        self.width, self.height = width, height
        self.gpu = get_gpu()
        self.state = AppState(default_cursor(self._recording.store), recording=self._recording.name)
        self._views: list[ViewSpec] | None = None  # None: automatic, from the blueprint or the heuristics
        self._auto: tuple[Hashable, Viewport] | None = None
        self.blueprint_activations = list(blueprint_activations)  # in arrival order: which blueprint shows
        self._time_panel_applied: Hashable = None  # the blueprint time panel settings applied last
        self._model: tuple[Hashable, ShellModel] | None = None
        self.last_frame_seconds = 0.0
        self._ui_context = imgui.create_context()
        self._plot_context = implot.create_context()
        self._frame = self._init_ui()
        self._apply_blueprint_time_panel()
        self._target: Any = None
        self.resize(width, height)

    def _init_ui(self) -> UiFrame:
        self._use_contexts()
        backend = UiBackend(self.gpu.device)
        io_ = imgui.get_io()
        io_.display_size = imgui.ImVec2(self.width, self.height)
        io_.display_framebuffer_scale = imgui.ImVec2(1, 1)
        io_.delta_time = _UI_SECONDS_PER_PASS
        io_.config_input_trickle_event_queue = True
        font = io_.fonts.add_font_from_file_ttf(str(font_path()), THEME.font_size)
        bold_path = font_path().with_name("Roboto-Bold.ttf")
        bold = (
            io_.fonts.add_font_from_file_ttf(str(bold_path), THEME.font_size) if bold_path.is_file() else font
        )
        imgui.style_colors_dark()
        imgui.get_style().font_size_base = THEME.font_size
        style_plots()
        mono_path = font_path().parent.parent / "Inconsolata-Medium.ttf"  # shipped with imgui-bundle
        mono = (
            io_.fonts.add_font_from_file_ttf(str(mono_path), THEME.font_size) if mono_path.is_file() else font
        )
        return UiFrame(self.gpu, backend, Fonts(font, bold, THEME.font_size, mono), self.state)

    def _use_contexts(self) -> None:
        imgui.set_current_context(self._ui_context)
        implot.set_current_context(self._plot_context)

    # -- what is shown ---------------------------------------------------------------------------------

    @property
    def recording(self) -> Recording:
        """The active recording."""
        return self._recording

    @property
    def cursor(self) -> TimeCursor:
        return self.state.cursor

    @property
    def viewport(self) -> Viewport:
        """The views and their layout: set views in a grid, else the active blueprint's (else the
        heuristics'), for the active recording, following new data and new blueprints."""
        if self._views is not None:
            return Viewport(tuple(self._views))
        store = self._recording.store
        blueprints = tuple((id(r), r.store.generation) for r in self.recordings if r.is_blueprint)
        key = (id(self._recording), store.generation, blueprints, len(self.blueprint_activations))
        if self._auto is None or self._auto[0] != key:
            blueprint = active_blueprint(self.recordings, self._recording, self.blueprint_activations)
            self._auto = (key, viewport_for(store, blueprint))
            self._apply_blueprint_time_panel()  # a blueprint that arrives later sets them too
        return self._auto[1]

    @property
    def views(self) -> list[ViewSpec]:
        """The views shown (see :attr:`viewport`)."""
        return list(self.viewport.views)

    @views.setter
    def views(self, views: Sequence[ViewSpec] | None) -> None:
        self._views = None if views is None else list(views)

    def set_recording(self, name: str) -> None:
        """Show another recording (by recording id): its own time as it was left (at first its end, paused);
        selection and cameras start afresh."""
        known = [r.name for r in _playable(self.recordings)]
        if name not in known:
            raise ValueError(f"no recording named {name!r}; known: {known}")
        self.state.recording = name
        self._follow_state()

    def _follow_state(self) -> None:
        """Switch to the recording the state names, when the UI (or a call) changed it."""
        if self.state.recording == self._recording.name:
            return
        found = [r for r in _playable(self.recordings) if r.name == self.state.recording]
        if not found:
            self.state.recording = self._recording.name
            return
        self._recording = found[-1]
        self.state.show(self._recording.name, default_cursor(self._recording.store))

    def _apply_blueprint_time_panel(self) -> None:
        """The blueprint's time panel picks the timeline, the playback speed, the frame rate and looping."""
        blueprint = self.viewport.blueprint
        if blueprint is None:
            return
        settings = (blueprint.timeline, blueprint.playback_speed, blueprint.fps, blueprint.loop_all)
        if settings == self._time_panel_applied:
            return  # applied once per change, so the user's own changes stay
        timeline = blueprint.timeline
        if timeline is None or timeline in self._recording.store.timelines():
            self._time_panel_applied = settings  # else again once the timeline has data
            if timeline is not None:
                self.set_timeline(timeline)
        playback = self.state.playback
        playback.speed = blueprint.playback_speed or playback.speed
        playback.fps = blueprint.fps or playback.fps
        if blueprint.loop_all is not None:
            playback.loop = LoopMode.ALL if blueprint.loop_all else LoopMode.OFF

    def _bounds(self) -> tuple[int, int] | None:
        timeline = self.state.cursor.timeline
        return None if timeline is None else timeline_bounds(self._recording.store, timeline.name)

    def _shell_model(self) -> ShellModel:
        """The frame's data, rebuilt only when the recording, its data, the cursor or the visibility changed."""
        store, state = self._recording.store, self.state
        viewport = self.viewport
        views = visible_views(viewport.views, state)
        layout = (viewport.layout, tuple(viewport.panel_states.items()))
        key = (id(self._recording), store.generation, state.cursor, tuple(views), layout)
        if self._model is None or self._model[0] != key:
            contents = [collect(store, spec, state.cursor) for spec in views]
            summary = summarize(self._recording)
            specs = list(viewport.views)
            model = ShellModel(
                self._recording, self.recordings, summary, self._bounds(), specs, contents, viewport
            )
            self._model = (key, model)
        return self._model[1]

    # -- direct control --------------------------------------------------------------------------------

    def set_time(self, at: int) -> None:
        """Move the time cursor on the active timeline."""
        self.state.cursor = TimeCursor(self.state.cursor.timeline, int(at))
        self.state.playback.carry = 0.0

    def set_timeline(self, name: str) -> None:
        """Switch timelines; the cursor goes to the new timeline's end."""
        self.state.cursor = _playback.on_timeline(self._recording.store, name)

    def play(self) -> None:
        self.state.cursor = _playback.start(self.state.cursor, self._bounds(), self.state.playback)

    def pause(self) -> None:
        self.state.playback.playing = False

    def set_speed(self, speed: float) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be positive, got {speed}")
        self.state.playback.speed = float(speed)

    def set_loop(self, mode: LoopMode | str) -> None:
        self.state.playback.loop = LoopMode(mode)

    def step(self, *, forward: bool = True) -> None:
        """To the next (or previous) time with data on the active timeline."""
        timeline = self.state.cursor.timeline_name
        times = data_times(self._recording.store, timeline) if timeline else np.zeros(0, np.int64)
        self.state.cursor = _playback.step(self.state.cursor, times, self.state.playback, forward=forward)

    def advance(self, dt_seconds: float) -> None:
        """Let ``dt_seconds`` of wall time pass: playback moves the cursor."""
        self.state.cursor = _playback.advance(
            self.state.cursor, self._bounds(), self.state.playback, dt_seconds
        )

    def select(self, entity: str | None, instance: int | None = None) -> None:
        """Select an entity or a tree node above some (or one instance); ``None`` clears the selection."""
        if entity is not None and not any(is_under(e, entity) for e in self._recording.store.entity_paths()):
            raise ValueError(f"no entity {entity!r} in recording {self._recording.name!r}")
        if instance is not None and instance < 0:
            raise ValueError(f"instance must be zero or more, got {instance}")
        self.state.select(entity, instance)

    def set_visible(self, entity: str, visible: bool) -> None:
        """Show or hide an entity and everything under it."""
        self.state.set_visible(entity, visible)

    # -- input events ----------------------------------------------------------------------------------

    def _input(self, send: Callable[[Any], None]) -> None:
        """Queue one event with imgui and run the UI pass that handles it."""
        self._use_contexts()
        send(imgui.get_io())
        self._ui_pass()

    def mouse_move(self, x: float, y: float) -> None:
        self._input(lambda io_: io_.add_mouse_pos_event(float(x), float(y)))

    def mouse_button(self, button: str, *, down: bool) -> None:
        if button not in _MOUSE_BUTTONS:
            raise ValueError(f"button must be one of {sorted(_MOUSE_BUTTONS)}, got {button!r}")
        self._input(lambda io_: io_.add_mouse_button_event(_MOUSE_BUTTONS[button], down))

    def scroll(self, steps: float) -> None:
        """Turn the mouse wheel (positive: up, zooming in)."""
        self._input(lambda io_: io_.add_mouse_wheel_event(0.0, float(steps)))

    def key(self, name: str, *, down: bool) -> None:
        """Press or release a key by imgui's name for it (``"space"``, ``"left_arrow"``, ...)."""
        key = getattr(imgui.Key, name, None)
        if key is None:
            raise ValueError(f"unknown key {name!r} (imgui.Key names, e.g. 'space', 'right_arrow')")
        self._input(lambda io_: io_.add_key_event(key, down))

    def press(self, name: str) -> None:
        self.key(name, down=True)
        self.key(name, down=False)

    def click(self, x: float, y: float, *, button: str = "left") -> None:
        self.mouse_move(x, y)
        self.mouse_button(button, down=True)
        self.mouse_button(button, down=False)

    def double_click(self, x: float, y: float) -> None:
        self.click(x, y)
        self.click(x, y)

    def drag(
        self, start: tuple[float, float], end: tuple[float, float], *, button: str = "left", steps: int = 4
    ) -> None:
        """Press at ``start``, move to ``end`` in ``steps`` moves, release."""
        self.mouse_move(*start)
        self.mouse_button(button, down=True)
        for fraction in np.linspace(0, 1, max(steps, 1) + 1)[1:]:
            self.mouse_move(*(np.asarray(start) + fraction * (np.asarray(end) - np.asarray(start))))
        self.mouse_button(button, down=False)

    # -- frames ----------------------------------------------------------------------------------------

    def _ui_pass(self) -> Any:
        self._use_contexts()
        self._follow_state()
        self._frame.begin_pass()
        imgui.new_frame()
        try:
            paint_shell(self._frame, self._shell_model(), self.width, self.height)
        finally:
            imgui.render()
        self._follow_state()  # the UI may have switched recordings
        return imgui.get_draw_data()

    def frame(self, target: Any) -> None:
        """Run one UI pass and draw it into ``target`` (an ``rgba8unorm`` wgpu texture of the viewer's size)."""
        draw_data = self._ui_pass()
        encoder = self.gpu.device.create_command_encoder()
        clear = tuple(channel / 255 for channel in THEME.background)
        render_pass = encoder.begin_render_pass(
            color_attachments=[
                {"view": target.create_view(), "clear_value": clear, "load_op": "clear", "store_op": "store"}
            ]
        )
        self._frame.backend.render(draw_data, render_pass)
        render_pass.end()
        self.gpu.device.queue.submit([encoder.finish()])

    def render(self) -> np.ndarray:
        """One frame at the current state: ``(height, width, 4)`` RGBA uint8."""
        started = time.perf_counter()
        for _ in range(_SETTLE_PASSES):
            self._ui_pass()
        self.frame(self._target)
        pixels = read_texture(self.gpu.device, self._target)
        self.last_frame_seconds = time.perf_counter() - started
        return pixels

    def resize(self, width: int, height: int) -> None:
        """Draw frames at a new size from now on (a window was resized); the state is kept."""
        if width < 64 or height < 64:
            raise ValueError(f"width and height must be at least 64 pixels, got {width}x{height}")
        self.width, self.height = width, height
        self._use_contexts()
        imgui.get_io().display_size = imgui.ImVec2(width, height)
        self._target = self.gpu.device.create_texture(
            size=(width, height, 1), format="rgba8unorm",
            usage=wgpu.TextureUsage.RENDER_ATTACHMENT | wgpu.TextureUsage.COPY_SRC,
        )  # fmt: skip

    def render_png(self) -> bytes:
        """One frame as PNG bytes."""
        return png_bytes(self.render())

    def close(self) -> None:
        """Free the UI contexts (GPU resources go with the objects)."""
        implot.destroy_context(self._plot_context)
        imgui.destroy_context(self._ui_context)

    def __enter__(self) -> Viewer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
