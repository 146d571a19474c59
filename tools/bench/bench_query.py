"""Chunk store and query speed: ours (``rerun_core.store`` / ``.query``) against the reference 0.41, same run.

    .venv/bin/python tools/bench/bench_query.py [--rounds 3] [--repeat 5] [--rows-per-chunk 4096]
        [--workdir DIR] [--keep-files]

A benchmark, not a test: it prints times and ratios (ours / reference; below 1.0 we are faster).

Workloads, on files our encoder writes once (``Scalars`` rows on ``step`` + ``log_time``, chunks of
``--rows-per-chunk`` rows) and both sides read:
- (a) read + query all: 2 entities x 100k rows. Load the RRD into a store, then query every row on
  ``step`` to Arrow (reference: ``RrdReader(...).store().stream().collect()`` then
  ``reader("step").to_arrow_table()``; ours: ``read_rrd`` into a ``ChunkStore``, then
  ``DataframeQuery(store, "step").read_all()``). Both the first (cold) query and the total count.
- (b) range filter: 10 entities x 100k rows (1M rows), rows with ``step`` in [40 000, 49 999]
  (reference: a DataFusion filter on the index column; ours: ``index_range=``), store already loaded.
- (c) latest-at: the same 1M rows, every column's latest value at 1000 random steps (both:
  ``using_index_values=`` + ``fill_latest_at=True``; ours also as 10 000 ``latest_at()`` calls, for
  information).

Each side runs in a fresh process per round (``--side ours`` here, ``_reference_query_side.py`` for
the reference), rounds alternate, and the best round is reported; within a round, (b) and (c) are the
best of ``--repeat`` runs. The files are in the page cache: this measures decoding and querying.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent.parent
OURS_PYTHON = REPO / ".venv" / "bin" / "python"
REF_PYTHON = REPO / ".venv-ref" / "bin" / "python"
sys.path.insert(0, str(BENCH_DIR))

from _bench_common import RESULT_PREFIX, emit  # noqa: E402

ROWS = 100_000
RANGE = (40_000, 49_999)
WORKLOADS = [
    ("a_load", "(a) load 2 x 100k rows"),
    ("a_query", "(a) query all rows (cold)"),
    ("a_total", "(a) load + query"),
    ("b_range", "(b) range filter, 1M rows"),
    ("c_latest_at", "(c) latest-at x1000, 1M rows"),
]


def write_scalars(path: Path, entities: list[str], rows_per_chunk: int) -> None:
    """``ROWS`` rows per entity, chunked in time order, as an SDK logging in a loop would produce."""
    import pyarrow as pa

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
    from rerun_core.rrd import RrdEncoder

    step, log_time = Timeline("step", TimeType.SEQUENCE), Timeline("log_time", TimeType.TIMESTAMP_NS)
    scalar = ComponentDescriptor("Scalars:scalars", "rerun.archetypes.Scalars", "rerun.components.Scalar")
    store_id = StoreId(StoreKind.RECORDING, "bench_query", path.stem)
    with path.open("wb") as sink, RrdEncoder(sink) as encoder:
        encoder.append(SetStoreInfo(store_id))
        for start in range(0, ROWS, rows_per_chunk):
            steps = np.arange(start, min(ROWS, start + rows_per_chunk), dtype=np.int64)
            for k, entity in enumerate(entities):
                offsets = pa.array(np.arange(len(steps) + 1, dtype=np.int32))
                cells = pa.ListArray.from_arrays(offsets, pa.array(np.sin(steps * 0.01 + k)))
                stamps = pa.array(1_700_000_000_000_000_000 + steps * 1_000_000 + k, pa.timestamp("ns"))
                chunk = Chunk.build(
                    entity, timelines={step: pa.array(steps), log_time: stamps}, components={scalar: cells}
                )
                encoder.append(ArrowMsg(store_id, chunk))


# ---- our side -------------------------------------------------------------------------------------


def our_side(scalars: str, sensors: str, times_path: str, lo: int, hi: int, repeat: int) -> None:
    from rerun_core import ArrowMsg
    from rerun_core.query import DataframeQuery, latest_at
    from rerun_core.rrd import read_rrd
    from rerun_core.store import ChunkStore

    def load(path: str) -> ChunkStore:
        store = ChunkStore()
        for msg in read_rrd(path):
            if isinstance(msg, ArrowMsg):
                store.insert(msg.chunk)
        return store

    def timed(work: Callable[[], Any]) -> tuple[float, Any]:
        start = time.perf_counter()
        result = work()
        return time.perf_counter() - start, result

    def best_of(work: Callable[[], Any]) -> tuple[float, Any]:
        runs = [timed(work) for _ in range(repeat)]
        return min(seconds for seconds, _ in runs), runs[-1][1]

    times = np.load(times_path)
    result: dict[str, Any] = {}
    result["a_load"], store = timed(lambda: load(scalars))
    result["a_query"], table = timed(lambda: DataframeQuery(store, "step").read_all())
    result["a_rows"] = table.num_rows
    result["b_load"], store = timed(lambda: load(sensors))
    result["b_range"], table = best_of(lambda: DataframeQuery(store, "step", index_range=(lo, hi)).read_all())
    result["b_rows"] = table.num_rows
    result["c_latest_at"], table = best_of(
        lambda: DataframeQuery(store, "step", using_index_values=times, fill_latest_at=True).read_all()
    )
    result["c_rows"] = table.num_rows
    entities = [f"/sensor/{i}" for i in range(10)]
    result["c_latest_at_calls"], _ = best_of(
        lambda: [latest_at(store, e, "step", int(t)) for t in times for e in entities]
    )
    emit(result)


# ---- orchestration --------------------------------------------------------------------------------


def run_side(command: list[str]) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    proc = subprocess.run(command, capture_output=True, text=True, env=env, cwd=BENCH_DIR, check=False)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"benchmark side failed ({proc.returncode}): {' '.join(command)}\n{proc.stderr}")
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_PREFIX) :])
    result["a_total"] = result["a_load"] + result["a_query"]
    return result


def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per workload, the fastest round."""
    return {key: min(run[key] for run in runs) for key in runs[0]}


