"""Catalog reads through a server: our ``rerun server`` + ``rerun.catalog`` against the reference 0.41 pair.

    .venv/bin/python tools/bench/bench_catalog.py [--segments 10] [--rows 100000] [--repeat 5]
        [--rounds 3] [--rows-per-chunk 4096] [--cache-dir DIR] [--no-cross]

A benchmark, not a test: it prints median times and ratios (ours / reference; below 1.0 we are faster).

Data: ``--segments`` recordings ``rec_0`` … (one RRD each, written once with our SDK and cached in
``--cache-dir``): ``/scalar`` ``Scalars`` on every frame of ``frame`` (sequence) + ``log_time``
(timestamp), sent in chunks of ``--rows-per-chunk`` rows. Both servers load the same folder as dataset
``big``: the reference binary (``site-packages/rerun_cli/rerun server``, started directly, not through
its Python wrapper) and ours (``.venv/bin/rerun server``).

Workloads (``_catalog_client_side.py``, the same script under both clients, one warm-up then
``--repeat`` timed runs per client process; ``--rounds`` processes per pair, the pairs interleaved so
that load from elsewhere on the machine hits all of them alike; the median of all timed runs counts):
- full: ``reader("frame").to_arrow_table()`` (segments x rows rows, 4 columns)
- range: ``.filter(frame in [40%, 60%) of the rows)`` + ``select(rerun_segment_id, frame, /scalar)``
- segment: ``.filter(rerun_segment_id == "rec_3")``
- segment_ids: ``segment_ids()``

Pairs: reference client -> reference server, ours -> ours (the ratio that counts), and, unless
``--no-cross``, the cross pairs (which side is slow: client or server).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent.parent
OURS_PYTHON = REPO / ".venv" / "bin" / "python"
OURS_RERUN = REPO / ".venv" / "bin" / "rerun"
REF_PYTHON = REPO / ".venv-ref" / "bin" / "python"
sys.path.insert(0, str(BENCH_DIR))

from _bench_common import RESULT_PREFIX, free_port, row_spans  # noqa: E402

DATASET = "big"
CLIENTS = {"ref": REF_PYTHON, "ours": OURS_PYTHON}
WORKLOADS = [
    ("full", "full read"),
    ("range", "range filter + 3-col select"),
    ("segment", "one segment"),
    ("segment_ids", "segment_ids()"),
]
_START_TIMEOUT_S = 120.0
_SIDE_TIMEOUT_S = 900.0


# ---- data -------------------------------------------------------------------------------------------


def write_segment(path: Path, recording_id: str, rows: int, rows_per_chunk: int) -> None:
    """One recording: a ``Scalars`` value per frame, on ``frame`` and ``log_time``."""
    import rerun as rr

    stream = rr.RecordingStream("bench_catalog", recording_id=recording_id)
    stream.save(str(path))
    for start, end in row_spans(rows, rows_per_chunk):
        frames = np.arange(start, end, dtype=np.int64)
        stamps = np.datetime64(1_700_000_000_000_000_000, "ns") + frames.astype("timedelta64[ms]")
        stream.send_columns(
            "/scalar",
            indexes=[rr.TimeColumn("frame", sequence=frames), rr.TimeColumn("log_time", timestamp=stamps)],
            columns=rr.Scalars.columns(scalars=np.sin(frames * 0.001)),
        )
    stream.disconnect()


def dataset_dir(cache: Path, segments: int, rows: int, rows_per_chunk: int) -> Path:
    """The cached folder of RRDs for these sizes, written on first use."""
    folder = cache / f"big_{segments}x{rows}_c{rows_per_chunk}"
    done = folder / ".complete"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        print(f"writing {segments} x {rows} rows into {folder} …", flush=True)
        for i in range(segments):
            write_segment(folder / f"rec_{i}.rrd", f"rec_{i}", rows, rows_per_chunk)
        done.touch()
    return folder


# ---- servers ----------------------------------------------------------------------------------------


def reference_binary() -> Path:
    found = sorted((REPO / ".venv-ref" / "lib").glob("python*/site-packages/rerun_cli/rerun"))
    if not found:
        raise SystemExit("the reference rerun binary is missing: run `bash tools/dev.sh setup`")
    return found[0]


@contextmanager
def running_server(executable: Path, folder: Path, log: Path) -> Iterator[str]:
    """``executable server`` on a free loopback port with ``folder`` as dataset ``big``; yields its URL."""
    port = free_port()
    command = [str(executable), "server", "--host", "127.0.0.1", "-p", str(port), "-d", f"{DATASET}={folder}"]
    with log.open("w+b") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=_clean_env())
        try:
            _wait_ready(proc, log)
            yield f"rerun+http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_ready(proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + _START_TIMEOUT_S
    while time.monotonic() < deadline:
        if b"Ready for connections" in log.read_bytes():
            return
        if proc.poll() is not None:
            raise SystemExit(f"server exited ({proc.returncode}):\n{log.read_text(errors='replace')}")
        time.sleep(0.1)
    raise SystemExit(f"server not ready after {_START_TIMEOUT_S:.0f} s:\n{log.read_text(errors='replace')}")


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}


# ---- clients ----------------------------------------------------------------------------------------


def run_client(python: Path, url: str, rows: int, repeat: int) -> dict[str, Any]:
    lo, hi = rows * 4 // 10, rows * 6 // 10
    command = [str(python), "_catalog_client_side.py", url, DATASET, str(lo), str(hi), "rec_3", str(repeat)]
    proc = subprocess.run(
        command, capture_output=True, text=True, env=_clean_env(), cwd=BENCH_DIR, timeout=_SIDE_TIMEOUT_S
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"client failed ({proc.returncode}): {' '.join(command)}\n{proc.stderr}")
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_PREFIX) :])
    return result


def merged(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Per workload, the median over every timed run of every round."""
    return {
        key: {
            "median": statistics.median(run for r in rounds for run in r[key]["runs"]),
            "shape": rounds[-1][key]["shape"],
        }
        for key in rounds[0]
    }


