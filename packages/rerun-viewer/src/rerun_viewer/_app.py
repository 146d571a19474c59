"""The running viewer application: recordings filled by live sources, shown in a window or headless.

:class:`App` is the in-process API (tests and scripts drive it): it owns the recordings, the readers
that fill them (files, URLs, the gRPC endpoint) and a :class:`~rerun_viewer.Viewer` that follows
what arrives. Its endpoint also serves remote control (``ViewerControlService``); those requests
run on the UI thread, between frames (:meth:`App.process_requests`). :func:`run_app` is what
``rerun`` runs: a screenshot once everything is in, a headless viewer, or a window.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rerun_core.grpc.url import ProxyUrl
from rerun_core.log_msg import StoreId
from rerun_viewer._control import UiQueue, control_service
from rerun_viewer._control_answers import ControlAnswers
from rerun_viewer._live import LiveSources, is_proxy_url
from rerun_viewer._log_buffer import LogBuffer
from rerun_viewer._png import write_png
from rerun_viewer._recording import Recording, RecordingSet
from rerun_viewer._theme import THEME, font_path
from rerun_viewer._time import default_cursor, timeline_bounds
from rerun_viewer._viewer import Viewer
from rerun_viewer._window import deliver

__all__ = ["App", "AppOptions", "run_app"]

_POLL_SECS = 0.05
SCREENSHOT_WAIT_SECS = 60.0  # how long ``--screenshot-to`` waits for SDK data before giving up


class App:
    """Recordings, the sources filling them, and frames of what they hold (the newest recording)."""

    def __init__(
        self, *, width: int = 1280, height: int = 720, memory_limit_bytes: int | None = None
    ) -> None:
        self.width, self.height = width, height
        self.recordings = RecordingSet(memory_limit_bytes=memory_limit_bytes)
        self.sources = LiveSources(self.recordings)
        self.viewer: Viewer | None = None
        self._seen_generation = -1
        self._last_frame: np.ndarray | None = None
        self._dirty = True
        self._pending_move: dict[str, Any] | None = None
        self._last_frame_time = time.monotonic()
        self._shown: set[StoreId] = set()  # recordings switched to once they had data
        self._end_seen: int | None = None  # the active timeline's end at the last frame
        self.ui = UiQueue()  # remote-control work, run on the UI thread by process_requests
        self.logs = LogBuffer()  # what get_logs answers
        self.logs.attach(logging.getLogger("rerun"))

    # ---- data in ------------------------------------------------------------------------------

    def serve(
        self, *, bind: str = "0.0.0.0", port: int = 9876, server_memory_limit: int | None = 1024**3
    ) -> ProxyUrl:
        """Listen for SDKs and remote control (``port=0``: any free port); raises :class:`OSError`
        when the port is taken."""
        services = [control_service(ControlAnswers(self))]
        return self.sources.serve(
            bind=bind, port=port, server_memory_limit=server_memory_limit, services=services
        )

    def open(self, location: str) -> None:
        """Stream in a file (.rrd/.rbl), an ``http(s)://`` file, or a ``rerun+http://…/proxy``."""
        self.sources.open(location)

    # ---- frames out ---------------------------------------------------------------------------

    def render(self) -> np.ndarray:
        """A frame of the current state at the app's size: ``(height, width, 4)`` RGBA uint8."""
        return self.frame(self.width, self.height)

    def frame(self, width: int, height: int) -> np.ndarray:
        """A frame at ``width`` x ``height``; redrawn only when data, input or the size changed."""
        self._sync(width, height)
        with self.recordings.reading():
            if self._dirty or self._last_frame is None or self.playing():
                self._last_frame = self._draw(width, height)
                self._dirty = False
        return self._last_frame

    def sync(self) -> Viewer | None:
        """Bring the viewer up to date with the data and with playback, without drawing; returns it."""
        self._sync(self.width, self.height)
        return self.viewer

    def _sync(self, width: int, height: int) -> None:
        self._deliver_pending_move()
        now = time.monotonic()
        elapsed, self._last_frame_time = now - self._last_frame_time, now
        with self.recordings.reading() as recordings:
            self._dirty |= self._follow(recordings, width, height)
            if self.viewer is not None and self.playing():
                self.viewer.advance(min(elapsed, 0.25))  # after a stall, play on rather than jump

    def process_requests(self) -> int:
        """Run the remote-control requests waiting for the UI thread (call it between frames)."""
        return self.ui.run_pending()

    def mark_changed(self) -> None:
        """The state changed outside input events (remote control): the next frame redraws."""
        self._dirty = True

    def close_recordings(self, store_ids: Sequence[StoreId]) -> list[StoreId]:
        """Forget these recordings; the viewer shows the newest one left (none: it waits for data)."""
        closed = [store_id for store_id in store_ids if self.recordings.remove(store_id) is not None]
        self._shown.difference_update(closed)
        with self.recordings.reading() as recordings:
            viewer, left = self.viewer, [r for r in recordings if not r.is_blueprint]
            if viewer is not None and not left:
                viewer.close()
                self.viewer = None
            elif viewer is not None:
                viewer.recordings[:] = recordings
                if viewer.recording.store_id in closed:
                    viewer.set_recording(left[-1].name)
                    self._end_seen = None
        self._dirty = True
        return closed

    def screenshot(self, path: str | os.PathLike[str]) -> Path:
        """Write :meth:`render`'s frame as a PNG at ``path``."""
        return write_png(self.render(), path)

    def handle_event(self, event: dict[str, Any]) -> None:
        """Input from a window (rendercanvas events, physical pixels), passed on to the viewer.

        Pointer moves are coalesced: only the latest is delivered, before the next event or frame.
        """
        self._dirty = True
        if event["event_type"] == "pointer_move":
            self._pending_move = event
            return
        self._deliver_pending_move()
        if self.viewer is not None:
            with self.recordings.reading():
                deliver(event, self.viewer)

    def _deliver_pending_move(self) -> None:
        move, self._pending_move = self._pending_move, None
        if move is not None and self.viewer is not None:
            with self.recordings.reading():
                deliver(move, self.viewer)

    def needs_redraw(self) -> bool:
        return self._dirty or self.recordings.generation != self._seen_generation or self.playing()

    def close(self) -> None:
        self.sources.close()
        self.logs.detach(logging.getLogger("rerun"))
        if self.viewer is not None:
            self.viewer.close()
            self.viewer = None

    def __enter__(self) -> App:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- internals ----------------------------------------------------------------------------

    def _follow(self, recordings: list[Recording], width: int, height: int) -> bool:
        """Bring the viewer up to date with the recordings and the size; True if anything changed."""
        generation = self.recordings.generation
        resized = (width, height) != (self.width, self.height)
        if generation == self._seen_generation and not resized:
            return False
        self._seen_generation = generation
        self.width, self.height = width, height
        if self.viewer is None:
            if not any(_has_data(r) for r in recordings):
                return True
            activations = self.recordings.blueprint_activations
            self.viewer = Viewer(recordings, width=width, height=height, blueprint_activations=activations)
        elif resized:
            self.viewer.resize(width, height)
        self._show_new_data(self.viewer, recordings)
        return True

    def _show_new_data(self, viewer: Viewer, recordings: list[Recording]) -> None:
        """New stores join the viewer; a recording's first data makes it the active one (as in 0.41);
        a time cursor that was at the end of its timeline stays at the end; the active blueprint
        follows blueprint activations."""
        viewer.recordings[:] = recordings
        viewer.blueprint_activations[:] = self.recordings.blueprint_activations
        for recording in recordings:
            if recording.store_id not in self._shown and _has_data(recording):
                self._shown.add(recording.store_id)
                if recording is not viewer.recording:
                    viewer.set_recording(recording.name)
                    self._end_seen = None
        store, cursor = viewer.recording.store, viewer.cursor
        if cursor.timeline is None:
            viewer.state.cursor = default_cursor(store)
        elif (bounds := timeline_bounds(store, cursor.timeline.name)) is not None:
            following = self._end_seen is None or cursor.at >= self._end_seen
            if following and cursor.at != bounds[1] and not self.playing():
                viewer.set_time(bounds[1])
            self._end_seen = bounds[1]

    def _draw(self, width: int, height: int) -> np.ndarray:
        return self.viewer.render() if self.viewer is not None else self._waiting_frame(width, height)

    def _waiting_frame(self, width: int, height: int) -> np.ndarray:
        """Before any data: the theme's background, saying what is loading or where SDKs can send data."""
        from PIL import Image, ImageDraw, ImageFont

        server = self.sources.server
        lines = ["Loading…" if self.sources.loading else "Waiting for data"]
        if server is not None:
            lines.append(f"Log to {server.url} (rr.connect_grpc), or open .rrd files")
        image = Image.new("RGBA", (width, height), THEME.background)
        draw = ImageDraw.Draw(image)
        font = ImageFont.truetype(str(font_path()), round(THEME.font_size * 1.3))
        for row, (line, color) in enumerate(zip(lines, (THEME.text, THEME.text_weak), strict=False)):
            draw.text((width / 2, height / 2 + (row - 0.5) * 30), line, fill=color, font=font, anchor="mm")
        return np.asarray(image).copy()

    def playing(self) -> bool:
        """Whether the viewer is playing (its time moves on by itself)."""
        return self.viewer is not None and self.viewer.state.playback.playing


