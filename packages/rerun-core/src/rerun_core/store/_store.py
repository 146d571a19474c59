"""The chunk store: every chunk of one recording or blueprint, indexed for latest-at and range queries.

Temporal chunks are indexed per entity, timeline and component by time range (see ``_index``);
static chunks per entity and component, where the newest row (by row id) wins, as in 0.41. Small
temporal chunks are merged on insertion (``_compaction``). With a memory limit, the oldest temporal
chunks (smallest row id) are dropped first; static data is never dropped.

Not thread-safe: one writer, and no queries while it writes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from rerun_core.chunk import Chunk
from rerun_core.log_msg import StoreId
from rerun_core.store._columns import ColumnInfo, ColumnRegistry
from rerun_core.store._compaction import elect_compaction_candidate, merge, split_if_needed
from rerun_core.store._config import ChunkStoreConfig
from rerun_core.store._events import CompactionReport, StoreEvent, StoreEventKind, StoreSubscriber
from rerun_core.store._index import TimeIndex
from rerun_core.store._stored import StoredChunk
from rerun_core.timeline import Timeline
from rerun_core.tuid import Tuid

__all__ = ["GC_HEADROOM", "ChunkStore"]

# When over its memory limit, a store drops this fraction of the limit more than strictly needed, so
# that a stream of small insertions does not trigger a collection each.
GC_HEADROOM = 0.1


class ChunkStore:
    """In-memory chunks of one store; ``insert`` chunks from any source, then query with ``rerun_core.query``.

    ``memory_limit_bytes`` (Arrow bytes, as :attr:`nbytes` counts them) makes every insertion that
    goes over it collect garbage down to ``(1 - GC_HEADROOM) * limit``, protecting the
    ``protect_latest`` newest chunks of every entity/timeline/component.
    """

    def __init__(
        self,
        store_id: StoreId | None = None,
        *,
        config: ChunkStoreConfig | None = None,
        memory_limit_bytes: int | None = None,
        protect_latest: int = 1,
    ) -> None:
        if memory_limit_bytes is not None and memory_limit_bytes < 0:
            raise ValueError(f"memory_limit_bytes must be >= 0, got {memory_limit_bytes}")
        self.store_id = store_id
        self.config = ChunkStoreConfig.from_env() if config is None else config
        self.memory_limit_bytes = memory_limit_bytes
        self.protect_latest = protect_latest
        self._chunks: dict[Tuid, StoredChunk] = {}
        # entity -> timeline -> component -> chunks holding that component on that timeline
        self._temporal: dict[str, dict[str, dict[str, TimeIndex]]] = {}
        # entity -> component -> the static chunk holding its newest static cell
        self._static: dict[str, dict[str, Tuid]] = {}
        self._split_pieces: set[Tuid] = set()  # chunks cut from a bigger one: never merged again
        self._registry = ColumnRegistry()
        self._nbytes = 0
        self._subscribers: list[StoreSubscriber] = []
        self._event_ids = itertools.count()
        self.generation = 0  # bumped on every change, for caches keyed on a store's state

    # ---- size ---------------------------------------------------------------------------------

    @property
    def nbytes(self) -> int:
        """Arrow bytes of every stored chunk: what the memory limit bounds."""
        return self._nbytes

    @property
    def num_chunks(self) -> int:
        return len(self._chunks)

    def __len__(self) -> int:
        return len(self._chunks)

    def __repr__(self) -> str:
        return f"ChunkStore({self.store_id}, chunks={len(self._chunks)}, nbytes={self._nbytes})"

    # ---- events -------------------------------------------------------------------------------

    def subscribe(self, callback: StoreSubscriber) -> StoreSubscriber:
        """Call ``callback(events)`` after every change; returns it, for :meth:`unsubscribe`."""
        self._subscribers.append(callback)
        return callback

    def unsubscribe(self, callback: StoreSubscriber) -> None:
        self._subscribers.remove(callback)

    def _deletion(self, stored: StoredChunk) -> StoreEvent:
        return StoreEvent(self.store_id, next(self._event_ids), StoreEventKind.DELETION, stored.chunk)

    def _addition(self, stored: StoredChunk, report: CompactionReport | None = None) -> StoreEvent:
        kind, source = StoreEventKind.ADDITION, stored.split_source
        return StoreEvent(self.store_id, next(self._event_ids), kind, stored.chunk, report, source)

    def _notify(self, events: list[StoreEvent]) -> None:
        if events:
            self.generation += 1
            for callback in list(self._subscribers):
                callback(events)

    # ---- insertion ----------------------------------------------------------------------------

    def insert(self, chunk: Chunk) -> list[StoreEvent]:
        """Add one chunk and return the events; a chunk id already stored, or a chunk without rows or
        components, is ignored."""
        if chunk.id in self._chunks or chunk.num_rows == 0 or not chunk.components:
            return []
        stored = StoredChunk(chunk)
        pieces = split_if_needed(stored, self.config)
        events: list[StoreEvent] = []
        for piece in pieces or [stored]:
            if pieces:
                piece.split_source = chunk.id
                self._split_pieces.add(piece.id)
            events += self._insert_static(piece) if piece.is_static else self._insert_temporal(piece)
        events += self._enforce_memory_limit()
        self._notify(events)
        return events

    def split_for_insert(self, chunk: Chunk) -> list[Chunk]:
        """The pieces :meth:`insert` would cut ``chunk`` into (``[chunk]`` when it fits its thresholds).

        The store is not touched, so a writer that shares the store with readers under a lock can cut
        big chunks (copying their rows) before taking the lock, and hold it only for the indexing.
        """
        pieces = split_if_needed(StoredChunk(chunk), self.config)
        return [chunk] if pieces is None else [piece.chunk for piece in pieces]

    def insert_many(self, chunks: Iterable[Chunk]) -> None:
        for chunk in chunks:
            self.insert(chunk)

    def _insert_static(self, stored: StoredChunk) -> list[StoreEvent]:
        per_component = self._static.setdefault(stored.entity_path, {})
        overwritten: set[Tuid] = set()
        for component in stored.valid:
            newest = _newest_row_id(stored, component)
            if newest is None:
                continue  # no cell at all
            current_id = per_component.get(component)
            if current_id is not None:
                if (_newest_row_id(self._chunks[current_id], component) or (0, 0)) >= newest:
                    continue
                overwritten.add(current_id)
            per_component[component] = stored.id
        self._add(stored)
        events = [self._addition(stored)]
        still_used = set(per_component.values())
        for chunk_id in sorted(overwritten - still_used):
            events.append(self._deletion(self._remove(chunk_id)))
        return events

    def _insert_temporal(self, stored: StoredChunk) -> list[StoreEvent]:
        indexes = self._temporal.get(stored.entity_path, {})
        elected = elect_compaction_candidate(
            stored, indexes, self._chunks.get, self.config, self._split_pieces
        )
        if elected is None:
            self._add(stored)
            return [self._addition(stored)]
        merged = merge(stored, elected)
        self._remove(elected.id)
        self._add(merged)
        return [self._addition(stored, CompactionReport((stored.chunk, elected.chunk), merged.chunk))]

    def _add(self, stored: StoredChunk) -> None:
        self._chunks[stored.id] = stored
        self._nbytes += stored.nbytes
        self._registry.add(stored)
        if stored.is_static:
            return
        per_timeline = self._temporal.setdefault(stored.entity_path, {})
        for timeline, ranges in stored.component_time_ranges.items():
            per_component = per_timeline.setdefault(timeline, {})
            for component, time_range in ranges.items():
                per_component.setdefault(component, TimeIndex()).add(stored.id, time_range)

    def _remove(self, chunk_id: Tuid) -> StoredChunk:
        stored = self._chunks.pop(chunk_id)
        self._split_pieces.discard(chunk_id)
        self._nbytes -= stored.nbytes
        self._registry.remove(stored)
        if stored.is_static:
            owners = self._static.get(stored.entity_path, {})
            for component in [c for c, owner in owners.items() if owner == chunk_id]:
                del owners[component]
            return stored
        per_timeline = self._temporal[stored.entity_path]
        for timeline, ranges in stored.component_time_ranges.items():
            per_component = per_timeline[timeline]
            for component in ranges:
                per_component[component].remove(chunk_id)
                if not per_component[component]:
                    del per_component[component]
            if not per_component:
                del per_timeline[timeline]
        if not per_timeline:
            del self._temporal[stored.entity_path]
        return stored

    # ---- garbage collection -------------------------------------------------------------------

    def gc(self, target_bytes: int, *, protect_latest: int | None = None) -> list[StoreEvent]:
        """Drop temporal chunks, oldest (smallest row id) first, until at most ``target_bytes`` remain.

        Static chunks and the ``protect_latest`` newest chunks of every entity/timeline/component
        are never dropped, so the result may stay above the target.
        """
        events = self._collect(
            target_bytes, self.protect_latest if protect_latest is None else protect_latest
        )
        self._notify(events)
        return events

    def _enforce_memory_limit(self) -> list[StoreEvent]:
        limit = self.memory_limit_bytes
        if limit is None or self._nbytes <= limit:
            return []
        return self._collect(int(limit * (1 - GC_HEADROOM)), self.protect_latest)

    def _collect(self, target_bytes: int, protect_latest: int) -> list[StoreEvent]:
        if self._nbytes <= target_bytes:
            return []
        protected: set[Tuid] = set()
        if protect_latest > 0:
            for per_timeline in self._temporal.values():
                for per_component in per_timeline.values():
                    for index in per_component.values():
                        protected |= index.latest(protect_latest)
        candidates = sorted(
            (s for s in self._chunks.values() if not s.is_static and s.id not in protected),
            key=lambda s: s.row_id_min,
        )
        events = []
        for stored in candidates:
            if self._nbytes <= target_bytes:
                break
            events.append(self._deletion(self._remove(stored.id)))
        return events

    # ---- reading ------------------------------------------------------------------------------

    def chunks(self) -> Iterator[Chunk]:
        """Every stored chunk, in insertion order."""
        return (stored.chunk for stored in self._chunks.values())

    def stored_chunk(self, chunk_id: Tuid) -> StoredChunk | None:
        return self._chunks.get(chunk_id)

    def timelines(self) -> dict[str, Timeline]:
        """Every timeline some stored chunk has, by name (sorted)."""
        return self._registry.timelines()

    def entity_paths(self) -> list[str]:
        return self._registry.entity_paths()

    def columns(self, entity_path: str | None = None) -> list[ColumnInfo]:
        """Every component column of the store, or of one entity (unordered), with their flags."""
        return self._registry.columns(entity_path)

    def static_chunk(self, entity_path: str, component: str) -> StoredChunk | None:
        """The static chunk holding the newest static cell of a component, if any."""
        chunk_id = self._static.get(entity_path, {}).get(component)
        return None if chunk_id is None else self._chunks[chunk_id]

    def temporal_chunks(
        self, entity_path: str, timeline: str, component: str, lo: int | None = None, hi: int | None = None
    ) -> list[StoredChunk]:
        """Chunks with cells of ``component`` at times in ``[lo, hi]`` on ``timeline``, by start time."""
        index = self._temporal.get(entity_path, {}).get(timeline, {}).get(component)
        if index is None:
            return []
        return [self._chunks[chunk_id] for chunk_id in index.overlapping(lo, hi)]

    def temporal_index(self, entity_path: str, timeline: str, component: str) -> TimeIndex | None:
        return self._temporal.get(entity_path, {}).get(timeline, {}).get(component)


def _newest_row_id(stored: StoredChunk, component: str) -> tuple[int, int] | None:
    row = stored.last_cell_row(component)
    return None if row is None else (int(stored.row_ids[row, 0]), int(stored.row_ids[row, 1]))
