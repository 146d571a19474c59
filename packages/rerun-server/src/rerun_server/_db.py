"""The catalog database: SQLite (stdlib ``sqlite3``), in memory or in ``<storage>/catalog.sqlite3``.

It holds entries (datasets, their companions, tables), the segment layers registered to datasets
with each file's chunk index (the 0.41 manifest table, as Arrow IPC), segment properties and the
part files of catalog tables. One connection, guarded by a lock: the gRPC worker threads take turns,
which SQLite needs anyway (one writer at a time), and reads are short.

What the server derives from the rows (layers, dataset schemas, encoded answers) is remembered until
the database changes (``remembered``): every read rpc needs them, and decoding them per call cost more
than answering. A change is a write through this connection or a commit by another process on the
same file (SQLite's ``data_version``).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["SCHEMA_VERSION", "BoundedCache", "Database", "is_modest"]

SCHEMA_VERSION = 1
_REMEMBERED_LIMIT = 512  # values kept per database state
_MODEST_ANSWER_BYTES = 128 << 10
_Derived = TypeVar("_Derived")

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


def is_modest(answer: bytes) -> bool:
    """Whether an encoded answer is small enough to remember (bigger ones are computed again)."""
    return len(answer) <= _MODEST_ANSWER_BYTES


class BoundedCache:
    """Values derived from what their keys name (which never changes), at most ``limit`` of them:
    the oldest is dropped first. Thread-safe; a value may be derived twice by racing threads."""

    def __init__(self, limit: int) -> None:
        self._values: dict[Hashable, Any] = {}
        self._limit = limit
        self._lock = threading.Lock()

    def get(self, key: Hashable, derive: Callable[[], _Derived]) -> _Derived:
        with self._lock:
            found = self._values.get(key)
        if found is None:
            found = derive()
            with self._lock:
                if len(self._values) >= self._limit:
                    del self._values[next(iter(self._values))]  # the oldest
                self._values[key] = found
        return found


class Database:
    """A locked SQLite connection; ``transaction()`` for writes, ``query``/``one`` for reads."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        target = ":memory:" if path is None else str(path)
        self._conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._writes = 0  # bumped by every write of this connection (its own commits leave data_version)
        self._remembered: dict[Hashable, Any] = {}
        self._remembered_at: tuple[int, int] | None = None
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
            else:
                self._conn.execute("COMMIT")
            finally:  # what was derived inside the transaction saw rows that may now differ
                self._writes += 1

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        with self._lock:
            self._writes += 1  # a write, or a read that costs a cache refill: harmless either way
            return self._conn.execute(sql, args)

    def remembered(
        self, key: Hashable, derive: Callable[[], _Derived], *, keep: Callable[[_Derived], bool] | None = None
    ) -> _Derived:
        """``derive()``, computed once per state of the database (it must only read the database);
        ``keep`` says whether a value is worth keeping (e.g. small enough)."""
        with self._lock:
            state = (self._writes, int(self._conn.execute("PRAGMA data_version").fetchone()[0]))
            if state != self._remembered_at or len(self._remembered) >= _REMEMBERED_LIMIT:
                self._remembered, self._remembered_at = {}, state
            if key in self._remembered:
                return self._remembered[key]
            remembered = self._remembered
        value = derive()  # outside the lock: the state read above is at most as new as what it reads
        if keep is not None and not keep(value):
            return value
        with self._lock:
            remembered[key] = value  # into the dict of that state, which a change has replaced already
        return value

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    def one(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        with self._lock:
            return self._conn.execute(sql, args).fetchone()

    def close(self) -> None:
        with self._lock:
            self._conn.close()
