"""The Rerun viewer on pygfx + wgpu, with imgui-bundle for the UI; headless-first.

    >>> from rerun_viewer import screenshot
    >>> screenshot(["recording.rrd"], "out.png", window_size=(1280, 720))  # doctest: +SKIP

Views are created automatically (``auto_views``); visualizers register per (archetype, view kind)
with ``visualizer``/``register``; ``Viewer`` renders frames offscreen (CPU-only machines use
Mesa's lavapipe).
"""

from rerun_viewer._app import SCREENSHOT_WAIT_SECS, App, AppOptions, run_app
from rerun_viewer._gpu import Gpu, get_gpu
from rerun_viewer._heuristics import ViewSpec, auto_views
from rerun_viewer._recording import Recording, RecordingSet, load_recordings
from rerun_viewer._registry import ViewKind, Visualizer, register, visualizer, visualizers_for
from rerun_viewer._screenshot import DEFAULT_WINDOW_SIZE, parse_window_size, render_files, screenshot
from rerun_viewer._state import AppState, CameraState, LoopMode, Playback, Selection
from rerun_viewer._time import TimeCursor, default_cursor
from rerun_viewer._viewer import Viewer
from rerun_viewer._window import display_problem
from rerun_viewer.errors import NoGpuAdapterError, RecordingLoadError, ViewerError

__version__ = "0.41.0"

__all__ = [
    "DEFAULT_WINDOW_SIZE",
    "SCREENSHOT_WAIT_SECS",
    "App",
    "AppOptions",
    "AppState",
    "CameraState",
    "Gpu",
    "LoopMode",
    "NoGpuAdapterError",
    "Playback",
    "Recording",
    "RecordingLoadError",
    "RecordingSet",
    "Selection",
    "TimeCursor",
    "ViewKind",
    "ViewSpec",
    "Viewer",
    "ViewerError",
    "Visualizer",
    "auto_views",
    "default_cursor",
    "display_problem",
    "get_gpu",
    "load_recordings",
    "parse_window_size",
    "register",
    "render_files",
    "run_app",
    "screenshot",
    "visualizer",
    "visualizers_for",
]
