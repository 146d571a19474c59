"""What a chunk source offers: every reader streams; readers of indexed formats also open a ``LazyStore``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from rerun.chunk._lazy_chunk_stream import LazyChunkStream
    from rerun.chunk._rrd_reader import LazyStore

__all__ = ["IndexedReader", "StreamingReader"]


@runtime_checkable
class StreamingReader(Protocol):
    """A source of a sequential stream of chunks."""

    def stream(self) -> LazyChunkStream: ...


@runtime_checkable
class IndexedReader(StreamingReader, Protocol):
    """A source with an index (a manifest): also a :class:`~rerun.chunk.LazyStore` view of it."""

    def store(self) -> LazyStore: ...
