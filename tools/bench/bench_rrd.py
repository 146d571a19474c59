"""RRD codec throughput: ours (``rerun_core``) against the reference Rerun 0.41, in the same run.

    .venv/bin/python tools/bench/bench_rrd.py [--size-mb 1024] [--points-per-row 10000]
        [--rows-per-chunk 8] [--repeat 1] [--data noise|grid] [--workdir DIR] [--keep-files]

A benchmark, not a test: it prints throughputs and ratios and never asserts on them.

How it is fair:
- One ``(points, 3)`` float32 array is generated once (seeded) and saved as ``.npy``; every writer
  loads it before its clock starts, so both sides encode the very same numbers.
- Each side runs in its own fresh subprocess (``_our_side.py`` under ``.venv/bin/python``,
  ``_reference_side.py`` under ``.venv-ref/bin/python``), so neither pays for the other's heap, imports
  or page-cache churn. Process start, imports, data loading and a one-chunk warm-up are outside the
  clock; ``os.sync()`` and ``gc.collect()`` run just before it starts.
- Rounds alternate ours/reference; with ``--repeat N`` the best (shortest) of N rounds is reported.
- Write = build chunks from the numpy data, encode, write, footer, close. Read = open the file,
  decode every chunk into a ``pyarrow.RecordBatch``. Reads hit a warm page cache (the files were
  just written): this measures the codec, not the disk.
- Throughput is the *uncompressed Arrow size* of the data (sum of ``RecordBatch.nbytes`` over all
  chunks: row ids, frame index, list offsets, xyz floats) divided by wall time; the same basis for
  every workload. MB = 10**6 bytes; ``--size-mb`` counts MiB (1024 = 1 GiB).
- Times are shown as wall (CPU of all threads / kernel share). On a small VM writing a GB into the page
  cache costs a variable amount of kernel time, for both sides alike: use ``--repeat 3`` for steady
  write numbers. The write target is checked against the faster of the two reference write paths.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
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

BYTES_PER_POINT = 12
MB = 1e6
READ_TARGET_MB_S = 1000.0  # 1 GB/s
REF_NO_UNCOMPRESSED = (
    "the reference cannot write uncompressed RRD: 0.41 always LZ4-compresses payloads "
    "(no option on rr.save / RecordingStream / LazyChunkStream.write_rrd / ChunkStore.write_rrd, no env var)"
)


@dataclass(frozen=True)
class Layout:
    """How the data is cut: rows of ``points_per_row`` points, ``rows_per_chunk`` rows per chunk."""

    num_rows: int
    points_per_row: int
    rows_per_chunk: int

    @property
    def num_chunks(self) -> int:
        return math.ceil(self.num_rows / self.rows_per_chunk)


def generate(path: Path, layout: Layout, kind: str, seed: int = 0) -> None:
    """Write the positions every writer will encode."""
    count = layout.num_rows * layout.points_per_row
    rng = np.random.default_rng(seed)
    if kind == "noise":  # incompressible: LZ4 gains nothing
        positions = rng.standard_normal((count, 3), dtype=np.float32)
    else:  # a 1 cm lattice with a little jitter per row: LZ4 finds repeats
        k = np.arange(count, dtype=np.int64)
        positions = np.empty((count, 3), dtype=np.float32)
        positions[:, 0] = (k % 256) * 0.01
        positions[:, 1] = ((k // 256) % 256) * 0.01
        positions[:, 2] = (k // layout.points_per_row % 97) * 0.01
    np.save(path, positions)


def arrow_basis(data: Path, layout: Layout) -> int:
    """Sum of ``RecordBatch.nbytes`` over the chunks (built with ours; the reference's are the same size)."""
    from _our_side import build_chunks

    positions = np.load(data, mmap_mode="r")
    chunks = build_chunks(np.asarray(positions), layout.points_per_row, layout.rows_per_chunk)
    return sum(chunk.nbytes for chunk in chunks)


def run_side(python: Path, script: str, *args: str | Path) -> dict[str, Any]:
    """Run one side in a fresh process and return its JSON result."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    cmd = [str(python), str(BENCH_DIR / script), *map(str, args)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=BENCH_DIR, check=False)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if proc.returncode != 0 or not lines:
        sys.stderr.write(f"benchmark side failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}\n")
        raise SystemExit(1)
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_PREFIX) :])
    return result


def best(runs: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """The fastest of several rounds of one workload."""
    return min((run[key] for run in runs), key=lambda result: result["seconds"])


def mb_s(basis: int, result: dict[str, Any] | None) -> float | None:
    return None if result is None else basis / result["seconds"] / MB


def fmt_rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def fmt_time(result: dict[str, Any] | None) -> str:
    if result is None:
        return "n/a"
    return f"{result['seconds']:.2f} ({result['cpu_seconds']:.2f}/{result['sys_seconds']:.2f})"


def fmt_ratio(ours: float | None, ref: float | None) -> str:
    return "n/a" if ours is None or ref is None else f"{ours / ref:.2f}x"


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    """A ``rich`` table when available, else aligned plain text."""
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
        print(f"\n{title}")
        for line in [header, [("-" * w) for w in widths], *rows]:
            print(
                "  ".join(
                    cell.ljust(w) if i == 0 else cell.rjust(w)
                    for i, (cell, w) in enumerate(zip(line, widths, strict=True))
                )
            )
        return
    table = Table(title=title, title_justify="left")
    for i, name in enumerate(header):
        table.add_column(name, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*row)
    Console(width=160).print(table)


def check_counts(label: str, result: dict[str, Any], layout: Layout) -> str | None:
    if (result["chunks"], result["rows"]) == (layout.num_chunks, layout.num_rows):
        return None
    got = f"{result['chunks']} chunks / {result['rows']} rows"
    return f"{label}: decoded {got}, expected {layout.num_chunks} / {layout.num_rows}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size-mb", type=float, default=1024, help="data size in MiB (default 1024 = 1 GiB)")
    parser.add_argument("--points-per-row", type=int, default=10_000)
    parser.add_argument(
        "--rows-per-chunk", type=int, default=8, help="default 8: ~0.9 MiB chunks at 10k points/row"
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best of them is reported")
    parser.add_argument(
        "--data", choices=("noise", "grid"), default="noise", help="noise: incompressible floats"
    )
    parser.add_argument("--workdir", type=Path, help="where the files go (default: a fresh temp dir)")
    parser.add_argument(
        "--keep-files", action="store_true", help="leave the data and .rrd files in the workdir"
    )
    args = parser.parse_args()
    for python in (OURS_PYTHON, REF_PYTHON):
        if not python.exists():
            raise SystemExit(f"missing {python}: run `bash tools/dev.sh setup`")

    num_rows = max(1, round(args.size_mb * 2**20 / (args.points_per_row * BYTES_PER_POINT)))
    layout = Layout(num_rows, args.points_per_row, args.rows_per_chunk)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench_rrd_"))
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / "positions.npy"
    files = {name: workdir / f"{name}.rrd" for name in ("ours_lz4", "ours_none", "ref_columns", "ref_save")}
    try:
        run(args, layout, workdir, data, files)
    finally:
        if not args.keep_files:
            for path in [data, *files.values()]:
                path.unlink(missing_ok=True)
            if args.workdir is None:
                shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, layout: Layout, workdir: Path, data: Path, files: dict[str, Path]) -> None:
    ppr, rpc = str(layout.points_per_row), str(layout.rows_per_chunk)
    print(
        f"Generating {layout.num_rows:,} rows x {layout.points_per_row:,} points ({args.data}) "
        f"in {layout.num_chunks:,} chunks of {layout.rows_per_chunk} rows, in {workdir} ..."
    )
    generate(data, layout, args.data)
    basis = arrow_basis(data, layout)

    ours_w: list[dict[str, Any]] = []
    ref_w: list[dict[str, Any]] = []
    ours_r: list[dict[str, Any]] = []
    ref_r: list[dict[str, Any]] = []
    read_files = {"ref": files["ref_save"], "ours_lz4": files["ours_lz4"], "ours_none": files["ours_none"]}
    writers = [
        (ours_w, OURS_PYTHON, "_our_side.py", files["ours_lz4"], files["ours_none"]),
        (ref_w, REF_PYTHON, "_reference_side.py", files["ref_columns"], files["ref_save"]),
    ]
    readers = [(ours_r, OURS_PYTHON, "_our_side.py"), (ref_r, REF_PYTHON, "_reference_side.py")]
    for round_ in range(args.repeat):  # who goes first alternates between rounds
        print(f"round {round_ + 1}/{args.repeat}: write ...", flush=True)
        for runs, python, script, *outs in writers[:: 1 if round_ % 2 == 0 else -1]:
            runs.append(run_side(python, script, "write", data, ppr, rpc, *outs))
    for round_ in range(args.repeat):
        print(f"round {round_ + 1}/{args.repeat}: read ...", flush=True)
        for runs, python, script in readers[:: 1 if round_ % 2 == 0 else -1]:
            runs.append(run_side(python, script, "read", *read_files.values()))

    w_ours_lz4, w_ours_none = best(ours_w, "lz4"), best(ours_w, "none")
    w_ref_cols, w_ref_save = best(ref_w, "columns"), best(ref_w, "save")
    reads = {name: (best(ours_r, str(path)), best(ref_r, str(path))) for name, path in read_files.items()}

    rows: list[list[str]] = []

    def add(label: str, ours: dict[str, Any] | None, ref: dict[str, Any] | None) -> None:
        o, r = mb_s(basis, ours), mb_s(basis, ref)
        rows.append([label, fmt_rate(o), fmt_rate(r), fmt_ratio(o, r), fmt_time(ours), fmt_time(ref)])

    add("encode+write LZ4 (ref: Chunk.from_columns -> write_rrd)", w_ours_lz4, w_ref_cols)
    add("encode+write LZ4 (ref: send_columns -> rr.save)", w_ours_lz4, w_ref_save)
    add("encode+write uncompressed (ref: cannot, see note)", w_ours_none, None)
    add("read+decode ref-written file (LZ4)", *reads["ref"])
    add("read+decode our file (LZ4)", *reads["ours_lz4"])
    add("read+decode our file (uncompressed)", *reads["ours_none"])
    print()
    shape = f"{layout.num_rows:,} rows x {layout.points_per_row:,} Points3D positions"
    print(
        f"Throughput basis: uncompressed Arrow size = sum of RecordBatch.nbytes = {basis / MB:,.1f} MB "
        f"({shape}, {layout.num_chunks:,} chunks)."
    )
    print(
        f"MB = 10^6 bytes. Best of {args.repeat} round(s). "
        "Times: wall seconds (CPU seconds of all threads / of which in the kernel)."
    )
    header = ["Workload", "Ours MB/s", "Ref 0.41 MB/s", "Ours/Ref", "Ours s (cpu/sys)", "Ref s (cpu/sys)"]
    print_table("RRD codec: ours vs reference Rerun 0.41 (same run, same machine)", header, rows)

    sizes = [
        ["ours, LZ4", w_ours_lz4["file_bytes"]],
        ["ours, uncompressed", w_ours_none["file_bytes"]],
        ["ref, LZ4 (write_rrd)", w_ref_cols["file_bytes"]],
        ["ref, LZ4 (rr.save)", w_ref_save["file_bytes"]],
    ]
    size_rows = [[name, f"{size / MB:,.1f}", f"{size / basis:.3f}"] for name, size in sizes]
    print_table("File sizes", ["File", "MB", "size / Arrow basis"], size_rows)

    ref_best = max(mb_s(basis, w_ref_cols) or 0.0, mb_s(basis, w_ref_save) or 0.0)
    ours_write = mb_s(basis, w_ours_lz4) or 0.0
    ours_read = mb_s(basis, reads["ours_none"][0]) or 0.0
    verdict = {True: "MET", False: "NOT MET"}
    print(
        f"Write target  ours >= 1.0x reference (LZ4, vs the faster reference path): "
        f"{ours_write / ref_best:.2f}x -> {verdict[ours_write >= ref_best]}"
    )
    print(
        f"Read target   ours read+decode of an uncompressed file >= 1 GB/s: "
        f"{ours_read / 1000:.2f} GB/s -> {verdict[ours_read >= READ_TARGET_MB_S]}"
    )
    print(f"Note: {REF_NO_UNCOMPRESSED}.")
    problems = [
        check_counts(f"{side} reading {name}", result, layout)
        for name, (ours, ref) in reads.items()
        for side, result in (("ours", ours), ("ref", ref))
    ]
    for problem in filter(None, problems):
        print(f"WARNING {problem}")


if __name__ == "__main__":
    main()
