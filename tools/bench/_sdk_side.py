"""One side of ``bench_sdk.py``: run by ``.venv/bin/python`` (ours) AND ``.venv-ref/bin/python`` (rerun-sdk 0.41).

    _sdk_side.py run WORKLOAD DATA_DIR OUT.rrd [--profile OUT.pstats]
    _sdk_side.py verify FILE...        # reference python only (uses rerun.chunk.RrdReader)

Only the public ``rerun`` API is used, so the very same code runs against both SDKs. Workloads:

- ``scalars``: 100k x (``rr.set_time("step", sequence=i)`` + ``rr.log("scalar", rr.Scalars(x))``)
- ``send_columns``: one ``rr.send_columns`` of 100k scalars on a ``step`` sequence timeline
- ``points``: 1000 x (``set_time`` + ``rr.log("points", rr.Points3D(p))``), 10k float32 points each
- ``images``: 300 x (``set_time`` + ``rr.log("image", rr.Image(img))``), 640x480 RGB uint8

The data (``.npy`` files written by ``bench_sdk.py``) is loaded fully into memory, and ``rr.init`` +
``rr.save`` run, before the clock starts. The clock covers the logging calls, a blocking
``flush()`` of the recording and ``rr.disconnect()`` (which closes the file sink and writes the footer).
The file size is taken right when the clock stops and again a moment later: if it grew, the clock
stopped before all data was written (the orchestrator warns about it). Prints one ``BENCH-RESULT`` line.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from _bench_common import emit  # the script's own directory is on sys.path

import rerun as rr


def load(data_dir: Path, name: str) -> np.ndarray:
    array: np.ndarray = np.load(data_dir / f"{name}.npy")
    return np.ascontiguousarray(array)


def prepare(workload: str, data_dir: Path) -> tuple[Callable[[], None], int]:
    """Load the data and return ``(log_everything, rows)``; nothing here is timed."""
    if workload == "scalars":
        values: list[float] = load(data_dir, "scalars").tolist()  # plain Python floats, as users log them

        def log_scalars() -> None:
            set_time, log, scalars = rr.set_time, rr.log, rr.Scalars
            for i, value in enumerate(values):
                set_time("step", sequence=i)
                log("scalar", scalars(value))

        return log_scalars, len(values)

    if workload == "send_columns":
        column = load(data_dir, "scalars")
        steps = np.arange(len(column), dtype=np.int64)

        def send() -> None:
            rr.send_columns(
                "scalar",
                indexes=[rr.TimeColumn("step", sequence=steps)],
                columns=rr.Scalars.columns(scalars=column),
            )

        return send, len(column)

    if workload == "points":
        positions = load(data_dir, "points")  # (frames, points, 3) float32
        frames = list(positions)  # views, so the loop only indexes a list

        def log_points() -> None:
            for i, frame in enumerate(frames):
                rr.set_time("frame", sequence=i)
                rr.log("points", rr.Points3D(frame))

        return log_points, len(frames)

    if workload == "images":
        images = list(load(data_dir, "images"))  # (frames, 480, 640, 3) uint8

        def log_images() -> None:
            for i, image in enumerate(images):
                rr.set_time("frame", sequence=i)
                rr.log("image", rr.Image(image))

        return log_images, len(images)

    raise SystemExit(f"unknown workload {workload!r}")


def peak_rss_kib() -> int:
    """``VmHWM`` of this process (``ru_maxrss`` would include the parent's peak from before ``exec``)."""
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\s*(\d+)", status.read()).group(1))  # type: ignore[union-attr]


def warm_up() -> None:
    """Load what the workloads use, outside the clock.

    Our SDK loads modules on first use, while the reference loads everything at ``import rerun``;
    both one-time costs belong to (f), not to the logging throughput. Nothing here is logged.
    """
    rr.Scalars(0.0)
    rr.Points3D([[0.0, 0.0, 0.0]])
    rr.Image(np.zeros((2, 2, 3), np.uint8))
    rr.Scalars.columns(scalars=[0.0])
    rr.TimeColumn("warm_up", sequence=[0])


def run(workload: str, data_dir: Path, out: Path, profile: Path | None) -> dict[str, Any]:
    work, rows = prepare(workload, data_dir)
    warm_up()
    if out.exists():
        out.unlink()
    rr.init("bench_sdk", recording_id="bench", spawn=False)
    rr.save(str(out))
    recording = rr.get_global_data_recording()
    assert recording is not None

    def timed() -> None:
        work()
        recording.flush()
        rr.disconnect()

    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
    gc.collect()
    usage0, wall0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    if profiler is not None:
        profiler.runcall(timed)
    else:
        timed()
    wall1, usage1 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    size_at_stop = out.stat().st_size if out.exists() else 0
    if profiler is not None and profile is not None:
        profiler.dump_stats(str(profile))
    time.sleep(0.5)  # anything still being written in the background shows up as growth
    size_later = out.stat().st_size if out.exists() else 0
    return {
        "workload": workload,
        "rows": rows,
        "seconds": wall1 - wall0,
        "cpu_seconds": (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime),
        "size_at_stop": size_at_stop,
        "size_later": size_later,
        "peak_rss_kib": peak_rss_kib(),
        "pid": os.getpid(),
    }


def verify(files: list[str]) -> dict[str, Any]:
    """Per file: chunks and rows per entity, and the Arrow bytes of the data columns (reference reader)."""
    from rerun.chunk import RrdReader  # reference-only API

    results: dict[str, Any] = {}
    for path in files:
        entities: dict[str, dict[str, int]] = {}
        for chunk in RrdReader(path).stream():
            entity = str(chunk.entity_path)
            if entity.startswith("/__"):  # recording properties
                continue
            batch = chunk.to_record_batch()
            data_bytes = sum(
                col.nbytes
                for field, col in zip(batch.schema, batch.columns, strict=True)
                if (field.metadata or {}).get(b"rerun:kind") == b"data"
            )
            stats = entities.setdefault(entity, {"chunks": 0, "rows": 0, "data_bytes": 0})
            stats["chunks"] += 1
            stats["rows"] += batch.num_rows
            stats["data_bytes"] += data_bytes
        results[path] = entities
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("workload", choices=("scalars", "send_columns", "points", "images"))
    r.add_argument("data_dir", type=Path)
    r.add_argument("out", type=Path)
    r.add_argument("--profile", type=Path, help="write cProfile stats of the timed region here")
    v = sub.add_parser("verify")
    v.add_argument("files", nargs="+")
    args = parser.parse_args()
    if args.command == "run":
        if args.workload == "send_columns" and not hasattr(rr, "send_columns"):
            emit({"workload": args.workload, "missing": "rr.send_columns not implemented"})
            return
        emit(run(args.workload, args.data_dir, args.out, args.profile))
    else:
        emit(verify(args.files))


if __name__ == "__main__":
    main()
