"""``ViewerClient``: drive a running viewer over its ``ViewerControlService`` (0.41's API).

Requests are ``rerun.viewer_control.v1alpha1`` messages sent to the viewer's gRPC port (the same
``rerun+http://host:port/proxy`` that SDKs log to). A refused request raises :class:`ConnectionError`
with the viewer's message and the status, as 0.41 does.
"""

from __future__ import annotations

import json
import subprocess
import warnings
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from rerun._time import duration_to_ns, timestamp_to_ns
from rerun.experimental._viewer_state import (
    Blueprint,
    LoadingSource,
    LogEntry,
    OpenResult,
    RecordingSchema,
    StoreId,
    ViewerState,
    entity_from,
    optional,
    recording_from,
    timeline_from,
    view_from,
)

if TYPE_CHECKING:
    from uuid import UUID

    import datafusion
    import pyarrow as pa

__all__ = ["ViewerClient"]

_DEFAULT_URL = "rerun+http://127.0.0.1:9876/proxy"
_TIMEOUT_SECS = 15.0  # every call; the viewer answers ``open`` within 10 s


class ViewerClient:
    """A connection to a running viewer: ``connect`` to one, or ``spawn`` a new one (``headless`` for CI).

    A spawned viewer that is not detached ends with the ``with`` block (or the client); ``quit`` ends
    any spawned viewer. Every call waits at most 15 seconds for the viewer's answer.
    """

    def __init__(
        self,
        url: str = _DEFAULT_URL,
        *,
        _process: subprocess.Popen[bytes] | None = None,
        _kill_on_exit: bool = False,
    ) -> None:
        from rerun_core.grpc.client import open_channel
        from rerun_core.grpc.url import parse_proxy_url
        from rerun_core.proto import viewer_control_pb2_grpc

        proxy = parse_proxy_url(url)  # raises for anything but rerun[+http(s)]://host:port/proxy
        self._url = url
        self._process = _process
        self._kill_on_exit = _kill_on_exit
        self._channel = open_channel(proxy)  # TLS for rerun+https://
        self._stub = viewer_control_pb2_grpc.ViewerControlServiceStub(self._channel)

    @classmethod
    def connect(cls, url: str = _DEFAULT_URL) -> ViewerClient:
        """Attach to a viewer already running at ``url``."""
        return cls(url)

    @classmethod
    def spawn(
        cls,
        *,
        headless: bool = False,
        port: int = 9876,
        memory_limit: str = "75%",
        server_memory_limit: str = "1GiB",
        hide_welcome_screen: bool = False,
        detach_process: bool | None = None,
        executable_name: str = "rerun",
        executable_path: str | None = None,
    ) -> ViewerClient:
        """Start a viewer on ``port`` (``headless``: without a window, still serving and rendering on
        request) and connect to it; detached by default unless headless."""
        from rerun._spawn import spawn_viewer

        detach = not headless if detach_process is None else detach_process
        process = spawn_viewer(
            port=port,
            memory_limit=memory_limit,
            server_memory_limit=server_memory_limit,
            hide_welcome_screen=hide_welcome_screen,
            detach_process=detach,
            executable_name=executable_name,
            executable_path=executable_path,
            headless=headless,
        )
        return cls(f"rerun+http://127.0.0.1:{port}/proxy", _process=process, _kill_on_exit=not detach)

    @property
    def url(self) -> str:
        return self._url

    # ---- data ----------------------------------------------------------------------------------

    def send_table(
        self, name: str, table: pa.RecordBatch | list[pa.RecordBatch] | datafusion.DataFrame
    ) -> None:
        """Show a table (one Arrow record batch, or several, or a DataFusion DataFrame) in the viewer,
        as ``name``: sending the same name again replaces it."""
        import grpc
        import pyarrow as pa

        from rerun_core.proto import common_pb2, sdk_comms_pb2, sdk_comms_pb2_grpc

        if isinstance(table, pa.RecordBatch):
            batch = table
        else:
            batch = pa.concat_batches(table if isinstance(table, list) else table.collect())
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, batch.schema) as writer:
            writer.write_batch(batch)
        payload = sink.getvalue().to_pybytes()
        part = common_pb2.DataframePart(
            encoder_version=common_pb2.ENCODER_VERSION_V0,
            payload=payload,
            compression=common_pb2.COMPRESSION_NONE,
            uncompressed_size=len(payload),
        )
        request = sdk_comms_pb2.WriteTableRequest(id=common_pb2.TableId(id=name), data=part)
        try:
            sdk_comms_pb2_grpc.MessageProxyServiceStub(self._channel).WriteTable(
                request, timeout=_TIMEOUT_SECS
            )
        except grpc.RpcError as err:
            raise _refused(err) from None

    # ---- recordings ----------------------------------------------------------------------------

    def open(self, urls: str | Sequence[str], *, navigate: bool = True) -> OpenResult:
        """Open files or URLs in the viewer (waiting up to about 10 s each); ``navigate`` shows them."""
        from rerun_core.proto import viewer_control_pb2 as pb

        answers = [
            self._call("open", pb.OpenRequest(url=url, navigate=navigate))
            for url in ([urls] if isinstance(urls, str) else urls)
        ]
        return OpenResult(
            store_ids=[store_id for answer in answers for store_id in answer.store_ids],
            loading=[url for answer in answers for url in answer.loading],
        )

    def close(
        self,
        urls: Literal["current", "all"] | str | Sequence[str] | None = None,
        *,
        store_ids: Sequence[StoreId] | None = None,
    ) -> list[StoreId]:
        """Close recordings (by the URLs they came from, ``"current"``, ``"all"``, or ``store_ids``);
        returns the ones closed. Naming one that is not open raises, and closes nothing."""
        from rerun_core.proto import viewer_control_pb2 as pb

        if (urls is None) == (store_ids is None):
            raise ValueError(
                "ViewerClient.close expects either `urls` or `store_ids`. "
                "To shut down a viewer started with `spawn`, use `quit()`."
            )
        if store_ids is not None:
            request = pb.CloseRequest(store_ids=pb.ViewerRecordingIds(store_ids=list(store_ids)))
        elif urls in ("current", "all"):
            request = pb.CloseRequest(current=True) if urls == "current" else pb.CloseRequest(all=True)
        else:
            listed = [urls] if isinstance(urls, str) else list(urls or [])
            request = pb.CloseRequest(urls=pb.ViewerSourceUrls(urls=listed))
        return list(self._call("close", request).closed)

    # ---- what is shown -------------------------------------------------------------------------

    def get_state(self) -> ViewerState:
        """The recordings, their timelines and cursors, the views, and what is still loading."""
        from rerun_core.proto import viewer_control_pb2 as pb

        answer = self._call("get_state", pb.GetStateRequest())
        return ViewerState(
            location=answer.location,
            active_recording=optional(answer, "active_store_id"),
            recordings=[recording_from(recording) for recording in answer.recordings],
            views=[view_from(view) for view in answer.views],
            loading=[LoadingSource(source.name, source.status) for source in answer.loading],
            catalog_url=optional(answer, "catalog_url"),
            viewer_version=optional(answer, "viewer_version"),
        )

    def get_location(self) -> str:
        """Where the viewer is (a recording's location); raises when it shows none."""
        from rerun_core.proto import viewer_control_pb2 as pb

        return str(self._call("get_location", pb.GetLocationRequest()).location)

    def set_location(self, location: str) -> None:
        """Show something the viewer has open, by its location (``ViewerState.location``); this
        never loads anything (``open`` does)."""
        from rerun_core.proto import viewer_control_pb2 as pb

        self._call("set_location", pb.SetLocationRequest(location=location))

    def get_recording_schema(
        self,
        store_id: StoreId | None = None,
        *,
        entity_path: str | None = None,
        max_entities: int | None = None,
        paths_only: bool | None = None,
    ) -> RecordingSchema:
        """A recording's timelines and entities (under ``entity_path``) with their components."""
        from rerun_core.proto import viewer_control_pb2 as pb

        request = pb.GetRecordingSchemaRequest(with_archetypes=False, with_components=not paths_only)
        _set_present(request, store_id=store_id, entity_path=entity_path, max_entities=max_entities)
        answer = self._call("get_recording_schema", request)
        return RecordingSchema(
            store_id=answer.store_id,
            timelines=[timeline_from(timeline) for timeline in answer.timelines],
            entities=[entity_from(entity) for entity in answer.entities],
            omitted_entities=answer.omitted_entities,
        )

    def get_blueprint(
        self,
        of: Literal["recording", "table"] | None = None,
        *,
        store_id: StoreId | None = None,
        table_url: str | None = None,
    ) -> Blueprint:
        """A recording's (or table's) whole blueprint; without arguments, that of what is on screen."""
        from rerun_core.proto import viewer_control_pb2 as pb

        if of is None:
            of = "recording" if store_id is not None else "table" if table_url is not None else None
        if (of == "recording" and table_url is not None) or (of == "table" and store_id is not None):
            raise ValueError("A recording's blueprint takes a store_id, and a table's a table_url")
        request = pb.GetBlueprintRequest()
        if of == "recording":
            request.recording.CopyFrom(pb.RecordingBlueprintTarget())
            _set_present(request.recording, store_id=store_id)
        elif of == "table":
            request.table.CopyFrom(pb.TableBlueprintTarget())
            _set_present(request.table, table_url=table_url)
        answer = self._call("get_blueprint", request)
        return Blueprint(
            blueprint_id=answer.blueprint_id,
            store_id=optional(answer, "store_id"),
            table_url=optional(answer, "table_url"),
            blueprint=json.loads(answer.json or "{}"),
        )

    def get_logs(self, after_sequence: int | None = None) -> list[LogEntry]:
        """The viewer's recent log messages, oldest first (only newer than ``after_sequence``)."""
        from rerun_core.proto import viewer_control_pb2 as pb

        request = pb.GetLogsRequest()
        _set_present(request, after_sequence=after_sequence)
        answer = self._call("get_logs", request)
        return [LogEntry(e.sequence, e.level, e.target, e.message) for e in answer.entries]

    # ---- time ----------------------------------------------------------------------------------

    def set_time(
        self,
        timeline: str | None = None,
        *,
        sequence: int | None = None,
        duration: Any = None,
        timestamp: Any = None,
        play_state: Literal["paused", "playing", "following"] | None = None,
        recording: StoreId | None = None,
    ) -> None:
        """Move the time cursor (``duration``/``timestamp``: seconds, or datetime-like), switch the
        timeline, and/or set the play state, of ``recording`` (default: the active one)."""
        from rerun_core.proto import common_pb2
        from rerun_core.proto import viewer_control_pb2 as pb

        given = [value is not None for value in (sequence, duration, timestamp)]
        if sum(given) > 1:
            raise ValueError("ViewerClient.set_time expects at most one of sequence, duration, or timestamp")
        if timeline is None and not any(given) and play_state is None:
            raise ValueError(
                "ViewerClient.set_time expects a timeline, sequence, duration, timestamp, or play_state"
            )
        if any(given) and play_state == "following":
            raise ValueError("ViewerClient.set_time cannot follow the latest data and also set a time")
        request = pb.SetTimeCursorRequest()
        _set_present(request, store_id=recording)
        if timeline is not None:
            request.timeline.CopyFrom(common_pb2.Timeline(name=timeline))
        if sequence is not None:
            request.time.CopyFrom(common_pb2.TimelineTime(time=int(sequence)))
        elif duration is not None:
            request.time.CopyFrom(common_pb2.TimelineTime(time=duration_to_ns(duration)))
        elif timestamp is not None:
            request.time.CopyFrom(common_pb2.TimelineTime(time=timestamp_to_ns(timestamp)))
        if play_state is not None:
            request.play_state = pb.PlayState.Value(f"PLAY_STATE_{play_state.upper()}")
        self._call("set_time_cursor", request)

    # ---- screenshots ---------------------------------------------------------------------------

    def save_screenshot(self, file_path: str, view_id: str | UUID | None = None) -> None:
        """Have the viewer write a PNG of itself (or of one view) to ``file_path`` on its own machine."""
        from rerun_core.proto import viewer_control_pb2 as pb

        request = pb.SaveScreenshotRequest(file_path=file_path)
        _set_present(request, view_id=None if view_id is None else str(view_id))
        self._call("save_screenshot", request)

    def take_screenshot(self, view_id: str | UUID | None = None, *, max_size: int | None = None) -> bytes:
        """A PNG of the viewer (or one view), its longest side at most ``max_size`` pixels."""
        from rerun_core.proto import viewer_control_pb2 as pb

        request = pb.SaveScreenshotRequest()
        _set_present(request, view_id=None if view_id is None else str(view_id), max_size=max_size)
        return bytes(self._call("save_screenshot", request).png)

    # ---- the spawned process -------------------------------------------------------------------

    def quit(self, *, wait: bool = True, timeout: float = 5.0) -> None:
        """End the spawned viewer (terminate, then kill after ``timeout`` seconds); warns without one."""
        if not timeout > 0 or timeout == float("inf"):
            raise ValueError("timeout must be finite and greater than zero")
        process, self._process = self._process, None
        if process is None:
            warnings.warn(
                "ViewerClient.quit() called with no viewer to terminate "
                "(the client was constructed via ViewerClient.connect(), or quit() was already called).",
                UserWarning,
                stacklevel=2,
            )
            return
        process.terminate()
        if not wait:
            return
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                raise RuntimeError(f"Viewer processes did not exit: {[process.pid]}") from None

    def __enter__(self) -> ViewerClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._kill_on_exit and self._process is not None:
            self.quit()

    def __del__(self) -> None:
        try:
            if getattr(self, "_kill_on_exit", False) and getattr(self, "_process", None) is not None:
                self.quit()
        except Exception:
            pass

    # ---- deprecated names (0.41 keeps them) ----------------------------------------------------

    def open_url(self, url: str, *, navigate: bool = True) -> bool:
        _deprecated("open")
        return not self.open(url, navigate=navigate).loading

    def close_recordings(self, target: str | Sequence[StoreId] = "current") -> list[StoreId]:
        _deprecated("close")
        if target in ("current", "all"):
            return self.close(target)
        return self.close(store_ids=[target] if isinstance(target, str) else target)

    def viewer_state(self) -> ViewerState:
        _deprecated("get_state")
        return self.get_state()

    def viewer_logs(self, after_sequence: int | None = None) -> list[LogEntry]:
        _deprecated("get_logs")
        return self.get_logs(after_sequence)

    # ---- transport -----------------------------------------------------------------------------

    def _call(self, kind: str, request: Any) -> Any:
        """Send one request kind; its response, or :class:`ConnectionError` saying why there is none."""
        import grpc

        from rerun_core.proto import viewer_control_pb2 as pb

        try:
            response = self._stub.ViewerControl(
                pb.ViewerControlRequest(**{kind: request}), timeout=_TIMEOUT_SECS
            )
        except grpc.RpcError as err:
            raise _refused(err) from None
        if response.WhichOneof("kind") != kind:
            raise RuntimeError(f"Expected a {kind} response, got {response.WhichOneof('kind')}")
        return getattr(response, kind)


def _refused(err: Any) -> ConnectionError:
    """A failed call as 0.41's client raises it: the viewer's message, then the status named
    ``InvalidArgument`` (not ``INVALID_ARGUMENT``)."""
    code = "".join(part.title() for part in err.code().name.split("_"))
    return ConnectionError(f"{err.details()} ({code})")


def _deprecated(replacement: str) -> None:
    warnings.warn(f"Use `{replacement}` instead.", DeprecationWarning, stacklevel=3)


def _set_present(message: Any, **fields: Any) -> None:
    """Set the optional fields that are given (an unset one means "the default" to the viewer)."""
    for name, value in fields.items():
        if value is not None:
            setattr(message, name, value)
