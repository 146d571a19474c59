"""The state a part of a split recording starts from: newest static values and latest-at cells.

A viewer opening one part of ``rerun rrd split`` must see what it would have seen at that time in
the whole recording. So, like the reference, every part gets (a) the newest value of each static
component and (b) for each temporal component whose last value before the part's start lies
*before* it (not at it), that value — each as a one-row chunk of its own with a fresh row id.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from rerun_cli.rrd._chunks import rebuild, row_id_keys
from rerun_core import sorbet
from rerun_core.chunk import Chunk
from rerun_core.tuid import new_tuids

__all__ = ["LatestAt", "latest_statics"]

_Cell = tuple[Chunk, int]  # a chunk and one of its rows


def latest_statics(chunks: Iterable[Chunk]) -> list[Chunk]:
    """Per static (entity, component): its newest value, as a one-row chunk of its own."""
    newest: dict[tuple[str, str], tuple[tuple[int, int], _Cell]] = {}
    for chunk in chunks:
        if not chunk.is_static:
            continue
        keys = row_id_keys(chunk.row_ids)
        for descriptor, column in chunk.components.items():
            for row in _valid_rows(column):
                key = (int(keys[row][0]), int(keys[row][1]))
                slot = (chunk.entity_path, descriptor.component)
                if slot not in newest or key > newest[slot][0]:
                    newest[slot] = (key, (chunk, row))
    return [
        single_cell(chunk, component, row, timelines=False)
        for (_, component), (_, (chunk, row)) in newest.items()
    ]


@dataclass
class LatestAt:
    """Every temporal cell on one timeline, indexed for "what was the last value before t?"."""

    timeline: str
    _cells: dict[tuple[str, str], list[tuple[int, tuple[int, int], _Cell]]] = field(default_factory=dict)

    def add(self, chunk: Chunk) -> None:
        if chunk.is_static or self.timeline not in chunk.timelines:
            return
        times = chunk.index_column(self.timeline).view(pa.int64()).to_numpy(zero_copy_only=False)
        keys = row_id_keys(chunk.row_ids)
        for descriptor, column in chunk.components.items():
            cells = self._cells.setdefault((chunk.entity_path, descriptor.component), [])
            cells += [
                (int(times[r]), (int(keys[r][0]), int(keys[r][1])), (chunk, int(r)))
                for r in _valid_rows(column)
            ]

    def carried_into(self, start: int) -> list[Chunk]:
        """One-row chunks for the components whose latest value at ``start`` lies before it."""
        result = []
        for (_, component), cells in self._cells.items():
            cells.sort(key=lambda cell: (cell[0], cell[1]))
            position = bisect.bisect_left(cells, start, key=lambda cell: cell[0])
            at_start = position < len(cells) and cells[position][0] == start
            if position and not at_start:
                chunk, row = cells[position - 1][2]
                result.append(single_cell(chunk, component, row, timelines=True))
        return result


def _valid_rows(column: pa.Array) -> np.ndarray:
    return np.flatnonzero(column.is_valid().to_numpy(zero_copy_only=False))


def single_cell(chunk: Chunk, component: str, row: int, *, timelines: bool) -> Chunk:
    """One row of one component (plus the row's times if asked), under a fresh row id."""
    batch = chunk.to_record_batch()
    wanted = [
        i for i, f in enumerate(batch.schema)
        if (timelines and _kind(f) == sorbet.KIND_INDEX) or _component_of(f) == component
    ]  # fmt: skip
    fields = [batch.schema.field(0)] + [batch.schema.field(i) for i in wanted]
    columns = [new_tuids(1)] + [batch.column(i).slice(row, 1) for i in wanted]
    return rebuild(
        pa.RecordBatch.from_arrays(columns, schema=pa.schema(fields, metadata=batch.schema.metadata))
    )


def _kind(field: pa.Field) -> str | None:
    return sorbet.decode_metadata(field.metadata).get(sorbet.KIND)


def _component_of(field: pa.Field) -> str:
    metadata = sorbet.decode_metadata(field.metadata)
    return metadata.get(sorbet.COMPONENT, field.name) if metadata.get(sorbet.KIND) == sorbet.KIND_DATA else ""