def report(results: dict[str, dict[str, Any]]) -> None:
    pairs = list(results)
    print(f"\n{'workload':30}" + "".join(f"{pair:>22}" for pair in pairs) + f"{'ours/ref':>10}")
    for key, label in WORKLOADS:
        cells = "".join(f"{results[pair][key]['median'] * 1e3:19.1f} ms" for pair in pairs)
        ratio = results["ours->ours"][key]["median"] / results["ref->ref"][key]["median"]
        print(f"{label:30}{cells}{ratio:9.2f}x")
    print(f"{'result shape':30}" + "".join(f"{results[p]['full']['shape']!s:>22}" for p in pairs))
    for key, _ in WORKLOADS:
        shapes = {pair: results[pair][key]["shape"] for pair in pairs}
        if len({tuple(s) for s in shapes.values()}) != 1:
            print(f"WARNING: {key} results differ in shape: {shapes}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--segments", type=int, default=10)
    parser.add_argument("--rows", type=int, default=100_000, help="frames per segment")
    parser.add_argument("--rows-per-chunk", type=int, default=4096)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per workload (median)")
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "rerun_bench_catalog")
    parser.add_argument("--rounds", type=int, default=3, help="client processes per pair, interleaved")
    parser.add_argument("--no-cross", action="store_true", help="skip ours->ref and ref->ours")
    args = parser.parse_args()
    for python in (OURS_PYTHON, REF_PYTHON, OURS_RERUN):
        if not python.exists():
            raise SystemExit(f"missing {python}: run `bash tools/dev.sh setup`")
    folder = dataset_dir(args.cache_dir, args.segments, args.rows, args.rows_per_chunk)
    # Every process here shares the machine's cores: a busy machine shifts ratios, so say how busy it was.
    print(f"load average (1, 5, 15 min) at the start: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    pairs = [(c, s) for s in ("ref", "ours") for c in ("ref", "ours") if c == s or not args.no_cross]
    runs: dict[str, list[dict[str, Any]]] = {f"{c}->{s}": [] for c, s in pairs}
    with (
        running_server(reference_binary(), folder, args.cache_dir / "ref_server.log") as ref_url,
        running_server(OURS_RERUN, folder, args.cache_dir / "ours_server.log") as ours_url,
    ):
        urls = {"ref": ref_url, "ours": ours_url}
        for round_number in range(args.rounds):  # rounds interleave the pairs: load drifts hit all alike
            for client, server in pairs:
                print(f"round {round_number + 1}/{args.rounds}: timing {client}->{server} …", flush=True)
                runs[f"{client}->{server}"].append(
                    run_client(CLIENTS[client], urls[server], args.rows, args.repeat)
                )
    results = {pair: merged(rounds) for pair, rounds in runs.items()}
    report(results)
    print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
