"""Reading the inputs of ``rerun rrd`` commands: files, ``-`` or standard input, one after another.

Failures are reported the way the reference reports them — a line per unreadable file or message,
then the command goes on with the rest — and :meth:`Inputs.check` turns them into the final
``one or more IO and/or decoding failures`` error unless ``--continue-on-error`` was given. A stream
cut short is only warned about: the reference reads such a stream up to the cut without complaint.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from rerun_cli._streams import Streams
from rerun_cli.errors import CliError
from rerun_cli.rrd._progress import ReadProgress
from rerun_core.errors import RrdDecodeError, RrdError
from rerun_core.log_msg import LogMsg
from rerun_core.proto import log_msg_pb2
from rerun_core.rrd import Frame, MessageKind, RrdDecoder, RrdTruncatedError, decode_frame
from rerun_core.rrd.framing import MESSAGE_HEADER_SIZE, STREAM_HEADER_SIZE

__all__ = ["STDIN", "Inputs", "Item", "Source"]

STDIN = "-"
_BUFFER_SIZE = 1 << 20


@dataclass(frozen=True)
class Item:
    """One decoded message, where it came from, and its frame (sizes, raw body) as stored."""

    source: str
    msg: LogMsg
    frame: Frame
    stream_start: int  # byte offset of the stream (of possibly several concatenated) holding it


@dataclass
class Source:
    """What one input turned out to hold, filled in while it is read."""

    name: str
    decoder: RrdDecoder | None = None
    num_messages: int = 0
    num_failures: int = 0
    opened: bool = False
    stream_start: int = 0  # of the stream being read


@dataclass
class Inputs:
    """The inputs of one command; iterate :meth:`items` (decoded) or :meth:`frames` (raw) once."""

    paths: Sequence[str]
    streams: Streams
    continue_on_error: bool = False
    progress: bool = True
    sources: list[Source] = field(default_factory=list)
    failures: int = 0

    def items(self) -> Iterator[Item]:
        """Every decodable message of every input, in order; the others are reported and skipped."""
        for source, frame in self.frames():
            if frame.kind == MessageKind.END:
                continue
            try:
                msg = decode_frame(frame)
            except RrdDecodeError as err:
                self.fail(f"couldn't decode message {_quoted(source.name)} -- skipping: {err}", source)
                continue
            yield Item(source.name, msg, frame, source.stream_start)

    def frames(self) -> Iterator[tuple[Source, Frame]]:
        """Every framed message of every input, End messages included, without decoding bodies."""
        with ReadProgress(self.streams, enabled=self.progress) as progress, ExitStack() as stack:
            for name in self.paths or [STDIN]:
                source = Source(_display_name(name))
                self.sources.append(source)
                handle = self._open(name, stack)
                if handle is None:
                    continue
                source.opened = True
                yield from self._source_frames(source, handle, progress)

    def _open(self, name: str, stack: ExitStack) -> BinaryIO | None:
        if name == STDIN:
            return self.streams.stdin
        try:
            return stack.enter_context(Path(name).open("rb", buffering=_BUFFER_SIZE))
        except OSError as err:
            self.fail(f"couldn't open {_quoted(name)} -- skipping: {err.strerror or err}")
            return None

    def _source_frames(
        self, source: Source, handle: BinaryIO, progress: ReadProgress
    ) -> Iterator[tuple[Source, Frame]]:
        decoder = source.decoder = RrdDecoder(handle, continue_on_error=True)
        task = progress.add(source.name, _size_of(handle))
        reported = streams_seen = 0
        try:
            for frame in decoder.frames():
                if len(decoder.headers) > streams_seen:
                    streams_seen = len(decoder.headers)
                    source.stream_start = frame.body_offset - MESSAGE_HEADER_SIZE - STREAM_HEADER_SIZE
                source.num_messages += frame.kind != MessageKind.END
                progress.update(task, decoder.offset)
                yield source, frame
                reported = self._report_decoder_errors(source, reported)
        except RrdTruncatedError as err:
            if decoder.headers:  # an empty input is simply empty, as for the reference
                self.warn(f"{_quoted(source.name)} ends early; reading stopped there: {err.reason}")
        except RrdError as err:
            self.fail(f"couldn't decode message {_quoted(source.name)} -- skipping: {err}", source)
        self._report_decoder_errors(source, reported)

    def _report_decoder_errors(self, source: Source, already: int) -> int:
        assert source.decoder is not None
        for err in source.decoder.errors[already:]:
            self.fail(f"couldn't decode message {_quoted(source.name)} -- skipping: {err}", source)
        return len(source.decoder.errors)

    def fail(self, message: str, source: Source | None = None) -> None:
        self.failures += 1
        if source is not None:
            source.num_failures += 1
        self.streams.error(f"ERROR {message}")

    def warn(self, message: str) -> None:
        self.streams.error(f"WARN {message}")

    def check(self) -> None:
        """After reading: fail the command if anything was skipped and that was not allowed."""
        if self.failures and not self.continue_on_error:
            raise CliError("one or more IO and/or decoding failures in the input stream (check logs)")

    def footers(self) -> list[tuple[Source, log_msg_pb2.RrdFooter]]:
        """The footers read so far, with the input each came from."""
        return [
            (source, record.footer)
            for source in self.sources
            if source.decoder is not None
            for record in source.decoder.footers
        ]


def _display_name(name: str) -> str:
    return "<stdin>" if name == STDIN else name


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _size_of(handle: BinaryIO) -> int | None:
    try:
        return os.fstat(handle.fileno()).st_size if handle.seekable() else None
    except (OSError, AttributeError, ValueError):
        return None
