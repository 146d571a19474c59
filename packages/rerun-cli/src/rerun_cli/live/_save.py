"""``--save``: write received log messages to an RRD as they arrive.

Like 0.41's ``rerun --save``, the file is a stream header and then one frame per message, with no
End message and no footer, so it is a complete, readable recording at every moment (``rerun rrd
verify`` calls it footer-less; ``rerun rrd print``/``compare`` and the viewer read it). Bodies are
written exactly as they were received.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from rerun_core.grpc.hub import Subscription
from rerun_core.grpc.wire import ProxyMessage
from rerun_core.rrd.framing import MessageHeader, StreamHeader

__all__ = ["RrdSaver"]

_IDLE_SECS = 0.1  # flush to disk whenever nothing arrived for this long


class RrdSaver:
    """Writes every log message of ``source`` to ``path`` on its own thread; tables are skipped."""

    def __init__(self, path: Path, source: Subscription | Iterator[ProxyMessage]) -> None:
        self.path = path
        self.num_messages = 0
        self.error: str | None = None
        self.done = threading.Event()
        self._file = path.open("wb", buffering=1 << 20)
        self._file.write(StreamHeader(lz4=True).to_bytes())  # what 0.41 writes: RRF2, LZ4 + protobuf
        self._file.flush()
        target = self._drain if isinstance(source, Subscription) else self._follow
        self._thread = threading.Thread(target=target, args=(source,), name="rerun-save", daemon=True)
        self._thread.start()

    def join(self, timeout_secs: float | None = 30.0) -> None:
        """Wait for the source to end (it must be ending), then close the file."""
        self._thread.join(timeout_secs)

    def _drain(self, subscription: Subscription) -> None:
        """From a local proxy: flush whenever the stream goes quiet."""
        try:
            while True:
                message = subscription.get(_IDLE_SECS)
                if message is not None:
                    self._write(message)
                elif subscription.closed:
                    return
                else:
                    self._file.flush()
        finally:
            self._finish()

    def _follow(self, messages: Iterator[ProxyMessage]) -> None:
        """From a remote proxy: every message goes to disk as soon as it arrives."""
        try:
            for message in messages:
                self._write(message)
                self._file.flush()
        except Exception as err:  # the remote end broke off: keep what arrived, report why
            self.error = str(err)
        finally:
            self._finish()

    def _write(self, message: ProxyMessage) -> None:
        if message.is_table:
            return
        self._file.write(MessageHeader(message.kind, len(message.body)).to_bytes())
        self._file.write(message.body)
        self.num_messages += 1

    def _finish(self) -> None:
        self._file.close()
        self.done.set()
