"""The segment table (one row per segment) and the dataset manifest (one row per segment layer).

Both are built from what registration stored per layer: sizes, chunk counts, recording properties
and per-timeline ranges. Column order follows 0.41: fixed columns, then ``property:*`` columns and
``{timeline}:end``/``{timeline}:start`` pairs in the order segments first bring them.
"""

from __future__ import annotations

import pyarrow as pa

from rerun_core import sorbet
from rerun_core.timeline import TimeType
from rerun_server._datasets import Layer
from rerun_server._db import BoundedCache
from rerun_server.errors import InvalidArgumentError

__all__ = ["dataset_manifest", "project", "segment_table"]

_STRINGS = pa.list_(pa.field("item", pa.utf8(), nullable=False))
_TIMESTAMP = pa.timestamp("ns")
_INDEX_KINDS = {
    TimeType.SEQUENCE: "sequence",
    TimeType.TIMESTAMP_NS: "timestamp",
    TimeType.DURATION_NS: "duration",
}
_SEGMENT_FIELDS = [
    pa.field("rerun_segment_id", pa.utf8(), nullable=False),
    pa.field("rerun_layer_names", _STRINGS, nullable=False),
    pa.field("rerun_storage_urls", _STRINGS, nullable=False),
    pa.field("rerun_last_updated_at", _TIMESTAMP, nullable=False),
    pa.field("rerun_num_chunks", pa.uint64(), nullable=False),
    pa.field("rerun_size_bytes", pa.uint64(), nullable=False),
]
_MANIFEST_FIELDS = [
    pa.field("rerun_layer_name", pa.utf8(), nullable=False),
    pa.field("rerun_segment_id", pa.utf8(), nullable=False),
    pa.field("rerun_storage_url", pa.utf8(), nullable=False),
    pa.field("rerun_layer_type", pa.utf8(), nullable=False),
    pa.field("rerun_registration_time", _TIMESTAMP, nullable=False),
    pa.field("rerun_last_updated_at", _TIMESTAMP, nullable=False),
    pa.field("rerun_num_chunks", pa.uint64()),
    pa.field("rerun_size_bytes", pa.uint64()),
    pa.field("rerun_schema_sha256", pa.binary(32)),
    pa.field("rerun_registration_status", pa.utf8(), nullable=False),
]


def _property_columns(groups: list[list[Layer]]) -> tuple[list[pa.Field], list[pa.Array]]:
    """Per group (a segment, or one layer), the newest value of every property any group has."""
    fields: dict[str, pa.Field] = {}
    rows: list[dict[str, pa.Array]] = []
    for layers in groups:
        row: dict[str, pa.Array] = {}
        for layer in layers:
            if layer.properties is None:
                continue
            for field, column in zip(layer.properties.schema, layer.properties.columns, strict=True):
                fields.setdefault(field.name, field)
                row[field.name] = column
        rows.append(row)
    arrays = []
    for name, field in fields.items():
        pieces = [row[name].cast(field.type) if name in row else pa.nulls(1, field.type) for row in rows]
        arrays.append(pa.concat_arrays(pieces) if pieces else pa.array([], field.type))
    return list(fields.values()), arrays


def _timeline_columns(groups: list[list[Layer]]) -> tuple[list[pa.Field], list[pa.Array]]:
    kinds: dict[str, TimeType] = {}
    for layers in groups:
        for layer in layers:
            for name, (kind, _, _) in sorted(layer.ranges.items()):
                kinds.setdefault(name, kind)
    fields, arrays = [], []
    for name, kind in kinds.items():
        for marker in ("end", "start"):
            values = []
            for layers in groups:
                bounds = [layer.ranges[name] for layer in layers if name in layer.ranges]
                pick = max if marker == "end" else min
                values.append(pick(b[2 if marker == "end" else 1] for b in bounds) if bounds else None)
            metadata = {
                sorbet.KIND: sorbet.KIND_INDEX,
                "rerun:index": name,
                "rerun:index_kind": _INDEX_KINDS[kind],
                "rerun:index_marker": marker,
            }
            fields.append(pa.field(f"{name}:{marker}", kind.arrow_type, metadata=metadata))
            arrays.append(pa.array(values, pa.int64()).cast(kind.arrow_type))
    return fields, arrays


# Segment tables by what they are made of: listing a dataset's segments (``segment_ids()``) is frequent
# and its table only changes with a registration.
_TABLES = BoundedCache(limit=64)


def segment_table(segments: dict[str, list[Layer]]) -> pa.RecordBatch:
    key = tuple((name, tuple(layer.version for layer in layers)) for name, layers in segments.items())
    return _TABLES.get(key, lambda: _segment_table(segments))


def _segment_table(segments: dict[str, list[Layer]]) -> pa.RecordBatch:
    groups = list(segments.values())
    fixed = [
        pa.array(list(segments), pa.utf8()),
        pa.array([[layer.layer for layer in layers] for layers in groups], _STRINGS),
        pa.array([[layer.storage_url for layer in layers] for layers in groups], _STRINGS),
        pa.array([max(layer.updated_ns for layer in layers) for layers in groups], pa.int64()).cast(
            _TIMESTAMP
        ),
        pa.array([sum(layer.num_chunks for layer in layers) for layers in groups], pa.uint64()),
        pa.array([sum(layer.size_bytes for layer in layers) for layers in groups], pa.uint64()),
    ]
    property_fields, property_arrays = _property_columns(groups)
    timeline_fields, timeline_arrays = _timeline_columns(groups)
    schema = pa.schema([*_SEGMENT_FIELDS, *property_fields, *timeline_fields])
    return pa.RecordBatch.from_arrays([*fixed, *property_arrays, *timeline_arrays], schema=schema)


def dataset_manifest(layers: list[Layer]) -> pa.RecordBatch:
    fixed = [
        pa.array([layer.layer for layer in layers], pa.utf8()),
        pa.array([layer.segment for layer in layers], pa.utf8()),
        pa.array([layer.storage_url for layer in layers], pa.utf8()),
        pa.array(["rrd"] * len(layers), pa.utf8()),
        pa.array([layer.registered_ns for layer in layers], pa.int64()).cast(_TIMESTAMP),
        pa.array([layer.updated_ns for layer in layers], pa.int64()).cast(_TIMESTAMP),
        pa.array([layer.num_chunks for layer in layers], pa.uint64()),
        pa.array([layer.size_bytes for layer in layers], pa.uint64()),
        pa.array([layer.schema_sha256 for layer in layers], pa.binary(32)),
        pa.array(["done"] * len(layers), pa.utf8()),
    ]
    property_fields, property_arrays = _property_columns([[layer] for layer in layers])
    schema = pa.schema([*_MANIFEST_FIELDS, *property_fields])
    return pa.RecordBatch.from_arrays([*fixed, *property_arrays], schema=schema)


def project(batch: pa.RecordBatch, columns: list[str]) -> pa.RecordBatch:
    """``columns`` of ``batch`` in that order (all of them when empty)."""
    if not columns:
        return batch
    missing = [name for name in columns if name not in batch.schema.names]
    if missing:
        raise InvalidArgumentError(
            f"Unable to project columns: projected column '{missing[0]}' not found in schema"
        )
    return batch.select(columns)
