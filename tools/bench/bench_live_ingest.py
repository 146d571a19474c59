"""Live ingest into the viewer: how fast data streamed by an SDK lands in the viewer's store, and how
long the UI thread ever waits for that store meanwhile (target: never more than 50 ms).

    .venv/bin/python tools/bench/bench_live_ingest.py [--megabytes 100] [--sdk ours|reference]

A benchmark, not a test: it prints numbers and never asserts. The viewer side is in this process
(``rerun_viewer``'s endpoint and recordings, the same code ``rerun`` runs); the SDK streams from its
own process over loopback: 640x480 RGB images, one per step. The UI thread meanwhile takes the
store's read lock every 5 ms and asks it for the timeline's bounds, as a frame would.
"""

from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

import numpy as np

from rerun_viewer import RecordingSet
from rerun_viewer._live import LiveSources
from rerun_viewer._time import timeline_bounds

REPO = Path(__file__).resolve().parents[2]
PYTHONS = {"ours": REPO / ".venv" / "bin" / "python", "reference": REPO / ".venv-ref" / "bin" / "python"}
IMAGE_BYTES = 640 * 480 * 3
_SENDER = """
import sys, numpy as np, rerun as rr
url, count = sys.argv[1], int(sys.argv[2])
rr.init("bench_live_ingest", recording_id="bench")
rr.connect_grpc(url)
image = np.random.default_rng(0).integers(0, 255, (480, 640, 3), np.uint8)
for step in range(count):
    rr.set_time("step", sequence=step)
    rr.log("image", rr.Image(image))
rr.disconnect()
"""


def measure(megabytes: float, sdk: str) -> None:
    count = max(1, round(megabytes * 1e6 / IMAGE_BYTES))
    recordings = RecordingSet()
    sources = LiveSources(recordings)
    url = sources.serve(bind="127.0.0.1", port=0)
    sender = subprocess.Popen([str(PYTHONS[sdk]), "-c", _SENDER, str(url), str(count)])
    waits: list[float] = []
    started = time.perf_counter()
    try:
        while sender.poll() is None or not sources.settled(quiet_secs=0.3):
            before = time.perf_counter()
            with recordings.reading() as now:
                for recording in now:
                    timeline_bounds(recording.store, "step")
            waits.append(time.perf_counter() - before)
            time.sleep(0.005)
        seconds = time.perf_counter() - started - 0.3
    finally:
        sender.kill()
        sources.close()
    stored = sum(r.store.nbytes for r in recordings.recordings())
    chunks = sum(r.store.num_chunks for r in recordings.recordings())
    ms = np.array(waits) * 1000
    print(f"{sdk} SDK -> viewer: {stored / 1e6:.1f} MB, {count} images, {chunks} chunks stored in {seconds:.1f} s "
          f"({stored / 1e6 / seconds:.1f} MB/s, {sources.num_messages / seconds:.0f} messages/s)")  # fmt: skip
    print(f"UI-thread waits for the store: max {ms.max():.1f} ms, p99 {np.percentile(ms, 99):.1f} ms, "
          f"median {np.median(ms):.2f} ms over {len(ms)} looks")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--megabytes", type=float, default=100.0)
    parser.add_argument("--sdk", choices=sorted(PYTHONS), default="ours")
    args = parser.parse_args()
    measure(args.megabytes, args.sdk)


if __name__ == "__main__":
    main()
