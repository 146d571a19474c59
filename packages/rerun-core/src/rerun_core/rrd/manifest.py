"""RRD manifests: the per-recording index an RRD footer carries.

A manifest holds (1) the recording's schema in dataframe form — one column per timeline and per
(entity, component) — and (2) a table with one row per chunk: where its bytes are in the file and
which time ranges each of its components covers. Readers and servers use it to find chunks without
scanning the file. :class:`ManifestBuilder` collects this while chunks are written; it keeps only
small summaries, never the chunks themselves.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from typing import Any

import lz4.block
import pyarrow as pa
import pyarrow.ipc as ipc

from rerun_core import sorbet
from rerun_core.chunk import Chunk
from rerun_core.descriptor import ComponentDescriptor
from rerun_core.entity_path import EntityPath, dataframe_column_name
from rerun_core.log_msg import Compression, StoreId
from rerun_core.proto import common_pb2, log_msg_pb2
from rerun_core.timeline import Timeline, index_bounds
from rerun_core.tuid import TUID_ARROW_TYPE

__all__ = ["ChunkLocation", "Manifest", "ManifestBuilder", "ipc_schema_bytes", "read_ipc_stream"]

_INDEX = "rerun:index"
_STATIC_INDEX = "rerun:static"
_GLOBAL_COLUMNS = [
    ("chunk_entity_path", pa.utf8()),
    ("chunk_id", TUID_ARROW_TYPE),
    ("chunk_is_static", pa.bool_()),
    ("chunk_num_rows", pa.uint64()),
    ("chunk_byte_offset", pa.uint64()),
    ("chunk_byte_size", pa.uint64()),
    ("chunk_byte_size_uncompressed", pa.uint64()),
]


@dataclass(frozen=True)
class ChunkLocation:
    """Where an ``ArrowMsg`` body sits in the file (offset just past its message header)."""

    byte_offset: int
    byte_size: int
    byte_size_uncompressed: int


@dataclass
class _ChunkSummary:
    entity_path: str
    chunk_id: bytes
    is_static: bool
    num_rows: int
    location: ChunkLocation
    static_components: set[str]
    time_ranges: dict[str, tuple[int, int] | None]
    component_ranges: dict[tuple[str, str], tuple[int | None, int | None, int]]


@dataclass
class ManifestBuilder:
    """Accumulates chunk summaries for one store while it is written."""

    store_id: StoreId
    _summaries: list[_ChunkSummary] = field(default_factory=list)
    _timelines: dict[str, Timeline] = field(default_factory=dict)
    _descriptors: dict[str, ComponentDescriptor] = field(default_factory=dict)
    _columns: dict[str, pa.Field] = field(default_factory=dict)

    def add(self, chunk: Chunk, location: ChunkLocation) -> None:
        self._remember_schema(chunk)
        time_ranges: dict[str, tuple[int, int] | None] = {}
        component_ranges: dict[tuple[str, str], tuple[int | None, int | None, int]] = {}
        for name in chunk.timelines:
            times = chunk.index_column(name)
            time_ranges[name] = index_bounds(times)
            for descriptor, column in chunk.components.items():
                component_ranges[(name, descriptor.component)] = _component_range(times, column)
        static = {d.component for d in chunk.components} if chunk.is_static else set()
        self._summaries.append(
            _ChunkSummary(
                chunk.entity_path,
                chunk.id.to_bytes(),
                chunk.is_static,
                chunk.num_rows,
                location,
                static,
                time_ranges,
                component_ranges,
            )
        )

    def _remember_schema(self, chunk: Chunk) -> None:
        self._timelines.update(chunk.timelines)
        for descriptor in chunk.components:
            self._descriptors.setdefault(descriptor.component, descriptor)
            name = _column_name(chunk.entity_path, descriptor.component)
            known = self._columns.get(name)
            if known is not None and (not chunk.is_static or b"rerun:is_static" in (known.metadata or {})):
                continue  # first sighting wins; a static sighting marks the column static
            metadata = dict(chunk.field_metadata(descriptor))
            metadata[sorbet.ENTITY_PATH] = chunk.entity_path
            if chunk.is_static:
                metadata[sorbet.IS_STATIC] = "true"
            arrow_type = chunk.components[descriptor].type
            self._columns[name] = pa.field(name, arrow_type, metadata=sorbet.encode_metadata(metadata))

    def build(self) -> log_msg_pb2.RrdManifest:
        schema = self.sorbet_schema()
        schema_bytes = ipc_schema_bytes(schema)
        table = self.chunk_table()
        payload = ipc_stream_bytes(table)
        return log_msg_pb2.RrdManifest(
            store_id=self.store_id.to_proto(),
            sorbet_schema=common_pb2.Schema(arrow_schema=schema_bytes),
            sorbet_schema_sha256=hashlib.sha256(schema_bytes).digest(),
            data=common_pb2.DataframePart(
                encoder_version=common_pb2.ENCODER_VERSION_V0,
                payload=lz4.block.compress(payload, store_size=False),
                compression=common_pb2.COMPRESSION_LZ4,
                uncompressed_size=len(payload),
            ),
        )

    def sorbet_schema(self) -> pa.Schema:
        """The recording in dataframe form: row id, timelines, then ``entity:component`` columns."""
        row_id = dict(sorbet.ROW_ID_FIELD_METADATA)
        del row_id[sorbet.IS_SORTED]
        fields = [pa.field(sorbet.ROW_ID_COLUMN, TUID_ARROW_TYPE, nullable=False, metadata=row_id)]
        for name in sorted(self._timelines):
            metadata = {sorbet.INDEX_NAME: name, sorbet.KIND: sorbet.KIND_INDEX}
            fields.append(pa.field(name, self._timelines[name].arrow_type, metadata=metadata))
        fields.extend(self._columns[name] for name in sorted(self._columns))
        return pa.schema(fields)

    def chunk_table(self) -> pa.RecordBatch:
        """One row per chunk, columns named and ordered as 0.41 writes them."""
        rows = self._summaries
        fields: list[pa.Field] = []
        arrays: list[pa.Array] = []

        def add(
            name: str, arrow_type: pa.DataType, values: list, metadata: dict[str, str], nullable: bool
        ) -> None:
            fields.append(pa.field(name, arrow_type, nullable=nullable, metadata=metadata or None))
            arrays.append(pa.array(values, type=arrow_type))

        globals_: list[list[Any]] = [
            [r.entity_path for r in rows],
            [r.chunk_id for r in rows],
            [r.is_static for r in rows],
            [r.num_rows for r in rows],
            [r.location.byte_offset for r in rows],
            [r.location.byte_size for r in rows],
            [r.location.byte_size_uncompressed for r in rows],
        ]
        for (name, arrow_type), values in zip(_GLOBAL_COLUMNS, globals_, strict=True):
            add(name, arrow_type, values, {}, False)
        for component in sorted(self._descriptors, key=self._descriptor_order):
            metadata = self._component_metadata(component, _STATIC_INDEX)
            add(f"{component}:has_static_data", pa.bool_(), [component in r.static_components for r in rows],
                metadata, False)  # fmt: skip
        for name in sorted(self._timelines):
            arrow_type = self._timelines[name].arrow_type
            ranges = [r.time_ranges.get(name) for r in rows]
            add(
                f"{name}:start",
                arrow_type,
                [None if x is None else x[0] for x in ranges],
                {_INDEX: name},
                True,
            )
            add(
                f"{name}:end", arrow_type, [None if x is None else x[1] for x in ranges], {_INDEX: name}, True
            )
        pairs = sorted(
            {pair for r in rows for pair in r.component_ranges},
            key=lambda pair: (pair[0], self._descriptor_order(pair[1])),
        )
        for timeline, component in pairs:
            self._add_component_range_columns(add, timeline, component)
        return pa.RecordBatch.from_arrays(arrays, schema=pa.schema(fields))

    def _add_component_range_columns(self, add, timeline: str, component: str) -> None:
        arrow_type = self._timelines[timeline].arrow_type
        metadata = self._component_metadata(component, timeline)
        ranges = [r.component_ranges.get((timeline, component)) for r in self._summaries]
        prefix = f"{timeline}:{component}"
        add(f"{prefix}:start", arrow_type, [None if x is None else x[0] for x in ranges], metadata, True)
        add(f"{prefix}:end", arrow_type, [None if x is None else x[1] for x in ranges], metadata, True)
        add(f"{prefix}:num_rows", pa.uint64(), [0 if x is None else x[2] for x in ranges], metadata, True)

    def _descriptor_order(self, component: str) -> tuple[bool, str, str]:
        """0.41 orders components by archetype (untyped first), then by name."""
        archetype = self._descriptors[component].archetype
        return archetype is not None, archetype or "", component

    def _component_metadata(self, component: str, index: str) -> dict[str, str]:
        metadata = self._descriptors[component].field_metadata()
        del metadata[sorbet.KIND]
        metadata[_INDEX] = index
        return metadata


@dataclass(frozen=True)
class Manifest:
    """A decoded manifest: the recording schema and the per-chunk table.

    ``chunk_byte_offset`` values count from the start of the stream, which begins ``stream_offset``
    bytes into the file (non-zero only for concatenated streams).
    """

    store_id: StoreId
    sorbet_schema: pa.Schema
    sorbet_schema_sha256: bytes
    chunks: pa.Table
    stream_offset: int = 0

    @classmethod
    def from_proto(cls, proto: log_msg_pb2.RrdManifest, *, stream_offset: int = 0) -> Manifest:
        schema = read_ipc_stream(proto.sorbet_schema.arrow_schema).schema
        data = proto.data
        payload = data.payload
        if data.compression == Compression.LZ4:
            payload = lz4.block.decompress(payload, uncompressed_size=data.uncompressed_size)
        chunks = read_ipc_stream(payload).read_all()
        return cls(
            StoreId.from_proto(proto.store_id), schema, proto.sorbet_schema_sha256, chunks, stream_offset
        )


def ipc_schema_bytes(schema: pa.Schema) -> bytes:
    """An Arrow IPC stream holding only ``schema`` (how protobuf ``Schema`` messages carry it)."""
    sink = pa.BufferOutputStream()
    ipc.new_stream(sink, schema).close()
    return sink.getvalue().to_pybytes()


def ipc_stream_bytes(batch: pa.RecordBatch) -> bytes:
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return sink.getvalue().to_pybytes()


def read_ipc_stream(data: bytes) -> ipc.RecordBatchStreamReader:
    return ipc.open_stream(pa.py_buffer(data))


@functools.lru_cache(maxsize=4096)
def _column_name(entity_path: str, component: str) -> str:
    return dataframe_column_name(EntityPath.parse(entity_path), component)


def _component_range(times: pa.Array, column: pa.Array) -> tuple[int | None, int | None, int]:
    """Time range and row count of the rows where ``column`` holds a value."""
    if column.null_count:
        times = times.filter(column.is_valid())
    present = len(times)
    bounds = index_bounds(times) if present else None
    return (None, None, present) if bounds is None else (bounds[0], bounds[1], present)
