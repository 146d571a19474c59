"""The cells of one component column on one timeline, sorted by (time, row id), for vectorised lookups.

A column's cells come from several chunks ("segments", each a chunk and the rows of it that hold a
cell with a time). Together they form one *row space*: data rows first, then the rows of any clears
that apply to the column (which read as empty lists). Lookups answer, for many times at once, which
row of that space to show; values and other timelines are then gathered for those rows only, with
one Arrow take over the chunks' columns (or just the wanted cells of a big column).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa

from rerun_core.store import ChunkStore, StoredChunk, TimeIndex
from rerun_core.tuid import Tuid

__all__ = ["NULL_TIME", "ColumnCells", "Segment", "chunks_for", "data_segments", "int64_array"]

NULL_TIME = np.iinfo(np.int64).min  # "no time" in int64 time arrays; never a real time in 0.41
_SMALL_COLUMN_BYTES = 262144


@dataclass(frozen=True)
class Segment:
    """Rows of one chunk that belong to a column (``rows`` ``None``: every row)."""

    chunk: StoredChunk
    rows: np.ndarray | None

    def __len__(self) -> int:
        return self.chunk.num_rows if self.rows is None else len(self.rows)

    def times(self, timeline: str) -> np.ndarray:
        """The segment's times on ``timeline``; ``NULL_TIME`` where a row has none."""
        stored = self.chunk
        if timeline not in stored.times:
            return np.full(len(self), NULL_TIME, dtype=np.int64)
        times, valid = stored.times[timeline], stored.time_valid[timeline]
        if valid is not None:
            times = np.where(valid, times, NULL_TIME)
        return times if self.rows is None else times[self.rows]

    def row_ids(self) -> np.ndarray:
        return self.chunk.row_ids if self.rows is None else self.chunk.row_ids[self.rows]


def int64_array(
    values: np.ndarray, null: np.ndarray | None = None, arrow_type: pa.DataType | None = None
) -> pa.Array:
    """An int64-backed Arrow array (indices or times) over numpy data, nulls where ``null``.

    Built from buffers: ``pa.array(..., mask=)`` would first import ``numpy.ma`` (14 ms, once).
    """
    values = np.ascontiguousarray(values, dtype=np.int64)
    validity = None
    if null is not None and null.any():
        validity = pa.py_buffer(np.packbits(~null, bitorder="little"))
    return pa.Array.from_buffers(arrow_type or pa.int64(), len(values), [validity, pa.py_buffer(values)])


def chunks_for(index: TimeIndex | None, lo: int | None, hi: int | None, *, history: bool) -> list[Tuid]:
    """Ids of chunks that may hold cells in ``[lo, hi]``; with ``history`` also the latest cell before ``lo``."""
    if index is None:
        return []
    if not history or lo is None:
        return index.overlapping(lo, hi)
    candidates = index.overlapping(None, hi)
    starts_before = [index.ranges[chunk_id][0] for chunk_id in candidates if index.ranges[chunk_id][0] <= lo]
    # The latest cell at or before lo is at least the latest start at or before lo.
    bound = max(starts_before, default=lo)
    return [chunk_id for chunk_id in candidates if index.ranges[chunk_id][1] >= bound]


def data_segments(
    store: ChunkStore,
    entity_path: str,
    component: str,
    timeline: str,
    *,
    lo: int | None = None,
    hi: int | None = None,
    history: bool = False,
) -> list[Segment]:
    """The segments holding cells of ``component`` with a time on ``timeline`` (in ``[lo, hi]`` when given)."""
    index = store.temporal_index(entity_path, timeline, component)
    segments = []
    for chunk_id in chunks_for(index, lo, hi, history=history):
        stored = store.stored_chunk(chunk_id)
        assert stored is not None
        mask = stored.row_mask(timeline, component)
        segments.append(Segment(stored, None if mask is None else np.flatnonzero(mask)))
    return segments


