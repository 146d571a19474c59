"""Tables of a catalog: read as DataFusion frames, written by appending or overwriting."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import datafusion
import pyarrow as pa

from rerun_catalog._blueprints import BlueprintOwner
from rerun_catalog._wire import decode_schema, encode_part, parts_table, with_sorbet_version
from rerun_core.proto import cloud_pb2

if TYPE_CHECKING:
    from rerun_catalog._dataset import DatasetEntry

__all__ = ["TableEntry"]


class TableEntry(BlueprintOwner):
    """A table of a catalog."""

    def _owner_details(self) -> cloud_pb2.TableDetails:
        request = cloud_pb2.ReadTableEntryRequest(id=self.id.to_proto())
        return self._client._conn.unary(
            "ReadTableEntry", request, entry_id=self._entry_id()
        ).table.table_details

    def _update_owner_details(self, details: cloud_pb2.TableDetails) -> None:
        request = cloud_pb2.UpdateTableEntryRequest(id=self.id.to_proto(), table_details=details)
        self._client._conn.unary("UpdateTableEntry", request)

    def blueprint_dataset(self) -> DatasetEntry | None:
        """The hidden dataset (``__bp_<id>``) holding this table's blueprints, owned by it."""
        return self._blueprints()

    def register_blueprint(
        self, uri: str, set_default: bool = True, *, object_store_config: str | None = None
    ) -> None:
        """Register an ``.rbl`` the server can read as a blueprint of this table (by default, the default)."""
        blueprint = self._register_blueprint(uri, object_store_config)
        if set_default:
            self.set_default_blueprint(blueprint)

    def arrow_schema(self) -> pa.Schema:
        request = cloud_pb2.GetTableSchemaRequest(table_id=self.id.to_proto())
        response = self._client._conn.unary("GetTableSchema", request, entry_id=self._entry_id())
        return decode_schema(response.schema)

    def _scan(self) -> pa.Table:
        request = cloud_pb2.ScanTableRequest(table_id=self.id.to_proto())
        responses = self._client._conn.stream("ScanTable", request, entry_id=self._entry_id())
        parts = [r.dataframe_part for r in responses]
        table = parts_table(parts) if any(p.payload for p in parts) else self.arrow_schema().empty_table()
        return with_sorbet_version(table)

    def reader(self) -> datafusion.DataFrame:
        return self._client.ctx.from_arrow(self._scan())

    def to_arrow_reader(self) -> pa.RecordBatchReader:
        table = self._scan()
        return pa.RecordBatchReader.from_batches(table.schema, table.to_batches())

    @property
    def storage_url(self) -> str:
        response = self._client._conn.unary(
            "ReadTableEntry",
            cloud_pb2.ReadTableEntryRequest(id=self.id.to_proto()),
            entry_id=self._entry_id(),
        )
        lance = cloud_pb2.LanceTable()
        response.table.provider_details.Unpack(lance)
        return str(lance.table_url)

    def append(self, batches: Any = None, **named_params: Any) -> None:
        self._write(cloud_pb2.TABLE_INSERT_MODE_APPEND, batches, named_params)

    def overwrite(self, batches: Any = None, **named_params: Any) -> None:
        self._write(cloud_pb2.TABLE_INSERT_MODE_OVERWRITE, batches, named_params)

    def upsert(self, batches: Any = None, **named_params: Any) -> None:
        self._write(cloud_pb2.TABLE_INSERT_MODE_REPLACE, batches, named_params)

    def _write(self, mode: cloud_pb2.TableInsertMode, batches: Any, named_params: dict[str, Any]) -> None:
        rows = self._batches(batches, named_params)
        requests = [
            cloud_pb2.WriteTableRequest(dataframe_part=encode_part(batch), insert_mode=mode) for batch in rows
        ]
        self._client._conn.client_stream("WriteTable", requests, entry_id=self._entry_id())

    def _batches(self, batches: Any, named_params: dict[str, Any]) -> list[pa.RecordBatch]:
        if (batches is None) == (not named_params):
            raise ValueError("pass either `batches` or column=values keyword arguments (exactly one of them)")
        schema = self.arrow_schema()
        if named_params:
            unknown = sorted(set(named_params) - set(schema.names))
            if unknown:
                raise ValueError(f"unknown column(s) {unknown}; the table has {schema.names}")
            length = max(len(_as_list(v)) for v in named_params.values())
            columns = [
                pa.array(_as_list(named_params[f.name]), f.type)
                if f.name in named_params
                else pa.nulls(length, f.type)
                for f in schema
            ]
            return [pa.RecordBatch.from_arrays(columns, schema=schema)]
        return [b for b in _flatten(batches) if b.num_rows]


def _as_list(values: Any) -> list[Any]:
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return list(values.to_pylist())
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        return [values]
    return list(values)


def _flatten(batches: Any) -> list[pa.RecordBatch]:
    if isinstance(batches, pa.RecordBatch):
        return [batches]
    if isinstance(batches, pa.Table):
        return batches.to_batches()
    if isinstance(batches, pa.RecordBatchReader):
        return list(batches)
    if isinstance(batches, (list, tuple)):
        return [b for item in batches for b in _flatten(item)]
    raise TypeError(f"batches must be record batches (or lists of them), got {type(batches).__name__}")
