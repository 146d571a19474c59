"""A store with a memory limit stays within it in real memory, not only in its own accounting.

Run in a fresh interpreter so that the resident set size measures the store alone: 400 MB of chunks
go into a store limited to 200 MB; the peak RSS must stay within 1.2x the limit above the baseline
(the interpreter with pyarrow, numpy and rerun_core imported).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

LIMIT_MB = 200

SCRIPT = textwrap.dedent(
    """
    import json, resource, sys
    import numpy as np
    import pyarrow as pa
    from rerun_core import Chunk, ComponentDescriptor, Timeline, TimeType
    from rerun_core.store import ChunkStore

    def rss_mb():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize() / 1e6

    def peak_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3

    limit, chunk_bytes = int(sys.argv[1]) * 1_000_000, 100_000
    step = Timeline("step", TimeType.SEQUENCE)
    blob = ComponentDescriptor("Blob:data", "rerun.archetypes.AssetBlob", "rerun.components.Blob")
    rng = np.random.default_rng(0)

    def chunk(i):
        values = pa.array(rng.integers(0, 255, chunk_bytes, dtype=np.uint8))
        cells = pa.ListArray.from_arrays(pa.array([0, chunk_bytes], pa.int32()), values)
        return Chunk.build("/blob", timelines={step: pa.array([i], pa.int64())}, components={blob: cells})

    store = ChunkStore(memory_limit_bytes=limit)
    chunk(-1)
    baseline, baseline_peak = rss_mb(), peak_mb()
    count = 2 * limit // chunk_bytes
    over = 0
    for i in range(count):
        store.insert(chunk(i))
        over = max(over, store.nbytes - limit)
    steps = sorted(s for c in store.chunks() for s in c.index_column("step").to_pylist())
    print(json.dumps({"baseline": baseline, "baseline_peak": baseline_peak, "rss": rss_mb(),
                      "peak": peak_mb(), "over": over, "nbytes": store.nbytes, "last": steps[-1],
                      "first": steps[0], "count": count}))
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_rss_stays_within_the_limit() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(LIMIT_MB)],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["over"] <= 0 and report["nbytes"] <= LIMIT_MB * 1e6
    assert report["last"] == report["count"] - 1  # the newest data is kept
    assert report["first"] > report["count"] // 2  # the oldest half is gone
    allowed = 1.2 * LIMIT_MB + max(report["baseline"], report["baseline_peak"])
    assert report["peak"] <= allowed, report
    assert report["rss"] <= allowed, report
