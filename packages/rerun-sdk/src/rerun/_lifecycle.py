"""Process lifecycle: clean shutdown, fork safety, and the stream-scoping decorators."""

from __future__ import annotations

import atexit
import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from rerun import _recording_stream

__all__ = [
    "cleanup_if_forked_child",
    "recording_stream_generator_ctx",
    "rerun_shutdown",
    "shutdown_at_exit",
    "thread_local_stream",
    "unregister_shutdown",
]

_TFunc = TypeVar("_TFunc", bound=Callable[..., Any])


def rerun_shutdown() -> None:
    """Flush every recording and finish its sinks (footers included); also runs at interpreter exit."""
    _recording_stream._shutdown_all()


def unregister_shutdown() -> None:
    """Don't flush at interpreter exit (for programs that manage shutdown themselves)."""
    atexit.unregister(_recording_stream._shutdown_all)


def shutdown_at_exit(func: _TFunc) -> _TFunc:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        finally:
            rerun_shutdown()

    return wrapper  # type: ignore[return-value]


def cleanup_if_forked_child() -> None:
    """In a forked child, drop the recordings inherited from the parent (this also runs on its own at fork).

    Their sinks share file descriptors with the parent, so writing from both would corrupt the files.
    """
    _recording_stream._forget_streams_after_fork()


def thread_local_stream(application_id: str) -> Callable[[_TFunc], _TFunc]:
    """Run the decorated function with a fresh recording as its thread's default."""

    def decorator(func: _TFunc) -> _TFunc:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from rerun._global import set_thread_local_data_recording

            stream = _recording_stream.RecordingStream(application_id)
            previous = set_thread_local_data_recording(stream)
            try:
                return func(*args, **kwargs)
            finally:
                set_thread_local_data_recording(previous)

        return wrapper  # type: ignore[return-value]

    return decorator


def recording_stream_generator_ctx(func: _TFunc) -> _TFunc:
    """Keep a generator's thread-local recording active only while the generator itself runs."""
    if not inspect.isgeneratorfunction(func):
        raise TypeError("recording_stream_generator_ctx only decorates generator functions")

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from rerun._global import get_thread_local_data_recording, set_thread_local_data_recording

        generator = func(*args, **kwargs)
        ours = get_thread_local_data_recording()
        value_to_send = None
        while True:
            theirs = set_thread_local_data_recording(ours)
            try:
                value = generator.send(value_to_send)
            except StopIteration:
                return
            finally:
                ours = set_thread_local_data_recording(theirs)
            value_to_send = yield value

    return wrapper  # type: ignore[return-value]
