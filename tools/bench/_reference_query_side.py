"""Reference side of ``bench_query.py``: run by ``.venv-ref/bin/python`` (rerun-sdk 0.41.0), one process per round.

    _reference_query_side.py SCALARS.rrd SENSORS.rrd TIMES.npy RANGE_LO RANGE_HI REPEAT

Loads each file with ``RrdReader(path).store().stream().collect()`` and queries it with
``ChunkStore.reader()``; prints one ``BENCH-RESULT`` JSON line (seconds per workload, row counts).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from _bench_common import emit
from datafusion import col, lit

from rerun.chunk import ChunkStore, RrdReader


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def best_of(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    runs = [timed(work) for _ in range(repeat)]
    return min(seconds for seconds, _ in runs), runs[-1][1]


def load(path: str) -> ChunkStore:
    return RrdReader(path).store().stream().collect()


def main() -> None:
    scalars, sensors, times_path, lo, hi, repeat = sys.argv[1:7]
    lo, hi, repeat = int(lo), int(hi), int(repeat)
    times = np.load(times_path)
    result: dict[str, Any] = {}
    result["a_load"], store = timed(lambda: load(scalars))
    result["a_query"], table = timed(lambda: store.reader("step").to_arrow_table())
    result["a_rows"] = table.num_rows
    result["b_load"], store = timed(lambda: load(sensors))
    in_range = (col("step") >= lit(lo)) & (col("step") <= lit(hi))
    result["b_range"], table = best_of(repeat, lambda: store.reader("step").filter(in_range).to_arrow_table())
    result["b_rows"] = table.num_rows
    result["c_latest_at"], table = best_of(
        repeat, lambda: store.reader("step", using_index_values=times, fill_latest_at=True).to_arrow_table()
    )
    result["c_rows"] = table.num_rows
    emit(result)


if __name__ == "__main__":
    main()
