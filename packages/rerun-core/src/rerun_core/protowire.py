"""Protobuf varints, for the few places that read or write message envelopes by hand (to avoid copying payloads)."""

from __future__ import annotations

from google.protobuf.message import DecodeError

__all__ = ["encode_varint", "read_varint"]


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


def encode_varint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)
