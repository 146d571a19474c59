"""Where a recording's messages go: a file, stdout, memory, or a buffer until a real sink is set.

The live sinks (``GrpcSink``, ``GrpcServerSink``) live in ``_grpc_sinks``, which loads grpcio only when used.
"""

from __future__ import annotations

import io
import os
import sys
import threading
from pathlib import Path
from typing import BinaryIO, Protocol

from rerun_core import LogMsg
from rerun_core.rrd import RrdEncoder

__all__ = ["BufferSink", "FileSink", "MemoryRecording", "MemorySink", "Sink", "TeeSink"]


class Sink(Protocol):
    """Receives every message of a recording, in order."""

    def send(self, msg: LogMsg) -> None: ...

    def flush(self, timeout_sec: float | None = None) -> None: ...  # network sinks: RuntimeError on failure

    def close(self) -> None: ...


class BufferSink:
    """Holds messages until the user picks a sink; they are then replayed into it."""

    def __init__(self) -> None:
        self.messages: list[LogMsg] = []

    def send(self, msg: LogMsg) -> None:
        self.messages.append(msg)

    def flush(self, timeout_sec: float | None = None) -> None:
        pass

    def close(self) -> None:
        pass


class _EncoderSink:
    """Writes an RRD stream to a binary output; closing writes the footer."""

    def __init__(self, output: BinaryIO, *, write_footer: bool, owns_output: bool) -> None:
        self._output = output
        self._owns_output = owns_output
        self._lock = threading.Lock()
        self._encoder = RrdEncoder(output, write_footer=write_footer)
        self._closed = False

    def send(self, msg: LogMsg) -> None:
        with self._lock:
            if not self._closed:
                self._encoder.append(msg)

    def flush(self, timeout_sec: float | None = None) -> None:
        with self._lock:
            if not self._closed:
                self._output.flush()

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._encoder.finish()
            self._output.flush()
            if self._owns_output:
                self._output.close()


class FileSink(_EncoderSink):
    """``rr.FileSink(path)``: an ``.rrd`` file, with footer unless ``write_footer=False``."""

    def __init__(self, path: str | os.PathLike[str], *, write_footer: bool = True) -> None:
        self.path = Path(path)
        super().__init__(self.path.open("wb"), write_footer=write_footer, owns_output=True)


class StdoutSink(_EncoderSink):
    """The RRD stream on standard output (for piping into ``rerun rrd ...``)."""

    def __init__(self, *, write_footer: bool = True) -> None:
        super().__init__(sys.stdout.buffer, write_footer=write_footer, owns_output=False)


class MemorySink(_EncoderSink):
    """Encodes into memory; ``MemoryRecording`` hands out the bytes."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.num_msgs = 0
        super().__init__(self.buffer, write_footer=False, owns_output=False)

    def send(self, msg: LogMsg) -> None:
        super().send(msg)
        self.num_msgs += 1

    def take(self) -> bytes:
        """The complete stream so far; the sink starts a fresh stream afterwards."""
        with self._lock:
            self._encoder.finish()
            data = self.buffer.getvalue()
            self.buffer.seek(0)
            self.buffer.truncate()
            self._encoder = RrdEncoder(self.buffer, write_footer=False)
            return data


class MemoryRecording:
    """What ``rr.memory_recording()`` returns: the recording's RRD bytes, on demand."""

    def __init__(self, sink: MemorySink, flush: object) -> None:
        self._sink = sink
        self._flush = flush

    def drain_as_bytes(self) -> bytes:
        self._flush()  # type: ignore[operator]
        return self._sink.take()

    def num_msgs(self) -> int:
        self._flush()  # type: ignore[operator]
        return self._sink.num_msgs


class TeeSink:
    """Several sinks at once (``rr.set_sinks``)."""

    def __init__(self, sinks: list[Sink]) -> None:
        self.sinks = sinks

    def send(self, msg: LogMsg) -> None:
        for sink in self.sinks:
            sink.send(msg)

    def flush(self, timeout_sec: float | None = None) -> None:
        for sink in self.sinks:
            sink.flush(timeout_sec)

    def close(self) -> None:
        for sink in self.sinks:
            sink.close()
