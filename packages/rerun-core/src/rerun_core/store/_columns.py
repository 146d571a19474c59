"""What a store knows about each component column and timeline, kept up to date on insert and removal.

The dataframe schema is read from here, so it never needs to scan chunks: a column exists while
some chunk holds it, is static when some static chunk holds it, and is semantically empty while no
chunk has a single instance of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from rerun_core.descriptor import ComponentDescriptor
from rerun_core.store._stored import StoredChunk
from rerun_core.timeline import Timeline

__all__ = ["TOMBSTONE_COMPONENT", "ColumnInfo", "ColumnRegistry"]

TOMBSTONE_COMPONENT = "Clear:is_recursive"


@dataclass(frozen=True)
class ColumnInfo:
    """One component column of a store: an entity's component, its type, and the flags 0.41 reports."""

    entity_path: str
    descriptor: ComponentDescriptor
    datatype: pa.DataType
    is_static: bool
    is_semantically_empty: bool

    @property
    def component(self) -> str:
        return self.descriptor.component

    @property
    def is_tombstone(self) -> bool:
        return self.descriptor.component == TOMBSTONE_COMPONENT


@dataclass
class _Counts:
    descriptor: ComponentDescriptor
    datatype: pa.DataType
    chunks: int = 0
    static_chunks: int = 0
    instances: int = 0


class ColumnRegistry:
    """Reference counts of columns and timelines over the chunks currently stored."""

    def __init__(self) -> None:
        self._columns: dict[str, dict[str, _Counts]] = {}  # entity -> component -> counts
        self._timelines: dict[str, tuple[Timeline, int]] = {}

    def add(self, chunk: StoredChunk) -> None:
        self._update(chunk, +1)

    def remove(self, chunk: StoredChunk) -> None:
        self._update(chunk, -1)

    def _update(self, chunk: StoredChunk, sign: int) -> None:
        for name, timeline in chunk.timelines.items():
            _, count = self._timelines.get(name, (timeline, 0))
            if count + sign > 0:
                self._timelines[name] = (timeline, count + sign)
            else:
                self._timelines.pop(name, None)
        per_entity = self._columns.setdefault(chunk.entity_path, {})
        for name, descriptor in chunk.descriptors.items():
            counts = per_entity.get(name)
            if counts is None:
                counts = per_entity[name] = _Counts(descriptor, chunk.columns[name].type)
            elif sign > 0:
                counts.descriptor, counts.datatype = descriptor, chunk.columns[name].type
            counts.chunks += sign
            valid = chunk.valid[name]
            has_cell = valid is None or bool(valid.any())
            counts.static_chunks += sign * (chunk.is_static and has_cell)
            counts.instances += sign * chunk.instances[name]
            if counts.chunks <= 0:
                del per_entity[name]
        if not per_entity:
            del self._columns[chunk.entity_path]

    def timelines(self) -> dict[str, Timeline]:
        """Every timeline of the store, by name."""
        return {name: timeline for name, (timeline, _) in sorted(self._timelines.items())}

    def columns(self, entity_path: str | None = None) -> list[ColumnInfo]:
        """Every column, or those of one entity."""
        entities = self._columns if entity_path is None else {entity_path: self._columns.get(entity_path, {})}
        return [
            ColumnInfo(entity, c.descriptor, c.datatype, c.static_chunks > 0, c.instances == 0)
            for entity, per_entity in entities.items()
            for c in per_entity.values()
        ]

    def entity_paths(self) -> list[str]:
        return sorted(self._columns)
