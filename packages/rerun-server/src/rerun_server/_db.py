"""The catalog database: SQLite (stdlib ``sqlite3``), in memory or in ``<storage>/catalog.sqlite3``.

It holds entries (datasets, their companions, tables), the segment layers registered to datasets
with each file's chunk index (the 0.41 manifest table, as Arrow IPC), segment properties and the
part files of catalog tables. One connection, guarded by a lock: the gRPC worker threads take turns,
which SQLite needs anyway (one writer at a time), and reads are short.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["SCHEMA_VERSION", "Database"]

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    id BLOB PRIMARY KEY,              -- 16-byte Tuid
    name TEXT NOT NULL UNIQUE,
    kind INTEGER NOT NULL,            -- rerun.cloud.v1alpha1.EntryKind
    created_ns INTEGER NOT NULL,
    updated_ns INTEGER NOT NULL,
    handle_id BLOB NOT NULL,          -- the id in the dataset/table storage URL
    owner BLOB,                       -- for companion entries: the dataset or table they belong to
    details TEXT NOT NULL DEFAULT '{}',  -- JSON: blueprint/asset datasets, default blueprints
    table_format TEXT,                -- 'parquet' (ours), 'external' (registered), 'system'
    table_url TEXT,
    table_schema BLOB                 -- Arrow IPC schema of a table
);
CREATE TABLE IF NOT EXISTS layers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset BLOB NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    segment TEXT NOT NULL,
    layer TEXT NOT NULL,
    storage_url TEXT NOT NULL,
    path TEXT NOT NULL,
    application_id TEXT NOT NULL,
    store_kind INTEGER NOT NULL,
    registered_ns INTEGER NOT NULL,
    updated_ns INTEGER NOT NULL,
    file_size INTEGER NOT NULL,
    file_mtime_ns INTEGER NOT NULL,
    num_chunks INTEGER NOT NULL,
    size_bytes INTEGER NOT NULL,
    has_temporal INTEGER NOT NULL,
    schema_ipc BLOB NOT NULL,
    schema_sha256 BLOB NOT NULL,
    manifest_ipc BLOB NOT NULL,
    properties_ipc BLOB,
    ranges TEXT NOT NULL,             -- JSON: timeline -> [time type, min, max]
    UNIQUE (dataset, segment, layer)
);
CREATE INDEX IF NOT EXISTS layers_by_url ON layers (storage_url);
CREATE TABLE IF NOT EXISTS segment_properties (
    dataset BLOB NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    segment TEXT NOT NULL,
    revision INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (dataset, segment)
);
CREATE TABLE IF NOT EXISTS table_parts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry BLOB NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    file TEXT NOT NULL
);
"""


class Database:
    """A locked SQLite connection; ``transaction()`` for writes, ``query``/``one`` for reads."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        target = ":memory:" if path is None else str(path)
        self._conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._conn.execute("PRAGMA foreign_keys = ON")
        if path is not None:
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
        self._conn.executescript(_SCHEMA)
        self._check_version()

    def _check_version(self) -> None:
        row = self.one("SELECT value FROM meta WHERE key = 'schema_version'")
        if row is None:
            self.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row["value"]) != SCHEMA_VERSION:
            raise RuntimeError(
                f"catalog database {self.path} has schema version {row['value']}, "
                f"this server reads version {SCHEMA_VERSION}"
            )

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Everything inside commits together or not at all; nested uses join the outer one."""
        with self._lock:
            if self._conn.in_transaction:
                yield self._conn
                return
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._conn.execute(sql, args)

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    def one(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        with self._lock:
            return self._conn.execute(sql, args).fetchone()

    def close(self) -> None:
        with self._lock:
            self._conn.close()
