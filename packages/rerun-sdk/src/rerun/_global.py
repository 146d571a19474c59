"""The module-level API (``rr.init``, ``rr.log``, ...): which recording a call goes to, and forwarding.

Every function takes ``recording=``; without it the thread-local default wins over the global one,
as in the reference SDK. With no recording at all, calls do nothing (logging must never crash).
"""

from __future__ import annotations

import os
import threading
import uuid
from typing import TYPE_CHECKING, Any

from rerun import _send_dataframe
from rerun._errors import set_strict_mode
from rerun._send_dataframe import AUTO_INDEX

if TYPE_CHECKING:
    from rerun._recording_stream import RecordingStream
    from rerun._sinks import MemoryRecording, Sink

__all__ = [
    "disable_timeline",
    "disconnect",
    "enabled_by_env",
    "get_application_id",
    "get_data_recording",
    "get_global_data_recording",
    "get_recording_id",
    "get_thread_local_data_recording",
    "init",
    "is_enabled",
    "log",
    "log_file_from_contents",
    "log_file_from_path",
    "memory_recording",
    "reset_time",
    "save",
    "send_blueprint",
    "send_chunks",
    "send_columns",
    "send_dataframe",
    "send_property",
    "send_record_batch",
    "send_recording_name",
    "send_recording_start_time_nanos",
    "set_global_data_recording",
    "set_log_tick_enabled",
    "set_log_time_enabled",
    "set_sinks",
    "set_thread_local_data_recording",
    "set_time",
    "stdout",
]

_global_recording: RecordingStream | None = None
_thread_local = threading.local()


