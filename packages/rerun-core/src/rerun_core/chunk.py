"""Chunk: N rows of one entity, as one Arrow record batch in the sorbet layout of Rerun 0.41.

The record batch *is* the chunk: it is what travels in an ``ArrowMsg``, so converting to and from
Arrow never copies column data. Columns are, in order: the row-id control column, one index column per
timeline (sorted by name; none at all for a static chunk), then one list-typed column per component
(sorted by name), each row of which is one batch of instances (null = not logged in that row).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property

import numpy as np
import pyarrow as pa

from rerun_core import sorbet
from rerun_core.descriptor import ComponentDescriptor
from rerun_core.errors import ChunkError
from rerun_core.timeline import Timeline, TimeType, index_bounds
from rerun_core.tuid import TUID_ARROW_TYPE, Tuid, new_tuid, new_tuids

__all__ = ["Chunk"]

_ROW_ID_FIELD = pa.field(
    sorbet.ROW_ID_COLUMN, TUID_ARROW_TYPE, nullable=False, metadata=sorbet.ROW_ID_FIELD_METADATA
)


class Chunk:
    """An immutable chunk; build one with :meth:`build` or wrap an existing batch with :meth:`from_record_batch`."""

    def __init__(self, batch: pa.RecordBatch, chunk_id: Tuid) -> None:
        self._batch = batch
        self._id = chunk_id

    # ---- construction -------------------------------------------------------------------------

    @classmethod
    def from_record_batch(cls, batch: pa.RecordBatch) -> Chunk:
        """Wrap a sorbet record batch (as decoded from an ``ArrowMsg``), checking what 0.41 requires."""
        metadata = sorbet.decode_metadata(batch.schema.metadata)
        if sorbet.ID not in metadata:
            raise ChunkError(f"record batch has no {sorbet.ID!r} schema metadata, so it is not a chunk")
        if sorbet.ENTITY_PATH not in metadata:
            raise ChunkError(f"record batch has no {sorbet.ENTITY_PATH!r} schema metadata")
        try:
            chunk_id = Tuid.parse(metadata[sorbet.ID])
        except ValueError as err:
            raise ChunkError(f"bad chunk id {metadata[sorbet.ID]!r}: {err}") from None
        chunk = cls(batch, chunk_id)
        _ = chunk._columns  # classifies (and so validates) every column once, up front
        return chunk

    @classmethod
    def build(
        cls,
        entity_path: str,
        *,
        timelines: Mapping[Timeline, pa.Array] | None = None,
        components: Mapping[ComponentDescriptor, pa.Array],
        row_ids: pa.Array | None = None,
        chunk_id: Tuid | None = None,
        extra_field_metadata: Mapping[ComponentDescriptor, Mapping[str, str]] | None = None,
    ) -> Chunk:
        """Assemble a chunk from its columns; no timelines means a static chunk.

        Component arrays must be list arrays with one entry per row. Row ids are generated when not given.
        """
        timelines = dict(timelines or {})
        num_rows = _common_length(entity_path, timelines, components, row_ids)
        chunk_id = chunk_id or new_tuid()
        fields = [_ROW_ID_FIELD]
        columns: list[pa.Array] = [new_tuids(num_rows) if row_ids is None else row_ids]
        for timeline in sorted(timelines, key=lambda t: t.name):
            array = timelines[timeline]
            if array.type != timeline.arrow_type:
                array = _as_index_type(array, timeline.arrow_type)
            metadata = _index_metadata(timeline.name, is_sorted=_is_sorted(array))
            fields.append(pa.field(timeline.name, timeline.arrow_type, metadata=metadata))
            columns.append(array)
        for descriptor in sorted(components, key=lambda d: d.component):
            array = components[descriptor]
            if not pa.types.is_list(array.type):
                raise ChunkError(
                    f"{entity_path}: component {descriptor} must be a list array, got {array.type}"
                )
            metadata = descriptor.field_metadata()
            metadata.update((extra_field_metadata or {}).get(descriptor, {}))
            fields.append(pa.field(descriptor.component, array.type, metadata=metadata))
            columns.append(array)
        schema_metadata = {
            sorbet.ENTITY_PATH: entity_path,
            sorbet.ID: f"chunk_{chunk_id}",
            sorbet.VERSION: sorbet.SORBET_VERSION,
        }
        schema = pa.schema(fields, metadata=sorbet.encode_metadata(schema_metadata))
        return cls(pa.RecordBatch.from_arrays(columns, schema=schema), chunk_id)

    # ---- identity -----------------------------------------------------------------------------

    @property
    def id(self) -> Tuid:
        return self._id

    @cached_property
    def entity_path(self) -> str:
        return sorbet.decode_metadata(self._batch.schema.metadata)[sorbet.ENTITY_PATH]

    @property
    def num_rows(self) -> int:
        return self._batch.num_rows

    @property
    def is_static(self) -> bool:
        return not self.timelines

    @property
    def nbytes(self) -> int:
        return self._batch.nbytes

    def to_record_batch(self) -> pa.RecordBatch:
        """The chunk's own record batch (no copy)."""
        return self._batch

    # ---- columns ------------------------------------------------------------------------------

    @property
    def row_ids(self) -> pa.FixedSizeBinaryArray:
        return self._batch.column(self._columns[0])

    @cached_property
    def timelines(self) -> dict[str, Timeline]:
        """The chunk's timelines by name, in column order."""
        return {timeline.name: timeline for timeline, _ in self._columns[1]}

    def index_column(self, timeline: str) -> pa.Array:
        for candidate, position in self._columns[1]:
            if candidate.name == timeline:
                return self._batch.column(position)
        raise KeyError(f"chunk {self.id} of {self.entity_path} has no timeline {timeline!r}")

    @cached_property
    def components(self) -> dict[ComponentDescriptor, pa.ListArray]:
        """Every component column, keyed by its descriptor, in column order."""
        return {descriptor: self._batch.column(position) for descriptor, position in self._columns[2]}

    def component(self, name: str) -> pa.ListArray:
        for descriptor, column in self.components.items():
            if descriptor.component == name:
                return column
        raise KeyError(f"chunk {self.id} of {self.entity_path} has no component {name!r}")

    def field_metadata(self, descriptor: ComponentDescriptor) -> dict[str, str]:
        for candidate, position in self._columns[2]:
            if candidate == descriptor:
                return sorbet.decode_metadata(self._batch.schema.field(position).metadata)
        raise KeyError(descriptor)

    @cached_property
    def _columns(self) -> tuple[int, list[tuple[Timeline, int]], list[tuple[ComponentDescriptor, int]]]:
        return self._classify_columns()

    def _classify_columns(
        self,
    ) -> tuple[int, list[tuple[Timeline, int]], list[tuple[ComponentDescriptor, int]]]:
        row_id_position = -1
        indexes: list[tuple[Timeline, int]] = []
        data: list[tuple[ComponentDescriptor, int]] = []
        for position, field in enumerate(self._batch.schema):
            metadata = sorbet.decode_metadata(field.metadata)
            kind = metadata.get(sorbet.KIND) or _guess_kind(field)
            if kind == sorbet.KIND_CONTROL and field.name == sorbet.ROW_ID_COLUMN:
                if field.type != TUID_ARROW_TYPE:
                    raise ChunkError(f"row id column has type {field.type}, expected {TUID_ARROW_TYPE}")
                row_id_position = position
            elif kind == sorbet.KIND_INDEX:
                name = metadata.get(sorbet.INDEX_NAME, field.name)
                try:
                    indexes.append((Timeline(name, TimeType.from_arrow_type(field.type)), position))
                except ValueError as err:
                    raise ChunkError(f"index column {field.name!r}: {err}") from None
            elif kind == sorbet.KIND_DATA:
                if not (pa.types.is_list(field.type) or pa.types.is_large_list(field.type)):
                    raise ChunkError(f"component column {field.name!r} is {field.type}, not a list type")
                data.append((ComponentDescriptor.from_field_metadata(metadata, field.name), position))
            else:
                raise ChunkError(f"column {field.name!r} has unknown {sorbet.KIND} {kind!r}")
        if row_id_position < 0:
            raise ChunkError(f"chunk has no {sorbet.ROW_ID_COLUMN!r} column")
        return row_id_position, indexes, data

    # ---- summaries ----------------------------------------------------------------------------

    def time_range(self, timeline: str) -> tuple[int, int] | None:
        """Min and max of a timeline (as int64 nanoseconds or sequence numbers), ``None`` if all null."""
        return index_bounds(self.index_column(timeline))

    def __repr__(self) -> str:
        kind = "static" if self.is_static else f"timelines={list(self.timelines)}"
        names = [descriptor.component for descriptor in self.components]
        return f"Chunk(id={self.id}, entity_path={self.entity_path!r}, rows={self.num_rows}, {kind}, components={names})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Chunk):
            return NotImplemented
        return self._id == other._id and self._batch.equals(other._batch, check_metadata=True)

    __hash__ = None  # type: ignore[assignment]


