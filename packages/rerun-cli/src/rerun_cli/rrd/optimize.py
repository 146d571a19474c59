"""``rerun rrd optimize``: compact the chunks of recordings, writing one optimized stream.

Inputs are loaded as the reference's store loads them (duplicates and overwritten static data
dropped), then small temporal chunks are merged (see ``_compaction``). If an input is a directory,
every .rrd/.rbl below it is optimized on its own into the same place under ``-o`` (mirror mode).

Not built: re-batching video streams on keyframe (GoP) boundaries, ``--fix-keyframe`` and
``--split-size-ratio``; video chunks are compacted like any other chunk, with a warning.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rerun_cli._command import Command
from rerun_cli._streams import Streams
from rerun_cli.errors import NotBuiltError, UsageError
from rerun_cli.rrd._args import add_continue_on_error, add_inputs
from rerun_cli.rrd._compaction import CompactionLimits, compact
from rerun_cli.rrd._input import Inputs
from rerun_cli.rrd._limits import add_limit_arguments, limits_from
from rerun_cli.rrd._output import open_output
from rerun_cli.rrd._store import ChunkSet
from rerun_core.chunk import Chunk
from rerun_core.log_msg import ArrowMsg, BlueprintActivationCommand, SetStoreInfo, StoreId
from rerun_core.rrd import RrdEncoder

__all__ = ["COMMAND", "StoreContents", "load_stores", "write_stores"]

_VIDEO_ARCHETYPE = "rerun.archetypes.VideoStream"
_RECORDING_SUFFIXES = (".rrd", ".rbl")


def configure(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser)
    parser.add_argument(
        "-o", "--output", metavar="dst.(rrd|rbl)",
        help="output file (standard output when omitted); in mirror mode the output directory",
    )  # fmt: skip
    add_limit_arguments(parser)
    parser.add_argument(
        "--num-pass", type=int, metavar="NUM_EXTRA_PASSES",
        help="extra compaction passes; ours converges in one, so this only bounds the work",
    )  # fmt: skip
    add_continue_on_error(parser)
    parser.add_argument("--no-rebatch-videos", action="store_true", help="do not re-batch video on keyframes")
    parser.add_argument("--fix-keyframe", action="store_true", help="re-derive video keyframe labels")
    parser.add_argument(
        "--split-size-ratio", type=float, help="split archetypes of very different sizes apart"
    )


def run(args: argparse.Namespace, streams: Streams) -> int:
    if args.fix_keyframe:
        raise NotBuiltError("`rerun rrd optimize --fix-keyframe` (decoding video samples)")
    if args.split_size_ratio is not None:
        raise NotBuiltError("`rerun rrd optimize --split-size-ratio`")
    limits = limits_from(args)
    if any(Path(path).is_dir() for path in args.paths):
        return _mirror(args, limits, streams)
    return _optimize(args.paths, args.output, limits, args, streams)


def _optimize(
    paths: list[str], output: str | None, limits: CompactionLimits, args: argparse.Namespace, streams: Streams
) -> int:
    inputs = Inputs(paths, streams, continue_on_error=args.continue_on_error)
    stores = load_stores(inputs)
    if not args.no_rebatch_videos and _has_video(stores):
        streams.error(
            "WARN re-batching video streams on keyframes is not built yet; video chunks are compacted as-is"
        )
    with open_output(output, streams) as encoder:
        write_stores(stores, encoder, lambda chunks: compact(chunks, limits))
    inputs.check()
    return 0


def _mirror(args: argparse.Namespace, limits: CompactionLimits, streams: Streams) -> int:
    if not args.output:
        raise UsageError(
            "an input is a directory (mirror mode), so -o/--output must name the output directory"
        )
    root = Path(args.output)
    for source, target in _mirror_pairs([Path(path) for path in args.paths], root):
        target.parent.mkdir(parents=True, exist_ok=True)
        _optimize([str(source)], str(target), limits, args, streams)
    return 0


def _mirror_pairs(inputs: list[Path], root: Path) -> list[tuple[Path, Path]]:
    pairs = []
    for path in inputs:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in _RECORDING_SUFFIXES)
            pairs += [(file, root / file.relative_to(path)) for file in files]
        else:
            pairs.append((path, root / path.name))
    return pairs


@dataclass
class StoreContents:
    """One store of the inputs: its info, its chunks (as the reference's store holds them), and
    its blueprint activations."""

    info: SetStoreInfo | None = None
    chunks: ChunkSet = field(default_factory=ChunkSet)
    activations: list[BlueprintActivationCommand] = field(default_factory=list)


def load_stores(inputs: Inputs) -> dict[StoreId, StoreContents]:
    stores: dict[StoreId, StoreContents] = {}
    for item in inputs.items():
        msg = item.msg
        if isinstance(msg, SetStoreInfo):
            contents = stores.setdefault(msg.store_id, StoreContents())
            contents.info = contents.info or msg
        elif isinstance(msg, ArrowMsg):
            stores.setdefault(msg.store_id, StoreContents()).chunks.insert(msg.chunk)
        elif isinstance(msg, BlueprintActivationCommand):
            stores.setdefault(msg.blueprint_id, StoreContents()).activations.append(msg)
    return stores


def write_stores(
    stores: dict[StoreId, StoreContents], encoder: RrdEncoder, transform: Callable[[list[Chunk]], list[Chunk]]
) -> None:
    """Each store in turn: its info, its (transformed) chunks, then its blueprint activations."""
    for store_id, contents in stores.items():
        if contents.info is not None:
            encoder.append(contents.info)
        for chunk in transform(list(contents.chunks)):
            encoder.append(ArrowMsg(store_id, chunk))
        for activation in contents.activations:
            encoder.append(activation)


def _has_video(stores: dict[StoreId, StoreContents]) -> bool:
    return any(
        descriptor.archetype == _VIDEO_ARCHETYPE
        for contents in stores.values()
        for chunk in contents.chunks
        for descriptor in chunk.components
    )


COMMAND = Command(
    name="optimize",
    summary="Compact chunks into fewer, larger ones (to standard output or -o)",
    description=(
        "Compact the chunks of recordings into fewer, larger ones, written to standard output unless\n"
        "-o is given. Thresholds come from --profile, then RERUN_CHUNK_MAX_BYTES, RERUN_CHUNK_MAX_ROWS\n"
        "and RERUN_CHUNK_MAX_ROWS_IF_UNSORTED, then --max-size/--max-rows/--max-rows-if-unsorted.\n\n"
        "If an input is a directory, each .rrd/.rbl below it is optimized on its own into the same\n"
        "place under the -o directory. Example: rerun rrd optimize --max-rows 4096 run.rrd -o run.opt.rrd"
    ),
    configure=configure,
    run=run,
)
