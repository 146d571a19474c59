"""Our side of ``bench_rrd.py``: run by ``.venv/bin/python`` (``rerun_core``), one fresh process per round.

    _our_side.py write DATA.npy PPR RPC OUT_LZ4 OUT_NONE [--profile OUT.pstats]
    _our_side.py read FILE... [--profile OUT.pstats]

Prints one ``BENCH-RESULT`` JSON line. ``--profile`` wraps the timed work in cProfile (timings then
include its overhead: use it to find hot spots, not to report throughput).
"""

from __future__ import annotations

import argparse
import cProfile
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa
from _bench_common import emit, file_size, load_positions, measure, row_spans

from rerun_core import (
    ArrowMsg,
    Chunk,
    ComponentDescriptor,
    Compression,
    SetStoreInfo,
    StoreId,
    StoreKind,
    Timeline,
    TimeType,
)
from rerun_core.rrd import RrdEncoder, read_rrd

STORE = StoreId(StoreKind.RECORDING, "bench", "rec")
POSITIONS = ComponentDescriptor(
    "Points3D:positions", "rerun.archetypes.Points3D", "rerun.components.Position3D"
)
FRAME = Timeline("frame", TimeType.SEQUENCE)
VEC3 = pa.list_(pa.field("item", pa.float32(), nullable=False), 3)
POSITIONS_TYPE = pa.list_(pa.field("item", VEC3))


def build_chunks(positions: np.ndarray, points_per_row: int, rows_per_chunk: int) -> Iterator[Chunk]:
    """Chunks of ``rows_per_chunk`` rows (one frame each) of ``points_per_row`` points, zero-copy."""
    num_rows = len(positions) // points_per_row
    frames = np.arange(num_rows, dtype=np.int64)
    for start, end in row_spans(num_rows, rows_per_chunk):
        flat = positions[start * points_per_row : end * points_per_row].reshape(-1)
        values = pa.FixedSizeListArray.from_arrays(pa.array(flat), type=VEC3)
        offsets = pa.array(np.arange(0, (end - start + 1) * points_per_row, points_per_row, dtype=np.int32))
        column = pa.ListArray.from_arrays(offsets, values, type=POSITIONS_TYPE)
        yield Chunk.build(
            "/points", timelines={FRAME: pa.array(frames[start:end])}, components={POSITIONS: column}
        )


def write(path: str, chunks: Iterator[Chunk], compression: Compression) -> dict[str, Any]:
    """Encode and write every chunk, then the footer; the file is closed on return."""
    num_chunks = 0
    with open(path, "wb", buffering=1 << 20) as sink, RrdEncoder(sink, compression=compression) as encoder:
        encoder.append(SetStoreInfo(STORE))
        for chunk in chunks:
            encoder.append(ArrowMsg(STORE, chunk))
            num_chunks += 1
    return {"chunks": num_chunks}


def write_data(
    path: str, positions: np.ndarray, points_per_row: int, rows_per_chunk: int, compression: Compression
) -> dict[str, Any]:
    return write(path, build_chunks(positions, points_per_row, rows_per_chunk), compression)


def read(path: str, limit: int | None = None) -> dict[str, Any]:
    """Read and decode every chunk of ``path`` into an Arrow record batch."""
    num_chunks = num_rows = 0
    for msg in read_rrd(path):
        if isinstance(msg, ArrowMsg):
            batch = msg.chunk.to_record_batch()
            num_chunks += 1
            num_rows += batch.num_rows
            if limit is not None and num_chunks >= limit:
                break
    return {"chunks": num_chunks, "rows": num_rows}


def profiled(
    work: Callable[[], dict[str, Any]], profiler: cProfile.Profile | None
) -> Callable[[], dict[str, Any]]:
    if profiler is None:
        return work

    def run() -> dict[str, Any]:
        profiler.enable()
        try:
            return work()
        finally:
            profiler.disable()

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", help="write cProfile stats of the timed work here")
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("data")
    w.add_argument("points_per_row", type=int)
    w.add_argument("rows_per_chunk", type=int)
    w.add_argument("out_lz4")
    w.add_argument("out_none")
    r = sub.add_parser("read")
    r.add_argument("files", nargs="+")
    args = parser.parse_args()
    profiler = cProfile.Profile() if args.profile else None

    results: dict[str, Any] = {}
    if args.command == "write":
        positions = load_positions(args.data)
        ppr, rpc = args.points_per_row, args.rows_per_chunk
        write(args.out_lz4, build_chunks(positions[: ppr * rpc], ppr, rpc), Compression.LZ4)  # warm-up
        for name, out, compression in (
            ("lz4", args.out_lz4, Compression.LZ4),
            ("none", args.out_none, Compression.NONE),
        ):
            work = profiled(partial(write_data, out, positions, ppr, rpc, compression), profiler)
            results[name] = {**measure(work, out), "file_bytes": file_size(out)}
    else:
        read(args.files[0], limit=2)  # warm-up
        for path in args.files:
            results[path] = {
                **measure(profiled(partial(read, path), profiler)),
                "file_bytes": file_size(path),
            }
    if profiler is not None:
        profiler.dump_stats(args.profile)
    emit(results)


if __name__ == "__main__":
    main()
