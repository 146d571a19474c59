"""Rpcs that hand out chunks: FindChunks / QueryDataset (which chunks), FetchChunks (their bytes),
GetRrdManifest (a segment's chunk index, as in an RRD footer)."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa

from rerun_core import sorbet
from rerun_core.proto import cloud_pb2, common_pb2, log_msg_pb2
from rerun_server._arrow import decode_dataframe_part, encode_dataframe_part, encode_schema
from rerun_server._chunk_query import (
    FILL_EARLIEST_AT,
    FILL_LATEST_AT,
    ChunkFilter,
    ChunkLocation,
    candidate_columns,
    decode_chunk_key,
    select_candidates,
)
from rerun_server._datasets import Layer
from rerun_server._db import is_modest
from rerun_server._entries import Entry
from rerun_server._files import batched_responses
from rerun_server._service import Call, rpc
from rerun_server.errors import InvalidArgumentError, NotFoundError

__all__: list[str] = []

_FIND_SCHEMA = candidate_columns(with_timeline_start=True)


def _contents(selection: cloud_pb2.ContentSelection) -> dict[str, frozenset[str] | None] | None:
    if selection.WhichOneof("selection") != "explicit":
        return None
    entities: dict[str, frozenset[str] | None] = {}
    for entity in selection.explicit.entities:
        components = frozenset(entity.explicit.ids) if entity.HasField("explicit") else None
        entities[entity.entity_path.path] = components
    return entities


def _timelines(call: Call, dataset: Entry) -> set[str]:
    schema = call.catalog.datasets.dataset_schema(dataset)
    return {f.name for f in schema if _is_index(f)}


def _check_timeline(call: Call, segments: dict[str, list[Layer]], timeline: str) -> None:
    """``timeline`` must be an index of some layer (as in the dataset schema, without building it)."""
    for layers in segments.values():
        for layer in layers:
            schema = call.catalog.datasets.index(layer)[0]
            position = schema.get_field_index(timeline)
            if position >= 0 and _is_index(schema.field(position)):
                return
    raise InvalidArgumentError(f"unknown timeline `{timeline}`")


def _is_index(field: pa.Field) -> bool:
    return sorbet.decode_metadata(field.metadata).get(sorbet.KIND) == sorbet.KIND_INDEX


def _bounds(fill_mode: int, low: int | None, high: int | None) -> tuple[int | None, int | None]:
    """Time bounds of the chunks that can matter: filling looks before (or after) the range."""
    if fill_mode == FILL_LATEST_AT:
        return None, high
    if fill_mode == FILL_EARLIEST_AT:
        return low, None
    return low, high


def _chosen(segments: dict[str, list[Layer]], selection: cloud_pb2.SegmentSelection) -> list[str]:
    if selection.WhichOneof("selection") == "explicit":
        return [segment.id for segment in selection.explicit.ids]
    return list(segments)


def _segment_batch(call: Call, layers: list[Layer], query: ChunkFilter, schema: pa.Schema) -> pa.RecordBatch:
    batches = [
        select_candidates(layer, call.catalog.datasets.index(layer)[1], query, schema) for layer in layers
    ]
    return pa.concat_batches(batches) if batches else pa.RecordBatch.from_pylist([], schema)


@rpc("FindChunks", one_response=True)
def find_chunks(call: Call, request: cloud_pb2.FindChunksRequest) -> bytes:
    # Readers ask the same questions again (a dashboard, a notebook cell run twice): answers of a
    # modest size are kept until the catalog changes.
    dataset = call.dataset()
    key = ("FindChunks", dataset.id, request.SerializeToString(deterministic=True))
    return call.catalog.db.remembered(key, lambda: _found_chunks(call, dataset, request), keep=is_modest)


def _found_chunks(call: Call, dataset: Entry, request: cloud_pb2.FindChunksRequest) -> bytes:
    entities = _contents(request.contents)
    segments = call.catalog.datasets.segments(dataset)
    mode = request.WhichOneof("mode")
    queries: dict[str, ChunkFilter] = {}
    if mode == "static":
        for name in _chosen(segments, request.static.segments):
            queries[name] = ChunkFilter(entities, static_only=True)
    elif mode == "range":
        selection = request.range
        _check_timeline(call, segments, selection.timeline)
        low = selection.start_inclusive if selection.HasField("start_inclusive") else None
        high = selection.end_inclusive if selection.HasField("end_inclusive") else None
        low, high = (
            _bounds(selection.fill_mode, low, high) if low is not None or high is not None else (None, None)
        )
        for name in _chosen(segments, selection.segments):
            queries[name] = ChunkFilter(entities, timeline=selection.timeline, low=low, high=high)
    elif mode == "samples":
        selection = request.samples
        _check_timeline(call, segments, selection.timeline)
        for samples in selection.segments:
            values = list(samples.values)
            low, high = (min(values), max(values)) if values else (None, None)
            low, high = _bounds(selection.fill_mode, low, high)
            queries[samples.segment_id.id] = ChunkFilter(
                entities, timeline=selection.timeline, low=low, high=high
            )
    else:
        raise InvalidArgumentError("`mode` is required")
    # One message for every segment (0.41 sends one per segment; clients read the rows either way):
    # each streamed message costs this server a send round trip, more than finding its rows.
    batches = [_segment_batch(call, segments.get(name, []), q, _FIND_SCHEMA) for name, q in queries.items()]
    batch = pa.concat_batches(batches) if batches else pa.RecordBatch.from_pylist([], _FIND_SCHEMA)
    return cloud_pb2.FindChunksResponse(data=encode_dataframe_part(batch)).SerializeToString()


def _query_filter(request: cloud_pb2.QueryDatasetRequest) -> ChunkFilter:
    entities: dict[str, frozenset[str] | None] | None = None
    components = frozenset(request.fuzzy_descriptors) or None
    if request.entity_paths and not request.select_all_entity_paths:
        entities = {path.path: components for path in request.entity_paths}
    query = request.query
    if query.HasField("range"):
        timeline = query.range.index.timeline.name
        return ChunkFilter(
            entities, timeline=timeline, low=query.range.index_range.start, high=query.range.index_range.end
        )
    if query.HasField("latest_at") and query.latest_at.HasField("at"):
        return ChunkFilter(entities, timeline=query.latest_at.index.timeline.name, high=query.latest_at.at)
    return ChunkFilter(entities)


@rpc("QueryDataset")
def query_dataset(
    call: Call, request: cloud_pb2.QueryDatasetRequest
) -> Iterator[cloud_pb2.QueryDatasetResponse]:
    dataset = call.dataset()
    query = _query_filter(request)
    timelines = _timelines(call, dataset)
    if query.timeline is not None and query.timeline not in timelines:
        raise InvalidArgumentError(f"unknown timeline `{query.timeline}`")
    index_columns = [
        name for name in request.scan_parameters.columns
        if ":" in name and name.rsplit(":", 1)[0] in timelines and name.rsplit(":", 1)[1] in ("start", "end")
    ]  # fmt: skip
    schema = candidate_columns(with_timeline_start=False, index_columns=index_columns)
    segments = call.catalog.datasets.segments(dataset)
    wanted = [segment.id for segment in request.segment_ids] or list(segments)
    chunk_ids = {t.time_ns.to_bytes(8, "big") + t.inc.to_bytes(8, "big") for t in request.chunk_ids}
    for name in wanted:
        batch = _segment_batch(call, segments.get(name, []), query, schema)
        if request.exclude_static_data or request.exclude_temporal_data or chunk_ids:
            batch = _exclude(batch, request, chunk_ids)
        yield cloud_pb2.QueryDatasetResponse(data=encode_dataframe_part(batch))


def _exclude(
    batch: pa.RecordBatch, request: cloud_pb2.QueryDatasetRequest, chunk_ids: set[bytes]
) -> pa.RecordBatch:
    """Rows left after the request's static/temporal exclusions and its chunk id list."""
    keep = []
    rows = zip(batch["chunk_is_static"].to_pylist(), batch["chunk_id"].to_pylist(), strict=True)
    for row, (is_static, chunk_id) in enumerate(rows):
        excluded = request.exclude_static_data if is_static else request.exclude_temporal_data
        if not excluded and (not chunk_ids or chunk_id in chunk_ids):
            keep.append(row)
    return batch.take(pa.array(keep, pa.int64()))


