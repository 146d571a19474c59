"""Rpcs about the catalog itself: identity, version, and entries (find, read, create, rename, delete)."""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Iterator

from rerun_core.proto import cloud_pb2, common_pb2
from rerun_server._protos import dataset_entry, entry_details, tuid_from
from rerun_server._service import Call, rpc
from rerun_server.errors import InvalidArgumentError

__all__: list[str] = []

CAPABILITIES = ("catalog:write:register:file", "catalog:write:staging", "dataset:find_chunks")
FEATURES = ("per_segment_index_values",)
VERSION = "0.41.0"
_BANDWIDTH_PART_BYTES = 1 << 20


def storage_url(call: Call) -> str | None:
    storage = call.catalog.storage
    return None if storage is None else storage.resolve().as_uri()


@rpc("WhoAmI")
def who_am_i(call: Call, request: cloud_pb2.WhoAmIRequest) -> cloud_pb2.WhoAmIResponse:
    capabilities = cloud_pb2.ServerCapabilities(capabilities=CAPABILITIES)
    return cloud_pb2.WhoAmIResponse(can_read=True, can_write=True, capabilities=capabilities)


@rpc("Version")
def version(call: Call, request: cloud_pb2.VersionRequest) -> cloud_pb2.VersionResponse:
    build = common_pb2.BuildInfo(
        crate_name="rerun-server",
        features=f"pure-python {platform.python_implementation()} {platform.python_version()}",
        version=common_pb2.SemanticVersion(major=0, minor=41, patch=0),
        target_triple=f"{platform.machine()}-{sys.platform}",
        is_debug_build=False,
    )
    return cloud_pb2.VersionResponse(build_info=build, version=VERSION, features=FEATURES)


@rpc("DoBandwidthTest")
def do_bandwidth_test(
    call: Call, request: cloud_pb2.DoBandwidthTestRequest
) -> Iterator[cloud_pb2.DoBandwidthTestResponse]:
    """``num_bytes`` of random (incompressible) bytes, for clients measuring their download speed."""
    remaining = request.num_bytes
    while remaining > 0:
        size = min(remaining, _BANDWIDTH_PART_BYTES)
        yield cloud_pb2.DoBandwidthTestResponse(payload=os.urandom(size))
        remaining -= size


@rpc("FindEntries")
def find_entries(call: Call, request: cloud_pb2.FindEntriesRequest) -> cloud_pb2.FindEntriesResponse:
    query = request.filter
    kinds = tuple(query.entry_kinds) + ((query.entry_kind,) if query.HasField("entry_kind") else ())
    entries = call.catalog.entries.find(
        entry_id=tuid_from(query.id.id) if query.HasField("id") else None,
        name=query.name if query.HasField("name") else None,
        kinds=tuple(dict.fromkeys(kinds)),
    )
    return cloud_pb2.FindEntriesResponse(entries=[entry_details(entry) for entry in entries])


@rpc("ReadDatasetEntry")
def read_dataset_entry(
    call: Call, request: cloud_pb2.ReadDatasetEntryRequest
) -> cloud_pb2.ReadDatasetEntryResponse:
    return cloud_pb2.ReadDatasetEntryResponse(
        dataset=dataset_entry(call.dataset(), storage_url=storage_url(call))
    )


@rpc("CreateDatasetEntry")
def create_dataset_entry(
    call: Call, request: cloud_pb2.CreateDatasetEntryRequest
) -> cloud_pb2.CreateDatasetEntryResponse:
    if not request.HasField("name"):
        raise InvalidArgumentError(
            "missing required field: 'rerun.cloud.v1alpha1.CreateDatasetEntryRequest.name'"
        )
    entry_id = tuid_from(request.id.id) if request.HasField("id") else None
    entry = call.catalog.entries.create_dataset(request.name, entry_id=entry_id)
    return cloud_pb2.CreateDatasetEntryResponse(dataset=dataset_entry(entry, storage_url=storage_url(call)))


@rpc("UpdateDatasetEntry")
def update_dataset_entry(
    call: Call, request: cloud_pb2.UpdateDatasetEntryRequest
) -> cloud_pb2.UpdateDatasetEntryResponse:
    entry_id = tuid_from(request.id.id) if request.HasField("id") else call.entry_id()
    call.catalog.dataset(entry_id)
    details = request.dataset_details
    # As 0.41: the request's details replace the stored ones (absent: cleared), but an absent asset
    # dataset is kept; a default blueprint needs a blueprint dataset.
    changes: dict[str, str | None] = {"blueprint_dataset": None}
    for key in ("blueprint_dataset", "asset_dataset"):
        if details.HasField(key):
            changes[key] = str(tuid_from(getattr(details, key).id))
    defaults = ("default_blueprint_segment", "default_segment_table_blueprint_segment")
    for key in defaults:
        changes[key] = (getattr(details, key).id or None) if details.HasField(key) else None
    if changes["blueprint_dataset"] is None and any(details.HasField(key) for key in defaults):
        raise InvalidArgumentError("default dataset blueprint requires a blueprint dataset")
    entry = call.catalog.entries.set_details(entry_id, changes)
    return cloud_pb2.UpdateDatasetEntryResponse(dataset=dataset_entry(entry, storage_url=storage_url(call)))


@rpc("UpdateEntry")
def update_entry(call: Call, request: cloud_pb2.UpdateEntryRequest) -> cloud_pb2.UpdateEntryResponse:
    entry_id = tuid_from(request.id.id) if request.HasField("id") else call.entry_id()
    update = request.entry_details_update
    entry = call.catalog.entries.get(entry_id)
    if update.HasField("name"):
        entry = call.catalog.entries.rename(entry_id, update.name)
    return cloud_pb2.UpdateEntryResponse(entry_details=entry_details(entry))


@rpc("DeleteEntry")
def delete_entry(call: Call, request: cloud_pb2.DeleteEntryRequest) -> cloud_pb2.DeleteEntryResponse:
    entry_id = tuid_from(request.id.id) if request.HasField("id") else call.entry_id()
    for entry in call.catalog.entries.delete(entry_id):
        if entry.table_format == "parquet":
            call.catalog.tables.remove_files(entry)
    return cloud_pb2.DeleteEntryResponse()
