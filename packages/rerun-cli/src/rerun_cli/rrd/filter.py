"""``rerun rrd filter``: the same stream without some entities and/or timelines.

Streaming, message by message; chunking is left alone and chunks keep their ids (as with the
reference). A chunk that loses all its timelines becomes static.
"""

from __future__ import annotations

import argparse

from rerun_cli._command import Command
from rerun_cli._streams import Streams
from rerun_cli.rrd._args import add_continue_on_error, add_inputs, add_output
from rerun_cli.rrd._chunks import drop_timelines
from rerun_cli.rrd._entity import canonical_entity, parse_entity_arg
from rerun_cli.rrd._input import Inputs
from rerun_cli.rrd._output import open_output
from rerun_core.log_msg import ArrowMsg, LogMsg

__all__ = ["COMMAND", "filtered"]


def configure(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser)
    add_output(parser)
    parser.add_argument(
        "--drop-timeline", action="append", default=[], metavar="DROPPED_TIMELINES",
        help="name of a timeline to remove (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--drop-entity", action="append", default=[], metavar="DROPPED_ENTITY_PATHS",
        help="path of an entity to remove, exactly (repeatable)",
    )  # fmt: skip
    add_continue_on_error(parser)


def run(args: argparse.Namespace, streams: Streams) -> int:
    timelines = set(args.drop_timeline)
    entities = {parse_entity_arg(text, streams) for text in args.drop_entity}
    inputs = Inputs(args.paths, streams, continue_on_error=args.continue_on_error)
    with open_output(args.output, streams) as encoder:
        for item in inputs.items():
            msg = filtered(item.msg, timelines, entities)
            if msg is not None:
                encoder.append(msg)
    inputs.check()
    return 0


def filtered(msg: LogMsg, timelines: set[str], entities: set[str]) -> LogMsg | None:
    """``msg`` without the dropped data; ``None`` when nothing of it is left."""
    if not isinstance(msg, ArrowMsg):
        return msg
    if canonical_entity(msg.chunk.entity_path) in entities:
        return None
    chunk = drop_timelines(msg.chunk, timelines, keep_id=True) if timelines else msg.chunk
    return msg if chunk is msg.chunk else ArrowMsg(msg.store_id, chunk)


COMMAND = Command(
    name="filter",
    summary="Drop entities and/or timelines from recordings (to standard output or -o)",
    description=(
        "Remove entities and/or timelines from recordings; the chunking is left as it is.\n\n"
        "Reads standard input when no paths are given.\n"
        "Example: cat run.rrd | rerun rrd filter --drop-entity /debug --drop-timeline log_time > slim.rrd"
    ),
    configure=configure,
    run=run,
)
