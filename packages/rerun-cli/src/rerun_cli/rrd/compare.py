"""``rerun rrd compare``: do two recordings hold the same data? Exit status 0 if so, 1 if not.

Each file is loaded the way the reference's chunk store loads it (see ``_store``), its single data
recording is taken (blueprints are ignored), and then the chunks are matched up pairwise with the
reference's notion of similarity (see ``_similar``): in chunk-id order, or — with ``--unordered`` —
each chunk of the first file against any still unmatched chunk of the second. Chunking itself is
*not* forgiven: the same rows split into different chunks compare as different, as they do for the
reference.
"""

from __future__ import annotations

import argparse
from collections import defaultdict

from rerun_cli._command import Command
from rerun_cli._streams import Streams
from rerun_cli.errors import CliError
from rerun_cli.rrd._chunks import drop_timelines
from rerun_cli.rrd._fmt import format_uint
from rerun_cli.rrd._input import Inputs
from rerun_cli.rrd._render import TableStyle, batch_table, render_text
from rerun_cli.rrd._similar import Mismatch, ensure_similar
from rerun_cli.rrd._store import ChunkSet
from rerun_cli.rrd.print import chunk_summary
from rerun_core.chunk import Chunk
from rerun_core.log_msg import ArrowMsg, BlueprintActivationCommand, LogMsg, StoreId, StoreKind

__all__ = ["COMMAND", "load_recording", "mismatches"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path_to_rrd1", metavar="PATH_TO_RRD1")
    parser.add_argument("path_to_rrd2", metavar="PATH_TO_RRD2")
    parser.add_argument(
        "--unordered", action="store_true",
        help="match chunks regardless of their order (the data model itself is unordered)",
    )  # fmt: skip
    parser.add_argument("--full-dump", action="store_true", help="print both recordings as tables")
    parser.add_argument(
        "--ignore-chunks-without-components", action="store_true", help="leave out chunks without components"
    )
    parser.add_argument(
        "--ignore-timeline", action="append", default=[], metavar="TIMELINE",
        help="leave this timeline out entirely: its presence, absence and values (repeatable)",
    )  # fmt: skip


def run(args: argparse.Namespace, streams: Streams) -> int:
    ignored = set(args.ignore_timeline)
    app1, chunks1 = load_recording(args.path_to_rrd1, streams, ignored, args.ignore_chunks_without_components)
    app2, chunks2 = load_recording(args.path_to_rrd2, streams, ignored, args.ignore_chunks_without_components)
    if args.full_dump:
        for app_id, chunks in ((app1, chunks1), (app2, chunks2)):
            streams.print(app_id)
            for chunk in chunks:
                streams.print(render_text(batch_table(chunk.to_record_batch(), TableStyle())))
    if app1 != app2:
        raise CliError(f"Application IDs do not match: '{app1}' vs. '{app2}'")
    if len(chunks1) != len(chunks2):
        raise CliError(
            f"Number of Chunks does not match: '{format_uint(len(chunks1))}' vs. '{format_uint(len(chunks2))}'"
        )
    problem = (
        _unordered_problem(args.path_to_rrd1, chunks1, args.path_to_rrd2, chunks2)
        if args.unordered
        else _ordered_problem(chunks1, chunks2)
    )
    if problem:
        raise CliError(problem)
    return 0


def load_recording(
    path: str,
    streams: Streams,
    ignored_timelines: frozenset[str] | set[str] = frozenset(),
    skip_componentless: bool = False,
) -> tuple[str, list[Chunk]]:
    """The application id and chunks (in chunk-id order) of the one data recording in ``path``."""
    stores: dict[StoreId, ChunkSet] = defaultdict(ChunkSet)
    inputs = Inputs([path], streams)
    for item in inputs.items():
        store = stores[_store_id(item.msg)]
        if isinstance(item.msg, ArrowMsg):
            store.insert(item.msg.chunk)
    if not inputs.sources[0].opened:
        raise CliError(f"path: {path!r}: couldn't open rrd file contents")
    inputs.check()
    recordings = [store_id for store_id in stores if store_id.kind == StoreKind.RECORDING]
    if not recordings:
        raise CliError(f"path: {path!r}: no data recording found in rrd file")
    if len(recordings) > 1:
        raise CliError(f"path: {path!r}: more than one data recording found in rrd file")
    chunks = stores[recordings[0]].physical_chunks()
    if ignored_timelines:
        chunks = [drop_timelines(chunk, ignored_timelines, keep_id=True) for chunk in chunks]
    if skip_componentless:
        chunks = [chunk for chunk in chunks if chunk.components]
    return recordings[0].application_id, chunks


def _store_id(msg: LogMsg) -> StoreId:
    return msg.blueprint_id if isinstance(msg, BlueprintActivationCommand) else msg.store_id


def _ordered_problem(chunks1: list[Chunk], chunks2: list[Chunk]) -> str | None:
    for position, (chunk1, chunk2) in enumerate(zip(chunks1, chunks2, strict=True)):
        try:
            ensure_similar(chunk1, chunk2)
        except Mismatch as err:
            return (
                f"Chunks differ (chunk #{position} in chunk-id order: chunk_{chunk1.id} of "
                f"{chunk1.entity_path} vs. chunk_{chunk2.id} of {chunk2.entity_path}): {err}"
            )
    return None


def mismatches(chunks1: list[Chunk], chunks2: list[Chunk]) -> tuple[list[Chunk], list[Chunk]]:
    """Unmatched chunks of each side, matching greedily in the reference's order of search."""
    remaining = [(_quick_key(chunk), chunk) for chunk in chunks2]
    unmatched = []
    for chunk1 in chunks1:
        key = _quick_key(chunk1)
        for position, (key2, chunk2) in enumerate(remaining):
            if key == key2 and _similar(chunk1, chunk2):
                remaining[position] = remaining[-1]  # swap-remove, as the reference does
                remaining.pop()
                break
        else:
            unmatched.append(chunk1)
    return unmatched, [chunk for _, chunk in remaining]


def _quick_key(chunk: Chunk) -> tuple[object, ...]:
    """Necessary conditions for similarity, cheap to check first."""
    return chunk.entity_path, chunk.num_rows, tuple(sorted(chunk.timelines)), len(chunk.components)


def _similar(chunk1: Chunk, chunk2: Chunk) -> bool:
    try:
        ensure_similar(chunk1, chunk2)
    except Mismatch:
        return False
    return True


def _unordered_problem(path1: str, chunks1: list[Chunk], path2: str, chunks2: list[Chunk]) -> str | None:
    unmatched1, unmatched2 = mismatches(chunks1, chunks2)
    if not unmatched1 and not unmatched2:
        return None
    lines = ["Unordered comparison failed:"]
    for path, unmatched in ((path1, unmatched1), (path2, unmatched2)):
        if unmatched:
            lines.append(f"{len(unmatched)} chunk(s) from {path!r} could not be matched:")
            lines += [f"  {chunk_summary(chunk)}" for chunk in unmatched]
    return "\n".join(lines)


COMMAND = Command(
    name="compare",
    summary="Check whether two recordings hold the same data (exit status 0 when they do)",
    description=(
        "Compare the data of two recordings; exit status 0 when they match.\n\n"
        "Chunk and row ids and the values of the `log_time` timeline are not compared."
    ),
    configure=configure,
    run=run,
)
