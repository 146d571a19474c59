"""Live streaming throughput: our SDK vs the reference SDK, both into the reference's ``rerun --save``.

    .venv/bin/python tools/bench/bench_grpc.py [--repeat 3] [--only scalars,points] [--workdir DIR]

A benchmark, not a test: it prints numbers and ratios and never asserts. For each workload and side a
fresh reference receiver (``.venv-ref/bin/rerun --port P --bind 127.0.0.1 --save side.rrd``) is started,
``_grpc_side.py`` streams into it over loopback, and the receiver is stopped once its file stops
growing. Workloads (issue 5):

- 1M rows of ``rr.set_time`` + ``rr.log("scalar", rr.Scalars(x))``                 -> rows/s
- 1000 x ``rr.log("points", rr.Points3D(p))``, 10k float32 points each (120 MB)   -> MB/s

The clock (inside each side) covers the logging calls, ``flush()`` and ``rr.disconnect()``, which
returns once the receiver acknowledged the whole stream. Both received files are then decoded with the
reference reader and compared (rows and data bytes per entity). Target: ours/reference >= 1.0x.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from _bench_common import RESULT_PREFIX, free_port  # noqa: E402
from bench_rrd import print_table  # noqa: E402
from bench_sdk import OURS_PYTHON, REF_PYTHON, clean_env, same_contents  # noqa: E402

REF_RERUN = REF_PYTHON.parent / "rerun"
SIDES = {"ours": OURS_PYTHON, "ref": REF_PYTHON}
WORKLOADS = {"scalars": ("1M x log(Scalars)", "rows/s"), "points": ("1000 x log(Points3D 10k)", "MB/s")}


def run_script(python: Path, script: str, *args: str | Path) -> dict[str, Any]:
    """Run a side script in a fresh process and return its JSON result."""
    command = [str(python), str(BENCH_DIR / script), *map(str, args)]
    proc = subprocess.run(
        command, capture_output=True, text=True, env=clean_env(), cwd=BENCH_DIR, check=False
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"benchmark side failed ({proc.returncode}): {' '.join(command)}\n{proc.stderr}")
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_PREFIX) :])
    return result


def generate(data_dir: Path) -> dict[str, int]:
    rng = np.random.default_rng(0)
    scalars = rng.standard_normal(1_000_000)
    points = rng.standard_normal((1000, 10_000, 3), dtype=np.float32)
    np.save(data_dir / "scalars.npy", scalars)
    np.save(data_dir / "points.npy", points)
    return {"scalars": scalars.nbytes, "points": points.nbytes}


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout_secs: float = 30) -> None:
    deadline = time.monotonic() + timeout_secs
    while time.monotonic() < deadline and proc.poll() is None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit(f"the reference receiver did not listen on {port}")


def wait_stable(path: Path, quiet_secs: float = 1.0, timeout_secs: float = 300) -> None:
    deadline, size, since = time.monotonic() + timeout_secs, -1, time.monotonic()
    while time.monotonic() < deadline:
        now = path.stat().st_size if path.exists() else -1
        if now != size:
            size, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_secs:
            return
        time.sleep(0.05)


def run_round(side: str, workload: str, workdir: Path) -> tuple[dict[str, Any], Path]:
    """One side streams one workload into a fresh reference receiver; returns its result and the file."""
    port, out = free_port(), workdir / f"{side}_{workload}.rrd"
    out.unlink(missing_ok=True)
    command = [str(REF_RERUN), "--port", str(port), "--bind", "127.0.0.1", "--save", str(out)]
    receiver = subprocess.Popen(command, env=clean_env(), stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_port(port, receiver)
        result = run_script(
            SIDES[side], "_grpc_side.py", workload, workdir, f"rerun+http://127.0.0.1:{port}/proxy"
        )
        wait_stable(out)
    finally:
        os.killpg(receiver.pid, signal.SIGKILL)  # it writes as data arrives: nothing is lost here
        receiver.wait(10)
    return result, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds per workload and side; best is reported"
    )
    parser.add_argument("--only", default="scalars,points", help="comma-separated subset of scalars,points")
    parser.add_argument("--workdir", type=Path, help="where data and .rrd files go (default: a temp dir)")
    args = parser.parse_args()
    for path in (OURS_PYTHON, REF_PYTHON, REF_RERUN):
        if not path.exists():
            raise SystemExit(f"missing {path}: run `bash tools/dev.sh setup`")
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="bench_grpc_"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        run(args, [w for w in args.only.split(",") if w in WORKLOADS], workdir)
    finally:
        for path in [*workdir.glob("*.npy"), *workdir.glob("*.rrd")]:
            path.unlink(missing_ok=True)
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, workloads: list[str], workdir: Path) -> None:
    print(f"Generating data in {workdir} ...", flush=True)
    payload = generate(workdir)
    best: dict[tuple[str, str], dict[str, Any]] = {}
    files: dict[tuple[str, str], Path] = {}
    for workload in workloads:
        for round_ in range(args.repeat):
            for side in list(SIDES)[:: 1 if round_ % 2 == 0 else -1]:  # who goes first alternates
                result, out = run_round(side, workload, workdir)
                files[(side, workload)] = out
                if (side, workload) not in best or result["seconds"] < best[(side, workload)]["seconds"]:
                    best[(side, workload)] = result
                print(f"  {WORKLOADS[workload][0]:<26} {side:<4} round {round_ + 1}: {result['seconds']:.2f} s",
                      flush=True)  # fmt: skip
    contents = run_script(REF_PYTHON, "_sdk_side.py", "verify", *files.values())
    rows, detail, problems = [], [], []
    for workload in workloads:
        label, unit = WORKLOADS[workload]
        rate = {
            side: (best[(side, workload)]["rows"] if unit == "rows/s" else payload[workload] / 1e6)
            / best[(side, workload)]["seconds"]
            for side in SIDES
        }
        shown = {s: f"{rate[s]:,.0f} {unit}" if unit == "rows/s" else f"{rate[s]:,.1f} {unit}" for s in SIDES}
        ratio = rate["ours"] / rate["ref"]
        rows.append([label, *(f"{shown[s]} ({best[(s, workload)]['seconds']:.2f} s)" for s in SIDES),
                     f"{ratio:.2f}x", "yes" if ratio >= 1.0 else "NO"])  # fmt: skip
        received = [contents.get(str(files[(side, workload)])) for side in SIDES]
        for side, stats in zip(SIDES, received, strict=True):
            entities = ", ".join(
                f"{e}: {s['rows']:,} rows / {s['chunks']} chunks" for e, s in (stats or {}).items()
            )
            detail.append([f"{label} {side}", f"{best[(side, workload)]['cpu_seconds']:.2f}", entities])
        if not same_contents(*received):
            problems.append(f"{label}: the two received files differ: {received}")
    print(
        "\nBest of", args.repeat, "round(s). Ratio = ours/ref throughput (target >= 1.0x); MB = 10^6 bytes."
    )
    print_table("gRPC streaming into the reference `rerun --save` (loopback)",
                ["Workload", "Ours", "Reference 0.41", "Ratio", "Target met?"], rows)  # fmt: skip
    print_table("Per side: SDK process CPU seconds, and what the receiver wrote",
                ["Run", "CPU s", "Received (reference reader)"], detail)  # fmt: skip
    for problem in problems:
        print("WARNING:", problem)


if __name__ == "__main__":
    main()
