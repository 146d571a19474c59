"""Byte layout of an RRF2 stream: stream header, message headers, stream footer.

    StreamHeader  12 B   b"RRF2" | version[4] | compression u8 | serializer u8 | 0 | 0
    Message*      16 B   u64 kind | u64 len, then ``len`` bytes of protobuf body
    End                  kind 0; its body is an RrdFooter (may be empty)
    StreamFooter  32 B   u64 start | u64 len | u32 xxh32 | b"RRF2" b"FOOT" | u32 entries   (only after a non-empty End)

All integers little-endian. Streams may be concatenated.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum
from typing import BinaryIO

import xxhash

from rerun_core.errors import RrdDecodeError, RrdVersionError
from rerun_core.version import CRATE_VERSION, format_crate_version

__all__ = [
    "FOURCC",
    "MESSAGE_HEADER_SIZE",
    "STREAM_FOOTER_SIZE",
    "STREAM_HEADER_SIZE",
    "MessageHeader",
    "MessageKind",
    "StreamFooter",
    "StreamHeader",
    "footer_crc",
    "is_stream_footer",
    "read_stream_footer",
]

FOURCC = b"RRF2"
STREAM_HEADER_SIZE = 12
MESSAGE_HEADER_SIZE = 16
STREAM_FOOTER_SIZE = 32
_FOOTER_MAGIC = b"RRF2FOOT"
_FOOTER_CRC_SEED = 7850921
_SERIALIZER_PROTOBUF = 2
_OLDEST_READABLE_MINOR = 23

_MESSAGE_HEADER = struct.Struct("<QQ")
_FOOTER_ENTRY = struct.Struct("<QQI")


class MessageKind(IntEnum):
    END = 0
    SET_STORE_INFO = 1
    ARROW_MSG = 2
    BLUEPRINT_ACTIVATION_COMMAND = 3


@dataclass(frozen=True)
class StreamHeader:
    """What a stream says about itself; the compression flag is informative only (payloads say theirs)."""

    version: tuple[int, int, int, int] = CRATE_VERSION
    lz4: bool = True

    def to_bytes(self) -> bytes:
        return FOURCC + bytes(self.version) + bytes([1 if self.lz4 else 0, _SERIALIZER_PROTOBUF, 0, 0])

    @classmethod
    def from_bytes(cls, data: bytes, offset: int) -> StreamHeader:
        if len(data) < STREAM_HEADER_SIZE:
            raise RrdDecodeError(
                offset, f"stream header truncated ({len(data)} of {STREAM_HEADER_SIZE} bytes)"
            )
        fourcc = bytes(data[:4])
        if fourcc != FOURCC:
            old = fourcc in (b"RRF0", b"RRF1")
            reason = "an RRD from before Rerun 0.23, not readable" if old else "not an RRD stream"
            raise RrdDecodeError(offset, f"bad magic {fourcc!r}: {reason}")
        version = (data[4], data[5], data[6], data[7])
        if version[0] == 0 and version[1] < _OLDEST_READABLE_MINOR:
            raise RrdVersionError(
                f"stream written by Rerun {format_crate_version(version)}; 0.23 or newer needed"
            )
        compression, serializer, reserved0, reserved1 = data[8], data[9], data[10], data[11]
        if compression not in (0, 1):
            raise RrdDecodeError(offset + 8, f"unknown stream compression {compression}")
        if serializer != _SERIALIZER_PROTOBUF:
            raise RrdDecodeError(
                offset + 9, f"unsupported serializer {serializer} (only protobuf, 2, exists)"
            )
        if reserved0 or reserved1:
            raise RrdDecodeError(offset + 10, "reserved header bytes are not zero")
        return cls(version, compression == 1)


@dataclass(frozen=True)
class MessageHeader:
    kind: int
    length: int

    def to_bytes(self) -> bytes:
        return _MESSAGE_HEADER.pack(self.kind, self.length)

    @classmethod
    def from_bytes(cls, data: bytes) -> MessageHeader:
        kind, length = _MESSAGE_HEADER.unpack(data)
        return cls(kind, length)


@dataclass(frozen=True)
class StreamFooter:
    """Points back at the RrdFooter body so readers can find the manifests from the end of the file."""

    footer_start: int
    footer_length: int
    crc: int

    def to_bytes(self) -> bytes:
        return (
            _FOOTER_ENTRY.pack(self.footer_start, self.footer_length, self.crc)
            + _FOOTER_MAGIC
            + b"\x01\0\0\0"
        )

    @classmethod
    def from_bytes(cls, data: bytes, offset: int) -> StreamFooter:
        if len(data) < STREAM_FOOTER_SIZE or data[20:28] != _FOOTER_MAGIC:
            raise RrdDecodeError(offset, "missing or damaged stream footer after a non-empty End message")
        entries = int.from_bytes(data[28:32], "little")
        if entries != 1:
            raise RrdDecodeError(offset, f"stream footer lists {entries} entries; 0.41 writes exactly one")
        start, length, crc = _FOOTER_ENTRY.unpack_from(data)
        return cls(start, length, crc)

    @classmethod
    def for_footer(cls, footer_start: int, footer_body: bytes) -> StreamFooter:
        return cls(footer_start, len(footer_body), footer_crc(footer_body))


def footer_crc(footer_body: bytes | memoryview) -> int:
    return xxhash.xxh32_intdigest(footer_body, seed=_FOOTER_CRC_SEED)


def is_stream_footer(data: bytes) -> bool:
    """Whether ``data`` is a whole stream footer (by its size and magic)."""
    return len(data) == STREAM_FOOTER_SIZE and data[20:28] == _FOOTER_MAGIC


def read_stream_footer(source: BinaryIO, size: int) -> tuple[StreamFooter, bytes] | None:
    """The footer a seekable stream of ``size`` bytes ends with, and the RrdFooter body it points at.

    ``None`` when the stream does not end with a footer. The body is not checked: callers decide what
    a CRC mismatch or a short body means for them.
    """
    if size < STREAM_HEADER_SIZE + STREAM_FOOTER_SIZE:
        return None
    source.seek(size - STREAM_FOOTER_SIZE)
    tail = source.read(STREAM_FOOTER_SIZE)
    if not is_stream_footer(tail):
        return None
    footer = StreamFooter.from_bytes(tail, size - STREAM_FOOTER_SIZE)
    source.seek(footer.footer_start)
    return footer, source.read(footer.footer_length)
