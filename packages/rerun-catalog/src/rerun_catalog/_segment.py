"""``Segment`` and ``Layer``: light handles on one segment / one layer name of a dataset.

A handle is checked when made (the server is asked that it exists) and caches nothing: every method
asks the server again, as 0.41's do.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pyarrow as pa

from rerun_catalog._entry import EntryId
from rerun_catalog._reader import SEGMENT_COLUMN
from rerun_catalog._wire import decode_schema, parts_table
from rerun_catalog.errors import NotFoundError
from rerun_core.column_schema import Schema
from rerun_core.proto import cloud_pb2, common_pb2

if TYPE_CHECKING:
    from rerun_catalog._dataset import DatasetEntry
    from rerun_catalog._registration import UnregistrationHandle

__all__ = ["Layer", "Segment", "segment_rows"]

LAYERS_COLUMN = "rerun_layer_names"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def segment_rows(dataset: DatasetEntry, columns: list[str], segment_ids: list[str] | None = None) -> pa.Table:
    """Some columns of the segment table, optionally of some segments only."""
    request = cloud_pb2.ScanSegmentTableRequest(columns=columns)
    if segment_ids is not None:
        request.segment_id_filter.scan_only.segment_ids.extend(segment_ids)
    table = parts_table(r.data for r in dataset._stream("ScanSegmentTable", request))
    return table if table.num_columns else pa.table({c: pa.array([], pa.utf8()) for c in columns})


class Segment:
    """One segment of a dataset (a recording registered with it, in one or more layers)."""

    __slots__ = ("_dataset", "_id")

    def __init__(self, dataset: DatasetEntry, segment_id: str) -> None:
        if not isinstance(segment_id, str):
            raise TypeError(f"segment_id must be a str, got {type(segment_id).__name__}")
        if segment_rows(dataset, [SEGMENT_COLUMN], [segment_id]).num_rows == 0:
            raise NotFoundError(f"Segment not found: dataset {dataset.id} has no segment {segment_id!r}")
        self._dataset = dataset
        self._id = segment_id

    @property
    def id(self) -> str:
        return self._id

    @property
    def dataset(self) -> DatasetEntry:
        return self._dataset

    @property
    def url(self) -> str:
        return self._dataset.segment_url(self._id)

    def layers(self) -> set[str]:
        table = segment_rows(self._dataset, [SEGMENT_COLUMN, LAYERS_COLUMN], [self._id])
        if table.num_rows == 0:
            raise NotFoundError(f"Segment not found: dataset {self._dataset.id} has no segment {self._id!r}")
        return {name for names in table[LAYERS_COLUMN].to_pylist() for name in names or ()}

    def schema(self, *, include_assets: bool = False) -> Schema:
        """The union of this segment's layer schemas (and, optionally, of the assets applying to it)."""
        fields: dict[str, pa.Field] = {}
        for field in _segment_schema(self._dataset, self._id):
            fields.setdefault(field.name, field)
        if include_assets:
            for field in _asset_fields(self._dataset, self._id):
                fields.setdefault(field.name, field)
        return Schema(pa.schema(list(fields.values())))

    def delete_layer(self, name: str) -> UnregistrationHandle:
        """Unregister one layer of this segment (a missing layer is no error)."""
        return self._dataset.unregister(segments_to_drop=[self._id], layers_to_drop=[name])

    def __str__(self) -> str:
        return self._id

    def __repr__(self) -> str:
        return f"Segment(dataset_id={self._dataset.id}, id={_quoted(self._id)})"


def _segment_schema(dataset: DatasetEntry, segment_id: str) -> pa.Schema:
    """The merged schema of a segment's layers: their schema hashes from the manifest, then GetSchemas."""
    columns = ["rerun_segment_id", "rerun_schema_sha256", "rerun_registration_status"]
    request = cloud_pb2.ScanDatasetManifestRequest(columns=columns)
    request.segment_id_filter.scan_only.segment_ids.append(segment_id)
    manifest = parts_table(r.data for r in dataset._stream("ScanDatasetManifest", request))
    if manifest.num_rows == 0:
        raise NotFoundError(f"Segment not found: dataset {dataset.id} has no segment {segment_id!r}")
    hashes = list(dict.fromkeys(manifest["rerun_schema_sha256"].to_pylist()))
    ids = [common_pb2.SchemaId(sha256=h) for h in hashes if h is not None]
    found = {
        bytes(r.schema_id.sha256): decode_schema(r.schema)
        for r in dataset._stream("GetSchemas", cloud_pb2.GetSchemasRequest(schema_ids=ids))
    }
    return pa.unify_schemas([found[h] for h in hashes if h in found]) if found else pa.schema([])


def _asset_fields(dataset: DatasetEntry, segment_id: str) -> list[pa.Field]:
    request = cloud_pb2.GetAssetsForSegmentRequest(segment_id=common_pb2.SegmentId(id=segment_id))
    fields = []
    for response in dataset._stream("GetAssetsForSegment", request):
        assets = dataset.catalog.get_dataset(id=str(EntryId.from_proto(response.assets_entry)))
        for asset in response.asset_segment_ids:
            schema = Schema(_segment_schema(assets, asset.id))
            fields += [f for f in schema.to_arrow() if not f.name.startswith("property:")]
    return fields


class Layer:
    """One layer name of a dataset (``base`` unless registered otherwise), across its segments."""

    __slots__ = ("_dataset", "_name")

    def __init__(self, dataset: DatasetEntry, name: str) -> None:
        available = sorted(_layer_segments(dataset))
        if name not in available:
            raise ValueError(
                f'Layer LayerName("{name}") not found in dataset {dataset.id}. Available layers: '
                f"{json.dumps(available)}"
            )
        self._dataset = dataset
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    @property
    def dataset(self) -> DatasetEntry:
        return self._dataset

    def segment_ids(self) -> list[str]:
        """The segments that have this layer now (in server order)."""
        return _layer_segments(self._dataset).get(self._name, [])

    def __str__(self) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"Layer(dataset_id={self._dataset.id}, name={_quoted(self._name)})"


def _layer_segments(dataset: DatasetEntry) -> dict[str, list[str]]:
    table = segment_rows(dataset, [SEGMENT_COLUMN, LAYERS_COLUMN])
    found: dict[str, list[str]] = {}
    for segment, names in zip(
        table[SEGMENT_COLUMN].to_pylist(), table[LAYERS_COLUMN].to_pylist(), strict=True
    ):
        for name in names or ():
            found.setdefault(name, []).append(segment)
    return found
