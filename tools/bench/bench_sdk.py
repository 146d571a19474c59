"""Logging-SDK throughput and import cost: ours (``.venv``) against the reference Rerun 0.41 (``.venv-ref``).

    .venv/bin/python tools/bench/bench_sdk.py [--scale 1.0] [--repeat 3] [--only a,b,c,d,f]
        [--workdir DIR] [--keep-files] [--profile-dir DIR]

A benchmark, not a test: it prints numbers, ratios and whether the targets are met, and never asserts.

Workloads (issue 3), each run in one fresh process per side (``_sdk_side.py``, the same script for
both SDKs since it uses only the public ``rerun`` API):

- (a) 100k rows of ``rr.set_time("step", sequence=i)`` + ``rr.log("scalar", rr.Scalars(x))``  -> rows/s
- (b) one ``rr.send_columns`` of 100k scalars                                                -> rows/s
- (c) 1000 x ``rr.Points3D`` of 10k float32 points (120 MB of positions)                   -> MB/s
- (d) 300 x ``rr.Image`` RGB 640x480 uint8 (276 MB of pixels)                               -> MB/s
- (f) ``python -c "import rerun"`` wall time (best of 5, minus a bare ``python -c pass``) and the
  RSS right after the import (``VmRSS`` from ``/proc/self/status``)

How it is fair: the data is generated once (seeded numpy) into ``.npy`` files that both sides load
before their clock starts; ``rr.init`` + ``rr.save(path)`` also happen before it. The clock covers the
logging calls, a blocking ``flush()`` and ``rr.disconnect()``, so every byte is in the file when it
stops (checked: the file size when the clock stops must equal the size once the process exits). The
files of both sides are then decoded with the reference reader and their rows, chunks and data
bytes compared. MB = 10^6 bytes. Targets: >= 1.0x the reference's throughput on (a)-(d), and an
import taking <= 0.5x the reference's time.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent.parent
OURS_PYTHON = REPO / ".venv" / "bin" / "python"
REF_PYTHON = REPO / ".venv-ref" / "bin" / "python"
sys.path.insert(0, str(BENCH_DIR))

from _bench_common import RESULT_PREFIX  # noqa: E402
from bench_rrd import print_table  # noqa: E402

MB = 1e6
MIB = 2**20
IMPORT_TARGET = 0.5  # ours/ref import time
SIDES = {"ours": OURS_PYTHON, "ref": REF_PYTHON}


@dataclass(frozen=True)
class Workload:
    key: str  # the letter
    name: str  # _sdk_side.py workload
    label: str
    unit: str  # "rows/s" or "MB/s"


WORKLOADS = [
    Workload("a", "scalars", "(a) set_time + log(Scalars)", "rows/s"),
    Workload("b", "send_columns", "(b) send_columns(Scalars)", "rows/s"),
    Workload("c", "points", "(c) log(Points3D 10k)", "MB/s"),
    Workload("d", "images", "(d) log(Image 640x480 RGB)", "MB/s"),
]


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}


def generate(data_dir: Path, scale: float, seed: int = 0) -> dict[str, int]:
    """The arrays both sides log; returns the payload bytes per workload (the MB/s basis)."""
    rng = np.random.default_rng(seed)
    n_scalars = max(1, round(100_000 * scale))
    n_frames = max(1, round(1000 * scale))
    n_images = max(1, round(300 * scale))
    scalars = rng.standard_normal(n_scalars)
    points = rng.standard_normal((n_frames, 10_000, 3), dtype=np.float32)
    images = rng.integers(0, 256, (n_images, 480, 640, 3), dtype=np.uint8)
    for name, array in (("scalars", scalars), ("points", points), ("images", images)):
        np.save(data_dir / f"{name}.npy", array)
    return {
        "scalars": scalars.nbytes,
        "send_columns": scalars.nbytes,
        "points": points.nbytes,
        "images": images.nbytes,
    }


def run_side(python: Path, *args: str | Path) -> dict[str, Any]:
    """Run ``_sdk_side.py`` in a fresh process and return its JSON result."""
    cmd = [str(python), str(BENCH_DIR / "_sdk_side.py"), *map(str, args)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=clean_env(), cwd=BENCH_DIR, check=False)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if proc.returncode != 0 or not lines:
        sys.stderr.write(f"benchmark side failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}\n")
        raise SystemExit(1)
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_PREFIX) :])
    return result


def wall_of(python: Path, code: str, cwd: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(python), "-c", code], env=clean_env(), cwd=cwd, check=True)
    return time.perf_counter() - t0


RSS_CODE = "{imp}import re; print(re.search(r'VmRSS:\\s*(\\d+)', open('/proc/self/status').read()).group(1))"


def rss_kib(python: Path, imports: bool, cwd: Path) -> int:
    code = RSS_CODE.format(imp="import rerun; " if imports else "")
    out = subprocess.run(
        [str(python), "-c", code], env=clean_env(), cwd=cwd, check=True, capture_output=True, text=True
    )
    return int(out.stdout.strip())


def measure_import(cwd: Path, rounds: int = 5) -> dict[str, dict[str, float]]:
    """Best-of-``rounds`` wall time of ``import rerun`` minus a bare interpreter, and RSS after import."""
    for python in SIDES.values():  # warm the page cache and the .pyc files
        wall_of(python, "import rerun", cwd)
    bare: dict[str, list[float]] = {side: [] for side in SIDES}
    full: dict[str, list[float]] = {side: [] for side in SIDES}
    for _ in range(rounds):  # interleaved, so a noisy moment hits both sides
        for side, python in SIDES.items():
            bare[side].append(wall_of(python, "pass", cwd))
            full[side].append(wall_of(python, "import rerun", cwd))
    return {
        side: {
            "bare_s": min(bare[side]),
            "import_s": min(full[side]),
            "net_s": min(full[side]) - min(bare[side]),
            "rss_bare_kib": rss_kib(python, False, cwd),
            "rss_kib": rss_kib(python, True, cwd),
        }
        for side, python in SIDES.items()
    }


def same_contents(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """Same entities and rows, and data bytes within 0.01% (chunk boundaries shift a few bytes of Arrow
    overhead, e.g. 101 vs 100 image chunks)."""
    if a is None or b is None or a.keys() != b.keys():
        return False
    return all(
        a[e]["rows"] == b[e]["rows"]
        and abs(a[e]["data_bytes"] - b[e]["data_bytes"]) <= 1e-4 * max(a[e]["data_bytes"], b[e]["data_bytes"])
        for e in a
    )


def fmt_rate(value: float, unit: str) -> str:
    return f"{value:,.0f} {unit}" if unit == "rows/s" else f"{value:,.1f} {unit}"


def verdict(ok: bool) -> str:
    return "yes" if ok else "NO"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the issue's sizes (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per workload; the best is reported")
    parser.add_argument("--only", default="a,b,c,d,f", help="comma-separated subset of a,b,c,d,f")
    parser.add_argument("--workdir", type=Path, help="where data and .rrd files go (default: a temp dir)")
    parser.add_argument("--keep-files", action="store_true", help="leave data and .rrd files in the workdir")
    parser.add_argument(
        "--profile-dir", type=Path, help="also run OUR side once per workload under cProfile, stats here"
    )
    args = parser.parse_args()
    for python in SIDES.values():
        if not python.exists():
            raise SystemExit(f"missing {python}: run `bash tools/dev.sh setup`")
    only = set(args.only.split(","))
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="bench_sdk_"))).resolve()  # sides run elsewhere
    if args.profile_dir is not None:
        args.profile_dir = args.profile_dir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        run(args, only, workdir)
    finally:
        if not args.keep_files:
            for path in [*workdir.glob("*.npy"), *workdir.glob("*.rrd")]:
                path.unlink(missing_ok=True)
            if args.workdir is None:
                shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, only: set[str], workdir: Path) -> None:
    workloads = [w for w in WORKLOADS if w.key in only]
    print(f"Generating data in {workdir} (scale {args.scale}) ...", flush=True)
    payload = generate(workdir, args.scale)
    results: dict[str, dict[str, dict[str, Any]]] = {}
    files: dict[tuple[str, str], Path] = {}
    for w in workloads:
        results[w.name] = {}
        for round_ in range(args.repeat):
            order = list(SIDES.items())[:: 1 if round_ % 2 == 0 else -1]  # who goes first alternates
            for side, python in order:
                out = workdir / f"{side}_{w.name}.rrd"
                res = run_side(python, "run", w.name, workdir, out)
                if "missing" not in res:
                    res["final_size"] = out.stat().st_size
                    files[(side, w.name)] = out
                prev = results[w.name].get(side)
                if prev is None or res.get("seconds", 0) < prev.get("seconds", 0):
                    results[w.name][side] = res
                shown = res.get("missing") or f"{res['seconds']:.2f} s"
                print(f"  {w.label:<32} {side:<4} round {round_ + 1}: {shown}", flush=True)
        if args.profile_dir is not None and "missing" not in results[w.name]["ours"]:
            args.profile_dir.mkdir(parents=True, exist_ok=True)
            stats = args.profile_dir / f"ours_{w.name}.pstats"
            run_side(OURS_PYTHON, "run", w.name, workdir, workdir / "profile.rrd", "--profile", stats)
            print(f"  profile of ours: {stats}")

    imports = measure_import(workdir) if "f" in only else None
    contents = run_side(REF_PYTHON, "verify", *files.values()) if files else {}

    rows: list[list[str]] = []
    problems: list[str] = []
    for w in workloads:
        ours, ref = results[w.name]["ours"], results[w.name]["ref"]

        def rate(res: dict[str, Any], w: Workload = w) -> float:
            amount = res["rows"] if w.unit == "rows/s" else payload[w.name] / MB
            return float(amount / res["seconds"])

        if "missing" in ours or "missing" in ref:
            shown = [
                "not implemented"
                if "missing" in res
                else f"{fmt_rate(rate(res), w.unit)} ({res['seconds']:.2f} s)"
                for res in (ours, ref)
            ]
            rows.append([w.label, *shown, "n/a", "NO (not implemented)"])
            continue
        o, r = rate(ours), rate(ref)
        rows.append(
            [
                w.label,
                f"{fmt_rate(o, w.unit)} ({ours['seconds']:.2f} s)",
                f"{fmt_rate(r, w.unit)} ({ref['seconds']:.2f} s)",
                f"{o / r:.2f}x",
                verdict(o >= r),
            ]
        )
        for side, res in (("ours", ours), ("ref", ref)):
            if not res["size_at_stop"] == res["size_later"] == res["final_size"]:
                problems.append(
                    f"{w.label} {side}: file was {res['size_at_stop']} B when the clock stopped but "
                    f"{res['final_size']} B at exit: the clock stopped before all data was written"
                )
    if imports is not None:
        o_t, r_t = imports["ours"]["net_s"], imports["ref"]["net_s"]
        rows.append(
            [
                "(f) import rerun: time",
                f"{o_t * 1e3:,.0f} ms",
                f"{r_t * 1e3:,.0f} ms",
                f"{o_t / r_t:.2f}x",
                verdict(o_t <= IMPORT_TARGET * r_t),
            ]
        )
        o_m, r_m = imports["ours"]["rss_kib"], imports["ref"]["rss_kib"]
        rows.append(
            [
                "(f) import rerun: RSS",
                f"{o_m / 1024:,.1f} MiB",
                f"{r_m / 1024:,.1f} MiB",
                f"{o_m / r_m:.2f}x",
                "(no target)",
            ]
        )

    print()
    print(
        f"Best of {args.repeat} round(s); scale {args.scale}. Throughput ratio = ours/ref (higher is better, "
        f"target >= 1.0x); import ratio = ours/ref time (target <= {IMPORT_TARGET}x). MB = 10^6 bytes of "
        "raw numpy payload. Times include flush + disconnect."
    )
    header = ["Workload", "Ours", "Reference 0.41", "Ratio", "Target met?"]
    print_table("Logging SDK: ours vs reference Rerun 0.41 (same machine, same run)", header, rows)

    detail: list[list[str]] = []
    for w in workloads:
        for side in SIDES:
            res = results[w.name][side]
            if "missing" in res:
                continue
            stats = contents.get(str(files[(side, w.name)]), {})
            entity = ", ".join(
                f"{e}: {s['rows']:,} rows / {s['chunks']} chunks / {s['data_bytes'] / MB:,.2f} MB"
                for e, s in stats.items()
            )
            detail.append(
                [
                    f"{w.label} {side}",
                    f"{res['seconds']:.2f}",
                    f"{res['cpu_seconds']:.2f}",
                    f"{res['peak_rss_kib'] / 1024:,.0f}",
                    f"{res['final_size'] / MB:,.3f}",
                    entity,
                ]
            )
        pair = [contents.get(str(files[(side, w.name)])) for side in SIDES if (side, w.name) in files]
        if len(pair) == 2 and not same_contents(pair[0], pair[1]):
            problems.append(f"{w.label}: the two files hold different rows/data: {pair}")
    header = ["Run", "Wall s", "CPU s", "Peak RSS MiB", "File MB", "Decoded (reference reader)"]
    print_table("Per side: time, CPU (all threads), memory and what the .rrd file holds", header, detail)
    if imports is not None:
        imp_rows = [
            [
                side,
                f"{v['bare_s'] * 1e3:,.0f}",
                f"{v['import_s'] * 1e3:,.0f}",
                f"{v['net_s'] * 1e3:,.0f}",
                f"{v['rss_bare_kib'] / 1024:,.1f}",
                f"{v['rss_kib'] / 1024:,.1f}",
            ]
            for side, v in imports.items()
        ]
        header = ["Side", "python -c pass ms", "import rerun ms", "net ms", "bare RSS MiB", "RSS MiB"]
        print_table("(f) import: best of 5 wall times, RSS after import", header, imp_rows)
    for problem in problems:
        print(f"WARNING {problem}")


if __name__ == "__main__":
    main()
