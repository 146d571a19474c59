"""What changed in a store, per entity: the keys of the view core's caches.

An entity's data at a time cursor can only differ from what it was at another cursor if a row of
it (or of an ancestor: clears, transforms, pinholes and annotation contexts come from there) lies
between the two, or if the store changed for it. So the key of "this entity as seen at ``at``" is,
for the entity and each ancestor, its version (bumped by every store event for it) and how many of
its rows have a time at or before ``at``. Caches keyed on it stay valid while the cursor moves through
times without data, and while other entities stream in.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import numpy as np

from rerun_core.entity_path import EntityPath
from rerun_core.store import ChunkStore, StoreEvent

__all__ = ["StoreTracker", "self_and_ancestors", "tracker_for"]

T = TypeVar("T")
_EMPTY = np.zeros(0, np.int64)


@lru_cache(maxsize=65536)
def self_and_ancestors(entity: str) -> tuple[str, ...]:
    """The entity's path, then its parent's, up to the root's."""
    chain = [entity]
    path = EntityPath.parse(entity).parent()
    while path is not None:
        chain.append(str(path))
        path = path.parent()
    return tuple(chain)


@dataclass(frozen=True)
class _RowTimes:
    """An entity's sorted row times on one timeline, with its ends as Python ints (cheap to compare)."""

    times: np.ndarray
    first: int
    last: int

    @staticmethod
    def of(times: np.ndarray) -> _RowTimes:
        return _RowTimes(times, int(times[0]), int(times[-1])) if len(times) else _RowTimes(times, 1, 0)

    def count_at_or_before(self, at: int) -> int:
        """How many rows lie at or before ``at`` (the common all/none cases without a search)."""
        if at < self.first:
            return 0
        if at >= self.last:
            return len(self.times)
        return int(np.searchsorted(self.times, at, side="right"))


class StoreTracker:
    """Per-entity versions and row times of one store, kept current through its events, and a memo."""

    def __init__(self, store: ChunkStore) -> None:
        self._store = weakref.ref(store)  # the store holds our subscription, so no strong cycle
        self._versions: dict[str, int] = {}
        self._times: dict[str, dict[str, _RowTimes]] = {}  # entity -> timeline -> its row times
        self._keys: dict[str, tuple[int, int]] = {}  # entity -> its own key at ``_keys_at``
        self._chain_keys: dict[str, tuple[tuple[int, int], ...]] = {}  # entity -> its key at ``_keys_at``
        self._keys_at: tuple[str, int] | None = None
        self._memo: dict[Hashable, tuple[Hashable, object]] = {}
        store.subscribe(self._on_events)

    def _on_events(self, events: Sequence[StoreEvent]) -> None:
        for entity in {event.entity_path for event in events}:
            self._versions[entity] = self._versions.get(entity, 0) + 1
            self._times.pop(entity, None)
        self._keys_at = None

    def _row_times(self, entity: str, timeline: str) -> _RowTimes:
        """Every row time of the entity on ``timeline``, sorted (repeats kept: only counts matter)."""
        per_timeline = self._times.setdefault(entity, {})
        times = per_timeline.get(timeline)
        if times is None:
            store = self._store()
            assert store is not None, "the tracked store is gone"
            chunks = {
                stored.id: stored.times[timeline]
                for column in store.columns(entity)
                for stored in store.temporal_chunks(entity, timeline, column.component)
            }
            times = _RowTimes.of(np.sort(np.concatenate(list(chunks.values()))) if chunks else _EMPTY)
            per_timeline[timeline] = times
        return times

    def _start_keys_at(self, timeline: str, at: int) -> None:
        if self._keys_at != (timeline, at):
            self._keys, self._chain_keys, self._keys_at = {}, {}, (timeline, at)

    def own_key(self, entity: str, timeline: str, at: int) -> tuple[int, int]:
        """The entity's version and how many of its rows lie at or before ``at`` (ancestors aside)."""
        self._start_keys_at(timeline, at)
        key = self._keys.get(entity)
        if key is None:
            rows = self._row_times(entity, timeline).count_at_or_before(at) if timeline else 0
            key = self._keys[entity] = (self._versions.get(entity, 0), rows)
        return key

    def version(self, entity: str) -> int:
        """Bumped by every change of the entity's data in the store."""
        return self._versions.get(entity, 0)

    def entity_key(self, entity: str, timeline: str, at: int) -> tuple[tuple[int, int], ...]:
        """Equal at two cursors (and store states) only if the entity and its ancestors read the same there."""
        self._start_keys_at(timeline, at)
        key = self._chain_keys.get(entity)
        if key is None:
            key = tuple(self.own_key(owner, timeline, at) for owner in self_and_ancestors(entity))
            self._chain_keys[entity] = key
        return key

    def remember(self, slot: Hashable, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or what it returned the last time ``slot`` was asked for with this ``key``."""
        entry = self._memo.get(slot)
        if entry is not None and entry[0] == key:
            return entry[1]  # type: ignore[return-value]
        value = compute()
        self._memo[slot] = (key, value)
        return value


_TRACKERS: weakref.WeakKeyDictionary[ChunkStore, StoreTracker] = weakref.WeakKeyDictionary()


def tracker_for(store: ChunkStore) -> StoreTracker:
    """The store's tracker, created (and subscribed) on first use."""
    tracker = _TRACKERS.get(store)
    if tracker is None:
        tracker = _TRACKERS[store] = StoreTracker(store)
    return tracker
