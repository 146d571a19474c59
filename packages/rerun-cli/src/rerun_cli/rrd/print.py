"""``rerun rrd print``: a readable account of what recordings hold, chunk by chunk.

Verbosity follows the reference: one line per chunk with short column names, ``-v`` with full
``entity@component`` names, ``-vv`` with the chunk's schema and metadata as a table, ``-vvv`` with the
data too. Unreadable inputs are reported and skipped unless ``--continue-on-error=false``.
"""

from __future__ import annotations

import argparse

import pyarrow as pa

from rerun_cli._command import Command
from rerun_cli._streams import Streams
from rerun_cli.rrd._args import add_inputs, add_optional_bool
from rerun_cli.rrd._entity import canonical_entity, parse_entity_arg
from rerun_cli.rrd._fmt import format_activation, format_bytes, format_store_info
from rerun_cli.rrd._input import Inputs
from rerun_cli.rrd._render import TableStyle, batch_table, render_text
from rerun_core.chunk import Chunk
from rerun_core.log_msg import ArrowMsg, BlueprintActivationCommand, SetStoreInfo
from rerun_core.rrd import Manifest

__all__ = ["COMMAND", "chunk_summary"]

_MIGRATION_NOTE = "Showing data after migration to latest Rerun version"
_GLOBAL_FOOTER_COLUMNS = 7  # chunk_entity_path ... chunk_byte_size_uncompressed


def configure(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser)
    parser.add_argument(
        "-v", "--verbose", action="count", default=0,
        help="more detail per -v: full column names (-v), chunk schemas (-vv), chunk data (-vvv)",
    )  # fmt: skip
    add_optional_bool(parser, "--continue-on-error", default=True, help="report unreadable input and go on")
    add_optional_bool(parser, "--migrate", default=True, help="show chunks as the current version reads them")
    add_optional_bool(parser, "--full-metadata", default=False, help="keep the `rerun:` prefixes of keys")
    parser.add_argument("--entity", help="only show chunks of this entity")
    add_optional_bool(parser, "--footers", default=False, help="also show the footers (chunk indexes)")
    parser.add_argument(
        "--footers-lod", type=int, default=0, choices=(0, 1, 2), metavar="{0,1,2}",
        help="footer detail: 0 chunk columns, 1 with timeline ranges, 2 everything (default: 0)",
    )  # fmt: skip
    add_optional_bool(parser, "--transposed", default=False, help="show tables with fields as rows")


def run(args: argparse.Namespace, streams: Streams) -> int:
    entity = parse_entity_arg(args.entity, streams) if args.entity else None
    style = TableStyle(
        with_data=args.verbose >= 3, full_metadata=args.full_metadata, transposed=args.transposed
    )
    if args.migrate:
        streams.print(_MIGRATION_NOTE)
    inputs = Inputs(args.paths, streams, continue_on_error=args.continue_on_error)
    for item in inputs.items():
        msg = item.msg
        if isinstance(msg, SetStoreInfo):
            streams.print(format_store_info(msg))
        elif isinstance(msg, BlueprintActivationCommand):
            streams.print(format_activation(msg))
        elif isinstance(msg, ArrowMsg) and (
            entity is None or canonical_entity(msg.chunk.entity_path) == entity
        ):
            _print_chunk(msg.chunk, args.verbose, style, streams)
    if args.footers:
        for source, footer in inputs.footers():
            for proto in footer.manifests:
                _print_manifest(Manifest.from_proto(proto), source.name, args.footers_lod, style, streams)
    inputs.check()
    return 0


def chunk_summary(chunk: Chunk, *, qualified: bool = False) -> str:
    """The one-line description of a chunk (``-v`` qualifies column names with the entity)."""
    names = [d.component for d in chunk.components]
    if qualified:
        names = [f"{chunk.entity_path}@{name}" for name in names]
    return f"{_chunk_head(chunk)}data columns: [{' '.join(names)}]"


def _chunk_head(chunk: Chunk) -> str:
    size = format_bytes(chunk.to_record_batch().get_total_buffer_size())
    return f"Chunk(chunk_{chunk.id}) with {chunk.num_rows} rows ({size}) - {chunk.entity_path} - "


def _print_chunk(chunk: Chunk, verbose: int, style: TableStyle, streams: Streams) -> None:
    if verbose < 2:
        streams.print(chunk_summary(chunk, qualified=verbose == 1))
        return
    streams.print(_chunk_head(chunk))
    streams.print(render_text(batch_table(chunk.to_record_batch(), style)))
    streams.print()


def _print_manifest(manifest: Manifest, source: str, lod: int, style: TableStyle, streams: Streams) -> None:
    table = manifest.chunks
    keep = [name for i, name in enumerate(table.column_names) if _footer_column_wanted(table, i, lod)]
    batch = table.select(keep).combine_chunks().to_batches()
    shown = batch[0] if batch else pa.RecordBatch.from_pylist([], schema=table.select(keep).schema)
    metadata = {"source": f'"{source}"', "schema_sha_256": manifest.sorbet_schema_sha256.hex()}
    full = TableStyle(with_data=True, full_metadata=style.full_metadata, transposed=style.transposed)
    streams.print(render_text(batch_table(shown, full, extra_metadata=metadata)))


def _footer_column_wanted(table: pa.Table, index: int, lod: int) -> bool:
    """LOD 0: per-chunk columns; 1: plus each timeline's overall range; 2: every column."""
    if index < _GLOBAL_FOOTER_COLUMNS or lod >= 2:
        return True
    if lod == 0:
        return False
    field = table.schema.field(index)
    index_name = (field.metadata or {}).get(b"rerun:index", b"").decode()
    return field.name in (f"{index_name}:start", f"{index_name}:end")


COMMAND = Command(
    name="print",
    summary="Show what recordings contain, message by message",
    description=(
        "Print the contents of recordings, one line per message and more with -v/-vv/-vvv.\n\n"
        "Reads standard input when no paths are given. Example: rerun rrd print -vv --entity /camera run.rrd"
    ),
    configure=configure,
    run=run,
)
