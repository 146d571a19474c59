"""Clears (``Clear:is_recursive`` rows) as 0.41's dataframe reads them.

A temporal clear of entity ``P`` at time ``t`` makes every temporal component column of ``P`` (and,
when recursive, of every descendant of ``P``) read as an empty list at exactly ``t``, unless a newer
row (by row id) at that same time holds data. Clears do not carry forward: a latest-at fill after
``t`` shows the data from before the clear. Static clears, and static columns, are unaffected.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from rerun_core.entity_path import EntityPath
from rerun_core.query._cells import Segment, chunks_for
from rerun_core.query._schema import parse_entity_path
from rerun_core.store import TOMBSTONE_COMPONENT, ChunkStore

__all__ = ["ClearFinder", "recursive_rows"]


def recursive_rows(column: pa.Array) -> np.ndarray:
    """Which cells say ``is_recursive = true`` (their first instance)."""
    offsets = np.asarray(column.offsets)
    starts, lengths = offsets[:-1], np.diff(offsets)
    flags = np.asarray(column.values.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    recursive = np.zeros(len(column), dtype=bool)
    has_value = lengths > 0
    recursive[has_value] = flags[starts[has_value]]
    if column.null_count:
        recursive &= column.is_valid().to_numpy(zero_copy_only=False)
    return recursive


class ClearFinder:
    """Finds, per entity, the clear rows that apply to it on one timeline; cached per entity."""

    def __init__(self, store: ChunkStore, timeline: str, lo: int | None, hi: int | None) -> None:
        self._store = store
        self._timeline = timeline
        self._lo, self._hi = lo, hi
        self._clearing = {
            parse_entity_path(column.entity_path): column.entity_path
            for column in store.columns()
            if column.is_tombstone
        }
        self._cache: dict[str, list[Segment]] = {}

    def segments(self, entity_path: str) -> list[Segment]:
        """Clear rows applying to ``entity_path``: its own clears, and its ancestors' recursive ones."""
        if not self._clearing:
            return []
        if entity_path not in self._cache:
            path = parse_entity_path(entity_path)
            found = []
            for depth in range(len(path.parts), -1, -1):
                owner = self._clearing.get(EntityPath(path.parts[:depth]))
                if owner is not None:
                    found += self._own_clears(owner, recursive_only=depth < len(path.parts))
            self._cache[entity_path] = found
        return self._cache[entity_path]

    def _own_clears(self, owner: str, *, recursive_only: bool) -> list[Segment]:
        index = self._store.temporal_index(owner, self._timeline, TOMBSTONE_COMPONENT)
        segments = []
        for chunk_id in chunks_for(index, self._lo, self._hi, history=False):
            stored = self._store.stored_chunk(chunk_id)
            assert stored is not None
            mask = stored.row_mask(self._timeline, TOMBSTONE_COMPONENT)
            if recursive_only:
                recursive = recursive_rows(stored.columns[TOMBSTONE_COMPONENT])
                mask = recursive if mask is None else mask & recursive
            rows = None if mask is None else np.flatnonzero(mask)
            if rows is None or len(rows):
                segments.append(Segment(stored, rows))
        return segments