def report(ours: dict[str, Any], ref: dict[str, Any]) -> None:
    for key in ("a_rows", "b_rows", "c_rows"):
        if ours[key] != ref[key]:
            print(f"WARNING: {key} differs: ours {ours[key]}, reference {ref[key]}")
    print(f"\n{'workload':34} {'ours ms':>10} {'reference ms':>13} {'ours/ref':>9}")
    for key, label in WORKLOADS:
        print(f"{label:34} {ours[key] * 1e3:10.1f} {ref[key] * 1e3:13.1f} {ours[key] / ref[key]:8.2f}x")
    calls = ours["c_latest_at_calls"]
    print(f"{'(c) as 10 000 latest_at() calls':34} {calls * 1e3:10.1f} {'':>13} (ours only)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--rounds", type=int, default=3, help="fresh processes per side; the best is reported"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs of (b) and (c) per round; the best counts"
    )
    parser.add_argument("--rows-per-chunk", type=int, default=4096)
    parser.add_argument("--workdir", type=Path, help="where the files go (default: a fresh temp dir)")
    parser.add_argument("--keep-files", action="store_true")
    parser.add_argument("--side", choices=["ours"], help=argparse.SUPPRESS)
    parser.add_argument("side_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side == "ours":
        scalars, sensors, times, lo, hi, repeat = args.side_args
        our_side(scalars, sensors, times, int(lo), int(hi), int(repeat))
        return
    for python in (OURS_PYTHON, REF_PYTHON):
        if not python.exists():
            raise SystemExit(f"missing {python}: run `bash tools/dev.sh setup`")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench_query_"))
    workdir.mkdir(parents=True, exist_ok=True)
    files = [workdir / "scalars.rrd", workdir / "sensors.rrd", workdir / "times.npy"]
    try:
        write_scalars(files[0], ["/plots/sin", "/plots/cos"], args.rows_per_chunk)
        write_scalars(files[1], [f"/sensor/{i}" for i in range(10)], args.rows_per_chunk)
        times = np.sort(np.random.default_rng(0).choice(ROWS, 1000, replace=False)).astype(np.int64)
        np.save(files[2], times)
        side_args = [*map(str, files), str(RANGE[0]), str(RANGE[1]), str(args.repeat)]
        ours, ref = [], []
        for _ in range(args.rounds):
            ours.append(run_side([str(OURS_PYTHON), __file__, "--side", "ours", *side_args]))
            ref.append(run_side([str(REF_PYTHON), str(BENCH_DIR / "_reference_query_side.py"), *side_args]))
        report(best(ours), best(ref))
    finally:
        if not args.keep_files:
            for path in files:
                path.unlink(missing_ok=True)
            if args.workdir is None:
                shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
