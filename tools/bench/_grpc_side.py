"""One side of ``bench_grpc.py``: run by ``.venv/bin/python`` (ours) AND ``.venv-ref/bin/python`` (rerun-sdk 0.41).

    _grpc_side.py WORKLOAD DATA_DIR URL

Only the public ``rerun`` API, so the very same code runs against both SDKs. Workloads:

- ``scalars``: 1M x (``rr.set_time("step", sequence=i)`` + ``rr.log("scalar", rr.Scalars(x))``)
- ``points``: 1000 x (``set_time`` + ``rr.log("points", rr.Points3D(p))``), 10k float32 points each

Data is loaded and ``rr.init`` + ``rr.connect_grpc(URL)`` run (and one small message is flushed, so the
connection is up) before the clock starts. The clock covers the logging calls, a blocking
``flush()`` and ``rr.disconnect()``, which returns once the receiver has acknowledged the stream.
Prints one ``BENCH-RESULT`` line.
"""

from __future__ import annotations

import gc
import resource
import sys
import time
from pathlib import Path

import numpy as np
from _bench_common import emit  # the script's own directory is on sys.path

import rerun as rr


def main() -> None:
    workload, data_dir, url = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    if workload == "scalars":
        values: list[float] = np.load(data_dir / "scalars.npy").tolist()  # Python floats, as users log them
        rows = len(values)

        def work() -> None:
            set_time, log, scalars = rr.set_time, rr.log, rr.Scalars
            for i, value in enumerate(values):
                set_time("step", sequence=i)
                log("scalar", scalars(value))

    else:
        frames = list(np.ascontiguousarray(np.load(data_dir / "points.npy")))
        rows = len(frames)

        def work() -> None:
            for i, frame in enumerate(frames):
                rr.set_time("frame", sequence=i)
                rr.log("points", rr.Points3D(frame))

    rr.Scalars(0.0)  # our SDK loads modules on first use: keep that out of the clock
    rr.Points3D([[0.0, 0.0, 0.0]])
    rr.init("bench_grpc", recording_id=f"bench_{workload}", send_properties=False)
    rr.connect_grpc(url)
    recording = rr.get_global_data_recording()
    assert recording is not None
    rr.log("warm_up", rr.Scalars(0.0), static=True)
    recording.flush(timeout_sec=60)
    gc.collect()
    usage0, wall0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    work()
    recording.flush(timeout_sec=600)
    rr.disconnect()
    wall1, usage1 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    emit({"workload": workload, "rows": rows, "seconds": wall1 - wall0, "cpu_seconds": cpu})


if __name__ == "__main__":
    main()
