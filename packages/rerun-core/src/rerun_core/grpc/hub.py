"""The heart of a message proxy: a bounded history for late readers, and fan-out to live readers.

Behaviour of 0.41's proxy, kept here:
- history is three queues: *persistent* (store infos, blueprints; never dropped), *static* chunks and
  *disposable* ones. Over the memory limit the oldest disposable messages go first, then the oldest
  static ones, so a late reader still learns every store. A limit of 0 keeps no history at all.
- a new reader gets persistent, static, then disposable history, then live messages. With
  ``newest_first`` the static and disposable history come newest first and live messages overtake it.
- live readers get every message; a reader that falls ``queue_bytes`` behind makes writers wait
  (back-pressure), and one that stays stuck for ``stall_timeout_secs`` is cut off instead.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Iterator

from rerun_core.grpc.wire import Category, ProxyMessage

__all__ = ["MessageHistory", "MessageHub", "Subscription"]

_log = logging.getLogger("rerun")


class MessageHistory:
    """Messages kept for readers that connect later; ``memory_limit`` in bytes (``None``: unlimited)."""

    def __init__(self, memory_limit: int | None) -> None:
        self.memory_limit = memory_limit
        self._queues: dict[Category, deque[ProxyMessage]] = {category: deque() for category in Category}
        self._sizes = dict.fromkeys(Category, 0)
        self.dropped = 0
        self._warned: set[str] = set()

    @property
    def size_bytes(self) -> int:
        return sum(self._sizes.values())

    def __len__(self) -> int:
        return sum(len(queue) for queue in self._queues.values())

    def add(self, message: ProxyMessage) -> None:
        if self.memory_limit == 0:
            return
        self._queues[message.category].append(message)
        self._sizes[message.category] += message.size
        if self.memory_limit is not None:
            self._shrink_to(self.memory_limit)

    def snapshot(self, *, newest_first: bool = False) -> list[ProxyMessage]:
        """Everything kept, in the order a new reader receives it."""
        persistent, static, disposable = (self._queues[c] for c in Category)
        if newest_first:
            return [*persistent, *reversed(static), *reversed(disposable)]
        return [*persistent, *static, *disposable]

    def _shrink_to(self, limit: int) -> None:
        for category in (Category.DISPOSABLE, Category.STATIC):
            queue = self._queues[category]
            while self.size_bytes > limit and queue:
                self._sizes[category] -= queue.popleft().size
                self.dropped += 1
                self._warn_once(category)

    def _warn_once(self, category: Category) -> None:
        what = "static " if category == Category.STATIC else ""
        if what not in self._warned:
            self._warned.add(what)
            _log.info(
                "gRPC proxy memory limit (%d bytes) exceeded: dropping the oldest %slog messages; "
                "clients connecting from now on will not see the full history",
                self.memory_limit,
                what,
            )


class Subscription:
    """One live reader: its share of the history, then every new message, in order."""

    def __init__(
        self, history: list[ProxyMessage], *, tables: bool, newest_first: bool, queue_bytes: int
    ) -> None:
        self.tables = tables
        self._newest_first = newest_first
        self._history = deque(m for m in history if m.is_table == tables)
        self._persistent = sum(1 for m in self._history if m.category == Category.PERSISTENT)
        self._live: deque[ProxyMessage] = deque()
        self._live_bytes = 0
        self._queue_bytes = queue_bytes
        self._cond = threading.Condition()
        self._closed = False
        self._finishing = False
        self.error: str | None = None

    @property
    def closed(self) -> bool:
        return self._closed

    def put(self, message: ProxyMessage, *, stall_timeout_secs: float) -> None:
        """Queue a live message, waiting while this reader is ``queue_bytes`` behind."""
        if message.is_table != self.tables:
            return
        with self._cond:
            deadline = time.monotonic() + stall_timeout_secs
            while self._live_bytes >= self._queue_bytes and not self._closed:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._close_locked(f"reader fell behind for {stall_timeout_secs:.0f}s; disconnected")
                    break
                self._cond.wait(min(remaining, 1.0))
            if self._closed:
                return
            self._live.append(message)
            self._live_bytes += message.size
            self._cond.notify_all()

    def get(self, timeout: float | None = None) -> ProxyMessage | None:
        """The next message; ``None`` once closed, or when ``timeout`` passes without one."""
        with self._cond:
            item = self._next_locked()
            if item is None and not self._closed and not self._finishing:
                self._cond.wait(timeout)
                item = self._next_locked()
            if item is None and self._finishing:
                self._close_locked(None)
            return item

    def close(self, error: str | None = None) -> None:
        """Stop now, dropping whatever is still queued (the reader is gone)."""
        with self._cond:
            self._close_locked(error)

    def finish(self) -> None:
        """No more messages will come: the reader gets what is queued, then the end."""
        with self._cond:
            self._finishing = True
            self._cond.notify_all()

    def __iter__(self) -> Iterator[ProxyMessage]:
        while (item := self.get()) is not None:
            yield item

    def _next_locked(self) -> ProxyMessage | None:
        if self._closed:
            return None
        if self._persistent:
            self._persistent -= 1
            return self._history.popleft()
        if self._live and (self._newest_first or not self._history):
            message = self._live.popleft()
            self._live_bytes -= message.size
            self._cond.notify_all()  # a writer may be waiting for room
            return message
        return self._history.popleft() if self._history else None

    def _close_locked(self, error: str | None) -> None:
        if not self._closed:
            self._closed = True
            self.error = error
            self._cond.notify_all()


class MessageHub:
    """History plus live fan-out, shared by every writer and reader of one proxy."""

    def __init__(
        self,
        *,
        memory_limit: int | None = 1024**3,
        newest_first: bool = False,
        queue_bytes: int = 128 * 1024**2,
        stall_timeout_secs: float = 60.0,
    ) -> None:
        self.history = MessageHistory(memory_limit)
        self.newest_first = newest_first
        self._queue_bytes = queue_bytes
        self._stall_timeout_secs = stall_timeout_secs
        self._lock = threading.Lock()
        self._subscriptions: list[Subscription] = []
        self.num_received = 0

    def publish(self, message: ProxyMessage) -> None:
        """Record a message and hand it to every live reader (blocking while one is far behind)."""
        with self._lock:
            self.num_received += 1
            self.history.add(message)
            self._subscriptions = [s for s in self._subscriptions if not s.closed]
            for subscription in self._subscriptions:
                subscription.put(message, stall_timeout_secs=self._stall_timeout_secs)

    def subscribe(self, *, tables: bool = False) -> Subscription:
        """A reader of log messages (or of tables): the history so far, then everything new."""
        with self._lock:
            subscription = Subscription(
                self.history.snapshot(newest_first=self.newest_first),
                tables=tables,
                newest_first=self.newest_first,
                queue_bytes=self._queue_bytes,
            )
            self._subscriptions.append(subscription)
            return subscription

    def close(self) -> None:
        """End every reader's stream once it has what was received so far (the proxy is shutting down)."""
        for subscription in list(self._subscriptions):  # first, so a writer waiting on one is released
            subscription.finish()
        with self._lock:
            self._subscriptions = []
