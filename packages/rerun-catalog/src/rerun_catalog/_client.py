"""``CatalogClient``: the entry point to a catalog server (``rerun+http://host:port``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import datafusion
import pyarrow as pa
from google.protobuf import any_pb2

from rerun_catalog._benchmark import BenchmarkResult, benchmark
from rerun_catalog._dataset import DatasetEntry
from rerun_catalog._entry import EntryId, EntryKind
from rerun_catalog._heap import keep_freed_memory
from rerun_catalog._table import TableEntry
from rerun_catalog._wire import Connection, encode_schema
from rerun_catalog.errors import AlreadyExistsError, NotFoundError
from rerun_core.proto import cloud_pb2

__all__ = ["CatalogClient", "VersionInfo"]

_DATASET_KINDS = (EntryKind.DATASET,)
_HIDDEN_DATASET_KINDS = (EntryKind.BLUEPRINT_DATASET, EntryKind.ASSET_DATASET)


@dataclass(frozen=True)
class VersionInfo:
    version: str
    cloud_provider: str | None = None
    cloud_region: str | None = None
    features: list[str] = field(default_factory=list)


class CatalogClient:
    """A connection to a catalog server; lists, opens and creates its datasets and tables."""

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        object_store_auth: Any = None,
        addr: str | None = None,
    ) -> None:
        self._conn = Connection(addr if addr is not None else url, token=token)
        self._conn.check_reachable()
        keep_freed_memory()  # reads then reuse their buffers' pages instead of faulting them in again
        self._ctx: datafusion.SessionContext | None = None
        # Each dataset's schema as last seen, by entry id: reader() plans with it, every read checks it.
        self._dataset_schemas: dict[str, pa.Schema] = {}

    @property
    def url(self) -> str:
        return self._conn.url

    @property
    def ctx(self) -> datafusion.SessionContext:
        if self._ctx is None:
            self._ctx = datafusion.SessionContext()
        return self._ctx

    def __repr__(self) -> str:
        return f"CatalogClient({self.url!r})"

    def version_info(self) -> VersionInfo:
        response = self._conn.unary("Version", cloud_pb2.VersionRequest())
        return VersionInfo(
            version=response.version,
            cloud_provider=response.cloud_provider if response.HasField("cloud_provider") else None,
            cloud_region=response.cloud_region if response.HasField("cloud_region") else None,
            features=list(response.features),
        )

    def benchmark(self, *, num_bytes: int = 16 * 1024 * 1024, num_pings: int = 5) -> BenchmarkResult:
        """Round-trip time (fastest of ``num_pings`` tiny calls) and the bandwidth of a ``num_bytes`` download."""
        return benchmark(self._conn, num_bytes=num_bytes, num_pings=num_pings)

    def do_global_maintenance(self) -> None:
        """Ask the server to tidy the whole catalog (0.41's open-source server does not)."""
        self._conn.unary("DoGlobalMaintenance", cloud_pb2.DoGlobalMaintenanceRequest())

    # ---- listing --------------------------------------------------------------------------------

    def _find(
        self, kinds: tuple[EntryKind, ...], *, name: str | None = None, entry_id: Any = None
    ) -> list[Any]:
        entry_filter = cloud_pb2.EntryFilter(entry_kinds=[cast(cloud_pb2.EntryKind, int(k)) for k in kinds])
        if name is not None:
            entry_filter.name = name
        if entry_id is not None:
            entry_filter.id.CopyFrom(EntryId(str(entry_id)).to_proto())
        try:
            response = self._conn.unary("FindEntries", cloud_pb2.FindEntriesRequest(filter=entry_filter))
        except NotFoundError:
            return []
        return list(response.entries)

    def _wrap(self, details: cloud_pb2.EntryDetails) -> DatasetEntry | TableEntry:
        if details.entry_kind in (EntryKind.TABLE, EntryKind.TABLE_VIEW):
            return TableEntry(self, details)
        return DatasetEntry(self, details)

    def _listed(self, kinds: tuple[EntryKind, ...], include_hidden: bool) -> list[Any]:
        found = [self._wrap(d) for d in self._find(kinds)]
        return [e for e in found if include_hidden or not e.name.startswith("__")]

    def entries(self, *, include_hidden: bool = False) -> list[DatasetEntry | TableEntry]:
        kinds = _DATASET_KINDS + (EntryKind.TABLE,) + (_HIDDEN_DATASET_KINDS if include_hidden else ())
        return self._listed(kinds, include_hidden)

    def datasets(self, *, include_hidden: bool = False) -> list[DatasetEntry]:
        return self._listed(
            _DATASET_KINDS + (_HIDDEN_DATASET_KINDS if include_hidden else ()), include_hidden
        )

    def tables(self, *, include_hidden: bool = False) -> list[TableEntry]:
        return self._listed((EntryKind.TABLE,), include_hidden)

    def entry_names(self, *, include_hidden: bool = False) -> list[str]:
        return [e.name for e in self.entries(include_hidden=include_hidden)]

    def dataset_names(self, *, include_hidden: bool = False) -> list[str]:
        return [e.name for e in self.datasets(include_hidden=include_hidden)]

    def table_names(self, *, include_hidden: bool = False) -> list[str]:
        return [e.name for e in self.tables(include_hidden=include_hidden)]

    # ---- opening --------------------------------------------------------------------------------

    def _get(self, what: str, kinds: tuple[EntryKind, ...], name: str | None, entry_id: Any) -> Any:
        if (name is None) == (entry_id is None):
            raise ValueError(f"get_{what}: pass exactly one of `name` and `id`")
        found = self._find(kinds, name=name, entry_id=entry_id)
        if not found and name is not None:
            raise LookupError(f"No {what} found with name {name!r}")  # as 0.41: not a NotFoundError
        if not found:
            raise NotFoundError(f"Entry id '{entry_id}' not found (no {what} with that id at {self.url})")
        return self._wrap(found[0])

    def get_dataset(self, name: str | None = None, *, id: EntryId | str | None = None) -> DatasetEntry:
        entry: DatasetEntry = self._get("dataset", _DATASET_KINDS + _HIDDEN_DATASET_KINDS, name, id)
        return entry

    def get_table(self, name: str | None = None, *, id: EntryId | str | None = None) -> TableEntry:
        entry: TableEntry = self._get("table", (EntryKind.TABLE, EntryKind.TABLE_VIEW), name, id)
        return entry

    # ---- creating -------------------------------------------------------------------------------

    def create_dataset(self, name: str, *, exist_ok: bool = False) -> DatasetEntry:
        try:
            response = self._conn.unary("CreateDatasetEntry", cloud_pb2.CreateDatasetEntryRequest(name=name))
        except AlreadyExistsError:
            if not exist_ok:
                raise
            return self.get_dataset(name)
        return DatasetEntry(self, response.dataset.details)

    def create_table(self, name: str, schema: pa.Schema, url: str | None = None) -> TableEntry:
        request = cloud_pb2.CreateTableEntryRequest(name=name, schema=encode_schema(schema))
        if url is not None:
            request.provider_details.Pack(cloud_pb2.LanceTable(table_url=url))
        response = self._conn.unary("CreateTableEntry", request)
        return TableEntry(self, response.table.details)

    def register_table(self, name: str, url: str) -> TableEntry:
        details = any_pb2.Any()
        details.Pack(cloud_pb2.LanceTable(table_url=url))
        response = self._conn.unary(
            "RegisterTable", cloud_pb2.RegisterTableRequest(name=name, provider_details=details)
        )
        return TableEntry(self, response.table_entry.details)
