"""Datasets: their segments, schema, registration, blueprints, and reads (``reader``) through selections."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

import datafusion
import pyarrow as pa
import pyarrow.compute as pc

from rerun_catalog._assets import AssetOwner
from rerun_catalog._blueprints import DEFAULT_BLUEPRINT, BlueprintOwner
from rerun_catalog._content_filter import ContentsArg, content_exprs
from rerun_catalog._dataset_info import DatasetInfo, dataset_info, info_columns
from rerun_catalog._format import url_time
from rerun_catalog._reader import SEGMENT_COLUMN, ReadRequest, reader_frame
from rerun_catalog._registration import (
    OnDuplicateSegmentLayer,
    RegistrationOperation,
    UnregistrationHandle,
)
from rerun_catalog._segment import Layer, Segment
from rerun_catalog._segment_store import segment_store
from rerun_catalog._wire import decode_schema, parts_table, with_sorbet_version
from rerun_core.column_schema import Schema
from rerun_core.proto import cloud_pb2, common_pb2
from rerun_core.query import resolve_contents

if TYPE_CHECKING:
    from rerun_catalog._table import TableEntry

__all__ = ["DatasetEntry", "DatasetSelection"]

_STATUS_COLUMN = "rerun_registration_status"
_TABLE_BLUEPRINT = "default_segment_table_blueprint_segment"


def _strings(value: str | Sequence[str], what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    values = tuple(value)
    bad = [v for v in values if not isinstance(v, str)]
    if bad:
        raise TypeError(f"{what} must be strings, got {bad[0]!r}")
    return values


class DatasetEntry(BlueprintOwner, AssetOwner):
    """A dataset of a catalog: segments (one per registered recording) read as one dataframe."""

    def _stream(self, rpc: str, request: Any) -> list[Any]:
        return self._client._conn.stream(rpc, request, entry_id=self._entry_id())

    def _read(self) -> cloud_pb2.DatasetEntry:
        response = self._client._conn.unary(
            "ReadDatasetEntry", cloud_pb2.ReadDatasetEntryRequest(), entry_id=self._entry_id()
        )
        return response.dataset

    @property
    def manifest_url(self) -> str:
        return str(self._read().dataset_handle.dataset_url)

    def _arrow_schema(self) -> pa.Schema:
        """The schema as the server says now (and remembered for :meth:`_planning_schema`)."""
        response = self._client._conn.unary(
            "GetDatasetSchema", cloud_pb2.GetDatasetSchemaRequest(), entry_id=self._entry_id()
        )
        schema = decode_schema(response.schema)
        self._client._dataset_schemas[self._entry_id()] = schema
        return schema

    def _planning_schema(self) -> pa.Schema:
        """The schema ``reader()`` plans with: the last one seen, without a round trip. The read
        itself asks the server again, alongside its other calls, and starts over on a newer one."""
        seen = self._client._dataset_schemas.get(self._entry_id())
        return seen if seen is not None else self._arrow_schema()

    def _forget_schema(self) -> None:
        """After a change through this client: the next ``reader()`` plans with a fresh schema."""
        self._client._dataset_schemas.pop(self._entry_id(), None)

    def arrow_schema(self) -> pa.Schema:
        warnings.warn(
            "DatasetEntry.arrow_schema() is deprecated. Use DatasetEntry.schema().to_arrow() instead.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self._arrow_schema()

    def schema(self) -> Schema:
        return Schema(self._arrow_schema())

    def info(self) -> DatasetInfo:
        """Segments, size, layers, timelines and contents, from the schema and the segment table."""
        table_schema = self._segment_table_schema()
        request = cloud_pb2.ScanSegmentTableRequest(columns=info_columns(table_schema))
        rows = parts_table((r.data for r in self._stream("ScanSegmentTable", request)), table_schema)
        return dataset_info(self.name, self.schema(), rows, table_schema)

    def segment_ids(self) -> list[str]:
        request = cloud_pb2.ScanSegmentTableRequest(columns=[SEGMENT_COLUMN])
        table = parts_table(r.data for r in self._stream("ScanSegmentTable", request))
        return [str(s) for s in table[SEGMENT_COLUMN].to_pylist()] if table.num_rows else []

    def _segment_table_schema(self) -> pa.Schema:
        response = self._client._conn.unary(
            "GetSegmentTableSchema", cloud_pb2.GetSegmentTableSchemaRequest(), entry_id=self._entry_id()
        )
        return decode_schema(response.schema)

    def _segment_table(self) -> pa.Table:
        schema = self._segment_table_schema()
        responses = self._stream("ScanSegmentTable", cloud_pb2.ScanSegmentTableRequest())
        return with_sorbet_version(parts_table((r.data for r in responses), schema))

    def segment(self, segment_id: str) -> Segment:
        """A handle on one segment; ``NotFoundError`` when the dataset has no such segment."""
        return Segment(self, segment_id)

    def segment_store(self, segment_id: str, *, include_assets: bool = True) -> Any:
        """The segment as an ``rr.chunk.LazyStore`` (needs rerun-sdk): its manifests now, its chunks
        when streamed; with ``include_assets``, the assets applying to it too (without their properties)."""
        return segment_store(self, segment_id, include_assets=include_assets)

    def layer(self, name: str) -> Layer:
        """A handle on one layer name; ``ValueError`` when no segment has that layer."""
        return Layer(self, name)

    def segment_url(
        self,
        segment_id: str,
        timeline: str | None = None,
        start: datetime | timedelta | int | None = None,
        end: datetime | timedelta | int | None = None,
    ) -> str:
        """The URL that opens this segment in the viewer, optionally at ``start`` of ``timeline``
        (with ``end``: selecting ``start..end``)."""
        url = f"{self._client.url}/dataset/{self.id}?segment_id={segment_id}"
        if (start is not None or end is not None) and timeline is None:
            raise ValueError("If `start` or `end` is specified, `timeline` must also be specified.")
        if end is not None and start is None:
            raise ValueError("`end` needs a `start`: pass both to select a time range")
        if timeline is None or start is None:
            return url
        url += f"#when={timeline}@{url_time(start, start)}"
        if end is not None:
            url += f"&time_selection={timeline}@{url_time(start, start)}..{url_time(end, start)}"
        return url

    def manifest(self, include_diagnostic_data: bool = False) -> datafusion.DataFrame:
        warnings.warn(
            "DatasetEntry.manifest() is deprecated and will be removed in a future release. "
            "It was intended for internal and debugging use only.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self._manifest(include_diagnostic_data)

    def _manifest(self, include_diagnostic_data: bool = False) -> datafusion.DataFrame:
        """One row per segment layer; without diagnostics, only layers whose registration is done."""
        response = self._client._conn.unary(
            "GetDatasetManifestSchema", cloud_pb2.GetDatasetManifestSchemaRequest(), entry_id=self._entry_id()
        )
        schema = decode_schema(response.schema)
        request = cloud_pb2.ScanDatasetManifestRequest(columns=schema.names)
        table = with_sorbet_version(
            parts_table((r.data for r in self._stream("ScanDatasetManifest", request)), schema)
        )
        if not include_diagnostic_data and _STATUS_COLUMN in table.column_names:
            table = table.filter(pc.equal(table[_STATUS_COLUMN], "done")).drop_columns([_STATUS_COLUMN])
        return self.catalog.ctx.from_arrow(table)

    def get_index_ranges(self) -> datafusion.DataFrame:
        """Per segment, the first and last value of every index (``<index>:start``, ``<index>:end``)."""
        return DatasetSelection(self).get_index_ranges()

    def do_maintenance(
        self,
        optimize_indexes: bool = False,
        retrain_indexes: bool = False,
        compact_fragments: bool = False,
        cleanup_before: datetime | None = None,
        unsafe_allow_recent_cleanup: bool = False,
    ) -> None:
        """Ask the server to optimize the dataset's storage (0.41's open-source server does not)."""
        request = cloud_pb2.DoMaintenanceRequest(
            optimize_indexes=optimize_indexes,
            retrain_indexes=retrain_indexes,
            compact_fragments=compact_fragments,
            unsafe_allow_recent_cleanup=unsafe_allow_recent_cleanup,
        )
        if cleanup_before is not None:
            request.cleanup_before.FromDatetime(cleanup_before)
        self._client._conn.unary("DoMaintenance", request, entry_id=self._entry_id())

    def segment_table(
        self, join_meta: TableEntry | datafusion.DataFrame | None = None, join_key: str = SEGMENT_COLUMN
    ) -> datafusion.DataFrame:
        return DatasetSelection(self).segment_table(join_meta, join_key)

    def register(
        self,
        recording_uri: list[str],
        *,
        layer_name: str | Sequence[str] = "base",
        on_duplicate: OnDuplicateSegmentLayer = OnDuplicateSegmentLayer.ERROR,
        object_store_config: str | None = None,
    ) -> RegistrationOperation:
        uris = _strings(recording_uri, "recording_uri")
        layers = _strings(layer_name, "layer_name")
        if len(layers) == 1:
            layers = layers * len(uris)
        if len(layers) != len(uris):
            raise ValueError(f"layer_name: {len(layers)} names for {len(uris)} uris")
        sources = [
            cloud_pb2.DataSource(
                storage_url=uri,
                layer=layer,
                typ=cloud_pb2.DATA_SOURCE_KIND_RRD,
                object_store_config=object_store_config,
            )
            for uri, layer in zip(uris, layers, strict=True)
        ]
        return self._register(sources, on_duplicate)

    def register_prefix(
        self,
        recordings_prefix: str,
        layer_name: str | None = None,
        on_duplicate: OnDuplicateSegmentLayer = OnDuplicateSegmentLayer.ERROR,
        *,
        object_store_config: str | None = None,
    ) -> RegistrationOperation:
        source = cloud_pb2.DataSource(
            storage_url=recordings_prefix,
            layer=layer_name or "base",
            prefix=True,
            typ=cloud_pb2.DATA_SOURCE_KIND_RRD,
            object_store_config=object_store_config,
        )
        return self._register([source], on_duplicate)

    def _register(
        self, sources: list[cloud_pb2.DataSource], on_duplicate: OnDuplicateSegmentLayer
    ) -> RegistrationOperation:
        on_duplicate = OnDuplicateSegmentLayer(on_duplicate)
        request = cloud_pb2.RegisterWithDatasetRequest(
            data_sources=sources,
            on_duplicate=cast(common_pb2.IfDuplicateBehavior, on_duplicate.to_proto()),
        )
        self._forget_schema()
        response = self._client._conn.unary("RegisterWithDataset", request, entry_id=self._entry_id())
        rows = parts_table([response.data]).to_pylist()
        return RegistrationOperation(self._client._conn, self._entry_id(), rows)

    def unregister(
        self,
        *,
        segments_to_drop: str | Sequence[str],
        layers_to_drop: str | Sequence[str],
        force: bool = False,
    ) -> UnregistrationHandle:
        """Drop every layer in ``segments_to_drop`` x ``layers_to_drop`` (an empty list: all of them).

        Dropping what does not exist is no error; segment properties stay (see
        :meth:`delete_segment_properties`).
        """
        segments = _strings(segments_to_drop, "segments_to_drop")
        layers = _strings(layers_to_drop, "layers_to_drop")
        if not segments and not layers:
            raise ValueError(
                "unregister: name at least one segment (segments_to_drop) or layer (layers_to_drop)"
            )
        request = cloud_pb2.UnregisterFromDatasetRequest(
            segments_to_drop=[common_pb2.SegmentId(id=s) for s in segments],
            layers_to_drop=layers,
            force=force,
        )
        self._forget_schema()
        responses = self._stream("UnregisterFromDataset", request)
        tasks = list(dict.fromkeys(r.task_id.id for r in responses if r.HasField("task_id")))
        return UnregistrationHandle(self._client._conn, self._entry_id(), tasks)

    def delete_segment_properties(self, segment_ids: str | Sequence[str]) -> None:
        """Forget the properties of these segments (those without any are no error)."""
        deletions = [
            cloud_pb2.SegmentPropertiesDeletion(segment_id=common_pb2.SegmentId(id=s))
            for s in _strings(segment_ids, "segment_ids")
        ]
        self._client._conn.unary(
            "DeleteSegmentProperties",
            cloud_pb2.DeleteSegmentPropertiesRequest(segments=deletions),
            entry_id=self._entry_id(),
        )

    # ---- blueprints (see _blueprints) ----------------------------------------------------------

    def _owner_details(self) -> cloud_pb2.DatasetDetails:
        return self._read().dataset_details

    def _update_owner_details(self, details: cloud_pb2.DatasetDetails) -> None:
        request = cloud_pb2.UpdateDatasetEntryRequest(id=self.id.to_proto(), dataset_details=details)
        self._client._conn.unary("UpdateDatasetEntry", request, entry_id=self._entry_id())

    def blueprint_dataset(self) -> DatasetEntry | None:
        """The hidden dataset (``__bp_<id>``) holding this dataset's blueprints, owned by it."""
        return self._blueprints()

    def register_blueprint(
        self,
        uri: str,
        set_default: bool = True,
        *,
        segment_table: bool = False,
        object_store_config: str | None = None,
    ) -> None:
        """Register an ``.rbl`` the server can read, by default as the default blueprint of the
        recordings (``segment_table=True``: of the segment table)."""
        blueprint = self._register_blueprint(uri, object_store_config)
        if set_default:
            self._set_default(_TABLE_BLUEPRINT if segment_table else DEFAULT_BLUEPRINT, blueprint)

    def default_segment_table_blueprint(self) -> str | None:
        return self._default(_TABLE_BLUEPRINT)

    def set_default_segment_table_blueprint(self, blueprint_name: str | None) -> None:
        self._set_default(_TABLE_BLUEPRINT, blueprint_name)

    # ---- reads ------------------------------------------------------------------------------

    def filter_segments(self, segment_ids: str | Sequence[str] | datafusion.DataFrame) -> DatasetSelection:
        return DatasetSelection(self).filter_segments(segment_ids)

    def filter_contents(self, exprs: ContentsArg) -> DatasetSelection:
        return DatasetSelection(self).filter_contents(exprs)

    def reader(
        self,
        index: str | None,
        *,
        include_semantically_empty_columns: bool = False,
        include_tombstone_columns: bool = False,
        fill_latest_at: bool = False,
        using_index_values: Any = None,
    ) -> datafusion.DataFrame:
        return DatasetSelection(self).reader(
            index,
            include_semantically_empty_columns=include_semantically_empty_columns,
            include_tombstone_columns=include_tombstone_columns,
            fill_latest_at=fill_latest_at,
            using_index_values=using_index_values,
        )


