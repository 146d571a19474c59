"""Chunks from Arrow data (record batches and dataframes, classified as 0.41 does), columns and properties.

A record batch's columns are the row ids (``rerun.controls.RowId``), the index columns (picked by
``index``, else by ``rerun:kind=index`` metadata), and the rest: components, each wrapped in
one-element lists unless it is a list column already. A component's entity path is, in order, its
``rerun:entity_path`` metadata, the batch's, the ``/path:component`` column-name convention, the
caller's default, else ``/``. One chunk per entity path, in first-seen order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from rerun._batcher import _list_column
from rerun._log import component_batches, entity_path_of
from rerun._send_dataframe import _AutoIndex
from rerun_core import Chunk as CoreChunk
from rerun_core import ComponentDescriptor, Timeline, TimeType, sorbet
from rerun_core.arrow_names import rust_type_name
from rerun_core.entity_path import RECORDING_PROPERTIES_PATH, EntityPath

__all__ = [
    "chunk_from_columns",
    "chunk_from_property",
    "chunks_from_record_batch",
    "record_batch_reader",
    "reorder_components",
]


def record_batch_reader(dataframe: Any) -> pa.RecordBatchReader:
    """Any single-schema Arrow source as a reader (streams stay streams)."""
    if isinstance(dataframe, pa.RecordBatchReader):
        return dataframe
    if isinstance(dataframe, pa.Table):
        return dataframe.to_reader()
    if isinstance(dataframe, pa.RecordBatch):
        return pa.RecordBatchReader.from_batches(dataframe.schema, [dataframe])
    if hasattr(dataframe, "__arrow_c_stream__"):
        return pa.RecordBatchReader.from_stream(dataframe)
    raise TypeError(
        "Expected a pyarrow Table, pyarrow RecordBatch, pyarrow RecordBatchReader, or an "
        f"Arrow-C-stream object (e.g. a datafusion DataFrame), got {type(dataframe).__name__}"
    )


def chunks_from_record_batch(batch: pa.RecordBatch, index: Any, entity_path: str | None) -> list[CoreChunk]:
    metadata = [sorbet.decode_metadata(field.metadata) for field in batch.schema]
    row_id_columns = [i for i, field in enumerate(batch.schema) if field.name == sorbet.ROW_ID_COLUMN]
    batch_metadata = sorbet.decode_metadata(batch.schema.metadata)
    identified = bool(row_id_columns) and sorbet.ID in batch_metadata
    auto = isinstance(index, _AutoIndex)
    marked = [i for i, m in enumerate(metadata) if m.get(sorbet.KIND) == sorbet.KIND_INDEX]
    if identified and auto and entity_path is None:
        return [CoreChunk.from_record_batch(batch)]
    if auto:
        if not marked and not identified:
            raise ValueError(
                "The record batch carries no index column, so it cannot be unambiguously interpreted as "
                "temporal or static. Pass `index=<column>` for temporal data or `index=None` for static data."
            )
        index_columns = marked
    elif index is None:
        if marked:
            raise ValueError(
                "`index=None` (static) was requested, but the record batch also carries index metadata "
                "or names an index column. Drop the index metadata, or request a temporal interpretation "
                "instead."
            )
        index_columns = []
    else:
        index_columns = _named_columns(
            batch, [index] if isinstance(index, str) else list(index), row_id_columns
        )
    timelines = {_timeline(batch, i, metadata[i]): batch.column(i) for i in index_columns}
    skip = set(index_columns) | set(row_id_columns)
    groups = _component_groups(batch, metadata, skip, batch_metadata.get(sorbet.ENTITY_PATH), entity_path)
    if not groups:
        raise ValueError("The record batch contains no component columns, so there is nothing to log.")
    return [
        reorder_components(CoreChunk.build(path, timelines=timelines, components=components))
        for path, components in groups.items()
    ]


def _named_columns(batch: pa.RecordBatch, names: list[str], row_id_columns: list[int]) -> list[int]:
    positions = []
    for name in names:
        position = batch.schema.get_field_index(name)
        if position < 0 or position in row_id_columns:
            raise ValueError(f'The requested index column "{name}" is not present in the record batch.')
        if position not in positions:
            positions.append(position)
    return positions


def _timeline(batch: pa.RecordBatch, position: int, metadata: dict[str, str]) -> Timeline:
    field = batch.schema.field(position)
    if batch.column(position).null_count:
        raise ValueError(
            f'The index column "{field.name}" contains null values. Time columns must be dense — express '
            "static data with `index=None` rather than null times. (Mixing static and temporal rows in a "
            "single batch is not supported.)"
        )
    try:
        time_type = TimeType.from_arrow_type(field.type)
    except ValueError:
        raise ValueError(f"Unsupported time type: {rust_type_name(field.type)}") from None
    return Timeline(metadata.get(sorbet.INDEX_NAME, field.name), time_type)


def _component_groups(
    batch: pa.RecordBatch,
    metadata: list[dict[str, str]],
    skip: set[int],
    batch_entity: str | None,
    default_entity: str | None,
) -> dict[str, dict[ComponentDescriptor, pa.Array]]:
    groups: dict[str, dict[ComponentDescriptor, pa.Array]] = {}
    for position, field in enumerate(batch.schema):
        if position in skip:
            continue
        meta = metadata[position]
        path, component = meta.get(sorbet.ENTITY_PATH) or batch_entity, meta.get(sorbet.COMPONENT)
        if path is None and field.name.startswith("/") and ":" in field.name:
            path, _, named = field.name.partition(":")
            component = component or named
        path = entity_path_of(path or default_entity or "/")
        descriptor = ComponentDescriptor(
            component or field.name, meta.get(sorbet.ARCHETYPE), meta.get(sorbet.COMPONENT_TYPE)
        )
        groups.setdefault(path, {})[descriptor] = _as_list_column(batch.column(position))
    return groups


def _as_list_column(column: pa.Array) -> pa.Array:
    """List columns as they are; anything else becomes one single-element list per row (nulls stay null)."""
    if pa.types.is_list(column.type):
        return column
    offsets = pa.array(range(len(column) + 1), pa.int32())
    list_type = pa.list_(pa.field("item", column.type, nullable=True))
    return pa.ListArray.from_arrays(offsets, column, type=list_type, mask=column.is_null())


def _descriptor_order(descriptor: ComponentDescriptor) -> tuple[Any, ...]:
    """0.41 orders a chunk's components as its descriptors sort: untyped (no archetype) first."""
    archetype, component_type = descriptor.archetype, descriptor.component_type
    return archetype is not None, archetype or "", descriptor.component, component_type or ""


