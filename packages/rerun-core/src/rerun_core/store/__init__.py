"""The chunk store: in-memory chunks of one recording or blueprint, indexed for queries.

``ChunkStore`` takes chunks from any source (RRD files, gRPC, the SDK), merges small ones as 0.41
does, keeps static data apart (newest row wins), can bound its memory (oldest temporal data goes
first), and tells subscribers what changed. Queries live in ``rerun_core.query``.
"""

from rerun_core.store._columns import TOMBSTONE_COMPONENT, ColumnInfo
from rerun_core.store._config import ChunkStoreConfig
from rerun_core.store._events import CompactionReport, StoreEvent, StoreEventKind, StoreSubscriber
from rerun_core.store._index import TimeIndex
from rerun_core.store._store import GC_HEADROOM, ChunkStore
from rerun_core.store._stored import StoredChunk, concatenate_runs

__all__ = [
    "GC_HEADROOM",
    "TOMBSTONE_COMPONENT",
    "ChunkStore",
    "ChunkStoreConfig",
    "ColumnInfo",
    "CompactionReport",
    "StoreEvent",
    "StoreEventKind",
    "StoreSubscriber",
    "StoredChunk",
    "TimeIndex",
    "concatenate_runs",
]