def _has_data(recording: Recording) -> bool:
    return not recording.is_blueprint and recording.store.num_chunks > 0


@dataclass(frozen=True)
class AppOptions:
    """What ``rerun`` was asked to do (already checked by the CLI)."""

    inputs: Sequence[str] = ()
    bind: str = "0.0.0.0"
    port: int = 9876  # 0: any free port
    memory_limit_bytes: int | None = None
    server_memory_limit_bytes: int | None = 1024**3
    window_size: tuple[int, int] | None = None
    screenshot_to: Path | None = None
    screenshot_wait_secs: float = SCREENSHOT_WAIT_SECS  # for SDK data, when shooting without files
    headless: bool = False


def run_app(options: AppOptions, *, say: Callable[[str], None], stop: threading.Event) -> int:
    """Run the viewer until ``stop`` is set or its window closes; returns the exit status.

    ``--screenshot-to`` shoots once every input is read (without inputs: once SDK data arrived and
    paused for a second; none within ``screenshot_wait_secs`` is an error), then exits;
    ``--headless`` only receives; otherwise a window opens, and without a display that is an error,
    as in 0.41.
    """
    from rerun_viewer._gpu import get_gpu
    from rerun_viewer._window import display_problem, run_window

    if not (options.headless or options.screenshot_to):
        problem = display_problem()
        if problem:
            say(f"Error: {problem}. Use --headless to run the viewer without a window, "
                "or --screenshot-to to render one frame.")  # fmt: skip
            return 1
    get_gpu()  # fails early, and saying why, where nothing can render
    width, height = options.window_size or ((1920, 1080) if options.headless else (1280, 720))
    with App(width=width, height=height, memory_limit_bytes=options.memory_limit_bytes) as app:
        if not (options.screenshot_to and options.inputs):  # a one-shot render of files needs no endpoint
            url = app.serve(
                bind=options.bind, port=options.port, server_memory_limit=options.server_memory_limit_bytes
            )
            say(
                f"Listening for gRPC connections on {options.bind}:{url.port}. "
                f"Connect by running `rerun --connect {url}`"
            )
        for location in options.inputs:
            app.open(location)
        if options.screenshot_to:
            live = all(is_proxy_url(location) for location in options.inputs)
            wait = options.screenshot_wait_secs if live else None
            return _shoot(app, options.screenshot_to, wait_secs=wait, say=say, stop=stop)
        if options.headless:
            say(f"Headless viewer running at {width}x{height}.")
            _run_headless(app, stop)
            return 0
        run_window(app, size=(width, height), stop=stop)
    return 0


