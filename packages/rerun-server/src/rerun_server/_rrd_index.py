"""Indexing one registered RRD: where each chunk of its (first) recording sits, once, at registration.

Files with a footer are indexed from its manifest (a few reads at the end of the file); files without
one (written by a proxy or ``--save``) are scanned once, a chunk at a time. Either way the result is
the 0.41 manifest table (one row per chunk, with absolute byte offsets), the recording's dataframe
schema, its recording properties and per-timeline ranges. Chunks are later read straight from the
file at their recorded offsets; the recording itself is never held in memory.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc

from rerun_core import sorbet
from rerun_core.entity_path import EntityPath, EntityPathWarning, dataframe_column_name
from rerun_core.errors import RerunError
from rerun_core.log_msg import ArrowMsg, SetStoreInfo, StoreId, StoreKind
from rerun_core.proto import log_msg_pb2
from rerun_core.rrd import ChunkLocation, Manifest, ManifestBuilder, MessageKind, RrdDecoder, StreamHeader
from rerun_core.rrd.framing import (
    MESSAGE_HEADER_SIZE,
    STREAM_FOOTER_SIZE,
    STREAM_HEADER_SIZE,
    footer_crc,
    read_stream_footer,
)
from rerun_core.timeline import TimeType
from rerun_core.tuid import TUID_ARROW_TYPE
from rerun_server.errors import InvalidArgumentError, NotFoundError

__all__ = ["ROW_ID_FIELD", "IndexedRecording", "index_rrd", "normalize_schema", "read_chunk_body"]

_PROPERTIES = "__properties"
ROW_ID_FIELD = pa.field(
    sorbet.ROW_ID_COLUMN,
    TUID_ARROW_TYPE,
    nullable=False,
    metadata={
        sorbet.EXTENSION_METADATA: sorbet.ROW_ID_FIELD_METADATA[sorbet.EXTENSION_METADATA],
        sorbet.EXTENSION_NAME: sorbet.ROW_ID_FIELD_METADATA[sorbet.EXTENSION_NAME],
        sorbet.KIND: sorbet.KIND_CONTROL,
    },
)


@dataclass(frozen=True)
class IndexedRecording:
    """What the catalog keeps about one registered file (a segment layer)."""

    store_id: StoreId
    schema: pa.Schema  # dataframe form: row id, timelines by name, components in 0.41's order
    chunks: pa.Table  # the manifest table; ``chunk_byte_offset`` is absolute in the file
    properties: pa.RecordBatch | None  # one row of ``property:*`` columns (newest static values)
    timeline_ranges: dict[str, tuple[TimeType, int, int]]
    file_size: int
    file_mtime_ns: int
    from_footer: bool

    @property
    def num_chunks(self) -> int:
        return self.chunks.num_rows

    @property
    def size_bytes(self) -> int:
        """Bytes of the chunk messages (headers included), as 0.41 reports ``rerun_size_bytes``."""
        total = pc.sum(self.chunks["chunk_byte_size"]).as_py() or 0
        return int(total) + MESSAGE_HEADER_SIZE * self.chunks.num_rows


def index_rrd(path: Path) -> IndexedRecording:
    """Index the first recording of the RRD at ``path`` (a blueprint when the file holds no recording)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise NotFoundError(f'RRD file not found, file does not exist: "{path}"') from None
    if not path.is_file():
        raise InvalidArgumentError(f'"{path}" is not a file')
    with path.open("rb") as source:
        try:
            StreamHeader.from_bytes(source.read(STREAM_HEADER_SIZE), 0)
            manifest = _manifest_from_footer(source, stat.st_size)
            from_footer = manifest is not None
            if manifest is None:
                source.seek(0)
                manifest = _manifest_from_scan(source)
            properties = _read_properties(source, manifest.chunks)
        except RerunError as err:
            raise InvalidArgumentError(f'"{path}" is not a readable RRD file: {err}') from None
    schema = normalize_schema(manifest.sorbet_schema)
    return IndexedRecording(
        manifest.store_id,
        schema,
        manifest.chunks,
        properties,
        _timeline_ranges(schema, manifest.chunks),
        stat.st_size,
        stat.st_mtime_ns,
        from_footer,
    )


def _pick(manifests: list[Manifest]) -> Manifest | None:
    recordings = [m for m in manifests if m.store_id.kind == StoreKind.RECORDING]
    candidates = recordings or manifests
    return candidates[0] if candidates else None


def _manifest_from_footer(source: BinaryIO, size: int) -> Manifest | None:
    """The manifest of a single-stream file with a valid footer; ``None`` means "scan instead"."""
    found = read_stream_footer(source, size)
    if found is None:
        return None
    footer, body = found
    body_offset = size - STREAM_FOOTER_SIZE - footer.footer_length
    if body_offset < STREAM_HEADER_SIZE or body_offset != footer.footer_start:
        return None  # concatenated streams: the footer only covers the last one
    if footer_crc(body) != footer.crc:
        return None
    proto = log_msg_pb2.RrdFooter.FromString(body)
    return _pick([Manifest.from_proto(m) for m in proto.manifests])


