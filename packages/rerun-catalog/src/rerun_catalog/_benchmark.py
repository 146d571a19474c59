"""``CatalogClient.benchmark()``: round-trip time and download bandwidth to the server.

The round trip is the fastest of a few 1-byte ``DoBandwidthTest`` calls (the minimum ignores
scheduling hiccups); the bandwidth is one big download, less one round trip, per byte.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from rerun_catalog._format import format_bytes
from rerun_catalog._wire import Connection
from rerun_core.proto import cloud_pb2

__all__ = ["BenchmarkResult", "benchmark"]


@dataclass(frozen=True)
class BenchmarkResult:
    """``bandwidth`` is in bytes per second; ``None`` when the download was too quick to time."""

    rtt: timedelta
    bandwidth: float | None

    def __repr__(self) -> str:
        bandwidth = "(too fast to measure)" if self.bandwidth is None else f"{format_bytes(self.bandwidth)}/s"
        return f"BenchmarkResult(rtt={_format_seconds(self.rtt.total_seconds())}, bandwidth={bandwidth})"


def _format_seconds(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} μs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def _download_secs(conn: Connection, num_bytes: int) -> float:
    start = time.perf_counter()
    received = sum(
        len(r.payload)
        for r in conn.stream("DoBandwidthTest", cloud_pb2.DoBandwidthTestRequest(num_bytes=num_bytes))
    )
    elapsed = time.perf_counter() - start
    if received != num_bytes:
        raise ValueError(f"the server sent {received} bytes for a bandwidth test of {num_bytes}")
    return elapsed


def benchmark(conn: Connection, *, num_bytes: int, num_pings: int) -> BenchmarkResult:
    if num_bytes < 1 or num_pings < 1:
        raise ValueError(f"num_bytes and num_pings must be positive, got {num_bytes} and {num_pings}")
    rtt = min(_download_secs(conn, 1) for _ in range(num_pings))
    transfer = _download_secs(conn, num_bytes) - rtt
    return BenchmarkResult(timedelta(seconds=rtt), num_bytes / transfer if transfer > 0 else None)
