"""Errors raised by the foundation package.

RerunError
├── ChunkError            a record batch that is not a valid chunk
├── InvalidEndpointError  a malformed message-proxy URL (also a RuntimeError, as 0.41 raises)
├── WireError             a gRPC message that is not a valid message-proxy message
└── RrdError              a problem with an RRD stream
    ├── RrdDecodeError    bytes that cannot be decoded (carries the byte offset)
    └── RrdVersionError   a stream from an unsupported Rerun version
"""

from __future__ import annotations

__all__ = [
    "ChunkError",
    "InvalidEndpointError",
    "RerunError",
    "RrdDecodeError",
    "RrdError",
    "RrdVersionError",
    "WireError",
]


class RerunError(Exception):
    """Base of every error this package raises on purpose."""


class ChunkError(RerunError, ValueError):
    """A record batch or a set of columns does not form a valid chunk."""


class InvalidEndpointError(RerunError, ValueError, RuntimeError):
    """A URL that does not name a message proxy; the reference raises ``RuntimeError`` for these."""


class WireError(RerunError, ValueError):
    """Bytes received over gRPC that are not the message the rpc expects."""


class RrdError(RerunError):
    """Reading or writing an RRD stream failed."""


class RrdDecodeError(RrdError):
    """The stream is corrupt or truncated at ``offset`` (bytes from the start of the stream)."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(f"RRD decode error at byte offset {offset}: {reason}")
        self.offset = offset
        self.reason = reason


class RrdVersionError(RrdError):
    """The stream was written by a Rerun version this reader cannot read."""
