"""``rr.send_chunks``: chunks from anywhere (a chunk, a stream, a store, any iterable) into a recording."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rerun.chunk._chunk import Chunk, unwrap_chunk
from rerun.chunk._chunk_store import ChunkStore
from rerun.chunk._lazy_chunk_stream import LazyChunkStream
from rerun.chunk._rrd_reader import LazyStore
from rerun_core import Chunk as CoreChunk

if TYPE_CHECKING:
    from rerun._recording_stream import RecordingStream

__all__ = ["send_chunks_to"]


def _engine_chunks(chunks: Any) -> Iterator[CoreChunk]:
    if isinstance(chunks, LazyStore | ChunkStore):
        chunks = chunks.stream()
    if isinstance(chunks, LazyChunkStream):
        yield from chunks._run()
    elif isinstance(chunks, Chunk):
        yield chunks._internal
    else:
        for chunk in chunks:
            yield unwrap_chunk(chunk, "send_chunks")


def send_chunks_to(recording: RecordingStream, chunks: Any) -> None:
    """Send every chunk as it is (ids kept) into ``recording``, under that recording's identity."""
    for chunk in _engine_chunks(chunks):
        recording.log_chunk(chunk)