def reorder_components(chunk: CoreChunk) -> CoreChunk:
    """The chunk with its component columns in 0.41's order (row ids and timelines stay in front)."""
    batch = chunk.to_record_batch()
    descriptors = list(chunk.components)
    ordered = sorted(descriptors, key=_descriptor_order)
    if ordered == descriptors:
        return chunk
    first = batch.num_columns - len(descriptors)  # components come last in a chunk
    columns = list(range(first)) + [first + descriptors.index(d) for d in ordered]
    return CoreChunk(batch.select(columns), chunk.id)


def chunk_from_columns(entity_path: str, indexes: Iterable[Any], columns: Iterable[Any]) -> CoreChunk:
    from rerun._baseclasses import ComponentColumn

    timelines = {index.timeline: index.as_arrow_array() for index in indexes}
    components = {}
    for column in columns:
        column = column if isinstance(column, ComponentColumn) else ComponentColumn(*column)
        components[column.component_descriptor()] = column.as_arrow_array()
    chunk = CoreChunk.build(entity_path_of(entity_path), timelines=timelines, components=components)
    return reorder_components(chunk)


def chunk_from_property(name: str, values: Any) -> CoreChunk:
    components = component_batches(values, (), strict=True)
    path = str(EntityPath.parse(RECORDING_PROPERTIES_PATH) / name)
    columns = {descriptor: _list_column([array]) for descriptor, array in components.items()}
    return reorder_components(CoreChunk.build(path, components=columns))
