"""Reshaping chunks at the Arrow level — slicing, dropping columns, concatenating — for filter,
optimize and split.

Work happens on the chunk's own record batch so that every field's metadata survives untouched;
only what the reshaping can change is recomputed: the chunk id (new data, new id) and the
``rerun:is_sorted`` flags, which readers trust and which must therefore stay true.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from rerun_core import sorbet
from rerun_core.chunk import Chunk
from rerun_core.tuid import Tuid, new_tuid

__all__ = [
    "concat_chunks",
    "drop_columns",
    "drop_timelines",
    "rebuild",
    "row_id_keys",
    "row_ids_flagged_sorted",
    "row_ids_sorted",
    "sort_by_row_id",
    "take_rows",
    "time_column_sorted",
]


def row_id_keys(row_ids: pa.Array) -> np.ndarray:
    """Row ids as an ``(n, 2)`` array of uint64 (time, increment), whose row order is id order."""
    if len(row_ids) == 0:
        return np.zeros((0, 2), dtype=np.uint64)
    data = row_ids.buffers()[1]
    words = np.frombuffer(data, dtype=">u8", count=2 * (row_ids.offset + len(row_ids)))
    return words[2 * row_ids.offset :].reshape(-1, 2).astype(np.uint64)


def row_ids_sorted(row_ids: pa.Array) -> bool:
    keys = row_id_keys(row_ids)
    if len(keys) < 2:
        return True
    earlier, later = keys[:-1], keys[1:]
    return bool(
        np.all(
            (earlier[:, 0] < later[:, 0]) | ((earlier[:, 0] == later[:, 0]) & (earlier[:, 1] <= later[:, 1]))
        )
    )


def row_ids_flagged_sorted(chunk: Chunk) -> bool:
    """Whether readers treat a chunk as in row-id order: flagged so (trusted), or actually so."""
    field = chunk.to_record_batch().schema.field(sorbet.ROW_ID_COLUMN)
    if sorbet.decode_metadata(field.metadata).get(sorbet.IS_SORTED) == "true":
        return True
    return row_ids_sorted(chunk.row_ids)


def index_sorted(times: pa.Array) -> bool:
    values = times.view(pa.int64()).to_numpy(zero_copy_only=False)
    return bool(np.all(values[1:] >= values[:-1])) if len(values) > 1 else True


def rebuild(batch: pa.RecordBatch, *, chunk_id: Tuid | None = None) -> Chunk:
    """A chunk over ``batch`` (derived from another chunk's): new id unless given, honest sorted flags."""
    chunk_id = chunk_id or new_tuid()
    metadata = sorbet.decode_metadata(batch.schema.metadata)
    metadata[sorbet.ID] = f"chunk_{chunk_id}"
    fields = [
        _with_sorted_flag(field, column) for field, column in zip(batch.schema, batch.columns, strict=True)
    ]
    schema = pa.schema(fields, metadata=sorbet.encode_metadata(metadata))
    return Chunk(pa.RecordBatch.from_arrays(batch.columns, schema=schema), chunk_id)


def _with_sorted_flag(field: pa.Field, column: pa.Array) -> pa.Field:
    metadata = sorbet.decode_metadata(field.metadata)
    kind = metadata.get(sorbet.KIND)
    if kind == sorbet.KIND_CONTROL and field.name == sorbet.ROW_ID_COLUMN:
        is_sorted = row_ids_sorted(column)
    elif kind == sorbet.KIND_INDEX:
        is_sorted = index_sorted(column)
    else:
        return field
    if is_sorted == (metadata.get(sorbet.IS_SORTED) == "true"):
        return field
    metadata.pop(sorbet.IS_SORTED, None)
    if is_sorted:
        metadata[sorbet.IS_SORTED] = "true"
    return field.with_metadata(sorbet.encode_metadata(metadata))


def drop_columns(chunk: Chunk, names: set[str], *, keep_id: bool = False) -> Chunk:
    """The chunk without the named columns; ``filter`` keeps the id, as the reference does."""
    batch = chunk.to_record_batch()
    keep = [i for i, name in enumerate(batch.schema.names) if name not in names]
    reduced = pa.RecordBatch.from_arrays(
        [batch.column(i) for i in keep],
        schema=pa.schema([batch.schema.field(i) for i in keep], metadata=batch.schema.metadata),
    )
    return rebuild(reduced, chunk_id=chunk.id if keep_id else None)


def take_rows(chunk: Chunk, indices: np.ndarray | Sequence[int]) -> Chunk:
    """A new chunk holding the given rows, in the given order."""
    return rebuild(chunk.to_record_batch().take(pa.array(indices, type=pa.int64())))


def sort_by_row_id(chunk: Chunk, *, keep_id: bool = True) -> Chunk:
    """The chunk's rows in row-id order (a stable sort); the chunk itself when already so."""
    if row_ids_sorted(chunk.row_ids):
        return chunk
    keys = row_id_keys(chunk.row_ids)
    order = pa.array(np.lexsort((keys[:, 1], keys[:, 0])))
    return rebuild(chunk.to_record_batch().take(order), chunk_id=chunk.id if keep_id else None)


def concat_chunks(chunks: Sequence[Chunk]) -> Chunk:
    """One chunk with the rows of all ``chunks`` (same entity and timelines), sorted by row id.

    Component columns missing from some chunks are filled with nulls, as the reference's compaction
    does; columns keep their first chunk's field (and so its metadata).
    """
    fields: dict[str, pa.Field] = {}
    for chunk in chunks:
        for field in chunk.to_record_batch().schema:
            fields.setdefault(field.name, field)
    ordered = _column_order(fields)
    columns = []
    for name in ordered:
        pieces = [_column_or_nulls(chunk, name, fields[name].type) for chunk in chunks]
        columns.append(pa.concat_arrays(pieces))
    first = chunks[0].to_record_batch().schema
    batch = pa.RecordBatch.from_arrays(
        columns, schema=pa.schema([fields[n] for n in ordered], metadata=first.metadata)
    )
    keys = row_id_keys(batch.column(0))
    order = np.lexsort((keys[:, 1], keys[:, 0]))
    if np.any(order != np.arange(len(order))):
        batch = batch.take(pa.array(order))
    return rebuild(batch)


def _column_order(fields: dict[str, pa.Field]) -> list[str]:
    """Row id, then index columns by name, then component columns by name (the chunk layout)."""

    def rank(name: str) -> tuple[int, str]:
        kind = sorbet.decode_metadata(fields[name].metadata).get(sorbet.KIND)
        return {sorbet.KIND_CONTROL: 0, sorbet.KIND_INDEX: 1}.get(kind or "", 2), name

    return sorted(fields, key=rank)


def _column_or_nulls(chunk: Chunk, name: str, arrow_type: pa.DataType) -> pa.Array:
    batch = chunk.to_record_batch()
    index = batch.schema.get_field_index(name)
    return batch.column(index) if index >= 0 else pa.nulls(batch.num_rows, type=arrow_type)


def drop_timelines(chunk: Chunk, timelines: set[str] | frozenset[str], *, keep_id: bool = False) -> Chunk:
    """The chunk without the named timelines' index columns (none left: it becomes static)."""
    batch = chunk.to_record_batch()
    names = set()
    for field in batch.schema:
        metadata = sorbet.decode_metadata(field.metadata)
        if (
            metadata.get(sorbet.KIND) == sorbet.KIND_INDEX
            and metadata.get(sorbet.INDEX_NAME, field.name) in timelines
        ):
            names.add(field.name)
    return drop_columns(chunk, names, keep_id=keep_id) if names else chunk


def time_column_sorted(chunk: Chunk, timeline: str) -> bool:
    """Whether readers treat a time column as sorted: flagged so (the flag is trusted), or actually so."""
    field = chunk.to_record_batch().schema.field(timeline)
    if sorbet.decode_metadata(field.metadata).get(sorbet.IS_SORTED) == "true":
        return True
    return index_sorted(chunk.index_column(timeline))
