"""Range queries: every cell of an entity's components with a time in ``[start, end]`` on a timeline.

Unlike the dataframe view, nothing is deduplicated: several rows at one time all come back, sorted
by (time, row id). A component with static data yields its newest static cell alone (static wins),
with a null time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from rerun_core.descriptor import ComponentDescriptor
from rerun_core.query._cells import ColumnCells, data_segments, int64_array
from rerun_core.store import ChunkStore
from rerun_core.tuid import TUID_ARROW_TYPE

__all__ = ["RangeResult", "range_query", "row_id_array"]


@dataclass(frozen=True)
class RangeResult:
    """Rows of one component: ``times`` (typed as the timeline), ``row_ids`` and one ``values`` cell each."""

    descriptor: ComponentDescriptor
    times: pa.Array
    row_ids: pa.FixedSizeBinaryArray
    values: pa.Array

    def __len__(self) -> int:
        return len(self.values)


def row_id_array(words: np.ndarray) -> pa.FixedSizeBinaryArray:
    """``(n, 2)`` uint64 row ids back to their 16-byte big-endian Arrow form."""
    data = np.ascontiguousarray(words, dtype=">u8").tobytes()
    return pa.FixedSizeBinaryArray.from_buffers(TUID_ARROW_TYPE, len(words), [None, pa.py_buffer(data)])


def range_query(
    store: ChunkStore,
    entity_path: str,
    timeline: str,
    start: int | None,
    end: int | None,
    components: Iterable[str] | None = None,
) -> dict[str, RangeResult]:
    """Per component of the entity (all, or those named) that has rows in range: those rows."""
    timelines = store.timelines()
    if timeline not in timelines:
        raise ValueError(f"timeline {timeline!r} does not exist in the chunk store")
    known = {c.component: c for c in store.columns(entity_path)}
    names = list(known) if components is None else [c for c in components if c in known]
    results = {}
    for name in names:
        column = known[name]
        static = store.static_chunk(entity_path, name)
        static_row = None if static is None else static.last_cell_row(name)
        if static is not None and static_row is not None:
            results[name] = RangeResult(
                column.descriptor,
                pa.nulls(1, timelines[timeline].arrow_type),
                row_id_array(static.row_ids[static_row : static_row + 1]),
                static.columns[name].slice(static_row, 1),
            )
            continue
        cells = ColumnCells(
            name, timeline, data_segments(store, entity_path, name, timeline, lo=start, hi=end)
        )
        keep = np.ones(len(cells), dtype=bool)
        if start is not None:
            keep &= cells.times >= start
        if end is not None:
            keep &= cells.times <= end
        if not keep.any():
            continue
        rows = cells.rows_at(np.flatnonzero(keep))
        times = int64_array(cells.times[keep], None, timelines[timeline].arrow_type)
        values = cells.take(rows, column.datatype)
        results[name] = RangeResult(column.descriptor, times, row_id_array(cells.row_ids(rows)), values)
    return results
