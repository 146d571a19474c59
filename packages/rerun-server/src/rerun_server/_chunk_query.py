"""Which chunks a query needs (FindChunks / QueryDataset), and chunk keys that find them again.

The answer is a superset: every chunk of the selected entities and segments whose time range can
matter (static chunks always do); the client inserts them into its own store and resolves rows
itself. Selection is vectorised over each layer's manifest table; what depends only on the layer
(answer rows, entity masks) is remembered.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
from google.protobuf.message import DecodeError

from rerun_core import sorbet
from rerun_core.proto import cloud_pb2, common_pb2
from rerun_core.tuid import TUID_ARROW_TYPE, Tuid
from rerun_server._datasets import Layer
from rerun_server._db import BoundedCache
from rerun_server.errors import InvalidArgumentError

__all__ = ["ChunkFilter", "ChunkLocation", "candidate_columns", "decode_chunk_key", "select_candidates"]

# rerun.cloud.v1alpha1.FillMode
FILL_NONE, FILL_LATEST_AT, FILL_EARLIEST_AT = 1, 2, 3
_CONTROL = {sorbet.KIND: sorbet.KIND_CONTROL}
_FIXED_FIELDS = [
    pa.field("chunk_id", TUID_ARROW_TYPE, nullable=False, metadata=_CONTROL),
    pa.field("chunk_segment_id", pa.utf8(), nullable=False, metadata=_CONTROL),
    pa.field("rerun_segment_layer", pa.utf8(), nullable=False),
    pa.field("chunk_key", pa.binary(), nullable=False),
    pa.field("chunk_entity_path", pa.utf8(), nullable=False, metadata=_CONTROL),
    pa.field("chunk_is_static", pa.bool_(), nullable=False, metadata=_CONTROL),
    pa.field("chunk_byte_len", pa.uint64(), nullable=False),
    pa.field("chunk_byte_size_uncompressed", pa.uint64()),
]
_TIMELINE_START = pa.field("chunk_timeline_start", pa.int64(), metadata={sorbet.KIND: sorbet.KIND_INDEX})
_DIRECT_URL_FIELDS = [
    pa.field("rerun_layer_direct_url", pa.dictionary(pa.int32(), pa.utf8())),
    pa.field("rerun_layer_direct_url_expires_at", pa.dictionary(pa.int32(), pa.int64())),
]


@dataclass(frozen=True)
class ChunkFilter:
    """What a query asks for. ``entities`` maps entity path -> components (``None``: all of them);
    ``entities is None`` selects every entity. ``low``/``high`` bound ``timeline`` (inclusive)."""

    entities: dict[str, frozenset[str] | None] | None = None
    static_only: bool = False
    timeline: str | None = None
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class ChunkLocation:
    url: str
    offset: int
    length: int
    chunk_id: Tuid


def candidate_columns(*, with_timeline_start: bool, index_columns: list[str] = ()) -> pa.Schema:  # type: ignore[assignment]
    """The FindChunks (``with_timeline_start``) or QueryDataset (``index_columns``) response schema."""
    fields = list(_FIXED_FIELDS)
    if with_timeline_start:
        fields.append(_TIMELINE_START)
    fields += _DIRECT_URL_FIELDS
    for name in index_columns:
        timeline, marker = name.rsplit(":", 1)
        metadata = {"rerun:index": timeline, "rerun:index_marker": marker, sorbet.KIND: sorbet.KIND_INDEX}
        fields.append(pa.field(name, pa.int64(), metadata=metadata))
    return pa.schema(fields)


def _component_mask(manifest: pa.Table, components: frozenset[str]) -> pa.Array:
    """Chunks holding at least one of ``components`` (static data, or rows on some timeline)."""
    mask = _constant(manifest.num_rows, False)
    for name in manifest.column_names:
        prefix, _, suffix = name.rpartition(":")
        if suffix == "has_static_data" and prefix in components:
            mask = pc.or_(mask, manifest[name].combine_chunks())
        elif suffix == "num_rows" and prefix.split(":", 1)[-1] in components:
            counts = pc.fill_null(manifest[name].combine_chunks(), pa.scalar(0, manifest[name].type))
            mask = pc.or_(mask, pc.greater(counts, pa.scalar(0, counts.type)))
    return mask


def _entity_mask(manifest: pa.Table, entities: dict[str, frozenset[str] | None]) -> pa.Array:
    paths = manifest["chunk_entity_path"].combine_chunks()
    whole = [path for path, components in entities.items() if components is None]
    mask = pc.is_in(paths, value_set=pa.array(whole, pa.utf8()))
    for path, components in entities.items():
        if components is not None:
            same_path = pc.equal(paths, pa.scalar(path, paths.type))
            mask = pc.or_(mask, pc.and_(same_path, _component_mask(manifest, components)))
    return mask


def _time_mask(manifest: pa.Table, query: ChunkFilter) -> pa.Array:
    """Static chunks, and chunks whose ``timeline`` range meets ``[low, high]``.

    Every scalar is typed: pyarrow converts an untyped Python value by first trying optional imports
    (``dateutil``), which costs more than the comparison itself.
    """
    is_static = manifest["chunk_is_static"].combine_chunks()
    if query.static_only:
        return is_static
    if query.low is None and query.high is None:
        return _constant(manifest.num_rows, True)
    start_name, end_name = f"{query.timeline}:start", f"{query.timeline}:end"
    if start_name not in manifest.column_names:
        return is_static
    overlap = _constant(manifest.num_rows, True)
    if query.high is not None:
        starts = _as_type(manifest[start_name].combine_chunks(), pa.int64())
        overlap = pc.and_(overlap, pc.less_equal(starts, pa.scalar(query.high, pa.int64())))
    if query.low is not None:
        ends = _as_type(manifest[end_name].combine_chunks(), pa.int64())
        overlap = pc.and_(overlap, pc.greater_equal(ends, pa.scalar(query.low, pa.int64())))
    return pc.or_(is_static, pc.fill_null(overlap, pa.scalar(False, pa.bool_())))


def _constant(count: int, value: bool) -> pa.Array:
    return pa.repeat(pa.scalar(value, pa.bool_()), count)


def select_candidates(
    layer: Layer, manifest: pa.Table, query: ChunkFilter, schema: pa.Schema
) -> pa.RecordBatch:
    """One layer's candidate chunks as rows of ``schema`` (see :func:`candidate_columns`)."""
    layer_key = (*layer.version, manifest.num_rows)
    mask = _time_mask(manifest, query)
    if query.entities is not None:
        entities = query.entities
        selection = tuple(sorted(entities.items(), key=lambda item: item[0]))
        mask = pc.and_(
            mask, _REMEMBERED.get((layer_key, selection), lambda: _entity_mask(manifest, entities))
        )
    every = _REMEMBERED.get(
        (layer_key, query.timeline, schema), lambda: _candidate_rows(layer, manifest, query.timeline, schema)
    )
    return every.filter(mask)


