"""The dataframe view of a store, as 0.41's ``reader()`` returns it, produced lazily in record batches.

Rows: one per distinct value of the index where at least one selected temporal column has a cell
(or, with ``using_index_values``, one per requested value), ascending. Per column, the cell at
exactly that value with the highest row id, else null, or with ``fill_latest_at`` the latest cell
before it. Static columns repeat their newest static cell on every row and hide the column's
temporal cells. Every other timeline is a column too, holding the largest of its values over the
cells shown in the row. ``index=None`` gives one row of static data.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pyarrow as pa

from rerun_core.query._cells import NULL_TIME, ColumnCells, data_segments, int64_array
from rerun_core.query._clears import ClearFinder
from rerun_core.query._contents import ContentsLike
from rerun_core.query._schema import component_field, index_field, select_columns
from rerun_core.store import ChunkStore, ColumnInfo

__all__ = ["DEFAULT_BATCH_ROWS", "DataframeQuery", "IndexValuesLike", "index_values_array"]

DEFAULT_BATCH_ROWS = 1 << 16

IndexValuesLike: TypeAlias = np.ndarray | pa.Array | pa.ChunkedArray | Sequence[int]


def index_values_array(values: IndexValuesLike) -> np.ndarray:
    """Requested index values as sorted int64 (ns for times); they must be distinct, as in 0.41."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        if values.null_count:
            raise ValueError("using_index_values must not contain nulls")
        values = values.to_numpy(zero_copy_only=False)
    array: np.ndarray = np.asarray(values)
    if array.dtype.kind in "mM":
        array = array.astype(array.dtype.str[:3] + "[ns]").view(np.int64)
    elif array.size and array.dtype.kind not in "iu":
        raise TypeError(f"using_index_values must hold integers or datetimes, got {array.dtype}")
    array = np.sort(array.astype(np.int64, copy=False).ravel())
    if len(array) > 1 and not np.all(array[1:] != array[:-1]):
        raise ValueError("using_index_values: index values must be unique")
    return array


@dataclass
class _Static:
    column: ColumnInfo
    value: pa.Array | None  # one cell, or None when no static cell exists


@dataclass
class _Temporal:
    column: ColumnInfo
    cells: ColumnCells
    rows: np.ndarray  # per output row: row-space position of the cell shown, -1 for null


