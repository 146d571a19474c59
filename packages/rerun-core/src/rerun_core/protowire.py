"""Protobuf varints and fields, for the few places that read or write message envelopes by hand (to avoid
copying payloads)."""

from __future__ import annotations

from collections.abc import Iterator

from google.protobuf.message import DecodeError

__all__ = ["encode_varint", "read_fields", "read_varint"]

_VARINT, _FIXED64, _LENGTH_DELIMITED, _FIXED32 = 0, 1, 2, 5


def read_varint(view: memoryview, pos: int, error: type[Exception] = DecodeError) -> tuple[int, int]:
    """The varint at ``pos`` and the position after it; ``error`` is raised for truncated/overlong ones."""
    result = shift = 0
    while True:
        if pos >= len(view) or shift > 63:
            raise error("truncated or overlong varint")
        byte = view[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def read_fields(
    view: memoryview, error: type[Exception] = DecodeError
) -> Iterator[tuple[int, int | memoryview]]:
    """``(field number, value)`` of each field of a message: varints as ints, length-delimited fields as
    views into ``view`` (no copy); fixed-width fields are skipped. ``error`` is raised for damage."""
    pos, end = 0, len(view)
    while pos < end:
        key, pos = read_varint(view, pos, error)
        number, wire = key >> 3, key & 7
        if wire == _VARINT:
            value, pos = read_varint(view, pos, error)
            yield number, value
        elif wire == _LENGTH_DELIMITED:
            length, pos = read_varint(view, pos, error)
            if pos + length > end:
                raise error(f"field {number} runs past the end of the message")
            yield number, view[pos : pos + length]
            pos += length
        elif wire in (_FIXED64, _FIXED32):
            pos += 8 if wire == _FIXED64 else 4
        else:
            raise error(f"unsupported wire type {wire} for field {number}")


def encode_varint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)
