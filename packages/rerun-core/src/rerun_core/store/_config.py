"""Compaction thresholds of a chunk store: 0.41's defaults, overridable by the same environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["ChunkStoreConfig"]

# The reference's live profile (`rr.chunk.OptimizationProfile.LIVE`), which the viewer's store uses.
DEFAULT_MAX_BYTES = 384 * 1024
DEFAULT_MAX_ROWS = 4096
DEFAULT_MAX_ROWS_IF_UNSORTED = 1024

_ENV_MAX_BYTES = "RERUN_CHUNK_MAX_BYTES"
_ENV_MAX_ROWS = "RERUN_CHUNK_MAX_ROWS"
_ENV_MAX_ROWS_IF_UNSORTED = "RERUN_CHUNK_MAX_ROWS_IF_UNSORTED"


@dataclass(frozen=True)
class ChunkStoreConfig:
    """When two small chunks of one entity may be merged on insertion.

    A merge happens only while the result stays within ``max_bytes`` (Arrow bytes) and ``max_rows``
    (``max_rows_if_unsorted`` when the chunk it merges into is not sorted on every timeline).
    Zero rows or bytes turns compaction off.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = DEFAULT_MAX_ROWS
    max_rows_if_unsorted: int = DEFAULT_MAX_ROWS_IF_UNSORTED

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ChunkStoreConfig:
        """The defaults, overridden by ``RERUN_CHUNK_MAX_BYTES`` / ``_MAX_ROWS`` / ``_MAX_ROWS_IF_UNSORTED``."""
        environ = os.environ if environ is None else environ
        return cls(
            max_bytes=_read_int(environ, _ENV_MAX_BYTES, DEFAULT_MAX_BYTES),
            max_rows=_read_int(environ, _ENV_MAX_ROWS, DEFAULT_MAX_ROWS),
            max_rows_if_unsorted=_read_int(environ, _ENV_MAX_ROWS_IF_UNSORTED, DEFAULT_MAX_ROWS_IF_UNSORTED),
        )

    @classmethod
    def without_compaction(cls) -> ChunkStoreConfig:
        return cls(max_bytes=0, max_rows=0, max_rows_if_unsorted=0)

    @property
    def compaction_enabled(self) -> bool:
        return self.max_bytes > 0 and self.max_rows > 0


def _read_int(environ: Mapping[str, str], name: str, default: int) -> int:
    """Like the reference, a plain non-negative integer (``1MiB`` is an error, not a size)."""
    text = environ.get(name)
    if text is None:
        return default
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(f"{name}={text!r}: expected a non-negative integer") from None
    if value < 0:
        raise ValueError(f"{name}={text!r}: expected a non-negative integer")
    return value