def _manifest_from_scan(source: BinaryIO) -> Manifest:
    """Read every message once, keeping per-chunk summaries only (as a writer builds its footer)."""
    builders: dict[StoreId, ManifestBuilder] = {}
    decoder = RrdDecoder(source)
    for frame in decoder.frames():
        if frame.kind == MessageKind.SET_STORE_INFO:
            info = SetStoreInfo.from_proto(log_msg_pb2.SetStoreInfo.FromString(memoryview(frame.body)))
            builders.setdefault(info.store_id, ManifestBuilder(info.store_id))
        elif frame.kind == MessageKind.ARROW_MSG:
            proto = log_msg_pb2.ArrowMsg.FromString(memoryview(frame.body))
            message = ArrowMsg.from_proto(proto)
            size = proto.uncompressed_size or len(proto.payload)
            location = ChunkLocation(frame.body_offset, len(frame.body), size)
            builders.setdefault(message.store_id, ManifestBuilder(message.store_id)).add(
                message.chunk, location
            )
    manifests = [
        Manifest(b.store_id, b.sorbet_schema(), b"", pa.Table.from_batches([b.chunk_table()]))
        for b in builders.values()
    ]
    picked = _pick(manifests)
    if picked is None:
        raise InvalidArgumentError("the RRD holds no recording (no SetStoreInfo and no chunk)")
    return picked


def _entity(text: str) -> EntityPath:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EntityPathWarning)
        return EntityPath.parse(text)


def _component_order(field: pa.Field) -> tuple[bool, EntityPath, str]:
    metadata = sorbet.decode_metadata(field.metadata)
    path = _entity(metadata.get(sorbet.ENTITY_PATH, "/"))
    is_property = bool(path.parts) and path.parts[0] == _PROPERTIES
    return is_property, path, metadata.get(sorbet.COMPONENT, field.name)


def normalize_schema(schema: pa.Schema) -> pa.Schema:
    """A manifest schema (fields in any order) in 0.41's dataframe order: row id, indexes, components."""
    indexes, components = [], []
    for field in schema:
        kind = sorbet.decode_metadata(field.metadata).get(sorbet.KIND)
        if kind == sorbet.KIND_INDEX:
            metadata = {sorbet.INDEX_NAME: field.name, sorbet.KIND: sorbet.KIND_INDEX}
            indexes.append(pa.field(field.name, field.type, nullable=True, metadata=metadata))
        elif kind == sorbet.KIND_DATA:
            metadata = field.metadata or {}
            metadata = {k: v for k, v in metadata.items() if k != sorbet.IS_SORTED.encode()}
            components.append(field.with_metadata(metadata))
    indexes.sort(key=lambda f: f.name)
    components.sort(key=_component_order)
    return pa.schema([ROW_ID_FIELD, *indexes, *components])


def _timeline_ranges(schema: pa.Schema, chunks: pa.Table) -> dict[str, tuple[TimeType, int, int]]:
    ranges = {}
    for field in schema:
        if sorbet.decode_metadata(field.metadata).get(sorbet.KIND) != sorbet.KIND_INDEX:
            continue
        start, end = f"{field.name}:start", f"{field.name}:end"
        if start not in chunks.column_names:
            continue
        low = pc.min(chunks[start].cast(pa.int64())).as_py()
        high = pc.max(chunks[end].cast(pa.int64())).as_py()
        if low is not None and high is not None:
            ranges[field.name] = (TimeType.from_arrow_type(field.type), int(low), int(high))
    return ranges


def read_chunk_body(source: BinaryIO | int, offset: int, size: int) -> bytes:
    """The ``ArrowMsg`` body at ``offset`` (a file object, or a descriptor read with ``pread``)."""
    if isinstance(source, int):
        data = os.pread(source, size, offset)
    else:
        source.seek(offset)
        data = source.read(size)
    if len(data) != size:
        raise InvalidArgumentError(f"chunk at byte {offset} runs past the end of the file")
    return data


def _read_properties(source: BinaryIO, chunks: pa.Table) -> pa.RecordBatch | None:
    """The newest static value of every recording property (``/__properties/**``), as one row."""
    fields: dict[str, pa.Field] = {}
    values: dict[str, pa.Array] = {}
    paths = chunks["chunk_entity_path"].to_pylist()
    for row, path in enumerate(paths):
        entity = _entity(path)
        if not entity.parts or entity.parts[0] != _PROPERTIES or not chunks["chunk_is_static"][row].as_py():
            continue
        offset = chunks["chunk_byte_offset"][row].as_py()
        size = chunks["chunk_byte_size"][row].as_py()
        proto = log_msg_pb2.ArrowMsg.FromString(read_chunk_body(source, offset, size))
        chunk = ArrowMsg.from_proto(proto).chunk
        for descriptor, column in chunk.components.items():
            valid = pc.indices_nonzero(column.is_valid()).to_pylist()
            if not valid:
                continue
            name = dataframe_column_name(entity, descriptor.component)
            metadata = descriptor.field_metadata()
            metadata[sorbet.ENTITY_PATH] = path
            fields[name] = pa.field(name, column.type, metadata=metadata)
            values[name] = column.slice(valid[-1], 1)
    if not fields:
        return None
    arrays = [values[name] for name in fields]
    return pa.RecordBatch.from_arrays(arrays, schema=pa.schema(list(fields.values())))
