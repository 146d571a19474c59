"""``rr.send_record_batch`` / ``send_dataframe``: columns of a table become one chunk.

Index columns become timelines (int64 -> sequence, timestamp -> timestamp, duration -> duration);
every other column becomes an untyped component named after it, one value per row. Columns that
carry Rerun metadata (``rerun:entity_path``/``rerun:component``) keep it.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from rerun._log import entity_path_of
from rerun_core import Chunk, ComponentDescriptor, Timeline, TimeType

__all__ = ["AUTO_INDEX", "send_dataframe", "send_record_batch"]


class _AutoIndex:
    def __repr__(self) -> str:
        return "AUTO_INDEX"


AUTO_INDEX = _AutoIndex()


def send_record_batch(
    recording: Any, batch: pa.RecordBatch, *, index: Any = AUTO_INDEX, entity_path: str | None = None
) -> None:
    names = _index_columns(batch, index)
    timelines = {
        Timeline(n, TimeType.from_arrow_type(batch.schema.field(n).type)): batch.column(n) for n in names
    }
    components = {}
    for field, column in zip(batch.schema, batch.columns, strict=True):
        if field.name in names:
            continue
        metadata = {k.decode(): v.decode() for k, v in (field.metadata or {}).items()}
        descriptor = ComponentDescriptor(metadata.get("rerun:component", field.name), metadata.get("rerun:archetype"),
                                         metadata.get("rerun:component_type"))  # fmt: skip
        components[descriptor] = column if pa.types.is_list(column.type) else _one_per_row(column)
    path = entity_path or "/"
    recording.log_chunk(Chunk.build(entity_path_of(path), timelines=timelines, components=components))


def _index_columns(batch: pa.RecordBatch, index: Any) -> list[str]:
    if index is None:
        return []
    if isinstance(index, _AutoIndex):
        found = [f.name for f in batch.schema if (f.metadata or {}).get(b"rerun:kind") == b"index"]
        if not found:
            raise ValueError(
                "The record batch carries no index column, so it cannot be unambiguously interpreted as temporal "
                "or static. Pass `index=<column>` for temporal data or `index=None` for static data."
            )
        return found
    return [index] if isinstance(index, str) else list(index)


def _one_per_row(column: pa.Array) -> pa.ListArray:
    offsets = pa.array(range(len(column) + 1), pa.int32())
    return pa.ListArray.from_arrays(offsets, column, type=pa.list_(pa.field("item", column.type)))


def send_dataframe(
    recording: Any, df: Any, *, index: Any = AUTO_INDEX, entity_path: str | None = None
) -> None:
    """pandas/polars/pyarrow tables: converted to Arrow, sent batch by batch."""
    table = df if isinstance(df, pa.Table) else pa.table(df) if not hasattr(df, "to_arrow") else df.to_arrow()
    for batch in table.to_batches():
        send_record_batch(recording, batch, index=index, entity_path=entity_path)