def _run_headless(app: App, stop: threading.Event) -> None:
    """No window, but a UI thread all the same: it answers remote control until ``stop`` is set,
    catching up with the data on each request (``save_screenshot`` renders a frame then)."""
    while not stop.is_set():
        app.ui.wait(_POLL_SECS)
        app.process_requests()
        if app.playing():
            app.sync()  # playback moves on between requests


def _shoot(
    app: App, path: Path, *, wait_secs: float | None, say: Callable[[str], None], stop: threading.Event
) -> int:
    """Wait for the inputs to be read (``wait_secs`` given, live: for SDK data, then a quiet second),
    then shoot; when no data came within ``wait_secs``, give up saying so rather than wait forever."""
    live = wait_secs is not None
    deadline = time.monotonic() + (wait_secs or 0.0)
    while app.sources.loading or (live and not app.sources.settled(quiet_secs=1.0)):
        app.process_requests()
        if stop.wait(_POLL_SECS):
            say("Stopped before the data was in; no screenshot taken.")
            return 1
        if live and app.sources.num_messages == 0 and time.monotonic() > deadline:
            where = app.sources.server.url if app.sources.server is not None else "the given sources"
            say(f"Error: no data arrived from {where} within {wait_secs:g} s; no screenshot taken. "
                "Log to it with an SDK, or pass .rrd files.")  # fmt: skip
            return 1
    if app.sources.errors:
        say(f"Error: {app.sources.errors[0]}")
        return 1
    out = app.screenshot(path)
    say(f"Saved a {app.width}x{app.height} screenshot to {out}")
    return 0
