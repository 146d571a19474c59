"""``rerun rrd merge``: many recordings into one stream, the way the reference's store combines them.

Streaming: temporal chunks are written as they arrive (a chunk id already written is skipped), so
memory stays small. Static chunks are held back to the end, because a newer static chunk can
overwrite an older one entirely — the reference's store then drops the older one, and so do we.
Each store's info is written once, before its first chunk; blueprint activations come last.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from rerun_cli._command import Command
from rerun_cli._streams import Streams
from rerun_cli.rrd._args import add_continue_on_error, add_inputs, add_output
from rerun_cli.rrd._input import Inputs
from rerun_cli.rrd._output import open_output
from rerun_cli.rrd._store import ChunkSet
from rerun_core.log_msg import ArrowMsg, BlueprintActivationCommand, LogMsg, SetStoreInfo, StoreId
from rerun_core.rrd import RrdEncoder
from rerun_core.tuid import Tuid

__all__ = ["COMMAND", "StreamingMerge"]


def configure(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser)
    add_output(parser)
    add_continue_on_error(parser)


def run(args: argparse.Namespace, streams: Streams) -> int:
    inputs = Inputs(args.paths, streams, continue_on_error=args.continue_on_error)
    with open_output(args.output, streams) as encoder:
        merge = StreamingMerge(encoder)
        for item in inputs.items():
            merge.add(item.msg)
        merge.finish()
    inputs.check()
    return 0


@dataclass
class StreamingMerge:
    """Feeds messages from any number of inputs into one encoder, without duplicates."""

    encoder: RrdEncoder
    _infos: set[StoreId] = field(default_factory=set)
    _temporal_ids: set[Tuid] = field(default_factory=set)
    _statics: dict[StoreId, ChunkSet] = field(default_factory=dict)
    _activations: list[BlueprintActivationCommand] = field(default_factory=list)

    def add(self, msg: LogMsg) -> None:
        if isinstance(msg, SetStoreInfo):
            self._announce(msg.store_id, msg)
        elif isinstance(msg, BlueprintActivationCommand):
            if msg not in self._activations:
                self._activations.append(msg)
        elif isinstance(msg, ArrowMsg):
            self._add_chunk(msg)

    def _announce(self, store_id: StoreId, info: SetStoreInfo | None) -> None:
        if store_id in self._infos:
            return
        self._infos.add(store_id)
        self._statics[store_id] = ChunkSet()
        if info is not None:
            self.encoder.append(info)

    def _add_chunk(self, msg: ArrowMsg) -> None:
        chunk = msg.chunk
        if chunk.num_rows == 0 or not chunk.components:
            return  # the reference's store keeps no such chunks
        self._announce(msg.store_id, None)
        if chunk.is_static:
            self._statics[msg.store_id].insert(chunk)
        elif chunk.id not in self._temporal_ids:
            self._temporal_ids.add(chunk.id)
            self.encoder.append(msg)

    def finish(self) -> None:
        for store_id, statics in self._statics.items():
            for chunk in statics:
                self.encoder.append(ArrowMsg(store_id, chunk))
        for activation in self._activations:
            self.encoder.append(activation)


COMMAND = Command(
    name="merge",
    summary="Combine recordings and streams into one (to standard output or -o)",
    description=(
        "Merge recordings into one stream, written to standard output unless -o is given.\n\n"
        "Reads standard input when no paths are given. Example: rerun rrd merge a.rrd b.rrd -o out.rrd"
    ),
    configure=configure,
    run=run,
)
