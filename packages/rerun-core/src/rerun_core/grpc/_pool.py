"""A thread pool of daemon threads for grpcio servers.

``concurrent.futures.ThreadPoolExecutor`` joins its workers when the interpreter exits, and a
``ReadMessages`` worker waits for new messages forever: a script that called ``rr.serve_grpc``
would never exit. Daemon workers let it end while readers are still connected.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent import futures
from typing import Any

__all__ = ["DaemonThreadPool"]


class DaemonThreadPool(futures.Executor):
    """Runs submitted calls on up to ``max_workers`` daemon threads, started as they are needed."""

    def __init__(self, max_workers: int, thread_name_prefix: str = "worker") -> None:
        self._max_workers = max_workers
        self._prefix = thread_name_prefix
        self._tasks: queue.SimpleQueue[tuple[futures.Future[Any], Callable[..., Any], tuple, dict] | None] = (
            queue.SimpleQueue()
        )
        self._lock = threading.Lock()
        self._threads = 0
        self._idle = 0
        self._shutdown = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> futures.Future[Any]:
        future: futures.Future[Any] = futures.Future()
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot submit to a pool that was shut down")
            self._tasks.put((future, fn, args, kwargs))
            if self._idle == 0 and self._threads < self._max_workers:
                self._threads += 1
                name = f"{self._prefix}_{self._threads}"
                threading.Thread(target=self._work, name=name, daemon=True).start()
            else:
                self._idle -= 1  # this task will wake an idle worker
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._shutdown = True
            for _ in range(self._threads):
                self._tasks.put(None)

    def _work(self) -> None:
        while True:
            task = self._tasks.get()
            if task is None:
                return
            future, fn, args, kwargs = task
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn(*args, **kwargs))
                except BaseException as err:  # the future carries it to whoever waits
                    future.set_exception(err)
            with self._lock:
                self._idle += 1
