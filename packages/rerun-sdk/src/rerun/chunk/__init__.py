"""Chunk processing (``rr.chunk``): read RRD files, transform chunk streams, query stores as dataframes.

``RrdReader`` opens a file; ``stream()`` gives a :class:`LazyChunkStream` (filter, split, map,
merge, then ``collect()``, ``write_rrd()`` or ``rr.send_chunks``), ``store()`` a :class:`LazyStore`
described by the file's footer. A :class:`ChunkStore` holds a recording in memory and reads it as a
DataFusion DataFrame with ``reader()`` (needs the optional ``datafusion`` package).
"""

from __future__ import annotations

from rerun.chunk._chunk import Chunk
from rerun.chunk._chunk_store import ChunkStore
from rerun.chunk._lazy_chunk_stream import LazyChunkStream
from rerun.chunk._optimization_profile import OptimizationProfile
from rerun.chunk._protocols import IndexedReader, StreamingReader
from rerun.chunk._rrd_reader import LazyStore, RrdReader, StoreEntry

__all__ = [
    "Chunk",
    "ChunkStore",
    "IndexedReader",
    "LazyChunkStream",
    "LazyStore",
    "OptimizationProfile",
    "RrdReader",
    "StoreEntry",
    "StreamingReader",
]
