"""Client side of ``bench_catalog.py``: run by ``.venv/bin/python`` (ours) AND ``.venv-ref/bin/python`` (0.41).

    _catalog_client_side.py URL DATASET LO HI SEGMENT REPEAT

Only the public ``rerun.catalog`` API, so the very same code times both clients. Each workload runs
once untimed (warm-up: connection, schema, caches), then ``REPEAT`` times; the median counts.
Prints one ``BENCH-RESULT`` line: per workload the median seconds, every run, and the result's shape.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from _bench_common import emit  # the script's own directory is on sys.path
from datafusion import col, lit

import rerun as rr

INDEX = "frame"
SCALAR_COLUMN = "/scalar:Scalars:scalars"


def workloads(dataset: Any, lo: int, hi: int, segment: str) -> dict[str, Callable[[], Any]]:
    """What a user does with a big dataset: read it all, a time window of 3 columns, one segment."""
    in_window = (col(INDEX) >= lit(lo)) & (col(INDEX) < lit(hi))
    return {
        "full": lambda: dataset.reader(INDEX).to_arrow_table(),
        "range": lambda: (
            dataset.reader(INDEX)
            .filter(in_window)
            .select("rerun_segment_id", INDEX, SCALAR_COLUMN)
            .to_arrow_table()
        ),
        "segment": lambda: (
            dataset.reader(INDEX).filter(col("rerun_segment_id") == lit(segment)).to_arrow_table()
        ),
        "segment_ids": lambda: dataset.segment_ids(),
    }


def shape(result: Any) -> list[int]:
    return [result.num_rows, result.num_columns] if hasattr(result, "num_rows") else [len(result)]


def main() -> None:
    url, name, lo, hi, segment, repeat = sys.argv[1:7]
    dataset = rr.catalog.CatalogClient(url).get_dataset(name)
    result: dict[str, Any] = {}
    for key, work in workloads(dataset, int(lo), int(hi), segment).items():
        answer = work()  # warm-up
        runs = []
        for _ in range(int(repeat)):
            start = time.perf_counter()
            work()
            runs.append(time.perf_counter() - start)
        result[key] = {"median": statistics.median(runs), "runs": runs, "shape": shape(answer)}
    emit(result)


if __name__ == "__main__":
    main()