class DataframeQuery:
    """One dataframe query: :attr:`schema` up front, then :meth:`batches` computes rows on demand.

    ``index_range`` (inclusive, either end ``None``) keeps only rows whose index value lies in it,
    reading only the chunks it needs: the pushed-down form of a filter on the index column.
    """

    def __init__(
        self,
        store: ChunkStore,
        index: str | None,
        *,
        contents: ContentsLike = None,
        include_semantically_empty_columns: bool = False,
        include_tombstone_columns: bool = False,
        fill_latest_at: bool = False,
        using_index_values: IndexValuesLike | None = None,
        index_range: tuple[int | None, int | None] | None = None,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ) -> None:
        self._timelines = store.timelines()
        if index is not None and index not in self._timelines:
            raise ValueError(f"Index {index!r} does not exist in the chunk store")
        if batch_rows <= 0:
            raise ValueError(f"batch_rows must be positive, got {batch_rows}")
        self._store = store
        self._index = index
        self._fill = fill_latest_at
        self._range = index_range or (None, None)
        self._batch_rows = batch_rows
        self._values = None if using_index_values is None else index_values_array(using_index_values)
        self._columns = select_columns(
            store,
            contents,
            include_semantically_empty_columns=include_semantically_empty_columns,
            include_tombstone_columns=include_tombstone_columns,
            static_only=index is None,
        )
        fields = [index_field(timeline) for timeline in self._timelines.values()]
        self.schema = pa.schema(fields + [component_field(column) for column in self._columns])

    @property
    def index(self) -> str | None:
        return self._index

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        return self.batches()

    def batches(self) -> Iterator[pa.RecordBatch]:
        """The result, ``batch_rows`` rows at a time; nothing at all when there are no rows."""
        times, statics, temporals = self._plan()
        if times is None:
            return
        for start in range(0, len(times), self._batch_rows):
            stop = min(start + self._batch_rows, len(times))
            yield self._batch(times, statics, temporals, start, stop)

    def read_all(self) -> pa.Table:
        return pa.Table.from_batches(list(self.batches()), schema=self.schema)

    # ---- planning -----------------------------------------------------------------------------

    def _plan(self) -> tuple[np.ndarray | None, list[_Static], list[_Temporal]]:
        statics = [_Static(c, self._static_cell(c)) for c in self._columns if c.is_static]
        if self._index is None:
            return np.zeros(1, dtype=np.int64), statics, []
        lo, hi = self._range
        if self._values is not None and len(self._values):
            lo = max(int(self._values[0]), lo) if lo is not None else int(self._values[0])
            hi = min(int(self._values[-1]), hi) if hi is not None else int(self._values[-1])
        clears = ClearFinder(self._store, self._index, lo, hi)
        cells = [(c, self._cells(c, clears, lo, hi)) for c in self._columns if not c.is_static]
        times = self._values if self._values is not None else _distinct_times([c for _, c in cells])
        times = _within(times, *self._range)
        temporals = [_Temporal(column, c, c.lookup(times, fill=self._fill)) for column, c in cells]
        return times, statics, temporals

    def _static_cell(self, column: ColumnInfo) -> pa.Array | None:
        stored = self._store.static_chunk(column.entity_path, column.component)
        row = None if stored is None else stored.last_cell_row(column.component)
        return None if stored is None or row is None else stored.columns[column.component].slice(row, 1)

    def _cells(self, column: ColumnInfo, clears: ClearFinder, lo: int | None, hi: int | None) -> ColumnCells:
        assert self._index is not None
        segments = data_segments(
            self._store, column.entity_path, column.component, self._index, lo=lo, hi=hi, history=self._fill
        )
        clear_segments = [] if column.is_tombstone else clears.segments(column.entity_path)
        return ColumnCells(column.component, self._index, segments, clear_segments)

    # ---- batches ------------------------------------------------------------------------------

    def _batch(
        self, times: np.ndarray, statics: list[_Static], temporals: list[_Temporal], start: int, stop: int
    ) -> pa.RecordBatch:
        count = stop - start
        rows = [temporal.rows[start:stop] for temporal in temporals]  # one view each: cells remember it
        arrays = [self._index_array(name, times[start:stop], temporals, rows) for name in self._timelines]
        by_column: dict[int, pa.Array] = {}
        for static in statics:
            by_column[id(static.column)] = _repeat(static.value, count, static.column.datatype)
        for temporal, shown in zip(temporals, rows, strict=True):
            by_column[id(temporal.column)] = temporal.cells.take(shown, temporal.column.datatype)
        arrays += [by_column[id(column)] for column in self._columns]
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)

    def _index_array(
        self, name: str, times: np.ndarray, temporals: list[_Temporal], rows: list[np.ndarray]
    ) -> pa.Array:
        """The index itself, or another timeline: the largest of its values over the cells shown."""
        arrow_type = self._timelines[name].arrow_type
        if self._index is None:
            return pa.nulls(len(times), arrow_type)
        if name == self._index:
            return int64_array(times, None, arrow_type)
        values = np.full(len(times), NULL_TIME, dtype=np.int64)
        for temporal, shown in zip(temporals, rows, strict=True):
            np.maximum(values, temporal.cells.other_times(name, shown), out=values)
        return int64_array(values, values == NULL_TIME, arrow_type)


def _distinct_times(cells: list[ColumnCells]) -> np.ndarray:
    """The union of the columns' times, ascending (columns logged at the same times are common: no sort then)."""
    parts = [c.distinct_times() for c in cells if len(c)]
    if not parts:
        return np.empty(0, dtype=np.int64)
    first = parts[0]
    if all(len(part) == len(first) and np.array_equal(part, first) for part in parts[1:]):
        return first
    merged = np.sort(np.concatenate(parts), kind="stable")  # sorted runs: a merge, not a full sort
    return merged[np.concatenate([[True], merged[1:] != merged[:-1]])]


def _within(times: np.ndarray, lo: int | None, hi: int | None) -> np.ndarray:
    if lo is not None:
        times = times[np.searchsorted(times, lo, side="left") :]
    if hi is not None:
        times = times[: np.searchsorted(times, hi, side="right")]
    return times


def _repeat(value: pa.Array | None, count: int, datatype: pa.DataType) -> pa.Array:
    if value is None:
        return pa.nulls(count, datatype)
    if value.type != datatype:
        value = value.cast(datatype)
    return value.take(int64_array(np.zeros(count, dtype=np.int64)))
