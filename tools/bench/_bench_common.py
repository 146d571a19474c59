"""Helpers shared by both benchmark sides; stdlib and numpy only, so either venv can import it.

Nothing here knows about Rerun: each side builds, writes and reads chunks with its own library.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import socket
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

RESULT_PREFIX = "BENCH-RESULT "


def load_positions(path: str) -> np.ndarray:
    """The pre-generated ``(points, 3)`` float32 array, fully in memory (never touched while timed)."""
    positions: np.ndarray = np.load(path)
    assert positions.dtype == np.float32 and positions.ndim == 2 and positions.shape[1] == 3
    return positions


def row_spans(num_rows: int, rows_per_chunk: int) -> Iterator[tuple[int, int]]:
    """``[start, end)`` row ranges, one per chunk."""
    for start in range(0, num_rows, rows_per_chunk):
        yield start, min(start + rows_per_chunk, num_rows)


def measure(work: Callable[[], dict[str, Any]], output: str | None = None) -> dict[str, Any]:
    """Run ``work`` once, timed: dirty pages are synced and garbage collected first, outside the clock.

    ``output`` (a file ``work`` will write) is deleted first, so truncating an old file is not timed.

    Returns what ``work`` returns plus ``seconds`` (wall, ``perf_counter``), ``cpu_seconds`` (user + system,
    all threads of this process, so a multi-threaded writer shows up as cpu > wall) and ``sys_seconds``
    (the kernel's share: page-cache writes and page faults).
    """
    if output is not None and os.path.exists(output):
        os.unlink(output)
    os.sync()
    gc.collect()
    usage0, wall0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    result = work()
    wall1, usage1 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    user, system = usage1.ru_utime - usage0.ru_utime, usage1.ru_stime - usage0.ru_stime
    return {**result, "seconds": wall1 - wall0, "cpu_seconds": user + system, "sys_seconds": system}


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def file_size(path: str) -> int:
    return os.stat(path).st_size


def emit(results: dict[str, Any]) -> None:
    """Hand results to the orchestrator as one prefixed JSON line on stdout."""
    sys.stdout.write(RESULT_PREFIX + json.dumps(results) + "\n")
    sys.stdout.flush()
