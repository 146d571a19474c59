"""``DatasetEntry.info()``: a dataset's overview, from its schema and a few segment-table columns.

Nothing of the recordings is read: sizes, layers and timeline ranges come from the segment table
(one row per segment, ``<timeline>:start`` / ``<timeline>:end`` columns), the contents from the schema.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from rerun_catalog._format import IndexKind, format_bytes, format_index_value, format_uint
from rerun_core.column_schema import Schema

__all__ = ["DatasetInfo", "LayerInfo", "TimelineInfo", "dataset_info", "info_columns"]

TimelineValue = np.int64 | np.datetime64 | np.timedelta64
LAYERS_COLUMN, SIZE_COLUMN = "rerun_layer_names", "rerun_size_bytes"
_INDEX_KIND_KEY, _INDEX_NAME_KEY, _MARKER_KEY = b"rerun:index_kind", b"rerun:index", b"rerun:index_marker"


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{format_uint(n)} {singular if n == 1 else (plural or singular + 's')}"


@dataclass(frozen=True)
class LayerInfo:
    name: str
    num_segments: int

    def _describe(self) -> str:
        return f"{self.name}: in {_count(self.num_segments, 'segment')}"

    def __repr__(self) -> str:
        return f"LayerInfo({self._describe()})"


@dataclass(frozen=True)
class TimelineInfo:
    """One timeline over all segments: ``min``/``max`` are ``None`` when no segment has data on it."""

    name: str
    kind: IndexKind
    num_segments: int
    min: TimelineValue | None
    max: TimelineValue | None

    def _describe(self) -> str:
        if self.min is None or self.max is None:
            return f"{self.name}: {self.kind}, no data"
        low, high = (format_index_value(self.kind, _as_int(v)) for v in (self.min, self.max))
        return f"{self.name}: {self.kind}, {low} … {high}, in {_count(self.num_segments, 'segment')}"

    def __repr__(self) -> str:
        return f"TimelineInfo({self._describe()})"


@dataclass(frozen=True)
class DatasetInfo:
    """A dataset at a glance; the repr is the text overview, the fields are for programs.

    Entities and component columns exclude the recording properties, whose segment-table column
    names are ``property_columns``. A segment counts once per layer it has in ``layers``.
    """

    dataset_name: str
    num_segments: int
    size_bytes: int
    layers: frozenset[LayerInfo]
    timelines: frozenset[TimelineInfo]
    num_entities: int
    num_component_columns: int
    property_columns: frozenset[str]

    def __repr__(self) -> str:
        lines = [
            f"DatasetInfo({self.dataset_name}: {_count(self.num_segments, 'segment')}, "
            f"{format_bytes(self.size_bytes)})",
            f"  contents: {_count(self.num_entities, 'entity', 'entities')}, "
            f"{_count(self.num_component_columns, 'component column')}",
            f"  properties: {', '.join(sorted(self.property_columns)) or '(none)'}",
        ]
        if self.layers:
            lines += ["  layers:", *(f"    {x._describe()}" for x in sorted(self.layers, key=_name))]
        if self.timelines:
            lines += ["  timelines:", *(f"    {x._describe()}" for x in sorted(self.timelines, key=_name))]
        return "\n".join(lines)


def _name(info: LayerInfo | TimelineInfo) -> str:
    return info.name


def _as_int(value: TimelineValue) -> int:
    """Nanoseconds (or the sequence number) of a timeline value."""
    return int(value.astype(np.int64))


def _timeline_fields(schema: pa.Schema) -> dict[str, tuple[IndexKind, str, str]]:
    """Timeline name -> (kind, start column, end column), from the segment table's field metadata."""
    found: dict[str, dict[bytes, str]] = {}
    for field in schema:
        meta = field.metadata or {}
        if _INDEX_NAME_KEY in meta and _MARKER_KEY in meta:
            slot = found.setdefault(meta[_INDEX_NAME_KEY].decode(), {})
            slot[b"kind"] = meta.get(_INDEX_KIND_KEY, b"sequence").decode()
            slot[meta[_MARKER_KEY]] = field.name
    return {
        name: (cast(IndexKind, slot[b"kind"]), slot[b"start"], slot[b"end"])
        for name, slot in found.items()
        if b"start" in slot and b"end" in slot
    }


def info_columns(segment_table_schema: pa.Schema) -> list[str]:
    """The segment-table columns :func:`dataset_info` needs."""
    bounds = [c for _, start, end in _timeline_fields(segment_table_schema).values() for c in (start, end)]
    return [LAYERS_COLUMN, SIZE_COLUMN, *bounds]


def _timeline(name: str, kind: IndexKind, starts: pa.ChunkedArray, ends: pa.ChunkedArray) -> TimelineInfo:
    numpy_type = {"timestamp": "datetime64[ns]", "duration": "timedelta64[ns]"}.get(kind)

    def value(scalar: pa.Scalar) -> TimelineValue | None:
        if not scalar.is_valid:
            return None
        nanos = np.int64(scalar.cast(pa.int64()).as_py())
        return nanos if numpy_type is None else nanos.astype(numpy_type)

    low = value(pc.min(starts.cast(pa.int64()))) if len(starts) else None
    high = value(pc.max(ends.cast(pa.int64()))) if len(ends) else None
    return TimelineInfo(name, kind, len(starts) - starts.null_count, low, high)


def dataset_info(name: str, schema: Schema, segment_table: pa.Table, table_schema: pa.Schema) -> DatasetInfo:
    """``name``'s overview from its ``schema`` and the :func:`info_columns` of its segment table."""
    components = [c for c in schema.component_columns() if not c.is_property]
    layers = Counter(
        layer for names in segment_table[LAYERS_COLUMN].to_pylist() for layer in set(names or ())
    )
    sizes = segment_table[SIZE_COLUMN]
    timelines = _timeline_fields(table_schema)
    return DatasetInfo(
        dataset_name=name,
        num_segments=segment_table.num_rows,
        size_bytes=int(pc.sum(sizes).as_py() or 0),
        layers=frozenset(LayerInfo(layer, count) for layer, count in layers.items()),
        timelines=frozenset(
            _timeline(timeline, kind, segment_table[start], segment_table[end])
            for timeline, (kind, start, end) in timelines.items()
        ),
        num_entities=len({c.entity_path for c in components}),
        num_component_columns=len(components),
        property_columns=frozenset(n for n in table_schema.names if n.startswith("property:")),
    )