@dataclass(frozen=True, repr=False)
class DatasetSelection:
    """Some segments and some contents of a dataset; nothing is read yet.

    Each filter narrows further: an entity is read only if every ``filter_contents`` call's
    expressions include it.
    """

    dataset: DatasetEntry
    _segments: tuple[str, ...] | None = None
    _contents: tuple[tuple[str, ...], ...] = ()

    def filter_segments(self, segment_ids: str | Sequence[str] | datafusion.DataFrame) -> DatasetSelection:
        if isinstance(segment_ids, datafusion.DataFrame):
            table = segment_ids.select(SEGMENT_COLUMN).to_arrow_table()
            wanted = tuple(str(s) for s in table[SEGMENT_COLUMN].to_pylist())
        else:
            wanted = _strings(segment_ids, "segment_ids")
        if self._segments is not None:
            wanted = tuple(s for s in wanted if s in self._segments)
        return DatasetSelection(self.dataset, wanted, self._contents)

    def filter_contents(self, exprs: ContentsArg) -> DatasetSelection:
        return DatasetSelection(self.dataset, self._segments, (*self._contents, content_exprs(exprs)))

    def _read_contents(self, dataset_schema: pa.Schema) -> Any:
        """What the query reads: one filter's expressions, or the entities every filter includes."""
        if not self._contents:
            return None
        if len(self._contents) == 1:
            return list(self._contents[0])
        paths = {c.entity_path for c in Schema(dataset_schema).component_columns()}
        kept = set(paths)
        for exprs in self._contents:
            kept &= set(resolve_contents(list(exprs), paths))
        return {path: None for path in sorted(kept)}

    def arrow_schema(self) -> pa.Schema:
        return self.dataset._arrow_schema()

    def schema(self) -> Schema:
        return self.dataset.schema()

    def segment_ids(self) -> list[str]:
        every = self.dataset.segment_ids()
        return every if self._segments is None else [s for s in every if s in self._segments]

    def segment_table(
        self, join_meta: TableEntry | datafusion.DataFrame | None = None, join_key: str = SEGMENT_COLUMN
    ) -> datafusion.DataFrame:
        table = self.dataset._segment_table()
        if self._segments is not None:
            table = table.filter(pa.compute.is_in(table[SEGMENT_COLUMN], pa.array(self._segments, pa.utf8())))
        ctx = self.dataset.catalog.ctx
        frame = ctx.from_arrow(table)
        if join_meta is None:
            return frame
        meta = join_meta if isinstance(join_meta, datafusion.DataFrame) else join_meta.reader()
        if join_key != SEGMENT_COLUMN:
            meta = meta.with_column_renamed(join_key, SEGMENT_COLUMN)
        return frame.join(meta, on=SEGMENT_COLUMN, how="left")

    def reader(
        self,
        index: str | None,
        *,
        include_semantically_empty_columns: bool = False,
        include_tombstone_columns: bool = False,
        using_index_values: Any = None,
        fill_latest_at: bool = False,
    ) -> datafusion.DataFrame:
        # Several content filters are resolved here, against the schema: it must be the current one.
        seen = self.dataset._client._dataset_schemas if len(self._contents) < 2 else None
        dataset_schema = self.dataset._planning_schema() if seen is not None else self.dataset._arrow_schema()
        if index is not None and index not in dataset_schema.names:
            seen, dataset_schema = None, self.dataset._arrow_schema()  # perhaps new: reader_frame decides
        request = ReadRequest(
            conn=self.dataset.catalog._conn,
            entry_id=str(self.dataset.id),
            dataset_schema=dataset_schema,
            index=index,
            segments=self._segments,
            contents=self._read_contents(dataset_schema),
            fill_latest_at=fill_latest_at,
            include_semantically_empty_columns=include_semantically_empty_columns,
            include_tombstone_columns=include_tombstone_columns,
            using_index_values=using_index_values,
            seen_schemas=seen,
        )
        return reader_frame(request, self.dataset.catalog.ctx)

    def _read_arrow(
        self,
        index: str | None,
        *,
        include_semantically_empty_columns: bool = False,
        include_tombstone_columns: bool = False,
        using_index_values: Any = None,
        fill_latest_at: bool = False,
    ) -> pa.RecordBatchReader:
        """The rows of :meth:`reader`, ordered by segment then index."""
        frame = self.reader(
            index,
            include_semantically_empty_columns=include_semantically_empty_columns,
            include_tombstone_columns=include_tombstone_columns,
            using_index_values=using_index_values,
            fill_latest_at=fill_latest_at,
        )
        table = frame.to_arrow_table()
        keys = [SEGMENT_COLUMN] + ([index] if index is not None and index in table.column_names else [])
        table = table.sort_by([(key, "ascending") for key in keys])
        return pa.RecordBatchReader.from_batches(table.schema, table.to_batches())

    def get_index_ranges(self) -> datafusion.DataFrame:
        """Per segment, the first and last value of every index (``<index>:start``, ``<index>:end``)."""
        columns = [SEGMENT_COLUMN]
        for index in self.schema().index_columns():
            columns += [f"{index.name}:start", f"{index.name}:end"]
        return self.segment_table().select(*columns)

    def __repr__(self) -> str:
        segments = "all segments" if self._segments is None else f"{len(self._segments)} segments"
        if not self._contents:
            return f"DatasetSelection({self.dataset!r}, {segments}, no content filter)"
        filters = [" ".join(_signed_expr(expr) for expr in exprs) for exprs in self._contents]
        return f"DatasetSelection({self.dataset!r}, {segments}, content_filters={filters!r})"


def _signed_expr(expr: str) -> str:
    """``+ /path`` or ``- /path``: an expression as a selection's repr shows it."""
    text = expr.strip()
    sign = "-" if text.startswith("-") else "+"
    return f"{sign} {text.lstrip('+-').strip()}"