def enabled_by_env(default_enabled: bool) -> bool:
    """``RERUN=on/off`` overrides the program's own choice."""
    value = os.environ.get("RERUN", "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    return default_enabled


def get_global_data_recording() -> RecordingStream | None:
    return _global_recording


def set_global_data_recording(recording: RecordingStream | None) -> RecordingStream | None:
    global _global_recording
    previous, _global_recording = _global_recording, recording
    return previous


def get_thread_local_data_recording() -> RecordingStream | None:
    return getattr(_thread_local, "recording", None)


def set_thread_local_data_recording(recording: RecordingStream | None) -> RecordingStream | None:
    previous = get_thread_local_data_recording()
    _thread_local.recording = recording
    return previous


def get_data_recording(recording: RecordingStream | None = None) -> RecordingStream | None:
    """The recording a call should use: the explicit one, else the thread's, else the global one."""
    return recording or get_thread_local_data_recording() or _global_recording


def init(
    application_id: str,
    *,
    recording_id: str | uuid.UUID | None = None,
    spawn: bool = False,
    init_logging: bool = True,
    default_enabled: bool = True,
    strict: bool | None = None,
    default_blueprint: Any = None,
    send_properties: bool = True,
) -> None:
    """Start a new global recording (buffering until a sink such as ``rr.save`` is set)."""
    from rerun._recording_stream import RecordingStream

    if strict is not None:
        set_strict_mode(strict)
    previous = get_global_data_recording()
    if previous is not None:
        previous._flush_quietly()
    stream = RecordingStream(
        application_id,
        recording_id=recording_id,
        make_default=True,
        default_enabled=default_enabled,
        send_properties=send_properties,
    )
    if spawn:
        from rerun._grpc_sinks import spawn as spawn_viewer

        spawn_viewer(default_blueprint=default_blueprint, recording=stream)


def is_enabled(recording: RecordingStream | None = None) -> bool:
    stream = get_data_recording(recording)
    return stream is not None and stream.is_enabled()


def get_recording_id(recording: RecordingStream | None = None) -> str | None:
    stream = get_data_recording(recording)
    return None if stream is None else stream.get_recording_id()


def get_application_id(recording: RecordingStream | None = None) -> str | None:
    stream = get_data_recording(recording)
    return None if stream is None else stream.get_application_id()


def log(
    entity_path: Any, entity: Any, *extra: Any, static: bool = False, recording: RecordingStream | None = None,
    strict: bool | None = None,
) -> None:  # fmt: skip
    stream = get_data_recording(recording)
    if stream is not None:
        stream.log(entity_path, entity, *extra, static=static, strict=strict)


def set_time(
    timeline: str, *, recording: RecordingStream | None = None, sequence: Any = None, duration: Any = None,
    timestamp: Any = None,
) -> None:  # fmt: skip
    stream = get_data_recording(recording)
    if stream is not None:
        stream.set_time(timeline, sequence=sequence, duration=duration, timestamp=timestamp)


def disable_timeline(timeline: str, recording: RecordingStream | None = None) -> None:
    stream = get_data_recording(recording)
    if stream is not None:
        stream.disable_timeline(timeline)


def reset_time(recording: RecordingStream | None = None) -> None:
    stream = get_data_recording(recording)
    if stream is not None:
        stream.reset_time()


def set_log_time_enabled(enabled: bool, recording: RecordingStream | None = None) -> None:
    stream = get_data_recording(recording)
    if stream is not None:
        stream.set_log_time_enabled(enabled)


def set_log_tick_enabled(enabled: bool, recording: RecordingStream | None = None) -> None:
    stream = get_data_recording(recording)
    if stream is not None:
        stream.set_log_tick_enabled(enabled)


def save(
    path: str,
    default_blueprint: Any = None,
    recording: RecordingStream | None = None,
    *,
    write_footer: bool = True,
) -> None:
    stream = get_data_recording(recording)
    if stream is not None:
        stream.save(path, default_blueprint, write_footer=write_footer)


def stdout(
    default_blueprint: Any = None, recording: RecordingStream | None = None, *, write_footer: bool = True
) -> None:
    stream = get_data_recording(recording)
    if stream is not None:
        stream.stdout(default_blueprint, write_footer=write_footer)


def memory_recording(recording: RecordingStream | None = None) -> MemoryRecording | None:
    stream = get_data_recording(recording)
    return None if stream is None else stream.memory_recording()


def set_sinks(*sinks: Sink, default_blueprint: Any = None, recording: RecordingStream | None = None) -> None:
    stream = get_data_recording(recording)
    if stream is not None:
        stream.set_sinks(*sinks, default_blueprint=default_blueprint)


def disconnect(recording: RecordingStream | None = None) -> None:
    stream = get_data_recording(recording)
    if stream is not None:
        stream.disconnect()


def send_blueprint(
    blueprint: Any,
    *,
    make_active: bool = True,
    make_default: bool = True,
    recording: RecordingStream | None = None,
) -> None:
    """Send a blueprint for the recording's application; unlike logging, this needs a recording."""
    stream = get_data_recording(recording)
    if stream is None:
        raise ValueError("No application id found. You must call rerun.init before sending a blueprint.")
    stream.send_blueprint(blueprint, make_active=make_active, make_default=make_default)


def send_property(name: str, values: Any, recording: RecordingStream | None = None) -> None:
    stream = get_data_recording(recording)
    if stream is not None:
        stream.send_property(name, values)


def send_recording_name(name: str, recording: RecordingStream | None = None) -> None:
    stream = get_data_recording(recording)
    if stream is not None:
        stream.send_recording_name(name)


def send_recording_start_time_nanos(nanos: int, recording: RecordingStream | None = None) -> None:
    stream = get_data_recording(recording)
    if stream is not None:
        stream.send_recording_start_time_nanos(nanos)


def send_columns(
    entity_path: str,
    indexes: Any,
    columns: Any,
    *,
    recording: RecordingStream | None = None,
    strict: bool | None = None,
) -> None:
    stream = get_data_recording(recording)
    if stream is not None:
        stream.send_columns(entity_path, indexes, columns, strict=strict)


def send_chunks(chunks: Any, *, recording: RecordingStream | None = None) -> None:
    """Send a ``Chunk``, ``LazyChunkStream``, ``LazyStore``, ``ChunkStore`` or iterable of chunks as they are
    (chunk and row ids kept) into the recording, under its identity."""
    stream = get_data_recording(recording)
    if stream is not None:
        stream.send_chunks(chunks)


def log_file_from_path(
    file_path: Any,
    *,
    entity_path_prefix: str | None = None,
    static: bool = False,
    recording: RecordingStream | None = None,
) -> None:
    stream = get_data_recording(recording)
    if stream is not None:
        stream.log_file_from_path(file_path, entity_path_prefix=entity_path_prefix, static=static)


def log_file_from_contents(
    file_path: Any, file_contents: bytes, *, entity_path_prefix: str | None = None, static: bool = False,
    recording: RecordingStream | None = None,
) -> None:  # fmt: skip
    stream = get_data_recording(recording)
    if stream is not None:
        stream.log_file_from_contents(
            file_path, file_contents, entity_path_prefix=entity_path_prefix, static=static
        )


def send_record_batch(
    batch: Any,
    recording: RecordingStream | None = None,
    *,
    index: Any = AUTO_INDEX,
    entity_path: str | None = None,
) -> None:
    stream = get_data_recording(recording)
    if stream is not None and stream.is_enabled():
        _send_dataframe.send_record_batch(stream, batch, index=index, entity_path=entity_path)


def send_dataframe(
    df: Any,
    recording: RecordingStream | None = None,
    *,
    index: Any = AUTO_INDEX,
    entity_path: str | None = None,
) -> None:
    stream = get_data_recording(recording)
    if stream is not None and stream.is_enabled():
        _send_dataframe.send_dataframe(stream, df, index=index, entity_path=entity_path)
