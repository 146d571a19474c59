"""What changed in a store, per entity: the keys of the view core's caches.

An entity's data at a time cursor can only differ from what it was at another cursor if a row of
it (or of an ancestor: clears, transforms, pinholes and annotation contexts come from there) lies
between the two, or if the store changed for it. So the key of "this entity as seen at ``at``" is,
for the entity and each ancestor, its version (bumped by every store event for it) and how many of
its rows have a time at or before ``at``. Caches keyed on it stay valid while the cursor moves through
times without data, and while other entities stream in.

A view asks for all its entities' keys at once (:class:`ChainTable`): for thousands of entities, one
sorted array of every row time of them and their ancestors gives every row count at a cursor in a few
numpy calls, so finding the few entities that changed costs no Python work per entity.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TypeVar

import numpy as np

from rerun_core.entity_path import EntityPath
from rerun_core.store import ChunkStore, StoreEvent

__all__ = ["ChainTable", "StoreTracker", "self_and_ancestors", "tracker_for"]

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


_NO_ROWS = _RowTimes.of(_EMPTY)


@dataclass(frozen=True)
class ChainTable:
    """Entities with their ancestors ("owners"), in arrays: an entity's key at a cursor is its chain's
    owners' versions and row counts there (what :meth:`StoreTracker.own_key` gives one owner at a time)."""

    entities: tuple[str, ...]
    owners: tuple[str, ...]  # every entity and ancestor of ``entities``, once
    versions: np.ndarray  # per owner, when the table was made (tables are made again on store events)
    chain_owners: np.ndarray  # the owners of each entity's chain, entity after entity
    chain_starts: np.ndarray  # where each entity's chain starts in ``chain_owners``
    owner_rows: tuple[_RowTimes, ...]

    _FEW = 32  # up to this many owners are counted one by one: no merged arrays to sort (long series)

    def counts_at(self, at: int) -> np.ndarray:
        """How many rows of each owner lie at or before ``at``."""
        if len(self.owners) <= self._FEW:
            return np.array([rows.count_at_or_before(at) for rows in self.owner_rows], np.int64)
        times, owners = self._merged_rows
        rows = int(np.searchsorted(times, at, side="right"))
        return np.bincount(owners[:rows], minlength=len(self.owners))

    @cached_property
    def _merged_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Every row time of every owner, sorted, and whose row each is."""
        times = np.concatenate([_EMPTY, *(rows.times for rows in self.owner_rows)])
        owners = np.repeat(np.arange(len(self.owners)), [len(rows.times) for rows in self.owner_rows])
        order = np.argsort(times, kind="stable")
        return times[order], owners[order]

    def changed(self, owner_changed: np.ndarray) -> np.ndarray:
        """Per entity: whether any owner of its chain changed."""
        return np.logical_or.reduceat(owner_changed[self.chain_owners], self.chain_starts)

    def owners_changed_since(
        self, before: ChainTable, counts_before: np.ndarray, counts: np.ndarray
    ) -> np.ndarray:
        """Per owner of this table: whether its version or row count differs from ``before``'s."""
        if before is self:
            return counts_before != counts
        index = {owner: i for i, owner in enumerate(before.owners)}
        old = np.array([index.get(owner, -1) for owner in self.owners], np.int64)
        known = old >= 0
        same = known & (before.versions[old] == self.versions) & (counts_before[old] == counts)
        return ~same


class StoreTracker:
    """Per-entity versions and row times of one store, kept current through its events, and a memo."""

    def __init__(self, store: ChunkStore) -> None:
        self._store = weakref.ref(store)  # the store holds our subscription, so no strong cycle
        self._versions: dict[str, int] = {}
        self._times: dict[str, dict[str, _RowTimes]] = {}  # entity -> timeline -> its row times
        self._keys: dict[str, tuple[int, int]] = {}  # entity -> its own key at ``_keys_at``
        self._keys_at: tuple[str, int] | None = None
        self._memo: dict[Hashable, tuple[Hashable, object]] = {}
        self._tables: dict[tuple[tuple[str, ...], str], ChainTable] = {}
        # What the view core kept of each view's last collection.
        self.view_states: dict[Hashable, object] = {}
        store.subscribe(self._on_events)

    def _on_events(self, events: Sequence[StoreEvent]) -> None:
        for entity in {event.entity_path for event in events}:
            self._versions[entity] = self._versions.get(entity, 0) + 1
            self._times.pop(entity, None)
        self._keys_at = None
        self._tables.clear()

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
            self._keys, self._keys_at = {}, (timeline, at)

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

    def chain_table(self, entities: tuple[str, ...], timeline: str) -> ChainTable:
        """The entities' :class:`ChainTable` on ``timeline`` (kept until the store changes)."""
        table = self._tables.get((entities, timeline))
        if table is None:
            table = self._tables[(entities, timeline)] = self._make_table(entities, timeline)
        return table

    def _make_table(self, entities: tuple[str, ...], timeline: str) -> ChainTable:
        index: dict[str, int] = {}
        chains = [[index.setdefault(owner, len(index)) for owner in self_and_ancestors(e)] for e in entities]
        owners = tuple(index)
        return ChainTable(
            entities,
            owners,
            np.array([self._versions.get(owner, 0) for owner in owners], np.int64),
            np.array([owner for chain in chains for owner in chain], np.intp),
            np.cumsum([0] + [len(chain) for chain in chains[:-1]]).astype(np.intp),
            tuple(self._row_times(owner, timeline) if timeline else _NO_ROWS for owner in owners),
        )

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
