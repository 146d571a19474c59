"""Catalog tables, stored as Parquet (pyarrow, no extra dependency).

A table we own is a folder of Parquet part files; the database lists the live parts, so an append is
one new file plus one row, and an overwrite swaps the list in one transaction before old files are
removed. Tables registered from elsewhere (``-t``, ``RegisterTable``) are read in place and are
read-only. The hidden ``__entries`` table is computed from the catalog on each scan.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from rerun_core import sorbet
from rerun_server._arrow import ipc_file_bytes, read_ipc_batches
from rerun_server._datasets import path_from_url
from rerun_server._db import Database
from rerun_server._entries import Entry, EntryStore
from rerun_server.errors import (
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    UnimplementedError,
)

__all__ = ["APPEND", "OVERWRITE", "REPLACE", "TableStore"]

# rerun.cloud.v1alpha1.TableInsertMode
APPEND, OVERWRITE, REPLACE, UPDATE = 1, 2, 3, 4
_ENTRIES_SCHEMA = pa.schema([
    pa.field("id", pa.binary(16), nullable=False),
    pa.field("name", pa.utf8(), nullable=False),
    pa.field("entry_kind", pa.uint8(), nullable=False, metadata={sorbet.COMPONENT_TYPE: "rerun.components.EntryKind"}),
    pa.field("created_at", pa.timestamp("ns"), nullable=False),
    pa.field("updated_at", pa.timestamp("ns"), nullable=False),
], metadata={sorbet.VERSION: sorbet.SORBET_VERSION})  # fmt: skip


class TableStore:
    def __init__(self, db: Database, entries: EntryStore, root: Path) -> None:
        self.db = db
        self.entries = entries
        self.root = root

    def create(self, name: str, schema: pa.Schema) -> Entry:
        folder = self.root / f"table-{uuid.uuid4().hex}"
        folder.mkdir(parents=True)
        return self.entries.create_table(
            name, table_format="parquet", url=folder.as_uri() + "/", schema=ipc_file_bytes([], schema)
        )

    def register(self, name: str, url: str) -> Entry:
        path = path_from_url(url)
        schema = _external_dataset(path).schema
        return self.entries.create_table(
            name, table_format="external", url=path.resolve().as_uri(), schema=ipc_file_bytes([], schema)
        )

    def schema(self, entry: Entry) -> pa.Schema:
        self._require_table(entry)
        if entry.table_format == "system":
            return _ENTRIES_SCHEMA
        return read_ipc_batches(entry.table_schema or b"").schema

    def scan(self, entry: Entry) -> Iterator[pa.RecordBatch]:
        schema = self.schema(entry)
        if entry.table_format == "system":
            yield self._entries_batch()
        elif entry.table_format == "external":
            for batch in _external_dataset(path_from_url(entry.table_url or "")).to_batches():
                yield batch
        else:
            for path in self._parts(entry):
                for batch in pq.read_table(path, schema=schema).to_batches():
                    yield batch

    def write(self, entry: Entry, batches: list[pa.RecordBatch], mode: int) -> None:
        schema = self.schema(entry)
        if entry.table_format != "parquet":
            raise FailedPreconditionError(
                f"table '{entry.name}' is read-only here ({entry.table_format} table)"
            )
        table = pa.Table.from_batches([_conform(batch, schema) for batch in batches], schema=schema)
        if mode == APPEND or mode == 0:
            self._append(entry, table)
        elif mode == OVERWRITE:
            self._replace_parts(entry, table)
        elif mode == REPLACE:
            self._replace_parts(
                entry, _upsert(pa.Table.from_batches(list(self.scan(entry)), schema=schema), table)
            )
        elif mode == UPDATE:
            raise UnimplementedError("WriteTable with insert_mode UPDATE is not implemented by this server")
        else:
            raise InvalidArgumentError(f"unknown insert_mode {mode}")
        self.entries.touch(entry.id)

    def remove_files(self, entry: Entry) -> None:
        """Delete the part files of a table we own (after its entry is gone)."""
        if entry.table_format == "parquet":
            shutil.rmtree(self._folder(entry), ignore_errors=True)

    def _require_table(self, entry: Entry) -> None:
        if entry.table_format is None:
            raise NotFoundError(f"Entry with ID {entry.id} not found (it is not a table)")

    def _folder(self, entry: Entry) -> Path:
        return path_from_url(entry.table_url or "")

    def _parts(self, entry: Entry) -> list[Path]:
        rows = self.db.query(
            "SELECT file FROM table_parts WHERE entry = ? ORDER BY id", (entry.id.to_bytes(),)
        )
        return [self._folder(entry) / row["file"] for row in rows]

    def _write_part(self, entry: Entry, table: pa.Table) -> str:
        name = f"part-{uuid.uuid4().hex}.parquet"
        temporary = self._folder(entry) / f".{name}.tmp"
        pq.write_table(table, temporary)
        temporary.rename(temporary.with_name(name))
        return name

    def _append(self, entry: Entry, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        name = self._write_part(entry, table)
        self.db.execute("INSERT INTO table_parts (entry, file) VALUES (?, ?)", (entry.id.to_bytes(), name))

    def _replace_parts(self, entry: Entry, table: pa.Table) -> None:
        old = self._parts(entry)
        name = self._write_part(entry, table)
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM table_parts WHERE entry = ?", (entry.id.to_bytes(),))
            conn.execute("INSERT INTO table_parts (entry, file) VALUES (?, ?)", (entry.id.to_bytes(), name))
        for path in old:
            path.unlink(missing_ok=True)

    def _entries_batch(self) -> pa.RecordBatch:
        entries = self.entries.find()
        columns = [
            [e.id.to_bytes() for e in entries],
            [e.name for e in entries],
            [e.kind for e in entries],
            [e.created_ns for e in entries],
            [e.updated_ns for e in entries],
        ]
        arrays = [pa.array(values).cast(field.type) if field.name.endswith("_at") else pa.array(values, field.type)
                  for values, field in zip(columns, _ENTRIES_SCHEMA, strict=True)]  # fmt: skip
        return pa.RecordBatch.from_arrays(arrays, schema=_ENTRIES_SCHEMA)


def _external_dataset(path: Path) -> ds.Dataset:
    if not path.exists():
        raise NotFoundError(f"table path {path} does not exist")
    try:
        return ds.dataset(path, format="parquet")
    except (pa.ArrowException, OSError) as err:
        raise InvalidArgumentError(
            f"{path} is not a Parquet file or folder of Parquet files (this server stores tables as Parquet; "
            f"Lance tables are not readable here): {err}"
        ) from None


def _conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """``batch`` with the table's columns, order and types; a missing or extra column is an error."""
    if set(batch.schema.names) != set(schema.names):
        raise InvalidArgumentError(
            f"rows do not match the table schema: got columns {batch.schema.names}, the table has {schema.names}"
        )
    try:
        arrays = [batch.column(field.name).cast(field.type) for field in schema]
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
        raise InvalidArgumentError(f"rows do not match the table schema: {err}") from None
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _upsert(existing: pa.Table, new: pa.Table) -> pa.Table:
    """Rows of ``new`` replace the rows of ``existing`` with the same table-index values."""
    keys = [f.name for f in new.schema if (f.metadata or {}).get(sorbet.IS_TABLE_INDEX.encode()) == b"true"]
    if not keys:
        raise InvalidArgumentError(
            f"upsert needs a column with field metadata {sorbet.IS_TABLE_INDEX}=true to match rows on"
        )
    if existing.num_rows == 0:
        return new
    joined = existing.append_column("__row", pa.array(range(existing.num_rows), pa.int64()))
    matches = joined.join(new.select(keys), keys=keys, join_type="inner")
    keep = pc.invert(pc.is_in(joined["__row"], value_set=matches["__row"]))
    return pa.concat_tables([existing.filter(keep), new])
