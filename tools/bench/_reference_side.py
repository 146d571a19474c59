"""Reference side of ``bench_rrd.py``: run by ``.venv-ref/bin/python`` (rerun-sdk 0.41.0), a process a round.

    _reference_side.py write DATA.npy PPR RPC OUT_COLUMNS OUT_SAVE
    _reference_side.py read FILE...

Writing is done two ways, both LZ4 (0.41 offers no way to write uncompressed): ``Chunk.from_columns``
into ``LazyChunkStream.from_iter(...).write_rrd`` (chunks straight to a file), and ``rr.send_columns``
into a ``RecordingStream`` saving to a file (the everyday SDK path; its sink runs on Rust threads).
Reading is ``RrdReader(path).stream()`` and ``to_record_batch()`` on every chunk. Prints one
``BENCH-RESULT`` JSON line.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from functools import partial
from typing import Any

import numpy as np
from _bench_common import emit, file_size, load_positions, measure, row_spans

import rerun as rr
from rerun.chunk import Chunk, LazyChunkStream, RrdReader


def column_args(
    positions: np.ndarray, frames: np.ndarray, start: int, end: int, points_per_row: int
) -> tuple[list[rr.TimeColumn], Any]:
    """``indexes`` and ``columns`` for rows ``[start, end)``, for ``send_columns``/``from_columns``."""
    points = positions[start * points_per_row : end * points_per_row]
    columns = rr.Points3D.columns(positions=points).partition([points_per_row] * (end - start))
    return [rr.TimeColumn("frame", sequence=frames[start:end])], columns


def build_chunks(positions: np.ndarray, points_per_row: int, rows_per_chunk: int) -> Iterator[Chunk]:
    num_rows = len(positions) // points_per_row
    frames: np.ndarray = np.arange(num_rows, dtype=np.int64)
    for start, end in row_spans(num_rows, rows_per_chunk):
        indexes, columns = column_args(positions, frames, start, end, points_per_row)
        yield Chunk.from_columns("/points", indexes=indexes, columns=columns)


def write_columns(
    path: str, positions: np.ndarray, points_per_row: int, rows_per_chunk: int
) -> dict[str, Any]:
    """Chunks built with ``Chunk.from_columns``, written by ``LazyChunkStream.write_rrd``."""
    chunks = build_chunks(positions, points_per_row, rows_per_chunk)
    LazyChunkStream.from_iter(chunks).write_rrd(path, application_id="bench", recording_id="rec")
    return {}


def write_save(
    path: str, positions: np.ndarray, points_per_row: int, rows_per_chunk: int, recording: rr.RecordingStream
) -> dict[str, Any]:
    """``rr.send_columns`` into a recording saved to ``path``; returns once the sink is flushed and closed."""
    num_rows = len(positions) // points_per_row
    frames: np.ndarray = np.arange(num_rows, dtype=np.int64)
    recording.save(path)
    for start, end in row_spans(num_rows, rows_per_chunk):
        indexes, columns = column_args(positions, frames, start, end, points_per_row)
        rr.send_columns("/points", indexes=indexes, columns=columns, recording=recording)
    recording.flush()
    recording.disconnect()
    return {}


def read(path: str, limit: int | None = None) -> dict[str, Any]:
    """Read and decode every chunk of ``path`` into an Arrow record batch."""
    num_chunks = num_rows = 0
    for chunk in RrdReader(path).stream():
        batch = chunk.to_record_batch()
        num_chunks += 1
        num_rows += batch.num_rows
        if limit is not None and num_chunks >= limit:
            break
    return {"chunks": num_chunks, "rows": num_rows}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("data")
    w.add_argument("points_per_row", type=int)
    w.add_argument("rows_per_chunk", type=int)
    w.add_argument("out_columns")
    w.add_argument("out_save")
    r = sub.add_parser("read")
    r.add_argument("files", nargs="+")
    args = parser.parse_args()

    results: dict[str, Any] = {}
    if args.command == "write":
        positions = load_positions(args.data)
        ppr, rpc = args.points_per_row, args.rows_per_chunk
        write_columns(args.out_columns, positions[: ppr * rpc], ppr, rpc)  # warm-up
        res = measure(lambda: write_columns(args.out_columns, positions, ppr, rpc), args.out_columns)
        results["columns"] = {**res, "file_bytes": file_size(args.out_columns)}
        warm = rr.RecordingStream("bench", recording_id="warm-up", send_properties=False)
        write_save(args.out_save, positions[: ppr * rpc], ppr, rpc, warm)
        recording = rr.RecordingStream("bench", recording_id="rec", send_properties=False)
        res = measure(lambda: write_save(args.out_save, positions, ppr, rpc, recording), args.out_save)
        results["save"] = {**res, "file_bytes": file_size(args.out_save)}
    else:
        read(args.files[0], limit=2)  # warm-up
        for path in args.files:
            results[path] = {**measure(partial(read, path)), "file_bytes": file_size(path)}
    emit(results)


if __name__ == "__main__":
    main()
