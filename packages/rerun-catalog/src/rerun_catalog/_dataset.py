"""Datasets: their segments, schema, registration, and reads (``reader``) through selections."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import datafusion
import pyarrow as pa

from rerun_catalog._entry import Entry
from rerun_catalog._reader import SEGMENT_COLUMN, ReadRequest, reader_frame
from rerun_catalog._registration import OnDuplicateSegmentLayer, RegistrationOperation
from rerun_catalog._wire import decode_schema, parts_table, with_sorbet_version
from rerun_core.column_schema import Schema
from rerun_core.proto import cloud_pb2, common_pb2

if TYPE_CHECKING:
    from rerun_catalog._table import TableEntry

__all__ = ["DatasetEntry", "DatasetSelection"]


def _strings(value: str | Sequence[str], what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    values = tuple(value)
    bad = [v for v in values if not isinstance(v, str)]
    if bad:
        raise TypeError(f"{what} must be strings, got {bad[0]!r}")
    return values


class DatasetEntry(Entry):
    """A dataset of a catalog: segments (one per registered recording) read as one dataframe."""

    def _stream(self, rpc: str, request: Any) -> list[Any]:
        return self._client._conn.stream(rpc, request, entry_id=self._entry_id())

    @property
    def manifest_url(self) -> str:
        response = self._client._conn.unary(
            "ReadDatasetEntry", cloud_pb2.ReadDatasetEntryRequest(), entry_id=self._entry_id()
        )
        return str(response.dataset.dataset_handle.dataset_url)

    def arrow_schema(self) -> pa.Schema:
        response = self._client._conn.unary(
            "GetDatasetSchema", cloud_pb2.GetDatasetSchemaRequest(), entry_id=self._entry_id()
        )
        return decode_schema(response.schema)

    def schema(self) -> Schema:
        return Schema(self.arrow_schema())

    def segment_ids(self) -> list[str]:
        request = cloud_pb2.ScanSegmentTableRequest(columns=[SEGMENT_COLUMN])
        table = parts_table(r.data for r in self._stream("ScanSegmentTable", request))
        return [str(s) for s in table[SEGMENT_COLUMN].to_pylist()] if table.num_rows else []

    def _segment_table(self) -> pa.Table:
        schema_response = self._client._conn.unary(
            "GetSegmentTableSchema", cloud_pb2.GetSegmentTableSchemaRequest(), entry_id=self._entry_id()
        )
        schema = decode_schema(schema_response.schema)
        responses = self._stream("ScanSegmentTable", cloud_pb2.ScanSegmentTableRequest())
        return with_sorbet_version(parts_table((r.data for r in responses), schema))

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
        response = self._client._conn.unary("RegisterWithDataset", request, entry_id=self._entry_id())
        rows = parts_table([response.data]).to_pylist()
        return RegistrationOperation(self._client._conn, self._entry_id(), rows)

    def filter_segments(self, segment_ids: str | Sequence[str] | datafusion.DataFrame) -> DatasetSelection:
        return DatasetSelection(self).filter_segments(segment_ids)

    def filter_contents(self, exprs: str | Sequence[str]) -> DatasetSelection:
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


@dataclass(frozen=True)
class DatasetSelection:
    """Some segments and some contents of a dataset (each filter narrows further); nothing is read yet."""

    dataset: DatasetEntry
    _segments: tuple[str, ...] | None = None
    _contents: tuple[str, ...] | None = None

    def filter_segments(self, segment_ids: str | Sequence[str] | datafusion.DataFrame) -> DatasetSelection:
        if isinstance(segment_ids, datafusion.DataFrame):
            table = segment_ids.select(SEGMENT_COLUMN).to_arrow_table()
            wanted = tuple(str(s) for s in table[SEGMENT_COLUMN].to_pylist())
        else:
            wanted = _strings(segment_ids, "segment_ids")
        if self._segments is not None:
            wanted = tuple(s for s in wanted if s in self._segments)
        return DatasetSelection(self.dataset, wanted, self._contents)

    def filter_contents(self, exprs: str | Sequence[str]) -> DatasetSelection:
        added = _strings(exprs, "exprs")
        return DatasetSelection(self.dataset, self._segments, (self._contents or ()) + added)

    def arrow_schema(self) -> pa.Schema:
        return self.dataset.arrow_schema()

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
        request = ReadRequest(
            conn=self.dataset.catalog._conn,
            entry_id=str(self.dataset.id),
            dataset_schema=self.dataset.arrow_schema(),
            index=index,
            segments=self._segments,
            contents=list(self._contents) if self._contents is not None else None,
            fill_latest_at=fill_latest_at,
            include_semantically_empty_columns=include_semantically_empty_columns,
            include_tombstone_columns=include_tombstone_columns,
            using_index_values=using_index_values,
        )
        return reader_frame(request, self.dataset.catalog.ctx)