class ColumnCells:
    """Sorted cells of a column: ``times`` ascending; ``rows_at(i)`` is the row-space position of cell ``i``."""

    def __init__(
        self, component: str, timeline: str, data: list[Segment], clears: list[Segment] | None = None
    ) -> None:
        self.component = component
        self._segments = data + (clears or [])
        self._bounds = np.cumsum([0, *(len(segment) for segment in self._segments)])
        self.num_data_rows = int(self._bounds[len(data)])
        self._num_data_segments = len(data)
        self._other_times: dict[str, np.ndarray] = {}
        self._located: tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None
        parts = [s.times(timeline) for s in self._segments]
        times = np.concatenate(parts) if parts else np.empty(0, np.int64)
        self._order: np.ndarray | None = None  # sorted position -> row-space position; None: identity
        if not _strictly_increasing(self._segments, parts, times, timeline):
            # Overlapping or unsorted chunks, several rows at one time, or clears: order by row id too.
            row_ids = np.concatenate([s.row_ids() for s in self._segments])
            self._order = np.lexsort((row_ids[:, 1], row_ids[:, 0], times))
            times = times[self._order]
        self.times = times
        self._data_times, self._data_order = times, self._order
        if len(self._segments) > len(data):
            data_positions = np.flatnonzero(self.rows_at(np.arange(len(times))) < self.num_data_rows)
            self._data_times, self._data_order = times[data_positions], self.rows_at(data_positions)

    def __len__(self) -> int:
        return len(self.times)

    def rows_at(self, positions: np.ndarray) -> np.ndarray:
        """Row-space positions of the cells at sorted ``positions``."""
        return positions if self._order is None else self._order[positions]

    def distinct_times(self) -> np.ndarray:
        """Every time with at least one cell, ascending."""
        times = self.times
        if len(times) < 2 or self._order is None:
            return times  # identity order means strictly increasing
        return times[np.concatenate([times[1:] != times[:-1], [True]])]

    def lookup(self, at: np.ndarray, *, fill: bool) -> np.ndarray:
        """Per time in ``at``: the row of the newest cell at exactly that time, else (with ``fill``) the
        newest data cell before it (clears only count at their own time), else -1."""
        if self._order is None and len(at):
            # Asked for a run of the column's own (strictly increasing) times, e.g. a range read: rows
            # are positions, found without a search per time.
            first = int(np.searchsorted(self.times, at[0]))
            if np.array_equal(at, self.times[first : first + len(at)]):
                return np.arange(first, first + len(at), dtype=np.int64)
        result = np.full(len(at), -1, dtype=np.int64)
        if not len(self.times):
            return result
        position = np.searchsorted(self.times, at, side="right") - 1
        found = position >= 0
        found[found] = self.times[position[found]] == at[found]
        result[found] = self.rows_at(position[found])
        if fill and len(self._data_times):
            missing = np.flatnonzero(~found)
            before = np.searchsorted(self._data_times, at[missing], side="right") - 1
            ok = before >= 0
            data_rows = before[ok] if self._data_order is None else self._data_order[before[ok]]
            result[missing[ok]] = data_rows
        return result

    def _locate(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For the valid (>= 0) ``rows``: their positions in ``rows``, their segments and their rows in
        those segments' chunks. Remembered for the last ``rows`` (values and times ask in turn)."""
        if self._located is not None and self._located[0] is rows:
            return self._located[1]
        valid = np.flatnonzero(rows >= 0)
        wanted = rows[valid]
        if len(wanted) > 1 and bool(np.all(wanted[1:] >= wanted[:-1])):
            # Ascending: a row's segment is the number of segment starts at or before it.
            steps = np.zeros(len(wanted) + 1, dtype=np.int64)
            np.add.at(steps, np.searchsorted(wanted, self._bounds[1:-1], side="left"), 1)
            segments = np.cumsum(steps[:-1])
        else:
            segments = np.searchsorted(self._bounds, wanted, side="right") - 1
        chunk_rows = wanted - self._bounds[segments]
        for segment in self._masked_segments:
            hit = segments == segment
            if hit.any():
                segment_rows = self._segments[segment].rows
                assert segment_rows is not None  # only masked segments are listed
                chunk_rows[hit] = segment_rows[chunk_rows[hit]]
        self._located = (rows, (valid, segments, chunk_rows))
        return valid, segments, chunk_rows

    @cached_property
    def _masked_segments(self) -> list[int]:
        """Segments that are only some rows of their chunk (null cells, rows without a time)."""
        return [i for i, segment in enumerate(self._segments) if segment.rows is not None]

    def other_times(self, timeline: str, rows: np.ndarray) -> np.ndarray:
        """The time on another timeline of each row (``NULL_TIME`` for -1 rows and rows without one)."""
        if timeline in self._other_times or 8 * len(rows) >= self._bounds[-1]:
            if timeline not in self._other_times:  # most rows wanted: one array for the whole row space
                parts = [s.times(timeline) for s in self._segments]
                self._other_times[timeline] = np.concatenate([*parts, [NULL_TIME]]).astype(
                    np.int64, copy=False
                )
            return self._other_times[timeline][rows]  # -1 picks the trailing NULL_TIME
        result = np.full(len(rows), NULL_TIME, dtype=np.int64)
        valid, segments, chunk_rows = self._locate(rows)
        for segment, picked in _groups(segments):
            stored = self._segments[segment].chunk
            if timeline in stored.times:
                found, has_time = stored.times[timeline][chunk_rows[picked]], stored.time_valid[timeline]
                if has_time is not None:
                    found = np.where(has_time[chunk_rows[picked]], found, NULL_TIME)
                result[valid[picked]] = found
        return result

    def row_ids(self, rows: np.ndarray) -> np.ndarray:
        """``(n, 2)`` row ids of the given row-space positions (all >= 0)."""
        return np.concatenate([s.row_ids() for s in self._segments])[rows]

    @cached_property
    def _data_columns(self) -> tuple[list[pa.Array], np.ndarray, np.ndarray]:
        """Per data segment: its chunk's column, the column's length, and whether it is small (the whole
        chunk's size bounds the column's, and is known without asking Arrow)."""
        data = self._segments[: self._num_data_segments]
        columns = [segment.chunk.columns[self.component] for segment in data]
        lengths = np.array([segment.chunk.num_rows for segment in data], dtype=np.int64)
        small = np.array([segment.chunk.nbytes <= _SMALL_COLUMN_BYTES for segment in data], dtype=bool)
        return columns, lengths, small

    def _run(self, first: int, count: int, datatype: pa.DataType) -> pa.Array | None:
        """Values of the row-space rows ``[first, first + count)``: slices of the chunks' columns,
        concatenated (one copy, no take); ``None`` when the run reaches into clear rows."""
        columns = self._data_columns[0]
        segment = int(np.searchsorted(self._bounds, first, side="right")) - 1
        pieces = []
        position, end = first, first + count
        while position < end:
            if segment >= self._num_data_segments:
                return None
            start, stop = int(self._bounds[segment]), int(self._bounds[segment + 1])
            low, high = position - start, min(end, stop) - start
            rows = self._segments[segment].rows
            column = columns[segment]
            piece = (
                column.slice(low, high - low) if rows is None else column.take(int64_array(rows[low:high]))
            )
            pieces.append(_as_type(piece, datatype))
            position, segment = start + high, segment + 1
        return pieces[0] if len(pieces) == 1 else pa.concat_arrays(pieces)

    def take(self, rows: np.ndarray, datatype: pa.DataType) -> pa.Array:
        """Values of the given rows: data rows as stored, clear rows as empty lists, -1 as null.

        Columns of segments with many wanted rows, or small ones, go whole into one concatenation
        (no copy per chunk); of the others only the wanted cells are copied. One take then orders.
        """
        if _is_one_run(rows):
            run = self._run(int(rows[0]), len(rows), datatype)
            if run is not None:
                return run
        valid, segments, chunk_rows = self._locate(rows)
        if not len(valid):
            return pa.nulls(len(rows), datatype)
        columns, lengths, small = self._data_columns
        data_count = self._num_data_segments
        counts = np.bincount(segments, minlength=len(self._segments))
        used = np.flatnonzero(counts[:data_count])
        whole = used[(4 * counts[used] >= lengths[used]) | small[used]]
        starts = np.zeros(len(self._segments), dtype=np.int64)
        starts[whole] = np.cumsum(lengths[whole]) - lengths[whole]
        is_whole = np.zeros(len(self._segments), dtype=bool)
        is_whole[whole] = True
        pieces = [_as_type(columns[i], datatype) for i in whole]
        source_of = np.full(len(rows), -1, dtype=np.int64)
        from_whole = is_whole[segments]
        source_of[valid[from_whole]] = starts[segments[from_whole]] + chunk_rows[from_whole]
        offset = int(lengths[whole].sum())
        for segment in used[~is_whole[used]]:  # a few cells of a big column: copy just those
            picked = np.flatnonzero(segments == segment)
            pieces.append(_as_type(columns[segment].take(int64_array(chunk_rows[picked])), datatype))
            source_of[valid[picked]] = np.arange(offset, offset + int(counts[segment]))
            offset += int(counts[segment])
        if counts[data_count:].any():
            pieces.append(pa.array([[]], type=datatype))
            source_of[valid[segments >= data_count]] = offset
        source = pieces[0] if len(pieces) == 1 else pa.concat_arrays(pieces)
        if len(source) == len(rows) and source_of[0] == 0 and bool(np.all(np.diff(source_of) == 1)):
            return source  # every row, in order: no second copy
        return source.take(int64_array(source_of, source_of < 0))


def _is_one_run(rows: np.ndarray) -> bool:
    """Whether ``rows`` are consecutive row-space positions (the usual answer of a range query)."""
    count = len(rows)
    return (
        count > 0
        and rows[0] >= 0
        and int(rows[-1]) - int(rows[0]) == count - 1
        and bool(np.all(rows[1:] - rows[:-1] == 1))
    )


def _strictly_increasing(
    segments: list[Segment], parts: list[np.ndarray], times: np.ndarray, timeline: str
) -> bool:
    """Whether ``times`` (the ``parts`` end to end) increase strictly; from cached per-chunk facts if possible."""
    if all(s.rows is None and s.chunk.strictly_increasing.get(timeline, False) for s in segments):
        return all(int(a[-1]) < int(b[0]) for a, b in itertools.pairwise(p for p in parts if len(p)))
    return len(times) < 2 or bool(np.all(times[1:] > times[:-1]))


def _groups(segments: np.ndarray) -> list[tuple[int, np.ndarray | slice]]:
    """Positions of each segment's entries; slices when ``segments`` is ascending (the usual case)."""
    if len(segments) < 2 or bool(np.all(segments[1:] >= segments[:-1])):
        cuts = [0, *(np.flatnonzero(np.diff(segments)) + 1).tolist(), len(segments)]
        return [(int(segments[a]), slice(a, b)) for a, b in itertools.pairwise(cuts) if b > a]
    return [(int(segment), np.flatnonzero(segments == segment)) for segment in np.unique(segments)]


def _as_type(values: pa.Array, datatype: pa.DataType) -> pa.Array:
    """Chunks may spell a column's type slightly differently (e.g. item nullability): unify on the schema's."""
    return values if values.type == datatype else values.cast(datatype)
