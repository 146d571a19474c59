"""Talking to a message proxy: :class:`GrpcWriter` streams log messages to it, :func:`read_messages` reads.

The writer owns one background thread and one ``WriteMessages`` stream. Logging never waits on the
network: messages are encoded right away (as a file sink would, on the caller's thread, so that
grpc's sending threads need the GIL as little as possible) and queued. When the proxy is not
there, or goes away, the writer keeps retrying; after reconnecting it first re-sends the store
infos and blueprints, so the new endpoint knows what the following chunks belong to. Memory stays
bounded by ``max_queue_bytes``: while connected, a full queue makes the logger wait briefly
(back-pressure); while disconnected, the oldest data is dropped instead, with one warning.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import grpc

from rerun_core.grpc.server import SERVICE
from rerun_core.grpc.url import ProxyUrl
from rerun_core.grpc.wire import Category, ProxyMessage, encode_log_msg, parse_write_request
from rerun_core.log_msg import Compression, LogMsg

__all__ = ["DEFAULT_QUEUE_BYTES", "GrpcWriter", "MessageReader", "channel_options", "read_messages"]

DEFAULT_QUEUE_BYTES = 512 * 1024**2
_REPLAY_STATIC_BYTES = 64 * 1024**2  # static chunks re-sent after a reconnect, at most
_BACKPRESSURE_SECS = 10.0  # how long a full queue may hold up a logging call while connected
_REJECTED = (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.RESOURCE_EXHAUSTED)
_log = logging.getLogger("rerun")


def channel_options() -> list[tuple[str, Any]]:
    """Unlimited message sizes (like 0.41), quick reconnects, and no HTTP proxy for our endpoints."""
    return [
        ("grpc.max_send_message_length", -1),
        ("grpc.max_receive_message_length", -1),
        ("grpc.enable_http_proxy", 0),
        ("grpc.initial_reconnect_backoff_ms", 100),
        ("grpc.min_reconnect_backoff_ms", 100),
        ("grpc.max_reconnect_backoff_ms", 1000),
    ]


def open_channel(url: ProxyUrl) -> grpc.Channel:
    if url.tls:
        return grpc.secure_channel(url.target, grpc.ssl_channel_credentials(), options=channel_options())
    return grpc.insecure_channel(url.target, options=channel_options())


@dataclass(eq=False)
class _Item:
    seq: int
    message: ProxyMessage

    @property
    def size(self) -> int:
        return self.message.size

    @property
    def persistent(self) -> bool:
        return self.message.category == Category.PERSISTENT


class GrpcWriter:
    """Sends log messages to the proxy at ``url`` from a background thread; see the module docstring."""

    def __init__(
        self,
        url: ProxyUrl,
        *,
        max_queue_bytes: int = DEFAULT_QUEUE_BYTES,
        compression: Compression = Compression.LZ4,
        connect_timeout_on_flush_secs: float = 5.0,
    ) -> None:
        self.url = url
        self._max_queue_bytes = max_queue_bytes
        self._compression = compression
        self._connect_timeout = connect_timeout_on_flush_secs
        self._cond = threading.Condition()
        self._queue: deque[_Item] = deque()
        self._queued_bytes = 0
        self._in_flight: _Item | None = None
        self._next_seq = 0
        self._generation = 0
        self._replay: list[ProxyMessage] = []
        self._replay_static_bytes = 0
        self._connected = False
        self._state_since = time.monotonic()
        self._last_progress = time.monotonic()
        self._closing = False
        self._abandoned = False
        self._call: grpc.Future | None = None
        self._warned: set[str] = set()
        self.num_sent = 0
        self.num_dropped = 0
        self._thread = threading.Thread(target=self._run, name="rerun-grpc-sink", daemon=True)
        self._thread.start()

    @property
    def connected(self) -> bool:
        return self._connected

    def send(self, msg: LogMsg | ProxyMessage) -> None:
        """Queue one message (never raises; may wait up to ~10 s while a connected proxy is slow).

        A :class:`ProxyMessage` (already encoded, e.g. read from a file or another proxy) is sent as is.
        """
        if not isinstance(msg, ProxyMessage):
            try:  # here rather than on the sending thread: that one should need the GIL as little as possible
                msg = parse_write_request(encode_log_msg(msg, self._compression))
            except Exception as err:  # one unencodable message must not break logging
                _log.warning("dropping a message that cannot be encoded: %s", err)
                return
        size = msg.size
        with self._cond:
            if self._closing:
                return
            deadline = time.monotonic() + _BACKPRESSURE_SECS
            while self._queued_bytes + size > self._max_queue_bytes and self._queue:
                if self._connected and time.monotonic() < deadline:
                    self._cond.wait(0.1)
                elif not self._drop_oldest_locked():
                    break
            self._queue.append(_Item(self._next_seq, msg))
            self._next_seq += 1
            self._queued_bytes += size
            self._cond.notify_all()

    def flush(
        self, timeout_secs: float = float("inf"), *, stall_timeout_secs: float | None = None
    ) -> str | None:
        """Wait until everything queued so far went out; ``None`` on success, else why it did not.

        Gives up after ``timeout_secs``, when there was no connection for ``connect_timeout_on_flush_secs``
        of the wait (the endpoint may come back meanwhile: the writer keeps reconnecting), or (with
        ``stall_timeout_secs``) when nothing went out for that long.
        """
        start = time.monotonic()
        with self._cond:
            target = self._next_seq
            while not self._flushed_locked(target):
                now = time.monotonic()
                if now - start >= timeout_secs:
                    return f"gRPC flush timed out after {now - start:.0f}s - not all messages were sent"
                if not self._connected and now - max(start, self._state_since) >= self._connect_timeout:
                    return f"gRPC has been unable to connect to {self.url} for {now - self._state_since:.0f}s"
                if (
                    stall_timeout_secs is not None
                    and now - max(start, self._last_progress) > stall_timeout_secs
                ):
                    return f"gRPC stream to {self.url} made no progress for {stall_timeout_secs:.0f}s"
                self._cond.wait(min(0.1, max(0.0, timeout_secs - (now - start))))
            return None

    def close(self, *, stall_timeout_secs: float = 5.0) -> None:
        """Send what can still be sent (bounded: see :meth:`flush`), then end the stream and the thread."""
        problem = self.flush(stall_timeout_secs=stall_timeout_secs)
        with self._cond:
            self._closing = True
            self._abandoned = problem is not None
            left = len(self._queue) + (self._in_flight is not None)
            self._cond.notify_all()
        if problem:
            if self._call is not None:
                self._call.cancel()
            if left:
                _log.warning("%s; dropping %d pending message(s)", problem, left)
        self._thread.join(timeout=stall_timeout_secs)

    # ---- the sending thread ----------------------------------------------------------------

    def _run(self) -> None:
        backoff = 0.1
        while not self._finished():
            channel = open_channel(self.url)
            try:
                if self._wait_ready(channel):
                    backoff = 0.1
                    self._stream(channel)
            finally:
                channel.close()
            if not self._finished():
                time.sleep(backoff)
                backoff = min(backoff * 2, 1.0)

    def _finished(self) -> bool:
        with self._cond:
            return self._closing and (self._abandoned or not self._connected or not self._queue)

    def _wait_ready(self, channel: grpc.Channel) -> bool:
        ready = grpc.channel_ready_future(channel)
        while True:
            try:
                ready.result(timeout=0.1)
                return True
            except grpc.FutureTimeoutError:
                if self._finished():
                    ready.cancel()
                    return False

    def _stream(self, channel: grpc.Channel) -> None:
        with self._cond:
            self._connected, self._state_since = True, time.monotonic()
            self._generation += 1
            generation = self._generation
            replay = list(self._replay)
            self._cond.notify_all()
        if "lost" in self._warned:
            _log.info("reconnected to %s", self.url)
        write = channel.stream_unary(f"/{SERVICE}/WriteMessages")
        self._call = write.future(self._requests(generation, replay))
        rejected = False
        try:
            self._call.result()
        except grpc.RpcError as err:
            rejected = err.code() in _REJECTED
            if rejected:  # the endpoint refused that message: sending it again would fail again
                _log.warning(
                    "%s rejected a message (%s): %s; dropping it", self.url, err.code().name, err.details()
                )
            elif not self._abandoned:
                self._warn_once("lost", "lost the connection to %s (%s); retrying, and keeping new data "
                                "in memory meanwhile", self.url, err.code().name)  # fmt: skip
        finally:
            with self._cond:
                if self._in_flight is not None and rejected:
                    self._in_flight = None
                    self.num_dropped += 1
                if self._in_flight is not None:  # not known to have arrived: send it again
                    self._queue.appendleft(self._in_flight)
                    self._queued_bytes += self._in_flight.size
                    self._in_flight = None
                self._generation += 1
                self._connected, self._state_since = False, time.monotonic()
                self._cond.notify_all()

    def _requests(self, generation: int, replay: list[ProxyMessage]) -> Iterator[bytes]:
        """Runs on grpc's sending thread: it asks for the next request once the previous one is sent."""
        for replayed in replay:
            yield replayed.raw
        while True:
            with self._cond:
                self._confirm_locked()
                while not self._queue and not self._closing and self._generation == generation:
                    self._cond.wait(0.5)
                if self._generation != generation or self._abandoned or not self._queue:
                    return  # closing (all sent, or giving up), or this stream already failed
                item = self._in_flight = self._queue.popleft()
                self._queued_bytes -= item.size
            self._remember(item.message)
            yield item.message.raw

    def _confirm_locked(self) -> None:
        if self._in_flight is not None:
            self._in_flight = None
            self.num_sent += 1
            self._last_progress = time.monotonic()
            self._cond.notify_all()

    def _remember(self, message: ProxyMessage) -> None:
        """Keep what a fresh endpoint needs after a reconnect: store infos, blueprints, static chunks
        (the most recent ``_REPLAY_STATIC_BYTES`` of those)."""
        if message.category in (Category.PERSISTENT, Category.STATIC):
            with self._cond:
                self._replay.append(message)
                if message.category == Category.STATIC:
                    self._replay_static_bytes += message.size
                    if self._replay_static_bytes > _REPLAY_STATIC_BYTES:
                        self._trim_static_replay_locked()

    def _trim_static_replay_locked(self) -> None:
        """Drop the oldest static chunks down to half the budget (in steps, not on every chunk)."""
        excess = self._replay_static_bytes - _REPLAY_STATIC_BYTES // 2
        kept: list[ProxyMessage] = []
        for message in self._replay:  # oldest first
            if excess > 0 and message.category == Category.STATIC:
                excess -= message.size
                self._replay_static_bytes -= message.size
            else:
                kept.append(message)
        self._replay = kept

    def _flushed_locked(self, target: int) -> bool:
        in_flight = self._in_flight is not None and self._in_flight.seq < target
        return not in_flight and (not self._queue or self._queue[0].seq >= target)

    def _drop_oldest_locked(self) -> bool:
        for index, item in enumerate(self._queue):
            if not item.persistent:
                del self._queue[index]
                self._queued_bytes -= item.size
                self.num_dropped += 1
                self._warn_once("dropped", "%s is unreachable and the send queue is full (%d bytes): "
                                "dropping the oldest data", self.url, self._max_queue_bytes)  # fmt: skip
                self._cond.notify_all()
                return True
        return False

    def _warn_once(self, key: str, message: str, *args: object) -> None:
        if key not in self._warned:
            self._warned.add(key)
            _log.warning(message, *args)


class MessageReader:
    """A ``ReadMessages`` (or ``ReadTables``) stream: iterate for messages, :meth:`cancel` to stop."""

    def __init__(self, url: ProxyUrl, *, tables: bool = False, wait_for_ready: bool = True) -> None:
        self._channel = open_channel(url)
        method = f"/{SERVICE}/{'ReadTables' if tables else 'ReadMessages'}"
        self._call = self._channel.unary_stream(method)(b"", wait_for_ready=wait_for_ready)
        self._tables = tables

    def __iter__(self) -> Iterator[ProxyMessage]:
        from rerun_core.grpc.wire import parse_table_request

        try:
            for raw in self._call:
                yield parse_table_request(raw) if self._tables else parse_write_request(raw)
        except grpc.RpcError as err:
            if err.code() != grpc.StatusCode.CANCELLED:
                raise
        finally:
            self._channel.close()

    def cancel(self) -> None:
        self._call.cancel()


def read_messages(url: ProxyUrl, *, wait_for_ready: bool = True) -> MessageReader:
    """Read a proxy's history and then its live messages (what ``rerun --connect`` does)."""
    return MessageReader(url, wait_for_ready=wait_for_ready)
