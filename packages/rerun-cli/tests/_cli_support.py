"""Helpers for the CLI's own tests: small synthetic recordings and running ``rerun`` in-process."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from rerun_cli._streams import Streams
from rerun_cli.main import main
from rerun_core import (
    ArrowMsg,
    BlueprintActivationCommand,
    Chunk,
    ComponentDescriptor,
    SetStoreInfo,
    StoreId,
    StoreKind,
    Timeline,
    TimeType,
)
from rerun_core.log_msg import LogMsg
from rerun_core.rrd import decode_rrd, encode_rrd, read_rrd
from rerun_core.tuid import Tuid

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO.parent / "shared" / "fixtures" / "reference-0.41"
STORE = StoreId(StoreKind.RECORDING, "app", "rec")
BLUEPRINT = StoreId(StoreKind.BLUEPRINT, "app", "bp")
SCALAR = ComponentDescriptor("Scalars:scalars", "rerun.archetypes.Scalars", "rerun.components.Scalar")
COLOR = ComponentDescriptor("SeriesLines:colors", "rerun.archetypes.SeriesLines", "rerun.components.Color")
TEXT = ComponentDescriptor("TextDocument:text", "rerun.archetypes.TextDocument", "rerun.components.Text")
STEP = Timeline("step", TimeType.SEQUENCE)
LOG_TIME = Timeline("log_time", TimeType.TIMESTAMP_NS)
_next_row = [1_000_000]


def row_ids(count: int) -> pa.Array:
    """Increasing row ids (so that tests control which rows are newer)."""
    start = _next_row[0]
    _next_row[0] += count
    return pa.array([Tuid(start + i, 7).to_bytes() for i in range(count)], type=pa.binary(16))


def scalars(entity: str, steps: list[int], values: list[float | None], *, log_time: bool = True) -> Chunk:
    timelines = {STEP: pa.array(steps, type=pa.int64())}
    if log_time:
        timelines[LOG_TIME] = pa.array(
            [1_700_000_000_000_000_000 + s for s in steps], type=pa.timestamp("ns")
        )
    column = pa.array([None if v is None else [v] for v in values], type=pa.list_(pa.float64()))
    return Chunk.build(entity, timelines=timelines, components={SCALAR: column}, row_ids=row_ids(len(steps)))


def static_text(entity: str, texts: list[str]) -> Chunk:
    column = pa.array([[t] for t in texts], type=pa.list_(pa.utf8()))
    return Chunk.build(entity, components={TEXT: column}, row_ids=row_ids(len(texts)))


def recording(*chunks: Chunk, store: StoreId = STORE) -> list[LogMsg]:
    return [SetStoreInfo(store), *(ArrowMsg(store, chunk) for chunk in chunks)]


def sample() -> list[LogMsg]:
    """A recording with two temporal entities and a static one, plus a small blueprint."""
    return [
        *recording(
            scalars("/a", [0, 1, 2, 3], [0.0, 1.0, None, 3.0]),
            scalars("/b", [5, 7], [0.5, 0.25]),
            static_text("/readme", ["hello"]),
        ),
        SetStoreInfo(BLUEPRINT),
        ArrowMsg(BLUEPRINT, static_text("/viewport", ["layout"])),
        BlueprintActivationCommand(BLUEPRINT),
    ]


def write(path: Path, messages: list[LogMsg], *, footer: bool = True) -> Path:
    path.write_bytes(encode_rrd(messages, write_footer=footer))
    return path


def messages_of(path: Path) -> list[LogMsg]:
    return list(read_rrd(path))


def chunks_of(source: Path | bytes) -> list[Chunk]:
    messages = decode_rrd(source) if isinstance(source, bytes) else messages_of(source)
    return [msg.chunk for msg in messages if isinstance(msg, ArrowMsg)]


@dataclass
class Result:
    code: int
    stdout: bytes
    stderr: str

    @property
    def text(self) -> str:
        return self.stdout.decode()


def cli(*args: str | Path, stdin: bytes = b"") -> Result:
    """Run ``rerun`` in-process with in-memory standard streams."""
    streams = Streams.in_memory(stdin)
    code = main([str(arg) for arg in args], streams=streams)
    return Result(code, streams.stdout.getvalue(), streams.stderr.getvalue())  # type: ignore[attr-defined]


def cli_subprocess(
    *args: str | Path, stdin: bytes = b"", timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m rerun_cli`` as a separate process, bounded in time."""
    return subprocess.run(
        [sys.executable, "-m", "rerun_cli", *map(str, args)],
        input=stdin, capture_output=True, timeout=timeout, check=False,
    )  # fmt: skip
