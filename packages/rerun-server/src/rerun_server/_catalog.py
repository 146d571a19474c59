"""The catalog: entries, dataset segments, tables, segment properties and tasks, in one place.

Without ``storage`` everything lives in memory (an in-memory SQLite database, tables in a temporary
folder) and is gone at shutdown, like 0.41's ``rerun server``. With ``storage`` the database and
tables persist in that folder and a restarted server serves the same catalog.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from rerun_core.tuid import Tuid
from rerun_server._datasets import OVERWRITE, DatasetStore, RegistrationOutcome, url_from_path
from rerun_server._db import Database
from rerun_server._entries import DATASET, DATASET_KINDS, Entry, EntryStore
from rerun_server._files import ChunkFiles
from rerun_server._tables import TableStore
from rerun_server.errors import FailedPreconditionError, InvalidArgumentError, NotFoundError

__all__ = ["DONE_TASK", "Catalog", "SegmentProperties", "Task"]

DONE_TASK = "task_00000000DEADBEEF"  # what 0.41 answers for work that finished synchronously
DATABASE_FILE = "catalog.sqlite3"


@dataclass(frozen=True)
class Task:
    id: str
    failures: tuple[str, ...] = ()

    @property
    def message(self) -> str | None:
        if not self.failures:
            return None
        lines = "\n".join(f"- {failure}" for failure in self.failures)
        return f"Registration failed for the segments/layers listed below.\n{lines}"


class SegmentProperties:
    """Per-segment property batches (Arrow IPC) with a revision for optimistic concurrency."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, dataset: Entry, segments: list[str]) -> list[tuple[str, int, bytes]]:
        found = []
        for segment in segments:
            row = self.db.one("SELECT revision, data FROM segment_properties WHERE dataset = ? AND segment = ?",
                              (dataset.id.to_bytes(), segment))  # fmt: skip
            if row is not None:
                found.append((segment, row["revision"], row["data"]))
        return found

    def set(self, dataset: Entry, segment: str, data: bytes, expected: int | None) -> int:
        revision = secrets.randbits(63)
        with self.db.transaction() as conn:
            self._check(conn, dataset, segment, expected)
            conn.execute("INSERT OR REPLACE INTO segment_properties VALUES (?, ?, ?, ?)",
                         (dataset.id.to_bytes(), segment, revision, data))  # fmt: skip
        return revision

    def delete(self, dataset: Entry, deletions: list[tuple[str, int | None]]) -> None:
        with self.db.transaction() as conn:
            for segment, expected in deletions:
                self._check(conn, dataset, segment, expected)
                conn.execute("DELETE FROM segment_properties WHERE dataset = ? AND segment = ?",
                             (dataset.id.to_bytes(), segment))  # fmt: skip

    @staticmethod
    def _check(conn: object, dataset: Entry, segment: str, expected: int | None) -> None:
        if expected is None:
            return
        row = conn.execute("SELECT revision FROM segment_properties WHERE dataset = ? AND segment = ?",  # type: ignore[attr-defined]
                           (dataset.id.to_bytes(), segment)).fetchone()  # fmt: skip
        found = 0 if row is None else row["revision"]
        if found != expected:
            raise FailedPreconditionError(
                f"Properties of segment '{segment}' were modified concurrently: "
                f"expected revision {expected}, found {found}"
            )


class Catalog:
    def __init__(self, storage: Path | None = None) -> None:
        self.storage = storage
        self._temporary: Path | None = None
        if storage is None:
            self._temporary = Path(tempfile.mkdtemp(prefix=f"rerun-data-{os.getpid()}-"))
            db = Database(None)
            tables_root = self._temporary
        else:
            storage.mkdir(parents=True, exist_ok=True)
            db = Database(storage / DATABASE_FILE)
            tables_root = storage / "tables"
        self.db = db
        self.entries = EntryStore(db)
        self.datasets = DatasetStore(db)
        self.tables = TableStore(db, self.entries, tables_root)
        self.files = ChunkFiles(self.datasets)
        self.properties = SegmentProperties(db)
        self._tasks: dict[str, Task] = {DONE_TASK: Task(DONE_TASK)}
        self._tasks_lock = threading.Lock()

    # ---- lookups --------------------------------------------------------------------------------

    def dataset(self, entry_id: Tuid) -> Entry:
        entry = self.entries.get(entry_id)
        if entry.kind not in DATASET_KINDS:
            raise InvalidArgumentError(f"Entry '{entry.name}' ({entry_id}) is not a dataset")
        return entry

    def table(self, entry_id: Tuid) -> Entry:
        entry = self.entries.get(entry_id)
        if entry.table_format is None:
            raise NotFoundError(f"Entry with ID {entry_id} not found (it is not a table)")
        return entry

    # ---- registration and tasks -----------------------------------------------------------------

    def register(
        self, dataset: Entry, sources: list[tuple[str, str]], on_duplicate: int
    ) -> tuple[list[RegistrationOutcome], str]:
        outcomes = self.datasets.register(dataset, sources, on_duplicate)
        failures = tuple(o.error for o in outcomes if o.error is not None)
        if not failures:
            return outcomes, DONE_TASK
        task = Task(f"task_{secrets.token_hex(8)}", failures)
        with self._tasks_lock:
            self._tasks[task.id] = task
        return outcomes, task.id

    def task(self, task_id: str) -> Task:
        """A registration task; as in 0.41, ids this server does not know read as finished."""
        with self._tasks_lock:
            return self._tasks.get(task_id) or Task(task_id)

    # ---- startup content (-d / -t) --------------------------------------------------------------

    def load_dataset(self, name: str, files: list[Path]) -> Entry:
        """Make ``name`` hold ``files`` (new files are indexed; ones already registered and unchanged are kept)."""
        found = self.entries.find(name=name)
        dataset = found[0] if found else self.entries.create_dataset(name)
        if dataset.kind != DATASET:
            raise InvalidArgumentError(f"'{name}' already exists and is not a dataset")
        known = {layer.path: layer for layer in self.datasets.layers(dataset)}
        todo = []
        for path in files:
            layer = known.get(path.resolve())
            stat = path.stat() if path.exists() else None
            if (
                layer is None
                or stat is None
                or (stat.st_size, stat.st_mtime_ns) != (layer.file_size, layer.file_mtime_ns)
            ):
                todo.append((url_from_path(path), "base"))
        if todo:
            _, task_id = self.register(dataset, todo, OVERWRITE)
            if task_id != DONE_TASK:
                raise InvalidArgumentError(self.task(task_id).message or "registration failed")
        return self.entries.get(dataset.id)

    def load_table(self, name: str, path: Path) -> Entry:
        found = self.entries.find(name=name)
        if found and found[0].table_format == "external" and found[0].table_url == path.resolve().as_uri():
            return found[0]
        return self.tables.register(name, path.resolve().as_uri())

    def close(self) -> None:
        self.files.close()
        self.db.close()
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)


def rrd_files(directory: Path) -> list[Path]:
    """The ``.rrd`` files of a folder in directory order (as 0.41 loads them; ``.rbl`` are skipped)."""
    if not directory.is_dir():
        raise NotFoundError(f"dataset folder {directory} does not exist")
    return [directory / name for name in os.listdir(directory) if name.endswith(".rrd")]
