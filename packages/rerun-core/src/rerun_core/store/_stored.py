"""A chunk as the store holds it: the chunk plus numpy views of its row ids and index columns.

Every index and query of the store works on these views, so they are computed once per chunk, on
insertion, and never per query. Chunks in the store are always sorted by row id (0.41 refuses
unsorted ones; we sort them instead).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from rerun_core import sorbet
from rerun_core.chunk import Chunk
from rerun_core.descriptor import ComponentDescriptor
from rerun_core.timeline import Timeline
from rerun_core.tuid import Tuid, new_tuid

__all__ = [
    "StoredChunk",
    "TimeRange",
    "concatenate_chunks",
    "concatenate_runs",
    "index_values",
    "row_id_words",
]

TimeRange = tuple[int, int]

# Chunks the store copies (sorted, merged, split) live long and die in any order (garbage collection):
# the system allocator hands such blocks back to the OS, where pyarrow's default (mimalloc) keeps them,
# so a store at its memory limit would hold far more resident memory than it accounts for.
STORE_MEMORY_POOL = pa.system_memory_pool()


def row_id_words(row_ids: pa.Array) -> np.ndarray:
    """Row ids as an ``(n, 2)`` native uint64 array ``(time_ns, inc)``: row order is lexicographic order."""
    data = row_ids.buffers()[1]
    words = np.frombuffer(data, dtype=">u8", count=2 * (row_ids.offset + len(row_ids)))
    return words[2 * row_ids.offset :].reshape(-1, 2).astype(np.uint64)


def index_values(column: pa.Array) -> tuple[np.ndarray, np.ndarray | None]:
    """An index column as int64 (ns or sequence numbers) without copying, plus its validity (``None``: no nulls)."""
    data = column.buffers()[1]
    values = np.frombuffer(data, dtype=np.int64, count=column.offset + len(column))[column.offset :]
    if column.null_count == 0:
        return values, None
    return values, column.is_valid().to_numpy(zero_copy_only=False)


def _is_row_id_sorted(words: np.ndarray) -> bool:
    if len(words) < 2:
        return True
    hi, lo = words[:, 0], words[:, 1]
    return bool(np.all((hi[1:] > hi[:-1]) | ((hi[1:] == hi[:-1]) & (lo[1:] >= lo[:-1]))))


def _instance_count(column: pa.Array) -> int:
    """Instances in a list column's cells: without null cells, simply its offsets' span (no kernel)."""
    if not len(column):
        return 0
    if column.null_count:  # a null cell may still span offsets: count valid cells only
        return int(pc.sum(pc.list_value_length(column)).as_py() or 0)
    width = np.int64 if pa.types.is_large_list(column.type) else np.int32
    offsets = np.frombuffer(column.buffers()[1], dtype=width, count=column.offset + len(column) + 1)
    return int(offsets[-1] - offsets[column.offset])


def _is_sorted(values: np.ndarray) -> bool:
    return bool(np.all(values[1:] >= values[:-1])) if len(values) > 1 else True


class StoredChunk:
    """One chunk with everything the indexes need: times per timeline, component validity and ranges."""

    def __init__(self, chunk: Chunk) -> None:
        words = row_id_words(chunk.row_ids)
        if not _is_row_id_sorted(words):
            order = np.lexsort((words[:, 1], words[:, 0]))
            batch = chunk.to_record_batch()
            chunk = Chunk(
                pa.RecordBatch.from_arrays(_take(batch.columns, order), schema=batch.schema), chunk.id
            )
            words = words[order]
        self.chunk = chunk
        self.row_ids = words
        self.id: Tuid = chunk.id
        self.entity_path: str = chunk.entity_path
        self.num_rows: int = chunk.num_rows
        self.nbytes: int = chunk.nbytes
        self.timelines: dict[str, Timeline] = dict(chunk.timelines)
        self.times: dict[str, np.ndarray] = {}
        self.time_valid: dict[str, np.ndarray | None] = {}
        for name in self.timelines:
            self.times[name], self.time_valid[name] = index_values(chunk.index_column(name))
        self.descriptors: dict[str, ComponentDescriptor] = {d.component: d for d in chunk.components}
        self.columns: dict[str, pa.Array] = {d.component: col for d, col in chunk.components.items()}
        self.split_source: Tuid | None = None  # set by the store on pieces of a split chunk

    @property
    def is_static(self) -> bool:
        return not self.timelines

    @cached_property
    def valid(self) -> dict[str, np.ndarray | None]:
        """Per component, which rows hold a cell (``None``: every row)."""
        return {
            name: None if col.null_count == 0 else col.is_valid().to_numpy(zero_copy_only=False)
            for name, col in self.columns.items()
        }

    @cached_property
    def instances(self) -> dict[str, int]:
        """Per component, how many instances its cells hold in total (0: semantically empty)."""
        return {name: _instance_count(column) for name, column in self.columns.items()}

    @cached_property
    def sorted_timelines(self) -> dict[str, bool]:
        return {name: _is_sorted(self._valid_times(name, None)) for name in self.timelines}

    @cached_property
    def strictly_increasing(self) -> dict[str, bool]:
        """Per timeline, whether every row has a time and each is larger than the one before (cached:
        queries then know a chunk needs no sorting without looking at its times again)."""
        return {
            name: self.time_valid[name] is None and bool(np.all(times[1:] > times[:-1]))
            for name, times in self.times.items()
        }

    @property
    def all_timelines_sorted(self) -> bool:
        return all(self.sorted_timelines.values())

    @cached_property
    def component_time_ranges(self) -> dict[str, dict[str, TimeRange]]:
        """Per timeline, per component: min and max time of the rows holding a cell of that component."""
        ranges: dict[str, dict[str, TimeRange]] = {}
        for timeline in self.timelines:
            per_component = ranges[timeline] = {}
            for name in self.columns:
                found = self._range(timeline, name)
                if found is not None:
                    per_component[name] = found
        return ranges

    def last_cell_row(self, component: str) -> int | None:
        """The newest row (rows are sorted by row id) holding a cell of ``component``."""
        valid = self.valid[component]
        if valid is None:
            return self.num_rows - 1
        return len(valid) - 1 - int(valid[::-1].argmax()) if valid.any() else None

    def row_mask(self, timeline: str | None, component: str | None) -> np.ndarray | None:
        """Rows that have a time on ``timeline`` and a cell of ``component`` (``None``: all rows)."""
        candidates = [
            self.time_valid.get(timeline) if timeline else None,
            self.valid[component] if component else None,
        ]
        masks = [m for m in candidates if m is not None]
        if not masks:
            return None
        return masks[0] if len(masks) == 1 else masks[0] & masks[1]

    def _valid_times(self, timeline: str, component: str | None) -> np.ndarray:
        mask = self.row_mask(timeline, component)
        times = self.times[timeline]
        return times if mask is None else times[mask]

    def _range(self, timeline: str, component: str | None) -> TimeRange | None:
        mask = self.row_mask(timeline, component)
        times = self.times[timeline]
        if mask is None:
            return (int(times.min()), int(times.max())) if len(times) else None
        if not mask.any():
            return None
        selected = times[mask]
        return int(selected.min()), int(selected.max())

    @property
    def row_id_min(self) -> tuple[int, int]:
        return int(self.row_ids[0, 0]), int(self.row_ids[0, 1])

    def __repr__(self) -> str:
        return f"StoredChunk({self.chunk!r})"


def concatenable(a: StoredChunk, b: StoredChunk) -> bool:
    """Same entity, same timelines, same components with the same Arrow types: rows can simply be appended."""
    return (
        a.entity_path == b.entity_path
        and a.timelines == b.timelines
        and a.descriptors == b.descriptors
        and all(a.columns[name].type == b.columns[name].type for name in a.columns)
    )


def concatenate_chunks(first: Chunk, second: Chunk) -> Chunk:
    """A new chunk (new id) holding the rows of ``first`` then ``second``, which must be concatenable."""
    return _concatenated([first, second], STORE_MEMORY_POOL)


def concatenate_runs(chunks: Sequence[Chunk], memory_pool: pa.MemoryPool | None = None) -> list[Chunk]:
    """``chunks`` with each entity's temporal chunks of the same columns joined into one new chunk
    (static chunks as they are), for a store that is read once: one chunk's bookkeeping instead of
    many, and queries then slice one chunk's columns instead of concatenating many."""
    joined: list[Chunk] = []
    runs: dict[tuple[Any, ...], list[Chunk]] = {}
    for chunk in chunks:
        if chunk.is_static:
            joined.append(chunk)
            continue
        schema = chunk.to_record_batch().schema
        key = (chunk.entity_path, *((f.name, f.type) for f in schema))
        runs.setdefault(key, []).append(chunk)
    for run in runs.values():
        joined.append(run[0] if len(run) == 1 else _concatenated(run, memory_pool))
    return joined


