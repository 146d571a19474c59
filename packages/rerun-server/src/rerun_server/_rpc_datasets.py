"""Rpcs about a dataset's segments: registration, tasks, the segment table, schemas, properties."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from rerun_core.proto import cloud_pb2, common_pb2
from rerun_server._arrow import (
    decode_dataframe_part,
    encode_dataframe_part,
    encode_schema,
    ipc_file_bytes,
    read_ipc_batches,
)
from rerun_server._datasets import ERROR, path_from_url, url_from_path
from rerun_server._db import is_modest
from rerun_server._entries import Entry
from rerun_server._protos import entry_id
from rerun_server._segment_table import dataset_manifest, project, segment_table
from rerun_server._service import Call, rpc
from rerun_server.errors import InvalidArgumentError, NotFoundError

__all__: list[str] = []

_TIMESTAMP = pa.timestamp("ns")
_REGISTRATION_SCHEMA = pa.schema([pa.field(name, pa.utf8(), nullable=False) for name in (
    "rerun_segment_id", "rerun_segment_layer", "rerun_segment_type", "rerun_storage_url", "rerun_task_id")])  # fmt: skip
_TASK_SCHEMA = pa.schema([
    pa.field("task_id", pa.utf8(), nullable=False), pa.field("kind", pa.utf8()), pa.field("data", pa.utf8()),
    pa.field("exec_status", pa.utf8(), nullable=False), pa.field("msgs", pa.utf8()), pa.field("blob", pa.binary()),
    pa.field("lease_owner", pa.utf8()), pa.field("lease_expiration", _TIMESTAMP),
    pa.field("attempts", pa.uint8(), nullable=False), pa.field("creation_time", _TIMESTAMP),
    pa.field("last_update_time", _TIMESTAMP),
])  # fmt: skip
ASSET_MODE, ASSET_SEGMENTS, OPT_IN = "property:asset:mode", "property:asset:segments", "OptIn"


def _sources(request: cloud_pb2.RegisterWithDatasetRequest) -> list[tuple[str, str]]:
    sources = []
    for source in request.data_sources:
        if source.typ not in (cloud_pb2.DATA_SOURCE_KIND_UNSPECIFIED, cloud_pb2.DATA_SOURCE_KIND_RRD):
            raise InvalidArgumentError(f"unsupported data source kind {source.typ} (only RRD)")
        if not source.storage_url:
            raise InvalidArgumentError("a data source has no storage_url")
        layer = source.layer if source.HasField("layer") and source.layer else "base"
        if source.prefix:
            folder = path_from_url(source.storage_url)
            if not folder.is_dir():
                raise NotFoundError(f"prefix {source.storage_url} is not a folder")
            sources += [(url_from_path(path), layer) for path in sorted(Path(folder).rglob("*.rrd"))]
        else:
            sources.append((source.storage_url, layer))
    if not sources:
        raise InvalidArgumentError("no data sources to register")
    return sources


@rpc("RegisterWithDataset")
def register(
    call: Call, request: cloud_pb2.RegisterWithDatasetRequest
) -> cloud_pb2.RegisterWithDatasetResponse:
    dataset = call.dataset()
    on_duplicate = request.on_duplicate or ERROR
    outcomes, task_id = call.catalog.register(dataset, _sources(request), on_duplicate)
    columns = [
        [o.segment for o in outcomes], [o.layer for o in outcomes], ["rrd"] * len(outcomes),
        [o.storage_url for o in outcomes], [task_id] * len(outcomes),
    ]  # fmt: skip
    batch = pa.RecordBatch.from_arrays([pa.array(c, pa.utf8()) for c in columns], schema=_REGISTRATION_SCHEMA)
    return cloud_pb2.RegisterWithDatasetResponse(data=encode_dataframe_part(batch))


def _task_rows(call: Call, ids: list[str]) -> common_pb2.DataframePart:
    tasks = [call.catalog.task(task_id) for task_id in ids]
    count = len(tasks)
    arrays = [
        pa.array([t.id for t in tasks], pa.utf8()),
        pa.nulls(count, pa.utf8()),
        pa.nulls(count, pa.utf8()),
        pa.array(["failed" if t.failures else "success" for t in tasks], pa.utf8()),
        pa.array([t.message for t in tasks], pa.utf8()),
        pa.nulls(count, pa.binary()),
        pa.nulls(count, pa.utf8()),
        pa.nulls(count, _TIMESTAMP),
        pa.array([1] * count, pa.uint8()),
        pa.nulls(count, _TIMESTAMP),
        pa.nulls(count, _TIMESTAMP),
    ]
    return encode_dataframe_part(pa.RecordBatch.from_arrays(arrays, schema=_TASK_SCHEMA))


@rpc("QueryTasks")
def query_tasks(call: Call, request: cloud_pb2.QueryTasksRequest) -> cloud_pb2.QueryTasksResponse:
    return cloud_pb2.QueryTasksResponse(data=_task_rows(call, [task.id for task in request.ids]))


@rpc("QueryTasksOnCompletion")
def query_tasks_on_completion(
    call: Call, request: cloud_pb2.QueryTasksOnCompletionRequest
) -> Iterator[cloud_pb2.QueryTasksOnCompletionResponse]:
    # Registration finishes before RegisterWithDataset answers, so every task is complete by now.
    yield cloud_pb2.QueryTasksOnCompletionResponse(data=_task_rows(call, [task.id for task in request.ids]))


@rpc("UnregisterFromDataset")
def unregister(
    call: Call, request: cloud_pb2.UnregisterFromDatasetRequest
) -> Iterator[cloud_pb2.UnregisterFromDatasetResponse]:
    dataset = call.dataset()
    segments = [segment.id for segment in request.segments_to_drop]
    dropped = call.catalog.datasets.unregister(dataset, segments, list(request.layers_to_drop))
    yield cloud_pb2.UnregisterFromDatasetResponse(
        data=encode_dataframe_part(dataset_manifest(dropped)),
        task_id=common_pb2.TaskId(id="task_00000000DEADBEEF"),
    )


def _segment_filter(names: list[str], strategy: cloud_pb2.SegmentIdFilter) -> list[str]:
    if strategy.HasField("scan_only"):
        wanted = set(strategy.scan_only.segment_ids)
        return [name for name in names if name in wanted]
    if strategy.HasField("skip"):
        skipped = set(strategy.skip.segment_ids)
        return [name for name in names if name not in skipped]
    return names


@rpc("GetSegmentTableSchema")
def get_segment_table_schema(
    call: Call, request: cloud_pb2.GetSegmentTableSchemaRequest
) -> cloud_pb2.GetSegmentTableSchemaResponse:
    table = segment_table(call.catalog.datasets.segments(call.dataset()))
    return cloud_pb2.GetSegmentTableSchemaResponse(schema=encode_schema(table.schema))


@rpc("ScanSegmentTable", one_response=True)
def scan_segment_table(call: Call, request: cloud_pb2.ScanSegmentTableRequest) -> bytes:
    # Listing segments is frequent (``segment_ids()``): the encoded answer is kept until a change.
    dataset = call.dataset()
    key = ("ScanSegmentTable", dataset.id, request.SerializeToString(deterministic=True))
    return call.catalog.db.remembered(
        key, lambda: _segment_table_response(call, dataset, request), keep=is_modest
    )


def _segment_table_response(call: Call, dataset: Entry, request: cloud_pb2.ScanSegmentTableRequest) -> bytes:
    segments = call.catalog.datasets.segments(dataset)
    kept = set(_segment_filter(list(segments), request.segment_id_filter))
    table = segment_table(segments)  # all segments: the columns must not depend on the filter
    if len(kept) < len(segments):
        table = table.filter(pa.array([name in kept for name in segments]))
    data = encode_dataframe_part(project(table, list(request.columns)))
    return cloud_pb2.ScanSegmentTableResponse(data=data).SerializeToString()


@rpc("GetDatasetSchema")
def get_dataset_schema(call: Call, request: cloud_pb2.GetDatasetSchemaRequest) -> bytes:
    # Asked by every ``reader()``: the encoded answer is kept until a change.
    dataset = call.dataset()
    return call.catalog.db.remembered(
        ("GetDatasetSchema", dataset.id),
        lambda: cloud_pb2.GetDatasetSchemaResponse(
            schema=encode_schema(call.catalog.datasets.dataset_schema(dataset))
        ).SerializeToString(),
    )


@rpc("GetDatasetManifestSchema")
def get_dataset_manifest_schema(
    call: Call, request: cloud_pb2.GetDatasetManifestSchemaRequest
) -> cloud_pb2.GetDatasetManifestSchemaResponse:
    manifest = dataset_manifest(call.catalog.datasets.layers(call.dataset()))
    return cloud_pb2.GetDatasetManifestSchemaResponse(schema=encode_schema(manifest.schema))


@rpc("ScanDatasetManifest")
def scan_dataset_manifest(
    call: Call, request: cloud_pb2.ScanDatasetManifestRequest
) -> Iterator[cloud_pb2.ScanDatasetManifestResponse]:
    layers = call.catalog.datasets.layers(call.dataset())
    segments = set(_segment_filter([layer.segment for layer in layers], request.segment_id_filter))
    names = _segment_filter([layer.layer for layer in layers], request.layer_name_filter)
    layers = [layer for layer in layers if layer.segment in segments and layer.layer in names]
    manifest = project(dataset_manifest(layers), list(request.columns))
    yield cloud_pb2.ScanDatasetManifestResponse(data=encode_dataframe_part(manifest))


@rpc("GetSchemas")
def get_schemas(call: Call, request: cloud_pb2.GetSchemasRequest) -> Iterator[cloud_pb2.GetSchemasResponse]:
    wanted = {schema_id.sha256 for schema_id in request.schema_ids}
    seen = set()
    for layer in call.catalog.datasets.layers(call.dataset()):
        if layer.schema_sha256 in seen or (wanted and layer.schema_sha256 not in wanted):
            continue
        seen.add(layer.schema_sha256)
        schema = call.catalog.datasets.index(layer)[0]
        yield cloud_pb2.GetSchemasResponse(
            schema_id=common_pb2.SchemaId(sha256=layer.schema_sha256), schema=encode_schema(schema)
        )


@rpc("GetSegmentProperties")
def get_segment_properties(
    call: Call, request: cloud_pb2.GetSegmentPropertiesRequest
) -> Iterator[cloud_pb2.GetSegmentPropertiesResponse]:
    if not request.segment_ids:
        raise InvalidArgumentError("segment_ids must name at least one segment")
    found = call.catalog.properties.get(call.dataset(), [segment.id for segment in request.segment_ids])
    segments = [
        cloud_pb2.SegmentProperties(
            segment_id=common_pb2.SegmentId(id=segment),
            properties=encode_dataframe_part(read_ipc_batches(data).combine_chunks().to_batches()[0]),
            revision=revision,
        )
        for segment, revision, data in found
    ]
    if segments:
        yield cloud_pb2.GetSegmentPropertiesResponse(segments=segments)


@rpc("SetSegmentProperties")
def set_segment_properties(
    call: Call, request: cloud_pb2.SetSegmentPropertiesRequest
) -> cloud_pb2.SetSegmentPropertiesResponse:
    if not request.segment_id.id:
        raise InvalidArgumentError("segment_id is required")
    table = decode_dataframe_part(request.properties, what="properties")
    if table.num_rows != 1:
        raise InvalidArgumentError(f"properties must be exactly one row, got {table.num_rows}")
    expected = request.expected_revision if request.HasField("expected_revision") else None
    revision = call.catalog.properties.set(
        call.dataset(), request.segment_id.id, ipc_file_bytes(table), expected
    )
    return cloud_pb2.SetSegmentPropertiesResponse(revision=revision)


@rpc("DeleteSegmentProperties")
def delete_segment_properties(
    call: Call, request: cloud_pb2.DeleteSegmentPropertiesRequest
) -> cloud_pb2.DeleteSegmentPropertiesResponse:
    deletions = [
        (item.segment_id.id, item.expected_revision if item.HasField("expected_revision") else None)
        for item in request.segments
    ]
    call.catalog.properties.delete(call.dataset(), deletions)
    return cloud_pb2.DeleteSegmentPropertiesResponse()


@rpc("GetAssetsForSegment")
def get_assets_for_segment(
    call: Call, request: cloud_pb2.GetAssetsForSegmentRequest
) -> Iterator[cloud_pb2.GetAssetsForSegmentResponse]:
    """Assets of the dataset's asset dataset that apply to the segment (opt-out unless marked opt-in)."""
    dataset = call.dataset()
    assets_id = dataset.detail_id("asset_dataset")
    if assets_id is None:
        return
    assets = call.catalog.dataset(assets_id)
    applying = []
    for asset in call.catalog.datasets.segments(assets):
        mode, listed = "OptOut", list[str]()
        for _, _, data in call.catalog.properties.get(assets, [asset]):
            row = read_ipc_batches(data).to_pylist()[0]
            mode = (row.get(ASSET_MODE) or ["OptOut"])[0]
            listed = row.get(ASSET_SEGMENTS) or []
        if (request.segment_id.id in listed) == (mode == OPT_IN):
            applying.append(common_pb2.SegmentId(id=asset))
    yield cloud_pb2.GetAssetsForSegmentResponse(assets_entry=entry_id(assets_id), asset_segment_ids=applying)