# A layer's answer rows before filtering (chunk keys, casts) and its entity masks, built once per
# registration (and timeline, schema or entity selection): a query then computes only its time mask.
_REMEMBERED = BoundedCache(limit=1024)


def _candidate_rows(
    layer: Layer, manifest: pa.Table, timeline: str | None, schema: pa.Schema
) -> pa.RecordBatch:
    rows = manifest.select(_needed_columns(manifest, timeline, schema))
    count = rows.num_rows
    keys = [
        _chunk_key(layer, chunk_id, offset, size)
        for chunk_id, offset, size in zip(
            rows["chunk_id"].to_pylist(),
            rows["chunk_byte_offset"].to_pylist(),
            rows["chunk_byte_size"].to_pylist(),
            strict=True,
        )
    ]
    columns: dict[str, pa.Array] = {
        "chunk_id": rows["chunk_id"].cast(TUID_ARROW_TYPE),
        "chunk_segment_id": pa.array([layer.segment] * count, pa.utf8()),
        "rerun_segment_layer": pa.array([layer.layer] * count, pa.utf8()),
        "chunk_key": pa.array(keys, pa.binary()),
        "chunk_entity_path": rows["chunk_entity_path"],
        "chunk_is_static": rows["chunk_is_static"],
        "chunk_byte_len": rows["chunk_byte_size"],
        "chunk_byte_size_uncompressed": rows["chunk_byte_size_uncompressed"],
    }
    arrays = []
    for field in schema:
        if field.name in columns:
            arrays.append(_as_type(pa.chunked_array(columns[field.name]).combine_chunks(), field.type))
        elif (
            field.name == "chunk_timeline_start"
            or field.name.endswith(":start")
            or field.name.endswith(":end")
        ):
            source = f"{timeline}:start" if field.name == "chunk_timeline_start" else field.name
            if source in rows.column_names:
                arrays.append(_as_type(rows[source].combine_chunks(), pa.int64()))
            else:
                arrays.append(pa.nulls(count, pa.int64()))
        else:
            arrays.append(pa.nulls(count, field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _needed_columns(manifest: pa.Table, timeline: str | None, schema: pa.Schema) -> list[str]:
    """The manifest columns an answer in ``schema`` reads."""
    wanted = {"chunk_id", "chunk_byte_offset", "chunk_byte_size", f"{timeline}:start", *schema.names}
    wanted |= {"chunk_entity_path", "chunk_is_static", "chunk_byte_size_uncompressed"}
    return [name for name in manifest.column_names if name in wanted]


def _as_type(array: pa.Array, arrow_type: pa.DataType) -> pa.Array:
    """``array`` cast to ``arrow_type``; most columns already are, and a cast costs a kernel call."""
    return array if array.type == arrow_type else array.cast(arrow_type)


def _chunk_key(layer: Layer, chunk_id: bytes, offset: int, size: int) -> bytes:
    """Opaque to clients; names the file and byte range, so FetchChunks needs no entry header."""
    location = cloud_pb2.RrdChunkLocation(url=layer.storage_url, offset=offset, length=size)
    tuid = Tuid.from_bytes(chunk_id)
    return cloud_pb2.ChunkKey(
        chunk_id=common_pb2.Tuid(time_ns=tuid.time_ns, inc=tuid.inc),
        data_source_kind=cloud_pb2.DATA_SOURCE_KIND_RRD,
        location=location.SerializeToString(),
        registration_time_nanos=layer.registered_ns,
    ).SerializeToString()


@functools.lru_cache(maxsize=1 << 14)
def decode_chunk_key(key: bytes) -> ChunkLocation:
    """Where a chunk key points (remembered: clients fetch the same chunks again and again)."""
    try:
        proto = cloud_pb2.ChunkKey.FromString(key)
        location = cloud_pb2.RrdChunkLocation.FromString(proto.location)
    except DecodeError as err:
        raise InvalidArgumentError(f"malformed chunk_key (not one this server made): {err}") from None
    if not (location.HasField("url") and location.HasField("offset") and location.HasField("length")):
        raise InvalidArgumentError("malformed chunk_key: it does not name a file and byte range")
    chunk_id = Tuid(proto.chunk_id.time_ns, proto.chunk_id.inc)
    return ChunkLocation(location.url, location.offset, location.length, chunk_id)
