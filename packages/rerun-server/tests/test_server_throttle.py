"""Simulating a remote server: ``latency_ms`` delays every call, ``bandwidth_limit_bytes_per_s`` paces responses."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from rerun_catalog import CatalogClient
from rerun_core import (
    ArrowMsg,
    Chunk,
    ComponentDescriptor,
    SetStoreInfo,
    StoreId,
    StoreKind,
    Timeline,
    TimeType,
)
from rerun_core.rrd import encode_rrd
from rerun_server import Server
from rerun_server._service import Pacer

_SCALAR = ComponentDescriptor("Scalars:scalars", "rerun.archetypes.Scalars", "rerun.components.Scalar")
_ROWS = 50_000


def _noise_rrd(folder: Path) -> Path:
    """One recording of random scalars (LZ4 cannot shrink them): about 400 kB of chunk payload."""
    store = StoreId(StoreKind.RECORDING, "app", "noise")
    values = np.random.default_rng(0).random(_ROWS)
    cells = pa.ListArray.from_arrays(pa.array(np.arange(_ROWS + 1, dtype=np.int32)), pa.array(values))
    chunk = Chunk.build(
        "/noise",
        timelines={Timeline("frame", TimeType.SEQUENCE): pa.array(np.arange(_ROWS, dtype=np.int64))},
        components={_SCALAR: cells},
    )
    path = folder / "noise.rrd"
    path.write_bytes(encode_rrd([SetStoreInfo(store), ArrowMsg(store, chunk)]))
    return path


def _timed_read(server: Server) -> tuple[float, pa.Table]:
    dataset = CatalogClient(server.url()).get_dataset("noise")
    start = time.monotonic()
    table = dataset.reader("frame").to_arrow_table()
    return time.monotonic() - start, table


def test_bandwidth_limit_paces_the_chunks(tmp_path: Path) -> None:
    rrd = _noise_rrd(tmp_path)
    rate = 1_000_000.0  # bytes per second
    with Server(host="127.0.0.1", datasets={"noise": [rrd]}, bandwidth_limit_bytes_per_s=rate) as server:
        seconds, table = _timed_read(server)
    assert table.num_rows == _ROWS
    assert seconds >= 0.9 * rrd.stat().st_size / rate  # the chunk payload alone takes this long


def test_latency_delays_every_call(tmp_path: Path) -> None:
    rrd = _noise_rrd(tmp_path)
    with Server(host="127.0.0.1", datasets={"noise": [rrd]}, latency_ms=200) as server:
        seconds, table = _timed_read(server)
    assert table.num_rows == _ROWS
    assert seconds >= 0.4  # reading is at least FindChunks then FetchChunks: two delayed calls


def test_pacer_spreads_responses_over_time() -> None:
    pacer = Pacer(10_000.0)
    start = time.monotonic()
    for _ in range(3):
        pacer.send(500)
    assert time.monotonic() - start >= 0.14  # 1500 bytes at 10 kB/s


@pytest.mark.parametrize("rate", [0.0, -5.0])
def test_pacer_refuses_a_rate_that_is_not_positive(rate: float) -> None:
    with pytest.raises(ValueError, match="bandwidth limit must be positive"):
        Pacer(rate)
