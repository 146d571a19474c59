"""The chunks of one store as the reference's chunk store keeps them, before any compaction.

``compare``, ``merge`` and ``optimize`` all go through the reference's store, and it is not a plain
list: a chunk id seen twice is stored once, chunks with no rows or no components are not stored,
a chunk not in row-id order is sorted into it under a new chunk id (unless it claims to be
sorted: claims are trusted), and static data follows "the newest row wins" — a static chunk whose every component has been
overwritten by a newer static chunk of the same entity disappears. Those rules, measured against
rerun 0.41, are reproduced here so that our verdicts and outputs hold the same chunks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from rerun_cli.rrd._chunks import row_id_keys, row_ids_flagged_sorted, sort_by_row_id
from rerun_core.chunk import Chunk
from rerun_core.tuid import Tuid

__all__ = ["ChunkSet"]

_ZERO = (0, 0)


@dataclass
class ChunkSet:
    """Insert chunks in stream order; read back what the reference's store would hold."""

    chunks: dict[Tuid, Chunk] = field(default_factory=dict)
    # (entity path, component) -> id of the static chunk that currently provides it
    _static_holders: dict[tuple[str, str], Tuid] = field(default_factory=dict)

    def insert(self, chunk: Chunk) -> list[Chunk]:
        """Store ``chunk``; returns the static chunks it made disappear (already removed)."""
        if chunk.num_rows == 0 or not chunk.components or chunk.id in self.chunks:
            return []
        if not row_ids_flagged_sorted(chunk):
            chunk = sort_by_row_id(chunk, keep_id=False)  # stored chunks are in row-id order, under a new id
        removed = self._overwrite_statics(chunk) if chunk.is_static else []
        self.chunks[chunk.id] = chunk
        return removed

    def _overwrite_statics(self, chunk: Chunk) -> list[Chunk]:
        newest = _newest_row_per_component(chunk)
        overwritten: set[Tuid] = set()
        for component, row_id in newest.items():
            key = (chunk.entity_path, component)
            holder_id = self._static_holders.get(key)
            if holder_id is None:
                self._static_holders[key] = chunk.id
                continue
            holder = self.chunks.get(holder_id)
            holder_row = _newest_row_per_component(holder).get(component, _ZERO) if holder else _ZERO
            if row_id > holder_row:
                overwritten.add(holder_id)
                self._static_holders[key] = chunk.id
        still_holding = {
            holder for (entity, _), holder in self._static_holders.items() if entity == chunk.entity_path
        }
        return [
            self.chunks.pop(chunk_id) for chunk_id in overwritten - still_holding if chunk_id in self.chunks
        ]

    def physical_chunks(self) -> list[Chunk]:
        """Every stored chunk in chunk-id order, which is the order the reference iterates them in."""
        return [self.chunks[chunk_id] for chunk_id in sorted(self.chunks)]

    def __iter__(self) -> Iterator[Chunk]:
        return iter(self.chunks.values())

    def __len__(self) -> int:
        return len(self.chunks)


def _newest_row_per_component(chunk: Chunk) -> dict[str, tuple[int, int]]:
    """The newest row id holding data, per component: that of its last row with data.

    Stored chunks are in row-id order — or claim to be: the reference trusts a chunk flagged as
    sorted, and so takes the last row's id even when the flag is wrong. So do we.
    """
    keys = row_id_keys(chunk.row_ids)
    newest: dict[str, tuple[int, int]] = {}
    for descriptor, column in chunk.components.items():
        valid = np.flatnonzero(column.is_valid().to_numpy(zero_copy_only=False))
        if len(valid):
            time, inc = keys[valid[-1]]
            newest[descriptor.component] = (int(time), int(inc))
    return newest
