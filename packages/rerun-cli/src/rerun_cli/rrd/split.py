"""``rerun rrd split``: cut a recording into time ranges of one timeline, one file per range.

As with the reference: ranges are ``[start, end)`` from the timeline's first time to one past its
last, cut at each ``--time`` (or into ``--num-parts`` equal spans); a chunk wholly inside a range
is kept as is, one that straddles ranges is sliced; chunks without the timeline are left out;
every part gets the state it starts from (see ``_latest``) and a recording id ``{prefix}{i}``;
blueprints are copied into every part.
Keyframe-aware cutting of video streams is not built.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
from pathlib import Path

import pyarrow as pa

from rerun_cli._command import Command
from rerun_cli._streams import Streams
from rerun_cli.errors import CliError
from rerun_cli.rrd._chunks import drop_timelines, rebuild
from rerun_cli.rrd._input import Inputs
from rerun_cli.rrd._latest import LatestAt, latest_statics
from rerun_cli.rrd._output import open_output
from rerun_cli.rrd._split_times import cutoff_name, parse_time
from rerun_cli.rrd.optimize import StoreContents, load_stores
from rerun_core.chunk import Chunk
from rerun_core.log_msg import ArrowMsg, StoreId, StoreKind
from rerun_core.rrd import RrdEncoder
from rerun_core.timeline import Timeline, index_bounds

__all__ = ["COMMAND"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH_TO_INPUT_RRD", help="the recording to split")
    parser.add_argument(
        "-o", "--output-dir", required=True, metavar="DIR", help="where the parts are written"
    )
    parser.add_argument("--timeline", required=True, help="the timeline to cut along")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "-t", "--time", action="append", default=[], metavar="TIME", help="a time to cut at (repeatable)"
    )
    group.add_argument("-n", "--num-parts", type=int, help="cut into this many parts of equal time span")
    parser.add_argument(
        "--recording-id", metavar="PREFIX", help="recording id prefix of the parts (default: '{id}-')"
    )
    parser.add_argument("--drop-unused-timelines", action="store_true", help="keep only the split timeline")


def run(args: argparse.Namespace, streams: Streams) -> int:
    if not args.time and args.num_parts is None:
        raise CliError("must specify at least one of --time or --num-parts")
    if args.num_parts is not None and args.num_parts < 2:
        raise CliError(f"must specify 2 splits or more, found {args.num_parts} instead")
    inputs = Inputs([args.path], streams)
    stores = load_stores(inputs)
    inputs.check()
    recordings = {sid: contents for sid, contents in stores.items() if sid.kind == StoreKind.RECORDING}
    timeline, bounds = _timeline_range(recordings, args.timeline)
    cutoffs = _cutoffs(args, timeline, bounds)
    output_dir = Path(args.output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    stem = Path(args.path).stem
    latest = {store_id: _latest_index(contents, timeline.name) for store_id, contents in recordings.items()}
    for index, span in enumerate(itertools.pairwise(cutoffs)):
        name = f"{stem}_{cutoff_name(timeline.typ, span[0])}__{cutoff_name(timeline.typ, span[1])}.rrd"
        with open_output(str(output_dir / name), streams) as encoder:
            for store_id, contents in stores.items():
                if store_id not in latest:
                    _write_verbatim(encoder, store_id, contents)
                    continue
                prefix = args.recording_id if args.recording_id is not None else f"{store_id.recording_id}-"
                part = StoreId(store_id.kind, store_id.application_id, f"{prefix}{index}")
                drop = args.drop_unused_timelines
                _write_part(encoder, part, contents, latest[store_id], span, drop_unused=drop)
    return 0


def _latest_index(contents: StoreContents, timeline: str) -> LatestAt:
    latest = LatestAt(timeline)
    for chunk in contents.chunks:
        latest.add(chunk)
    return latest


def _timeline_range(recordings: dict[StoreId, StoreContents], name: str) -> tuple[Timeline, tuple[int, int]]:
    """The timeline and the span ``[first, last + 1)`` its times cover in the recording(s)."""
    found: Timeline | None = None
    bounds: list[tuple[int, int]] = []
    for contents in recordings.values():
        for chunk in contents.chunks:
            if name in chunk.timelines:
                found = chunk.timelines[name]
                bounds += [b for b in [index_bounds(chunk.index_column(name))] if b is not None]
    if found is None or not bounds:
        available = sorted({t for c in recordings.values() for chunk in c.chunks for t in chunk.timelines})
        raise CliError(
            f"timeline '{name}' does not exist in the input recording, "
            f"available timelines are {', '.join(available)}"
        )
    return found, (min(low for low, _ in bounds), max(high for _, high in bounds) + 1)


def _cutoffs(args: argparse.Namespace, timeline: Timeline, bounds: tuple[int, int]) -> list[int]:
    start, end = bounds
    if args.num_parts is not None:
        inner = [start + (end - start) * i // args.num_parts for i in range(1, args.num_parts)]
    else:
        inner = [parse_time(text, timeline.typ) for text in args.time]
        if inner != sorted(inner):
            raise CliError(f"--time values must be given in increasing order, got {', '.join(args.time)}")
    return [start, *inner, end]


def _write_part(
    encoder: RrdEncoder,
    store_id: StoreId,
    contents: StoreContents,
    latest: LatestAt,
    span: tuple[int, int],
    *,
    drop_unused: bool,
) -> None:
    """One part of one recording: its rows in ``span``, then the state it starts from."""
    timeline = latest.timeline
    if contents.info is not None:
        encoder.append(dataclasses.replace(contents.info, store_id=store_id))
    for chunk in contents.chunks:
        if chunk.is_static or timeline not in chunk.timelines:
            continue
        part = _rows_in(chunk, timeline, span)
        if part is not None:
            if drop_unused:
                part = drop_timelines(part, set(part.timelines) - {timeline}, keep_id=part is chunk)
            encoder.append(ArrowMsg(store_id, part))
    for chunk in latest.carried_into(span[0]):
        if drop_unused:
            chunk = drop_timelines(chunk, set(chunk.timelines) - {timeline})
        encoder.append(ArrowMsg(store_id, chunk))
    for chunk in latest_statics(contents.chunks):
        encoder.append(ArrowMsg(store_id, chunk))


def _rows_in(chunk: Chunk, timeline: str, span: tuple[int, int]) -> Chunk | None:
    times = chunk.index_column(timeline).view(pa.int64()).to_numpy(zero_copy_only=False)
    inside = (times >= span[0]) & (times < span[1])
    if inside.all():
        return chunk
    if not inside.any():
        return None
    return rebuild(chunk.to_record_batch().filter(pa.array(inside)))


def _write_verbatim(encoder: RrdEncoder, store_id: StoreId, contents: StoreContents) -> None:
    if contents.info is not None:
        encoder.append(contents.info)
    for chunk in contents.chunks:
        encoder.append(ArrowMsg(store_id, chunk))
    for activation in contents.activations:
        encoder.append(activation)


COMMAND = Command(
    name="split",
    summary="Cut a recording into time ranges along one timeline, one file per range",
    description=(
        "Split a recording into parts along one timeline; together the parts hold the original's\n"
        "data on that timeline. Example:\n"
        "  rerun rrd split run.rrd -o parts --timeline frame -n 4"
    ),
    configure=configure,
    run=run,
)
