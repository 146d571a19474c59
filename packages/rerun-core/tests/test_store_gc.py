"""Garbage collection and the memory limit: oldest temporal data goes first, static data never does."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from rerun_core import Chunk, ComponentDescriptor, Timeline, TimeType
from rerun_core.store import GC_HEADROOM, ChunkStore, ChunkStoreConfig, StoreEvent

STEP = Timeline("step", TimeType.SEQUENCE)
BLOB = ComponentDescriptor("Blob:data")
OTHER = ComponentDescriptor("Other:data")
NO_COMPACTION = ChunkStoreConfig.without_compaction()


def blob_chunk(
    path: str, step: int | None, nbytes: int = 10_000, component: ComponentDescriptor = BLOB
) -> Chunk:
    values = pa.array(np.full(nbytes // 8, step or 0, dtype=np.float64))
    cells = pa.ListArray.from_arrays(pa.array([0, len(values)], pa.int32()), values)
    timelines = None if step is None else {STEP: pa.array([step], pa.int64())}
    return Chunk.build(path, timelines=timelines, components={component: cells})


def steps(store: ChunkStore, path: str = "/a") -> list[int]:
    return sorted(
        c.index_column("step")[0].as_py() for c in store.chunks() if c.entity_path == path and not c.is_static
    )


def test_gc_drops_oldest_temporal_chunks_first_and_keeps_static() -> None:
    store = ChunkStore(config=NO_COMPACTION, protect_latest=0)
    static = blob_chunk("/a", None)
    store.insert(static)
    for step in range(10):
        store.insert(blob_chunk("/a", step))
    events = store.gc(store.nbytes - 3 * static.nbytes)
    assert [e.chunk.index_column("step")[0].as_py() for e in events] == [0, 1, 2]
    assert all(e.is_deletion for e in events)
    assert steps(store) == list(range(3, 10))
    store.gc(0)
    assert list(store.chunks()) == [static] and store.nbytes == static.nbytes


def test_gc_protects_the_latest_chunk_of_every_component() -> None:
    store = ChunkStore(config=NO_COMPACTION)
    for step in range(5):
        store.insert(blob_chunk("/a", step))
    store.insert(blob_chunk("/b", 0, component=OTHER))
    store.gc(0, protect_latest=1)
    assert steps(store) == [4] and steps(store, "/b") == [0]
    store.gc(0, protect_latest=0)
    assert store.num_chunks == 0


def test_gc_keeps_indexes_consistent() -> None:
    store = ChunkStore(config=NO_COMPACTION, protect_latest=0)
    for step in range(4):
        store.insert(blob_chunk("/a", step))
    store.gc(store.nbytes // 2)
    index = store.temporal_index("/a", "step", BLOB.component)
    assert sorted(index.ranges.values()) == [(2, 2), (3, 3)]
    store.gc(0)
    assert store.temporal_index("/a", "step", BLOB.component) is None
    assert store.timelines() == {} and store.columns() == []


def test_memory_limit_keeps_the_store_within_it_and_keeps_the_newest_data() -> None:
    chunk_bytes = blob_chunk("/a", 0).nbytes
    limit = 50 * chunk_bytes
    store = ChunkStore(memory_limit_bytes=limit)
    static = blob_chunk("/a", None)
    store.insert(static)
    deleted: list[StoreEvent] = []
    store.subscribe(lambda events: deleted.extend(e for e in events if e.is_deletion))
    for step in range(100):  # twice the limit
        store.insert(blob_chunk("/a", step))
        assert store.nbytes <= limit
    kept = steps_of_rows(store)
    assert kept == list(range(100 - len(kept), 100))  # a suffix: the newest data
    # Whole compacted chunks (up to 384 KiB, ~38 rows here) go at once, down to 90% of the limit.
    assert len(kept) >= int(50 * (1 - GC_HEADROOM)) - 39
    assert static in list(store.chunks())
    assert sum(e.chunk.num_rows for e in deleted) >= 100 - len(kept)


def test_compacted_stores_collect_whole_compacted_chunks() -> None:
    store = ChunkStore(config=ChunkStoreConfig(max_bytes=40_000), memory_limit_bytes=200_000)
    for step in range(100):
        store.insert(blob_chunk("/a", step, nbytes=8_000))
        assert store.nbytes <= 200_000
    assert 99 in steps_of_rows(store)
    assert max(c.num_rows for c in store.chunks()) > 1


def steps_of_rows(store: ChunkStore) -> list[int]:
    return sorted(s for c in store.chunks() if not c.is_static for s in c.index_column("step").to_pylist())
