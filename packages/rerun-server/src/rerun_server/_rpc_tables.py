"""Rpcs about tables: create/register, read the entry, schema, scan and write."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa

from rerun_core.proto import cloud_pb2
from rerun_core.tuid import Tuid
from rerun_server._arrow import decode_dataframe_part, decode_schema, encode_dataframe_part, encode_schema
from rerun_server._protos import table_entry, tuid_from
from rerun_server._service import Call, rpc
from rerun_server.errors import InvalidArgumentError

__all__: list[str] = []


def _table_id(call: Call, request_id: object) -> Tuid:
    """A table id from the request when it carries one, else from the entry headers."""
    if request_id is not None and request_id.HasField("id"):  # type: ignore[attr-defined]
        return tuid_from(request_id.id)  # type: ignore[attr-defined]
    return call.entry_id()


@rpc("CreateTableEntry")
def create_table_entry(
    call: Call, request: cloud_pb2.CreateTableEntryRequest
) -> cloud_pb2.CreateTableEntryResponse:
    if not request.HasField("schema"):
        raise InvalidArgumentError("CreateTableEntry needs a schema")
    schema = decode_schema(request.schema, what="table schema")
    entry = call.catalog.tables.create(request.name, schema)
    return cloud_pb2.CreateTableEntryResponse(table=table_entry(entry))


@rpc("RegisterTable")
def register_table(call: Call, request: cloud_pb2.RegisterTableRequest) -> cloud_pb2.RegisterTableResponse:
    lance = cloud_pb2.LanceTable()
    if not request.provider_details.Unpack(lance) or not lance.table_url:
        raise InvalidArgumentError(
            "RegisterTable needs provider_details = LanceTable{table_url} naming the table"
        )
    entry = call.catalog.tables.register(request.name, lance.table_url)
    return cloud_pb2.RegisterTableResponse(table_entry=table_entry(entry))


@rpc("ReadTableEntry")
def read_table_entry(
    call: Call, request: cloud_pb2.ReadTableEntryRequest
) -> cloud_pb2.ReadTableEntryResponse:
    entry = call.catalog.table(_table_id(call, request.id if request.HasField("id") else None))
    return cloud_pb2.ReadTableEntryResponse(table=table_entry(entry))


@rpc("UpdateTableEntry")
def update_table_entry(
    call: Call, request: cloud_pb2.UpdateTableEntryRequest
) -> cloud_pb2.UpdateTableEntryResponse:
    """As for datasets, the request's details replace the stored ones (absent: cleared)."""
    entry = call.catalog.table(_table_id(call, request.id if request.HasField("id") else None))
    details = request.table_details
    blueprint = (
        str(tuid_from(details.blueprint_dataset.id)) if details.HasField("blueprint_dataset") else None
    )
    default = (
        details.default_blueprint_segment.id or None
        if details.HasField("default_blueprint_segment")
        else None
    )
    if blueprint is None and details.HasField("default_blueprint_segment"):
        raise InvalidArgumentError("default table blueprint requires a blueprint dataset")
    changes = {"blueprint_dataset": blueprint, "default_blueprint_segment": default}
    return cloud_pb2.UpdateTableEntryResponse(
        table=table_entry(call.catalog.entries.set_details(entry.id, changes))
    )


@rpc("GetTableSchema")
def get_table_schema(
    call: Call, request: cloud_pb2.GetTableSchemaRequest
) -> cloud_pb2.GetTableSchemaResponse:
    entry = call.catalog.table(_table_id(call, request.table_id if request.HasField("table_id") else None))
    return cloud_pb2.GetTableSchemaResponse(schema=encode_schema(call.catalog.tables.schema(entry)))


@rpc("ScanTable")
def scan_table(call: Call, request: cloud_pb2.ScanTableRequest) -> Iterator[cloud_pb2.ScanTableResponse]:
    entry = call.catalog.table(_table_id(call, request.table_id if request.HasField("table_id") else None))
    schema = call.catalog.tables.schema(entry)
    sent = False
    for batch in call.catalog.tables.scan(entry):
        sent = True
        yield cloud_pb2.ScanTableResponse(dataframe_part=encode_dataframe_part(batch))
    if not sent:
        empty = pa.RecordBatch.from_pylist([], schema)
        yield cloud_pb2.ScanTableResponse(dataframe_part=encode_dataframe_part(empty))


@rpc("WriteTable")
def write_table(call: Call, requests: Iterator[cloud_pb2.WriteTableRequest]) -> cloud_pb2.WriteTableResponse:
    entry = call.catalog.table(call.entry_id())
    runs: list[tuple[int, list[pa.RecordBatch]]] = []  # consecutive requests with the same insert mode
    for request in requests:
        table = decode_dataframe_part(request.dataframe_part, what="WriteTable DataframePart")
        if not runs or runs[-1][0] != request.insert_mode:
            runs.append((request.insert_mode, []))
        runs[-1][1].extend(table.to_batches())
    for mode, batches in runs:
        call.catalog.tables.write(entry, batches, mode)
    return cloud_pb2.WriteTableResponse()