@rpc("FetchChunks")
def fetch_chunks(call: Call, request: cloud_pb2.FetchChunksRequest) -> Iterator[bytes]:
    yield from batched_responses(call.catalog.files.read_many(_requested_chunks(request)))


def _requested_chunks(request: cloud_pb2.FetchChunksRequest) -> Iterator[ChunkLocation]:
    for part in request.chunk_infos:
        table = decode_dataframe_part(part, what="chunk_infos DataframePart")
        if "chunk_key" not in table.column_names:
            raise InvalidArgumentError(f"chunk_infos has no chunk_key column (columns: {table.column_names})")
        for key in table["chunk_key"].to_pylist():
            if not isinstance(key, bytes):
                raise InvalidArgumentError("chunk_infos has a null or non-binary chunk_key")
            yield decode_chunk_key(key)


@rpc("GetRrdManifest")
def get_rrd_manifest(
    call: Call, request: cloud_pb2.GetRrdManifestRequest
) -> Iterator[cloud_pb2.GetRrdManifestResponse]:
    dataset = call.dataset()
    segment = request.segment_id.id
    layers = call.catalog.datasets.segments(dataset).get(segment)
    if not layers:
        raise NotFoundError(f"Segment '{segment}' not found in dataset '{dataset.id}'")
    for layer in layers:
        schema, manifest = call.catalog.datasets.index(layer)
        keys = select_candidates(
            layer, manifest, ChunkFilter(), pa.schema([pa.field("chunk_key", pa.binary(), nullable=False)])
        )
        table = manifest.append_column(keys.schema.field(0), pa.chunked_array([keys.column(0)]))
        store_id = common_pb2.StoreId(
            kind=layer.store_kind,  # type: ignore[arg-type]
            recording_id=segment,
            application_id=common_pb2.ApplicationId(id=layer.application_id),
        )
        batch = (
            pa.concat_batches(table.to_batches())
            if table.num_rows
            else pa.RecordBatch.from_pylist([], table.schema)
        )
        yield cloud_pb2.GetRrdManifestResponse(
            rrd_manifest=log_msg_pb2.RrdManifest(
                store_id=store_id,
                sorbet_schema=encode_schema(schema),
                sorbet_schema_sha256=layer.schema_sha256,
                data=encode_dataframe_part(batch),
            )
        )
