"""``rerun rrd route``: rewrite the application and/or recording id of every message.

Useful to combine several files into one recording. When ``--recording-id`` is given for more
than one input, blueprint activation commands are dropped (they would name one blueprint for
several). Unlike the reference, payloads are decoded on the way (our writer indexes every chunk
in the footer), so an undecodable message is reported rather than passed through.
"""

from __future__ import annotations

import argparse
import dataclasses

from rerun_cli._command import Command
from rerun_cli._streams import Streams
from rerun_cli.rrd._args import add_continue_on_error, add_inputs
from rerun_cli.rrd._input import Inputs
from rerun_cli.rrd._output import open_output
from rerun_core.log_msg import ArrowMsg, BlueprintActivationCommand, LogMsg, SetStoreInfo, StoreId

__all__ = ["COMMAND", "routed"]


def configure(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser)
    parser.add_argument(
        "-o", "--output", metavar="dst.rrd", help="where to write; standard output when omitted"
    )
    add_continue_on_error(parser)
    parser.add_argument("--application-id", help="the application id to give every message")
    parser.add_argument("--recording-id", help="the recording id to give every message")


def run(args: argparse.Namespace, streams: Streams) -> int:
    drop_activations = args.recording_id is not None and len(args.paths) > 1
    inputs = Inputs(args.paths, streams, continue_on_error=args.continue_on_error)
    with open_output(args.output, streams) as encoder:
        for item in inputs.items():
            msg = routed(item.msg, args.application_id, args.recording_id, drop_activations=drop_activations)
            if msg is not None:
                encoder.append(msg)
    inputs.check()
    return 0


def routed(
    msg: LogMsg, application_id: str | None, recording_id: str | None, *, drop_activations: bool = False
) -> LogMsg | None:
    def reroute(store_id: StoreId) -> StoreId:
        return StoreId(
            store_id.kind, application_id or store_id.application_id, recording_id or store_id.recording_id
        )

    if isinstance(msg, SetStoreInfo):
        return dataclasses.replace(msg, store_id=reroute(msg.store_id))
    if isinstance(msg, ArrowMsg):
        return ArrowMsg(reroute(msg.store_id), msg.chunk)
    if isinstance(msg, BlueprintActivationCommand):
        return None if drop_activations else dataclasses.replace(msg, blueprint_id=reroute(msg.blueprint_id))
    return msg


COMMAND = Command(
    name="route",
    summary="Give every message a new application and/or recording id",
    description=(
        "Give every message a new application and/or recording id, e.g. to make several files one\n"
        "recording: rerun rrd route --recording-id session_7 part1.rrd part2.rrd -o session_7.rrd"
    ),
    configure=configure,
    run=run,
)
