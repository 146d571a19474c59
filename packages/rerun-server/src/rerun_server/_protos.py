"""Catalog objects as the protobuf messages 0.41 sends (entry details, dataset and table entries)."""

from __future__ import annotations

from google.protobuf import any_pb2, timestamp_pb2

from rerun_core.proto import cloud_pb2, common_pb2
from rerun_core.tuid import Tuid
from rerun_server._entries import ASSET_DATASET, BLUEPRINT_DATASET, Entry

__all__ = ["dataset_entry", "entry_details", "entry_id", "table_entry", "tuid", "tuid_from"]


def tuid(value: Tuid) -> common_pb2.Tuid:
    return common_pb2.Tuid(time_ns=value.time_ns, inc=value.inc)


def tuid_from(proto: common_pb2.Tuid) -> Tuid:
    return Tuid(proto.time_ns, proto.inc)


def entry_id(value: Tuid) -> common_pb2.EntryId:
    return common_pb2.EntryId(id=tuid(value))


def _timestamp(ns: int) -> timestamp_pb2.Timestamp:
    return timestamp_pb2.Timestamp(seconds=ns // 1_000_000_000, nanos=ns % 1_000_000_000)


def entry_details(entry: Entry) -> cloud_pb2.EntryDetails:
    return cloud_pb2.EntryDetails(
        id=entry_id(entry.id),
        name=entry.name,
        entry_kind=entry.kind,  # type: ignore[arg-type]
        created_at=_timestamp(entry.created_ns),
        updated_at=_timestamp(entry.updated_ns),
    )


def dataset_entry(entry: Entry, *, storage_url: str | None) -> cloud_pb2.DatasetEntry:
    kind = {
        BLUEPRINT_DATASET: common_pb2.DATASET_KIND_BLUEPRINT,
        ASSET_DATASET: common_pb2.DATASET_KIND_ASSET,
    }
    dataset_kind = kind.get(entry.kind, common_pb2.DATASET_KIND_RECORDING)
    store_kind = (
        common_pb2.STORE_KIND_BLUEPRINT
        if entry.kind == BLUEPRINT_DATASET
        else common_pb2.STORE_KIND_RECORDING
    )
    url = (
        f"memory:///{entry.handle_id}" if storage_url is None else f"{storage_url}#dataset={entry.handle_id}"
    )
    details = cloud_pb2.DatasetDetails()
    for key in ("blueprint_dataset", "asset_dataset"):
        value = entry.detail_id(key)
        if value is not None:
            getattr(details, key).CopyFrom(entry_id(value))
    for key in ("default_blueprint_segment", "default_segment_table_blueprint_segment"):
        if entry.details.get(key) is not None:
            getattr(details, key).id = entry.details[key]
    return cloud_pb2.DatasetEntry(
        details=entry_details(entry),
        dataset_details=details,
        dataset_handle=common_pb2.DatasetHandle(
            entry_id=entry_id(entry.id), dataset_url=url, store_kind=store_kind, dataset_kind=dataset_kind
        ),
    )


def table_entry(entry: Entry) -> cloud_pb2.TableEntry:
    provider = any_pb2.Any()
    if entry.table_format == "system":
        provider.Pack(cloud_pb2.SystemTable(kind=cloud_pb2.SYSTEM_TABLE_KIND_ENTRIES), type_url_prefix="/")
    else:
        provider.Pack(cloud_pb2.LanceTable(table_url=entry.table_url or ""), type_url_prefix="/")
    details = cloud_pb2.TableDetails()
    blueprint = entry.detail_id("blueprint_dataset")
    if blueprint is not None:
        details.blueprint_dataset.CopyFrom(entry_id(blueprint))
    if entry.details.get("default_blueprint_segment") is not None:
        details.default_blueprint_segment.id = entry.details["default_blueprint_segment"]
    return cloud_pb2.TableEntry(
        details=entry_details(entry), provider_details=provider, table_details=details
    )
