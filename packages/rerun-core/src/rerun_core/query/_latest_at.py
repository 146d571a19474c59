"""Latest-at: the value of each component of an entity at a time on a timeline, as the viewer sees it.

Per component: its newest static cell if it has one (static wins); else the cell with the largest
(time, row id) at or before ``at``. A clear at or before ``at`` (of the entity itself, or recursive
from an ancestor) that is newer than that cell empties it. Only the chunks that can hold the answer
are looked at: those starting at or before ``at``, latest first, until none can beat the best found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa

from rerun_core.descriptor import ComponentDescriptor
from rerun_core.entity_path import EntityPath
from rerun_core.query._clears import recursive_rows
from rerun_core.query._schema import parse_entity_path
from rerun_core.store import TOMBSTONE_COMPONENT, ChunkStore, StoredChunk, TimeIndex
from rerun_core.tuid import Tuid

__all__ = ["LatestAtCell", "latest_at"]

_Key = tuple[int, int, int]  # (time, row id time_ns, row id inc)


@dataclass(frozen=True)
class LatestAtCell:
    """One component's value at a time; ``time`` is ``None`` for static data."""

    descriptor: ComponentDescriptor
    value: pa.Array  # the cell's instances (empty when cleared)
    time: int | None
    row_id: Tuid
    chunk_id: Tuid
    cleared: bool = False

    @property
    def is_static(self) -> bool:
        return self.time is None


@dataclass(frozen=True)
class _Hit:
    key: _Key
    chunk: StoredChunk
    row: int


def _latest_in_chunk(
    stored: StoredChunk, timeline: str, component: str, at: int, recursive: bool
) -> _Hit | None:
    times = stored.times[timeline]
    mask = stored.row_mask(timeline, component)
    if mask is None and not recursive and stored.sorted_timelines[timeline]:
        row = int(np.searchsorted(times, at, side="right")) - 1  # equal times are in row-id order
        return None if row < 0 else _hit(stored, row, int(times[row]))
    ok = times <= at
    if mask is not None:
        ok &= mask
    if recursive:
        ok &= recursive_rows(stored.columns[component])
    rows = np.flatnonzero(ok)
    if not len(rows):
        return None
    selected = times[rows]
    newest = selected.max()
    return _hit(stored, int(rows[selected == newest][-1]), int(newest))  # rows are in row-id order


def _hit(stored: StoredChunk, row: int, time: int) -> _Hit:
    row_id = stored.row_ids[row]
    return _Hit((time, int(row_id[0]), int(row_id[1])), stored, row)


def _latest_in_index(
    store: ChunkStore,
    index: TimeIndex | None,
    timeline: str,
    component: str,
    at: int,
    *,
    recursive: bool = False,
) -> _Hit | None:
    """The newest cell at or before ``at`` (only ``is_recursive`` clears with ``recursive``)."""
    best: _Hit | None = None
    if index is None:
        return None
    for chunk_id in index.starting_at_or_before(at):
        if best is not None and index.ranges[chunk_id][0] + index.max_interval_length < best.key[0]:
            break  # this chunk and all that start earlier end before the best time found
        stored = store.stored_chunk(chunk_id)
        assert stored is not None
        hit = _latest_in_chunk(stored, timeline, component, at, recursive)
        if hit is not None and (best is None or hit.key > best.key):
            best = hit
    return best


@lru_cache(maxsize=65536)
def _self_and_ancestors(entity_path: str) -> tuple[str, ...]:
    """The entity's own path, then its ancestors' up to the root, as stored path text."""
    parts = parse_entity_path(entity_path).parts
    return (entity_path, *(str(EntityPath(parts[:depth])) for depth in range(len(parts) - 1, -1, -1)))


def _newest_clear(store: ChunkStore, entity_path: str, timeline: str, at: int) -> _Hit | None:
    """The newest clear at or before ``at`` applying to the entity (its own, or an ancestor's recursive one)."""
    best = None
    for depth, owner in enumerate(_self_and_ancestors(entity_path)):
        index = store.temporal_index(owner, timeline, TOMBSTONE_COMPONENT)
        if index is None:
            continue
        hit = _latest_in_index(store, index, timeline, TOMBSTONE_COMPONENT, at, recursive=depth > 0)
        if hit is not None and (best is None or hit.key > best.key):
            best = hit
    return best


def latest_at(
    store: ChunkStore, entity_path: str, timeline: str, at: int, components: Iterable[str] | None = None
) -> dict[str, LatestAtCell]:
    """Each component's value at ``at`` (components without one are left out); ``at`` in ns or sequence numbers."""
    known = {c.component: c for c in store.columns(entity_path)}
    names = list(known) if components is None else [c for c in components if c in known]
    clear = _newest_clear(store, entity_path, timeline, at)
    results = {}
    for name in names:
        static = store.static_chunk(entity_path, name)
        static_row = None if static is None else static.last_cell_row(name)
        if static is not None and static_row is not None:
            row_id = Tuid(int(static.row_ids[static_row, 0]), int(static.row_ids[static_row, 1]))
            value = static.columns[name][static_row].values
            results[name] = LatestAtCell(static.descriptors[name], value, None, row_id, static.id)
            continue
        hit = _latest_in_index(store, store.temporal_index(entity_path, timeline, name), timeline, name, at)
        if hit is None:
            continue
        cleared = clear is not None and name != TOMBSTONE_COMPONENT and clear.key > hit.key
        value = hit.chunk.columns[name][hit.row].values
        results[name] = LatestAtCell(
            known[name].descriptor,
            value[:0] if cleared else value,
            hit.key[0],
            Tuid(*hit.key[1:]),
            hit.chunk.id,
            cleared,
        )
    return results
