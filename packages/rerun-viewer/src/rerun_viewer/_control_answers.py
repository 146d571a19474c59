"""The viewer's answers to ``ViewerControlService`` requests, one method per request kind.

Each method runs on a gRPC thread and does its work on the UI thread (``self._ui``), so it sees and
changes the viewer between frames; slow parts (PNG encoding, writing files, waiting for a file to
load) stay on the gRPC thread. Kinds without a method answer ``UNIMPLEMENTED``, naming the kind.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from rerun_core.log_msg import StoreId
from rerun_core.proto import common_pb2
from rerun_core.proto import viewer_control_pb2 as pb
from rerun_viewer._control import ControlError
from rerun_viewer._control_blueprint import shown_blueprint
from rerun_viewer._control_state import (
    format_store_id,
    parse_recording_location,
    parse_store_id,
    recording_location,
    recording_schema,
    time_type_name,
    view_ids,
    viewer_recording,
    viewer_views,
)
from rerun_viewer._layout import shell_layout
from rerun_viewer._png import png_bytes
from rerun_viewer._recording import Recording
from rerun_viewer._theme import THEME
from rerun_viewer._time import TimeCursor, default_cursor, timeline_bounds
from rerun_viewer._ui import Rect
from rerun_viewer._viewer import Viewer
from rerun_viewer._viewport import viewport_for
from rerun_viewer.errors import RecordingLoadError

if TYPE_CHECKING:
    from rerun_viewer._app import App

__all__ = ["ControlAnswers"]

_log = logging.getLogger("rerun")
_OPEN_WAIT_SECS = 10.0  # as 0.41: ``open`` answers by then, even if the file is still loading
T = TypeVar("T")


class ControlAnswers:
    """Answers requests about ``app``; its UI thread must call ``app.ui.run_pending()`` regularly."""

    def __init__(self, app: App) -> None:
        self._app = app
        self._handlers: dict[str, Callable[[Any], Any]] = {
            "get_state": self.get_state,
            "get_location": self.get_location,
            "set_location": self.set_location,
            "save_screenshot": self.save_screenshot,
            "set_time_cursor": self.set_time_cursor,
            "open": self.open,
            "close": self.close,
            "get_recording_schema": self.get_recording_schema,
            "get_logs": self.get_logs,
            "get_blueprint": self.get_blueprint,
        }

    def answer(self, kind: str, request: Any) -> Any:
        handler = self._handlers.get(kind)
        if handler is None:
            raise ControlError("UNIMPLEMENTED", f"`{kind}` requests are not supported by this viewer")
        return handler(request)

    def _ui(self, work: Callable[[], T]) -> T:
        return self._app.ui.call(work)

    # ---- state ---------------------------------------------------------------------------------

    def get_state(self, request: pb.GetStateRequest) -> pb.GetStateResponse:
        return self._ui(self._state_now)

    def _state_now(self) -> pb.GetStateResponse:
        from rerun_viewer import __version__

        app = self._app
        viewer = app.sync()
        response = pb.GetStateResponse(viewer_version=__version__)
        for name in app.sources.loading_names():
            response.loading.append(pb.ViewerLoadingSource(name=name, status=f"Loading {name}…"))
        with app.recordings.reading() as recordings:
            for recording in _playable(recordings):
                playing = (
                    viewer is not None and recording is viewer.recording and viewer.state.playback.playing
                )
                response.recordings.append(
                    viewer_recording(recording, _cursor_of(recording, viewer), playing=playing)
                )
            if viewer is not None:
                response.active_store_id = format_store_id(viewer.recording.store_id)
                response.location = recording_location(viewer.recording.store_id)
                response.views.extend(viewer_views(viewer.viewport))
        return response

    def get_location(self, request: pb.GetLocationRequest) -> pb.GetLocationResponse:
        viewer = self._ui(self._app.sync)
        if viewer is None:
            raise ControlError("FAILED_PRECONDITION", "the viewer shows no recording, so it has no location")
        return pb.GetLocationResponse(location=recording_location(viewer.recording.store_id))

    def set_location(self, request: pb.SetLocationRequest) -> pb.SetLocationResponse:
        """Show a recording the viewer has open, by the location ``get_state`` reports for it."""
        wanted = parse_recording_location(request.location)

        def show() -> None:
            viewer = self._app.sync()
            with self._app.recordings.reading() as recordings:
                found = [r for r in _playable(recordings) if r.store_id == wanted]
                if viewer is None or not found:
                    raise ControlError("NOT_FOUND", f"the viewer does not have {request.location} open")
                if found[0] is not viewer.recording:
                    viewer.set_recording(found[0].name)
            self._app.mark_changed()

        self._ui(show)
        return pb.SetLocationResponse()

    def get_recording_schema(self, request: pb.GetRecordingSchemaRequest) -> pb.GetRecordingSchemaResponse:
        def describe() -> pb.GetRecordingSchemaResponse:
            viewer = self._app.sync()
            store_id = request.store_id if request.HasField("store_id") else None
            with self._app.recordings.reading() as recordings:
                recording = _target(recordings, viewer, store_id, "no active recording to describe")
                return recording_schema(recording, _cursor_of(recording, viewer), request)

        return self._ui(describe)

    def get_logs(self, request: pb.GetLogsRequest) -> pb.GetLogsResponse:
        after = request.after_sequence if request.HasField("after_sequence") else None
        entries = [
            pb.ViewerLogEntry(sequence=e.sequence, level=e.level, target=e.target, message=e.message)
            for e in self._app.logs.entries(after)
        ]
        return pb.GetLogsResponse(entries=entries)

    def get_blueprint(self, request: pb.GetBlueprintRequest) -> pb.GetBlueprintResponse:
        """The blueprint a recording is shown with (the active recording's by default), as JSON."""
        if request.WhichOneof("target") == "table":
            raise ControlError("NOT_FOUND", "this viewer shows no tables, so no table blueprint")

        def read() -> pb.GetBlueprintResponse:
            app = self._app
            viewer = app.sync()
            store_id = request.recording.store_id if request.recording.HasField("store_id") else None
            with app.recordings.reading() as recordings:
                recording = _target(
                    recordings, viewer, store_id, "no active recording, so no blueprint to read"
                )
                shown = viewer is not None and recording is viewer.recording
                viewport = (
                    viewer.viewport if viewer is not None and shown else viewport_for(recording.store, None)
                )
                activations = app.recordings.blueprint_activations
                blueprint_id, blueprint = shown_blueprint(recordings, recording, activations, viewport)
            return pb.GetBlueprintResponse(
                blueprint_id=format_store_id(blueprint_id),
                json=json.dumps(blueprint, sort_keys=True),
                store_id=format_store_id(recording.store_id),
            )

        return self._ui(read)

    # ---- screenshots ---------------------------------------------------------------------------

    def save_screenshot(self, request: pb.SaveScreenshotRequest) -> pb.SaveScreenshotResponse:
        """The whole viewer or one view, as a PNG written to ``file_path`` (by this process), else returned."""
        view_id = request.view_id if request.HasField("view_id") else None
        pixels = self._ui(lambda: self._shoot(view_id))
        max_size = request.max_size if request.HasField("max_size") else None
        png = png_bytes(pixels, max_size)
        if not request.HasField("file_path"):
            return pb.SaveScreenshotResponse(png=png)
        path = Path(request.file_path)
        try:
            path.write_bytes(png)
        except OSError as err:
            _log.error("Failed to save screenshot to %s: %s", path, err.strerror or err)
            raise ControlError(
                "INTERNAL", f"Failed to save screenshot to {path}: {err.strerror or err}"
            ) from None
        return pb.SaveScreenshotResponse()

    def _shoot(self, view_id: str | None) -> np.ndarray:
        app = self._app
        if view_id is None:
            app.sync()
            return app.render()
        try:
            wanted = str(uuid.UUID(view_id))
        except ValueError:
            raise ControlError(
                "INVALID_ARGUMENT", f"Failed to parse view id {view_id!r}, expected a UUID"
            ) from None
        viewer = app.sync()
        with app.recordings.reading():
            ids = view_ids(viewer.viewport) if viewer is not None else []
        if viewer is None or wanted not in ids:
            raise ControlError("NOT_FOUND", f"View {wanted} not found")
        pixels = app.render()
        with app.recordings.reading():
            rect = _view_content_rect(viewer, ids.index(wanted))
        if rect is None:
            raise ControlError("FAILED_PRECONDITION", f"View {wanted} is not on screen (in a hidden tab)")
        x0, y0, x1, y1 = round(rect.x), round(rect.y), round(rect.right), round(rect.bottom)
        return pixels[y0:y1, x0:x1]

    # ---- time ----------------------------------------------------------------------------------

    def set_time_cursor(self, request: pb.SetTimeCursorRequest) -> pb.SetTimeCursorResponse:
        return self._ui(lambda: self._set_time_now(request))

    def _set_time_now(self, request: pb.SetTimeCursorRequest) -> pb.SetTimeCursorResponse:
        viewer = self._app.sync()
        with self._app.recordings.reading() as recordings:
            if request.HasField("store_id"):
                recording = _find(recordings, request.store_id)
                if viewer is not None and recording is not viewer.recording:
                    # the viewer keeps one time cursor, the active recording's: seeking another shows it
                    viewer.set_recording(recording.name)
            if viewer is None:
                raise ControlError("INVALID_ARGUMENT", "no active recording to set the time for")
            _move_cursor(viewer, request)
        self._app.mark_changed()
        cursor = viewer.cursor
        response = pb.SetTimeCursorResponse(
            store_id=format_store_id(viewer.recording.store_id), time=common_pb2.TimelineTime(time=cursor.at)
        )
        if cursor.timeline is not None:
            response.MergeFrom(
                pb.SetTimeCursorResponse(
                    timeline=common_pb2.Timeline(name=cursor.timeline.name),
                    time_type=time_type_name(cursor.timeline.typ),
                )
            )
        return response

    # ---- recordings in and out -----------------------------------------------------------------

    def open(self, request: pb.OpenRequest) -> pb.OpenResponse:
        """Start loading ``url`` (unless something loaded from it is open), wait a while for it, show it."""
        navigate = not request.HasField("navigate") or request.navigate
        app = self._app
        source, previous = self._ui(lambda: self._start_open(request.url))
        deadline = time.monotonic() + _OPEN_WAIT_SECS
        while source in app.sources.loading_names() and time.monotonic() < deadline:
            time.sleep(0.05)
        store_ids, loading = self._ui(lambda: self._finish_open(source, previous, navigate=navigate))
        return pb.OpenResponse(store_ids=store_ids, loading=[request.url] if loading else [])

    def _start_open(self, url: str) -> tuple[str, StoreId | None]:
        app = self._app
        viewer = app.sync()
        source = app.sources.source_name(url)
        with app.recordings.reading() as recordings:
            already_open = any(source in recording.sources for recording in recordings)
        if not already_open:
            try:
                app.open(url)
            except RecordingLoadError as err:
                _log.error("Failed to open %s: %s", url, err)
                raise ControlError("NOT_FOUND", str(err)) from None
        return source, None if viewer is None else viewer.recording.store_id

    def _finish_open(
        self, source: str, previous: StoreId | None, *, navigate: bool
    ) -> tuple[list[str], bool]:
        app = self._app
        viewer = app.sync()
        with app.recordings.reading() as recordings:
            opened = [r for r in _playable(recordings) if source in r.sources]
            if viewer is not None and opened:
                shown = (
                    opened[-1] if navigate else next((r for r in recordings if r.store_id == previous), None)
                )
                if shown is not None and shown is not viewer.recording:
                    viewer.set_recording(shown.name)
                    app.mark_changed()
        return [format_store_id(r.store_id) for r in opened], source in app.sources.loading_names()

    def close(self, request: pb.CloseRequest) -> pb.CloseResponse:
        target = request.WhichOneof("target")
        if target is None:
            raise ControlError(
                "INVALID_ARGUMENT", "`close` takes exactly one of `current`, `all`, `store_ids`, or `urls`"
            )

        def close_now() -> list[StoreId]:
            app = self._app
            viewer = app.sync()
            with app.recordings.reading() as recordings:
                chosen = _to_close(request, target, _playable(recordings), viewer, app.sources.source_name)
            for url in request.urls.urls:  # closing by URL also stops loading from it
                app.sources.stop_reading(app.sources.source_name(url))
            return app.close_recordings(chosen)

        return pb.CloseResponse(closed=[format_store_id(store_id) for store_id in self._ui(close_now)])


def _playable(recordings: list[Recording]) -> list[Recording]:
    return [r for r in recordings if not r.is_blueprint]


def _find(recordings: list[Recording], text: str) -> Recording:
    store_id = parse_store_id(text)
    found = [r for r in _playable(recordings) if r.store_id == store_id]
    if not found:
        raise ControlError("NOT_FOUND", f"recording {text} is not open")
    return found[0]


def _target(
    recordings: list[Recording], viewer: Viewer | None, store_id: str | None, no_active: str
) -> Recording:
    """The recording a request names, else the active one (none: ``no_active`` says why that fails)."""
    if store_id is not None:
        return _find(recordings, store_id)
    if viewer is None:
        raise ControlError("FAILED_PRECONDITION", no_active)
    return viewer.recording


def _cursor_of(recording: Recording, viewer: Viewer | None) -> TimeCursor:
    """The viewer keeps the active recording's cursor; the others would open at their default."""
    if viewer is not None and recording is viewer.recording:
        return viewer.cursor
    return default_cursor(recording.store)


def _to_close(
    request: pb.CloseRequest,
    target: str,
    recordings: list[Recording],
    viewer: Viewer | None,
    source_name: Callable[[str], str],
) -> list[StoreId]:
    """The store ids a close request names; any it names that is not open closes nothing."""
    if target == "current":
        if viewer is None:
            raise ControlError("NOT_FOUND", "no active recording to close")
        return [viewer.recording.store_id]
    if target == "all":
        return [r.store_id for r in recordings]
    if target == "store_ids":
        open_ids = {r.store_id for r in recordings}
        chosen = [parse_store_id(text) for text in request.store_ids.store_ids]
        for text, store_id in zip(request.store_ids.store_ids, chosen, strict=True):
            if store_id not in open_ids:
                raise ControlError("NOT_FOUND", f"no such recording: {text}")
        return chosen
    chosen = []
    for url in request.urls.urls:
        matching = [r.store_id for r in recordings if source_name(url) in r.sources]
        if not matching:
            raise ControlError("NOT_FOUND", f"Nothing is loaded from {url}")
        chosen += [store_id for store_id in matching if store_id not in chosen]
    return chosen


def _move_cursor(viewer: Viewer, request: pb.SetTimeCursorRequest) -> None:
    """Timeline, then time, then play state, as the request gives them."""
    store = viewer.recording.store
    if request.HasField("timeline"):
        name = request.timeline.name
        if name not in store.timelines():
            available = ", ".join(f'"{n}"' for n in store.timelines())
            raise ControlError(
                "INVALID_ARGUMENT",
                f'recording {viewer.recording.name} has no timeline "{name}"; available: [{available}]',
            )
        if viewer.cursor.timeline_name != name:
            viewer.set_timeline(name)
    if request.HasField("time"):
        if viewer.cursor.timeline is None:
            raise ControlError(
                "INVALID_ARGUMENT", f"recording {viewer.recording.name} has no timeline to seek on"
            )
        viewer.set_time(request.time.time)
    play_state = request.play_state if request.HasField("play_state") else pb.PLAY_STATE_UNSPECIFIED
    if play_state == pb.PLAY_STATE_PAUSED:
        viewer.pause()
    elif play_state == pb.PLAY_STATE_PLAYING and not viewer.state.playback.playing:
        viewer.play()
    elif play_state == pb.PLAY_STATE_FOLLOWING:  # paused at the end: the app keeps an end cursor at the end
        viewer.pause()
        timeline = viewer.cursor.timeline_name
        if timeline is not None and (bounds := timeline_bounds(store, timeline)) is not None:
            viewer.set_time(bounds[1])


def _view_content_rect(viewer: Viewer, index: int) -> Rect | None:
    """Where view ``index`` draws its content in the viewer's frame (``None``: not on screen)."""
    viewport = viewer.viewport
    layout = shell_layout(viewer.width, viewer.height, viewport.panel_states)
    for cell in viewport.arrange(layout.views, viewer.state.active_tabs).cells:
        if cell.view == index:
            return cell.rect.inset(top=THEME.view_title_height)
    return None