def _concatenated(chunks: list[Chunk], memory_pool: pa.MemoryPool | None) -> Chunk:
    """One new chunk of the rows of ``chunks`` (same columns; matched by name), in order."""
    batches = [chunk.to_record_batch() for chunk in chunks]
    arrays = [
        pa.concat_arrays([batch.column(name) for batch in batches], memory_pool=memory_pool)
        for name in batches[0].schema.names
    ]
    chunk_id = new_tuid()
    return Chunk(_with_fresh_metadata(batches[0].schema, arrays, chunk_id), chunk_id)


def slice_chunk(chunk: Chunk, start: int, length: int) -> Chunk:
    """A copy (not a view, so the original's memory can be freed) of some rows, as a new chunk.

    Concatenating a slice copies only that slice's bytes: for big cells (images) it is ~100x faster
    than ``take``, which matters as splitting runs while a live viewer waits for the store.
    """
    batch = chunk.to_record_batch()
    chunk_id = new_tuid()
    columns = [
        pa.concat_arrays([column.slice(start, length)], memory_pool=STORE_MEMORY_POOL)
        for column in batch.columns
    ]
    return Chunk(_with_fresh_metadata(batch.schema, columns, chunk_id), chunk_id)


def _take(columns: list[pa.Array], rows: np.ndarray) -> list[pa.Array]:
    indices = pa.array(rows)
    return [pc.take(column, indices, memory_pool=STORE_MEMORY_POOL) for column in columns]


def _with_fresh_metadata(schema: pa.Schema, arrays: list[pa.Array], chunk_id: Tuid) -> pa.RecordBatch:
    """The batch with its new ``rerun:id`` and an ``is_sorted`` flag only on index columns that are sorted."""
    fields = []
    for field, array in zip(schema, arrays, strict=True):
        metadata = sorbet.decode_metadata(field.metadata)
        if metadata.get(sorbet.KIND) == sorbet.KIND_INDEX:
            values, valid = index_values(array)
            metadata.pop(sorbet.IS_SORTED, None)
            if _is_sorted(values if valid is None else values[valid]):
                metadata[sorbet.IS_SORTED] = "true"
        fields.append(field.with_metadata(sorbet.encode_metadata(metadata)))
    schema_metadata = sorbet.decode_metadata(schema.metadata)
    schema_metadata[sorbet.ID] = f"chunk_{chunk_id}"
    return pa.RecordBatch.from_arrays(
        arrays, schema=pa.schema(fields, metadata=sorbet.encode_metadata(schema_metadata))
    )
