"""``rerun rrd verify``: can every message be decoded and every column be interpreted?

Checks, per input: that messages decode; that each component column matches its archetype and
component type as Rerun 0.41 defines them; and (``--check-footers``, on by default) that each
stream ends with a footer whose manifests list exactly the chunks the stream holds, at the byte
offsets where they are. Problems are listed on stderr and the exit status is 1.
"""

from __future__ import annotations

import argparse
from collections import defaultdict

from rerun_cli._command import Command
from rerun_cli._streams import Streams
from rerun_cli.errors import CliError
from rerun_cli.rrd._args import add_inputs, add_optional_bool
from rerun_cli.rrd._input import Inputs, Item, Source
from rerun_cli.rrd._schema_check import column_problem
from rerun_core.chunk import Chunk
from rerun_core.log_msg import ArrowMsg, StoreId
from rerun_core.rrd import Frame, Manifest
from rerun_core.tuid import Tuid

__all__ = ["COMMAND"]

# per input, stream and store: chunk id -> (byte offset of its ArrowMsg body in the input, body size)
_Seen = dict[tuple[str, int, StoreId], dict[Tuid, tuple[int, int]]]


def configure(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser)
    add_optional_bool(
        parser, "--check-footers", default=True, help="require well-formed footers and manifests"
    )


def run(args: argparse.Namespace, streams: Streams) -> int:
    inputs = Inputs(args.paths, streams, continue_on_error=True)
    problems: list[str] = []
    seen: _Seen = defaultdict(dict)
    for item in inputs.items():
        if isinstance(item.msg, ArrowMsg):
            problems += _column_problems(item.source, item.msg.chunk)
            seen[(item.source, item.stream_start, item.msg.store_id)][item.msg.chunk.id] = _location(item)
    if args.check_footers:
        for source in inputs.sources:
            if source.num_messages:
                problems += _footer_problems(source, seen)
    for problem in problems:
        streams.error(problem)
    num_errors = len(problems) + inputs.failures
    if num_errors:
        raise CliError(f"Verification failed with {num_errors} errors")
    verified = sum(1 for source in inputs.sources if source.num_messages)
    streams.error(f"{verified} file{'' if verified == 1 else 's'} verified without error.")
    return 0


def _column_problems(source: str, chunk: Chunk) -> list[str]:
    problems = []
    for descriptor, column in chunk.components.items():
        problem = column_problem(descriptor, column.type)
        if problem:
            name = f"{chunk.entity_path}:{descriptor.component}"
            problems.append(f'"{source}": Failed to deserialize column {name}: {problem}')
    return problems


def _location(item: Item) -> tuple[int, int]:
    frame: Frame = item.frame
    return frame.body_offset, len(frame.body)


def _footer_problems(source: Source, seen: _Seen) -> list[str]:
    assert source.decoder is not None
    records = source.decoder.footers
    manifests = [proto for record in records for proto in record.footer.manifests]
    if not manifests:
        return [f'"{source.name}": Missing RRD footer / no RRD manifests']
    problems = []
    for record in records:
        for proto in record.footer.manifests:
            try:
                manifest = Manifest.from_proto(proto, stream_offset=record.stream_offset)
            except Exception as err:  # a damaged manifest may fail anywhere in Arrow or LZ4 decoding
                problems.append(f'"{source.name}": Corrupt RRD manifest: {err}')
                continue
            if not source.num_failures:  # chunks that failed to decode are already reported
                chunks = seen[(source.name, record.stream_offset, manifest.store_id)]
                problems += _manifest_problems(source.name, manifest, chunks)
    return problems


def _manifest_problems(name: str, manifest: Manifest, chunks: dict[Tuid, tuple[int, int]]) -> list[str]:
    table = manifest.chunks.select(["chunk_id", "chunk_byte_offset", "chunk_byte_size"]).to_pydict()
    listed = {
        Tuid.from_bytes(chunk_id): (offset + manifest.stream_offset, size)
        for chunk_id, offset, size in zip(
            table["chunk_id"], table["chunk_byte_offset"], table["chunk_byte_size"], strict=True
        )
    }
    problems = []
    if set(listed) != set(chunks):
        missing, extra = len(set(chunks) - set(listed)), len(set(listed) - set(chunks))
        problems.append(
            f'"{name}": Corrupt RRD manifest: it lists {len(listed)} chunks, the stream holds {len(chunks)} '
            f"({missing} not listed, {extra} not present)"
        )
    wrong = [
        chunk_id for chunk_id, where in listed.items() if chunk_id in chunks and chunks[chunk_id] != where
    ]
    if wrong:
        problems.append(
            f'"{name}": Corrupt RRD manifest: wrong byte range for chunk_{wrong[0]} (and {len(wrong) - 1} more)'
        )
    return problems


COMMAND = Command(
    name="verify",
    summary="Check that recordings decode and can be interpreted by this version",
    description=(
        "Check that recordings can be loaded and interpreted by this version of Rerun.\n\n"
        "Reads standard input when no paths are given."
    ),
    configure=configure,
    run=run,
)
