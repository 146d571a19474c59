"""``rerun rrd stats``: how recordings are chunked, how big the chunks are, what the footers index.

The report has the reference's sections and wording (``name = value`` lines), so it can be read
or diffed the same way. ``--no-decode`` reports only what needs no chunk decoding.
"""

from __future__ import annotations

import argparse
import math
from collections import defaultdict
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from rerun_cli._command import Command
from rerun_cli._streams import Streams
from rerun_cli.rrd._args import add_continue_on_error, add_inputs
from rerun_cli.rrd._fmt import format_bytes, format_store_id, format_uint
from rerun_cli.rrd._input import Inputs
from rerun_cli.rrd._limits import PROFILES
from rerun_cli.rrd._stats_model import ChunkSizes, Distribution, Stats, percentile
from rerun_core.log_msg import ArrowMsg, StoreKind
from rerun_core.rrd import Manifest, MessageKind

__all__ = ["COMMAND"]

_PERCENTILES = (("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99), ("p999", 0.999))
_TARGET_PROFILE = "object-store"


def configure(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser)
    parser.add_argument(
        "--no-decode", action="store_true",
        help="never decode chunks: only what the framing tells (much faster, fewer statistics)",
    )  # fmt: skip
    add_continue_on_error(parser)


def run(args: argparse.Namespace, streams: Streams) -> int:
    inputs = Inputs(args.paths, streams, continue_on_error=True)
    stats = Stats()
    if args.no_decode:
        for _, frame in inputs.frames():
            if frame.kind == MessageKind.ARROW_MSG:
                stats.add_sizes(ChunkSizes.of(frame))
    else:
        for item in inputs.items():
            if isinstance(item.msg, ArrowMsg):
                stats.add_sizes(ChunkSizes.of(item.frame))
                stats.add_chunk(item.msg.chunk)
    manifests = [Manifest.from_proto(proto) for _, footer in inputs.footers() for proto in footer.manifests]
    lines = list(_overview(stats, decoded=not args.no_decode))
    lines += _sizes(stats)
    if not args.no_decode:
        lines += _unsorted(stats)
    lines += _chunk_indexes(manifests)
    lines += _analysis(manifests)
    streams.write_text("\n".join(lines) + "\n")
    return 0


def _section(title: str) -> list[str]:
    underline = "-" * (len(title) + 2 if title == "Overview" else len(title))  # the reference's quirk
    return [title, underline]


def _overview(stats: Stats, *, decoded: bool) -> Iterator[str]:
    yield from _section("Overview")
    yield f"num_chunks = {format_uint(stats.num_chunks)}"
    if not decoded:
        yield ""
        return
    share = 100 * stats.num_without_components / stats.num_chunks if stats.num_chunks else 0.0
    yield f"num_entity_paths = {format_uint(len(stats.per_entity))}"
    yield f"num_chunks_without_components = {format_uint(stats.num_without_components)} ({share:.3f}%)"
    yield f"num_rows = {format_uint(stats.num_rows.total)}"
    yield from _min_max_avg("num_rows", stats.num_rows)
    yield f"num_static = {format_uint(stats.num_static)}"
    yield from _min_max_avg("num_indexes", stats.num_indexes)
    yield from _min_max_avg("num_components", stats.num_components)
    for title, counts in (
        ("Num chunks per entity", stats.per_entity),
        ("Num chunks per index", stats.per_index),
        ("Num chunks per component", stats.per_component),
    ):
        yield ""
        yield from _section(title)
        yield from (f"{name}: {format_uint(count)}" for name, count in sorted(counts.items()))
    yield ""


def _min_max_avg(name: str, values: Distribution) -> Iterator[str]:
    yield f"{name}_min = {format_uint(min(values.values, default=0))}"
    yield f"{name}_max = {format_uint(max(values.values, default=0))}"
    yield f"{name}_avg = {values.average:.3f}"


def _sizes(stats: Stats) -> Iterator[str]:
    for title, values in (
        ("Size (schema + data, compressed)", stats.compressed),
        ("Size (schema + data, uncompressed)", stats.uncompressed),
        ("Size (schema only, uncompressed)", stats.schema_only),
        ("Size (data only, uncompressed)", stats.data_only),
    ):
        yield from _section(title)
        yield f"ipc_size_bytes_total = {format_bytes(values.total)}"
        yield f"ipc_size_bytes_min = {format_bytes(min(values.values, default=0))}"
        yield f"ipc_size_bytes_max = {format_bytes(max(values.values, default=0))}"
        yield f"ipc_size_bytes_avg = {format_bytes(values.average)}"
        for label, fraction in _PERCENTILES:
            yield f"ipc_size_bytes_{label} = {format_bytes(percentile(values.values, fraction))}"
        yield ""


def _unsorted(stats: Stats) -> Iterator[str]:
    yield from _section("Unsorted timelines")
    affected = {e: t for e, t in stats.timelines_per_entity.items() if not all(t.values())}
    if not affected:
        yield "(none — every timeline on every chunk is sorted)"
    else:
        yield (
            f"{len(affected)} entity(ies) had at least one chunk with an unsorted timeline. "
            "For each such entity, all of its timelines are listed below:"
        )
    for entity, timelines in sorted(affected.items()):
        yield f"  {entity}"
        yield from (f"    {name}: {'sorted' if ok else 'UNSORTED'}" for name, ok in sorted(timelines.items()))
    yield ""


def _chunk_indexes(manifests: list[Manifest]) -> Iterator[str]:
    yield from _section("Chunk index")
    if not manifests:
        yield "(none — no chunk index was found)"
        yield ""
        return
    yield f"num_chunk_indexes = {len(manifests)} (one per recording)"
    for manifest in manifests:
        table = manifest.chunks
        column = table.column
        yield ""
        yield f"Chunk index for {format_store_id(manifest.store_id)}"
        yield f"  num_chunks_indexed = {table.num_rows}"
        yield f"  num_static_chunks = {sum(column('chunk_is_static').to_pylist())}"
        yield f"  num_entity_paths = {len(set(column('chunk_entity_path').to_pylist()))}"
        yield f"  num_columns = {table.num_columns}"
        yield f"  sorbet_schema_num_fields = {len(manifest.sorbet_schema)}"
        yield f"  sorbet_schema_sha256 = {manifest.sorbet_schema_sha256.hex()}"
        yield f"  chunk_byte_size_total (native) = {format_bytes(sum(column('chunk_byte_size').to_pylist()))}"
        total = sum(column("chunk_byte_size_uncompressed").to_pylist())
        yield f"  chunk_byte_size_uncompressed_total = {format_bytes(total)}"
    yield ""


def _chunk_bounds(manifest: Manifest, target: int) -> tuple[int, int]:
    """Fewest temporal chunks the target allows (per entity and set of timelines), and how many there are."""
    table = manifest.chunks
    timelines = [name[: -len(":start")] for name in table.column_names if _is_timeline_start(table, name)]
    columns = [
        "chunk_id",
        "chunk_entity_path",
        "chunk_is_static",
        "chunk_num_rows",
        "chunk_byte_size_uncompressed",
    ]
    present_flags = [table.column(f"{t}:start").is_valid().to_pylist() for t in timelines]
    with_data = _rows_with_component_data(table)
    rows = zip(*(table.column(c).to_pylist() for c in columns), with_data, *present_flags, strict=True)
    sizes: dict[tuple[object, ...], int] = defaultdict(int)
    seen: set[bytes] = set()
    for chunk_id, entity, is_static, num_rows, size, has_data, *flags in rows:
        if is_static or not num_rows or not has_data or chunk_id in seen:
            continue  # the reference's store would not hold it (or holds it once)
        seen.add(chunk_id)
        present = tuple(t for t, flag in zip(timelines, flags, strict=True) if flag)
        sizes[(entity, present)] += size
    effective = len(seen)
    return sum(max(1, math.ceil(size / target)) for size in sizes.values()), effective


def _rows_with_component_data(table: pa.Table) -> list[bool]:
    """Per indexed chunk: does any component column of it hold data on some timeline?"""
    counts = [name for name in table.column_names if name.endswith(":num_rows") and name != "chunk_num_rows"]
    flags = [False] * table.num_rows if counts else [True] * table.num_rows
    for name in counts:
        values = pc.fill_null(table.column(name), 0).to_pylist()
        flags = [flag or value > 0 for flag, value in zip(flags, values, strict=True)]
    return flags


def _is_timeline_start(table: pa.Table, name: str) -> bool:
    index = (table.schema.field(name).metadata or {}).get(b"rerun:index", b"").decode()
    return bool(index) and name == f"{index}:start"


def _analysis(manifests: list[Manifest]) -> Iterator[str]:
    """How far the chunking is from the fewest chunks the size target allows, per recording."""
    yield from _section("Chunk index analysis")
    recordings = [m for m in manifests if m.store_id.kind == StoreKind.RECORDING]
    if not recordings:
        yield (
            "(not available — the input stream did not contain any chunk index; "
            "run `rerun rrd migrate` to migrate older files)"
        )
        return
    target = PROFILES[_TARGET_PROFILE].max_bytes
    for manifest in recordings:
        lower, effective = _chunk_bounds(manifest, target)
        width = len(str(max(lower, effective)))
        ratio = effective / lower if lower else 0.0
        yield ""
        yield f"Store {format_store_id(manifest.store_id)}"
        yield f"chunk index columns: {manifest.chunks.num_columns}"
        yield ""
        yield f"Optimization check based on a {format_bytes(target)} chunk size target (`--profile {_TARGET_PROFILE}`)"
        yield f"  - theoretical lower bound: {lower:>{width}} chunks"
        yield f"  - effective:               {effective:>{width}} chunks ({ratio:.1f}×)"
        yield f"  - excess:                  {effective - lower:>{width}} chunks"
    yield ""


COMMAND = Command(
    name="stats",
    summary="Report chunk counts, sizes and the footer indexes of recordings",
    description=(
        "Report chunk counts, sizes and footer indexes of recordings.\n\n"
        "Reads standard input when no paths are given. Example: rerun rrd stats --no-decode run.rrd"
    ),
    configure=configure,
    run=run,
)
