"""RecordingStream: one recording's identity, its time cursor, its batcher and its sink."""

from __future__ import annotations

import atexit
import os
import threading
import time
import uuid
import weakref
from types import TracebackType
from typing import Any

import pyarrow as pa

from rerun import _send_columns, _sinks
from rerun._batcher import ChunkBatcher, ChunkBatcherConfig, PendingRow
from rerun._errors import RerunWarning
from rerun._log import component_batches, entity_path_of
from rerun._time import time_value
from rerun_core import (
    ArrowMsg,
    BlueprintActivationCommand,
    Chunk,
    ComponentDescriptor,
    LogMsg,
    SetStoreInfo,
    StoreId,
    StoreKind,
    Timeline,
    TimeType,
)
from rerun_core.tuid import new_tuid

__all__ = ["RecordingStream"]

_LOG_TIME = Timeline("log_time", TimeType.TIMESTAMP_NS)
_LOG_TICK = Timeline("log_tick", TimeType.SEQUENCE)
_ALL_STREAMS: weakref.WeakSet[RecordingStream] = weakref.WeakSet()


class RecordingStream:
    """A recording (or blueprint) being logged; usable as a context manager to make it the thread default."""

    def __init__(
        self,
        application_id: str,
        *,
        recording_id: str | uuid.UUID | None = None,
        make_default: bool = False,
        make_thread_default: bool = False,
        default_enabled: bool = True,
        send_properties: bool = True,
        batcher_config: ChunkBatcherConfig | None = None,
        _store_kind: StoreKind = StoreKind.RECORDING,
    ) -> None:
        from rerun import _global

        recording_id = str(recording_id) if recording_id is not None else str(uuid.uuid4())
        self.store_id = StoreId(_store_kind, str(application_id), recording_id)
        self._enabled = _global.enabled_by_env(default_enabled)
        self._sink: _sinks.Sink = _sinks.BufferSink()
        self._sink_lock = threading.RLock()
        self._time = threading.local()
        self._log_time_enabled = True
        self._log_tick_enabled = False
        self._tick = 0
        self._batcher = ChunkBatcher(batcher_config or ChunkBatcherConfig(), self._send_chunk)
        self._thread_default_token: object = None
        _ALL_STREAMS.add(self)
        if not self._enabled:
            return
        self._send(SetStoreInfo(self.store_id))
        if send_properties and _store_kind == StoreKind.RECORDING:
            self.send_recording_start_time_nanos(time.time_ns())
        if make_default:
            _global.set_global_data_recording(self)
        if make_thread_default:
            _global.set_thread_local_data_recording(self)

    # ---- identity ---------------------------------------------------------------------------

    def get_recording_id(self) -> str:
        return self.store_id.recording_id

    def get_application_id(self) -> str:
        return self.store_id.application_id

    def is_enabled(self) -> bool:
        return self._enabled

    # ---- sinks ------------------------------------------------------------------------------

    def _send(self, msg: LogMsg) -> None:
        with self._sink_lock:
            self._sink.send(msg)

    def _send_chunk(self, chunk: Chunk) -> None:
        self._send(ArrowMsg(self.store_id, chunk))

    def set_sinks(self, *sinks: _sinks.Sink, default_blueprint: Any = None) -> None:
        """Route everything, including what was logged before, to these sinks."""
        if not self._enabled:
            return
        self._batcher.flush()
        sink: _sinks.Sink = sinks[0] if len(sinks) == 1 else _sinks.TeeSink(list(sinks))
        with self._sink_lock:
            previous, self._sink = self._sink, sink
            if default_blueprint is not None:  # 0.41 writes the default blueprint ahead of the recording
                self.send_blueprint(default_blueprint, make_active=False, make_default=True)
            sink.send(SetStoreInfo(self.store_id))
            if isinstance(previous, _sinks.BufferSink):
                for msg in previous.messages:
                    sink.send(msg)
            else:
                previous.close()

    def save(self, path: str, default_blueprint: Any = None, *, write_footer: bool = True) -> None:
        self.set_sinks(_sinks.FileSink(path, write_footer=write_footer), default_blueprint=default_blueprint)

    def stdout(self, default_blueprint: Any = None, *, write_footer: bool = True) -> None:
        self.set_sinks(_sinks.StdoutSink(write_footer=write_footer), default_blueprint=default_blueprint)

    def memory_recording(self) -> _sinks.MemoryRecording:
        sink = _sinks.MemorySink()
        self.set_sinks(sink)
        return _sinks.MemoryRecording(sink, self.flush)

    def connect_grpc(self, url: str | None = None, *, default_blueprint: Any = None) -> None:
        """Stream to a viewer or proxy (default ``rerun+http://127.0.0.1:9876/proxy``), in the background."""
        from rerun._grpc_sinks import GrpcSink

        self.set_sinks(GrpcSink(url), default_blueprint=default_blueprint)

    def serve_grpc(
        self, *, grpc_port: int | None = None, default_blueprint: Any = None, server_memory_limit: str = "1GiB",
        newest_first: bool = False, cors_allow_origin: list[str] | None = None,
    ) -> str:  # fmt: skip
        """Host a message proxy in this process, log into it, and return the URL viewers connect to."""
        from rerun._grpc_sinks import serve_grpc_for

        return serve_grpc_for(
            self, grpc_port, default_blueprint, server_memory_limit, newest_first, cors_allow_origin
        )

    def spawn(
        self, *, port: int = 9876, connect: bool = True, memory_limit: str = "75%",
        hide_welcome_screen: bool = False, detach_process: bool = True, default_blueprint: Any = None,
    ) -> None:  # fmt: skip
        """Start a ``rerun`` viewer listening on ``port`` (unless one already is) and stream to it."""
        from rerun._grpc_sinks import spawn_for

        spawn_for(self, port=port, connect=connect, memory_limit=memory_limit, server_memory_limit="1GiB",
                  hide_welcome_screen=hide_welcome_screen, detach_process=detach_process,
                  default_blueprint=default_blueprint)  # fmt: skip

    def flush(self, *, timeout_sec: float = 1e38) -> None:
        """Send everything logged so far to the sink. A network sink that cannot within ``timeout_sec``
        (or cannot connect for 5 s) raises ``RuntimeError``, as 0.41 does."""
        self._batcher.flush()
        with self._sink_lock:
            sink = self._sink
        sink.flush(timeout_sec)  # outside the lock: the batcher keeps sending meanwhile

    def _flush_quietly(self) -> None:
        """A flush the user did not ask for: network trouble is logged, never raised."""
        try:
            self.flush()
        except RuntimeError as err:
            import logging

            logging.getLogger("rerun").warning("%s", err)

    def disconnect(self) -> None:
        """Finish the current sink (writing footers) and go back to buffering."""
        self._batcher.flush()
        with self._sink_lock:
            previous, self._sink = self._sink, _sinks.BufferSink()
            previous.close()

    def _forget_after_fork(self) -> None:
        """Called in a forked child: stop sending anything through the parent's sinks."""
        self._enabled = False
        self._sink = _sinks.BufferSink()
        self._sink_lock = threading.RLock()
        self._batcher = ChunkBatcher(ChunkBatcherConfig.NEVER, lambda chunk: None)  # type: ignore[attr-defined]

    def _shutdown(self) -> None:
        self._batcher.close()
        with self._sink_lock:
            self._sink.close()

    # ---- time -------------------------------------------------------------------------------

    def _timepoint(self) -> dict[Timeline, int]:
        timepoint = getattr(self._time, "timepoint", None)
        if timepoint is None:
            timepoint = self._time.timepoint = {}
        return timepoint

    def set_time(
        self, timeline: str, *, sequence: Any = None, duration: Any = None, timestamp: Any = None
    ) -> None:
        key, value = time_value(timeline, sequence=sequence, duration=duration, timestamp=timestamp)
        timepoint = self._timepoint()
        if key not in timepoint:  # a timeline of the same name but another type is replaced
            for existing in [t for t in timepoint if t.name == timeline]:
                del timepoint[existing]
        timepoint[key] = value

    def disable_timeline(self, timeline: str) -> None:
        timepoint = self._timepoint()
        for existing in [t for t in timepoint if t.name == timeline]:
            del timepoint[existing]

    def reset_time(self) -> None:
        self._timepoint().clear()

    def set_log_time_enabled(self, enabled: bool) -> None:
        self._log_time_enabled = bool(enabled)

    def set_log_tick_enabled(self, enabled: bool) -> None:
        self._log_tick_enabled = bool(enabled)

    # ---- logging ----------------------------------------------------------------------------

    def log(
        self,
        entity_path: str | list[Any],
        entity: Any,
        *extra: Any,
        static: bool = False,
        strict: bool | None = None,
    ) -> None:
        """Log an archetype (and extra component batches) at the current time, or statically."""
        if not self._enabled:
            return
        path = entity_path_of(entity_path)
        components = component_batches(entity, extra, strict=strict)
        if not components:
            return
        timepoint: dict[Timeline, int] = {}
        if not static:
            timepoint = dict(self._timepoint())
            if self._log_tick_enabled:
                timepoint[_LOG_TICK] = self._tick
                self._tick += 1
            if self._log_time_enabled:
                timepoint[_LOG_TIME] = time.time_ns()
        nbytes = sum(array.get_total_buffer_size() for array in components.values())
        row = PendingRow(new_tuid().to_bytes(), timepoint, components, nbytes)
        self._batcher.push(path, row)

    def send_columns(
        self, entity_path: str, indexes: Any, columns: Any, *, strict: bool | None = None
    ) -> None:
        """Send many rows at once, with explicit times (``TimeColumn``s) and component columns."""
        if self._enabled:
            _send_columns.send_columns(self, entity_path, indexes, columns, strict=strict)

    def log_file_from_path(
        self, file_path: Any, *, entity_path_prefix: str | None = None, static: bool = False
    ) -> None:
        if self._enabled:
            from rerun._log_file import log_file

            log_file(self, file_path, None, entity_path_prefix=entity_path_prefix, static=static)

    def log_file_from_contents(self, file_path: Any, file_contents: bytes, *, entity_path_prefix: str | None = None,
                               static: bool = False) -> None:  # fmt: skip
        if self._enabled:
            from rerun._log_file import log_file

            log_file(self, file_path, file_contents, entity_path_prefix=entity_path_prefix, static=static)

    def log_chunk(self, chunk: Chunk) -> None:
        """Send a ready-made chunk (``send_columns`` and ``send_chunks``)."""
        if self._enabled:
            self._batcher.flush()
            self._send_chunk(chunk)

    def send_chunks(self, chunks: Any) -> None:
        """Send a ``Chunk``, ``LazyChunkStream``, ``LazyStore``, ``ChunkStore`` or iterable of chunks, as they are."""
        if self._enabled:
            from rerun.chunk._send_chunks import send_chunks_to

            send_chunks_to(self, chunks)

    def send_blueprint(self, blueprint: Any, *, make_active: bool = True, make_default: bool = True) -> None:
        from rerun.blueprint._api import blueprint_messages

        if not self._enabled:
            return
        for msg in blueprint_messages(blueprint, self.store_id.application_id, make_active, make_default):
            self._send(msg)

    def _send_activation(self, blueprint_id: StoreId, make_active: bool, make_default: bool) -> None:
        self._send(BlueprintActivationCommand(blueprint_id, make_active, make_default))

    def send_property(self, name: str, values: Any) -> None:
        from rerun_core.entity_path import RECORDING_PROPERTIES_PATH, EntityPath

        path = str(EntityPath.parse(RECORDING_PROPERTIES_PATH) / name)
        self.log(path, values, static=True)

    def send_recording_name(self, name: str) -> None:
        self._log_property("RecordingInfo:name", "rerun.components.Name", pa.array([name], pa.utf8()))

    def send_recording_start_time_nanos(self, nanos: int) -> None:
        self._log_property(
            "RecordingInfo:start_time", "rerun.components.Timestamp", pa.array([nanos], pa.int64())
        )

    def _log_property(self, component: str, component_type: str, value: pa.Array) -> None:
        descriptor = ComponentDescriptor(component, "rerun.archetypes.RecordingInfo", component_type)
        row = PendingRow(new_tuid().to_bytes(), {}, {descriptor: value}, value.nbytes)
        self._batcher.push("/__properties", row)

    # ---- context manager --------------------------------------------------------------------

    def __enter__(self) -> RecordingStream:
        from rerun import _global

        self._thread_default_token = _global.get_thread_local_data_recording()
        _global.set_thread_local_data_recording(self)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        from rerun import _global

        self._flush_quietly()
        _global.set_thread_local_data_recording(self._thread_default_token)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return (
            f"RecordingStream({self.store_id.application_id!r}, recording_id={self.store_id.recording_id!r})"
        )


def _shutdown_all() -> None:
    for stream in list(_ALL_STREAMS):
        try:
            stream._shutdown()
        except Exception as err:  # never let one recording's failure lose another's data
            import warnings

            warnings.warn(f"failed to finish {stream!r}: {err}", RerunWarning, stacklevel=1)


atexit.register(_shutdown_all)

_owner_pid = os.getpid()


def _forget_streams_after_fork() -> None:
    """In a forked child, inherited recordings go quiet: their sinks share file descriptors with the parent."""
    global _owner_pid
    if os.getpid() == _owner_pid:
        return
    _owner_pid = os.getpid()
    for stream in list(_ALL_STREAMS):
        stream._forget_after_fork()


os.register_at_fork(after_in_child=_forget_streams_after_fork)
