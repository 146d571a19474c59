"""Reading RRF2 streams incrementally, in constant memory, from files, pipes or bytes.

Damage never costs the messages before it: every complete message is yielded first, then an
:class:`RrdDecodeError` names the byte offset where reading stopped. With ``continue_on_error`` a
message whose body does not decode is skipped (and recorded in ``errors``) instead.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
from google.protobuf.message import DecodeError

from rerun_core.errors import ChunkError, RrdDecodeError
from rerun_core.log_msg import BlueprintActivationCommand, LogMsg, SetStoreInfo
from rerun_core.proto import log_msg_pb2
from rerun_core.rrd.envelope import decode_arrow_msg
from rerun_core.rrd.framing import (
    FOURCC,
    MESSAGE_HEADER_SIZE,
    STREAM_FOOTER_SIZE,
    STREAM_HEADER_SIZE,
    MessageHeader,
    MessageKind,
    StreamFooter,
    StreamHeader,
    footer_crc,
    is_stream_footer,
)
from rerun_core.rrd.manifest import Manifest

__all__ = ["Frame", "RrdDecoder", "RrdTruncatedError", "StreamFooterRecord", "decode_rrd", "read_rrd"]

_READ_STEP = (
    64 << 20
)  # bodies from unseekable sources are read in steps, so a bogus length cannot exhaust memory
_BUFFER_SIZE = 1 << 20


class RrdTruncatedError(RrdDecodeError):
    """The stream stops before its end: a cut file, or a writer that died before finishing."""


@dataclass(frozen=True)
class Frame:
    """One framed message exactly as stored: its kind, where its body starts, and the body bytes."""

    kind: MessageKind
    body_offset: int
    body: pa.Buffer


@dataclass(frozen=True)
class StreamFooterRecord:
    """The footer of one stream; its offsets count from ``stream_offset``, where that stream starts."""

    stream_offset: int
    footer: log_msg_pb2.RrdFooter


@dataclass
class RrdDecoder:
    """Iterates the messages of one or more concatenated streams.

    ``headers`` and ``footers`` fill in as reading proceeds; ``errors`` collects what was skipped
    with ``continue_on_error``. A stream may end with an End message (and footer) or, as 0.41 writes
    without footers, simply at a message boundary.
    """

    source: BinaryIO
    continue_on_error: bool = False
    headers: list[StreamHeader] = field(default_factory=list)
    footers: list[StreamFooterRecord] = field(default_factory=list)
    errors: list[RrdDecodeError] = field(default_factory=list)
    _offset: int = 0
    _stream_start: int = 0
    _pushback: bytes = b""
    _size: int | None = None

    def __post_init__(self) -> None:
        self._size = _remaining_size(self.source)

    @property
    def offset(self) -> int:
        """Bytes consumed so far."""
        return self._offset

    def __iter__(self) -> Iterator[LogMsg]:
        return self.messages()

    def messages(self) -> Iterator[LogMsg]:
        """Decoded ``SetStoreInfo``/``ArrowMsg``/``BlueprintActivationCommand`` messages, in stream order."""
        for frame in self.frames():
            if frame.kind == MessageKind.END:
                continue
            try:
                yield decode_frame(frame)
            except RrdDecodeError as err:
                if not self.continue_on_error:
                    raise
                self.errors.append(err)

    def manifests(self) -> list[Manifest]:
        """Manifests of the footers read so far (all of them once iteration is complete)."""
        return [
            Manifest.from_proto(proto, stream_offset=record.stream_offset)
            for record in self.footers
            for proto in record.footer.manifests
        ]

    def frames(self) -> Iterator[Frame]:
        """Every framed message including End, without decoding bodies."""
        while self._read_stream_header():
            yield from self._stream_frames()

    def _read_stream_header(self) -> bool:
        start = self._stream_start = self._offset
        data = self._read_up_to(STREAM_HEADER_SIZE)
        if not data:
            if not self.headers:
                raise RrdTruncatedError(start, "empty input: no RRD stream header")
            return False
        if len(data) < STREAM_HEADER_SIZE:
            raise RrdTruncatedError(
                start, f"stream header cut short ({len(data)} of {STREAM_HEADER_SIZE} bytes)"
            )
        self.headers.append(StreamHeader.from_bytes(data, start))
        return True

    def _stream_frames(self) -> Iterator[Frame]:
        while True:
            start = self._offset
            data = self._read_up_to(MESSAGE_HEADER_SIZE)
            if not data:
                return  # a stream without End (0.41 writes these when footers are off)
            if data[:4] == FOURCC:
                self._unread(data)  # the next stream starts without this one having an End
                return
            if len(data) < MESSAGE_HEADER_SIZE:
                raise RrdTruncatedError(start, f"stream ends inside a message header ({len(data)} bytes)")
            header = MessageHeader.from_bytes(data)
            if header.kind not in MessageKind._value2member_map_:
                raise RrdDecodeError(
                    start, f"unknown message kind {header.kind} (length field {header.length})"
                )
            body = self._read_body(start, header.length)
            frame = Frame(MessageKind(header.kind), start + MESSAGE_HEADER_SIZE, body)
            yield frame
            if frame.kind == MessageKind.END:
                self._read_footer(frame)
                return

    def _read_body(self, header_offset: int, length: int) -> bytes:
        body_offset = header_offset + MESSAGE_HEADER_SIZE
        if self._size is not None and length > self._size - self._offset:
            available = self._size - self._offset
            raise RrdTruncatedError(
                header_offset, f"message body needs {length} bytes but only {available} remain"
            )
        if self._size is not None:
            body = self._read_into_buffer(length)
        else:
            pieces = []
            remaining = length
            while remaining:
                piece = self._read_up_to(min(remaining, _READ_STEP))
                pieces.append(piece)
                remaining -= len(piece)
                if len(piece) < min(remaining + len(piece), _READ_STEP):
                    break
            body = pa.py_buffer(b"".join(pieces))
        if len(body) < length:
            raise RrdTruncatedError(body_offset, f"message body cut short ({len(body)} of {length} bytes)")
        return body

    def _read_footer(self, end_frame: Frame) -> None:
        start = self._offset
        data = self._read_up_to(STREAM_FOOTER_SIZE)
        if not end_frame.body and not is_stream_footer(data):
            self._unread(data)  # an empty End has a footer only when the writer had footers on
            return
        if len(data) < STREAM_FOOTER_SIZE:
            raise RrdTruncatedError(
                start, f"stream footer cut short ({len(data)} of {STREAM_FOOTER_SIZE} bytes)"
            )
        footer = StreamFooter.from_bytes(data, start)
        problem = None
        where = (self._stream_start + footer.footer_start, footer.footer_length)
        if where != (end_frame.body_offset, len(end_frame.body)):
            problem = (
                f"stream footer points at [{footer.footer_start}, +{footer.footer_length}), not the End body"
            )
        elif footer.crc != footer_crc(memoryview(end_frame.body)):
            problem = "RRD footer checksum mismatch"
        if problem:
            self._fail(RrdDecodeError(start, problem))
            return
        try:
            proto = log_msg_pb2.RrdFooter.FromString(memoryview(end_frame.body))
            self.footers.append(StreamFooterRecord(self._stream_start, proto))
        except DecodeError as err:
            self._fail(RrdDecodeError(end_frame.body_offset, f"RrdFooter does not decode: {err}"))

    def _fail(self, error: RrdDecodeError) -> None:
        if not self.continue_on_error:
            raise error
        self.errors.append(error)

    def _read_into_buffer(self, count: int) -> pa.Buffer:
        """Read straight into Arrow-owned memory, so chunk columns can point into it without a copy."""
        if self._pushback:
            return pa.py_buffer(self._read_up_to(count))
        buffer = pa.allocate_buffer(count)
        view = memoryview(buffer)
        filled = 0
        while filled < count:
            got = self.source.readinto(view[filled:])  # type: ignore[attr-defined]
            if not got:
                break
            filled += got
        self._offset += filled
        return buffer if filled == count else buffer.slice(0, filled)

    def _unread(self, data: bytes) -> None:
        self._pushback = data + self._pushback
        self._offset -= len(data)

    def _read_up_to(self, count: int) -> bytes:
        """Read ``count`` bytes, fewer only at the end of input."""
        if self._pushback:
            data, self._pushback = self._pushback[:count], self._pushback[count:]
            self._offset += len(data)
            return data + (self._read_up_to(count - len(data)) if len(data) < count else b"")
        data = self.source.read(count)
        while 0 < len(data) < count:
            more = self.source.read(count - len(data))
            if not more:
                break
            data += more
        self._offset += len(data)
        return data


def decode_frame(frame: Frame) -> LogMsg:
    """Decode one message body; errors name the body's byte offset."""
    try:
        if frame.kind == MessageKind.ARROW_MSG:
            return decode_arrow_msg(frame.body)
        if frame.kind == MessageKind.SET_STORE_INFO:
            return SetStoreInfo.from_proto(log_msg_pb2.SetStoreInfo.FromString(memoryview(frame.body)))
        if frame.kind == MessageKind.BLUEPRINT_ACTIVATION_COMMAND:
            proto = log_msg_pb2.BlueprintActivationCommand.FromString(memoryview(frame.body))
            return BlueprintActivationCommand.from_proto(proto)
    except (DecodeError, ChunkError, ValueError) as err:
        raise RrdDecodeError(frame.body_offset, f"{frame.kind.name} body does not decode: {err}") from None
    raise RrdDecodeError(frame.body_offset, f"{frame.kind.name} carries no log message")


def _remaining_size(source: BinaryIO) -> int | None:
    """Bytes left in a seekable source (so impossible lengths fail fast), else ``None``."""
    try:
        if not source.seekable():
            return None
        here = source.tell()
        return os.fstat(source.fileno()).st_size - here
    except (OSError, AttributeError, io.UnsupportedOperation):
        try:
            here = source.tell()
            end = source.seek(0, io.SEEK_END)
            source.seek(here)
            return end - here
        except (OSError, AttributeError, io.UnsupportedOperation):
            return None


def read_rrd(path: str | os.PathLike[str], *, continue_on_error: bool = False) -> Iterator[LogMsg]:
    """Stream the messages of an RRD file."""
    with Path(path).open("rb", buffering=_BUFFER_SIZE) as source:
        yield from RrdDecoder(source, continue_on_error=continue_on_error)


def decode_rrd(data: bytes, *, continue_on_error: bool = False) -> list[LogMsg]:
    """All messages of an in-memory stream."""
    return list(RrdDecoder(io.BytesIO(data), continue_on_error=continue_on_error))