def _index_metadata(name: str, *, is_sorted: bool) -> dict[str, str]:
    metadata = {sorbet.KIND: sorbet.KIND_INDEX, sorbet.INDEX_NAME: name}
    if is_sorted:
        metadata[sorbet.IS_SORTED] = "true"
    return metadata


def _as_index_type(array: pa.Array, arrow_type: pa.DataType) -> pa.Array:
    """int64 -> timestamp/duration[ns] is a reinterpretation: a view, without loading ``pyarrow.compute``
    (``cast`` imports it, which costs a logging script ~50 ms the first time)."""
    if pa.types.is_int64(array.type) and arrow_type.bit_width == 64:
        return array.view(arrow_type)
    return array.cast(arrow_type)


def _is_sorted(times: pa.Array) -> bool:
    """Whether an index column never decreases (nulls aside), which readers may then rely on."""
    values = _int64_values(times)
    return bool(np.all(values[1:] >= values[:-1]))


def _int64_values(times: pa.Array) -> np.ndarray:
    """The non-null values of an index column as int64 numpy (zero-copy without nulls)."""
    values = times.view(pa.int64())
    if values.null_count:
        values = values.drop_null()
    return values.to_numpy(zero_copy_only=False)


def _guess_kind(field: pa.Field) -> str:
    """Columns written without ``rerun:kind`` (older writers): recognise them by name and type."""
    if field.name == sorbet.ROW_ID_COLUMN:
        return sorbet.KIND_CONTROL
    if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
        return sorbet.KIND_DATA
    return sorbet.KIND_INDEX


def _common_length(
    entity_path: str,
    timelines: Mapping[Timeline, pa.Array],
    components: Mapping[ComponentDescriptor, pa.Array],
    row_ids: pa.Array | None,
) -> int:
    named: Iterable[tuple[str, pa.Array]] = [
        *((f"timeline {t.name}", a) for t, a in timelines.items()),
        *((f"component {d}", a) for d, a in components.items()),
        *([("row ids", row_ids)] if row_ids is not None else []),
    ]
    lengths = {name: len(array) for name, array in named}
    if not lengths:
        raise ChunkError(f"{entity_path}: a chunk needs at least one component column")
    if len(set(lengths.values())) > 1:
        raise ChunkError(f"{entity_path}: columns have different lengths: {lengths}")
    return next(iter(lengths.values()))
