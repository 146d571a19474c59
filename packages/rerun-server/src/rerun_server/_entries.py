"""Catalog entries: datasets (each with a blueprint and an asset companion, as 0.41 creates them),
tables, and the hidden ``__entries`` system table. Names are unique; ids are Tuids."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from rerun_core.tuid import Tuid, new_tuid
from rerun_server._db import Database
from rerun_server.errors import AlreadyExistsError, InvalidArgumentError, NotFoundError

__all__ = [
    "ASSET_DATASET",
    "BLUEPRINT_DATASET",
    "DATASET",
    "DATASET_KINDS",
    "TABLE",
    "Entry",
    "EntryStore",
    "validate_name",
]

# rerun.cloud.v1alpha1.EntryKind
DATASET, DATASET_VIEW, TABLE, TABLE_VIEW, BLUEPRINT_DATASET, ASSET_DATASET = 1, 2, 3, 4, 5, 6
DATASET_KINDS = (DATASET, BLUEPRINT_DATASET, ASSET_DATASET)
ENTRIES_TABLE = "__entries"
_NAME_CHARS = re.compile(r"[A-Za-z0-9_\-. :\[\]]")
_MAX_NAME = 180


@dataclass(frozen=True)
class Entry:
    id: Tuid
    name: str
    kind: int
    created_ns: int
    updated_ns: int
    handle_id: Tuid
    owner: Tuid | None = None
    details: dict[str, Any] = field(default_factory=dict)
    table_format: str | None = None
    table_url: str | None = None
    table_schema: bytes | None = None

    @property
    def is_dataset(self) -> bool:
        return self.kind in DATASET_KINDS

    def detail_id(self, key: str) -> Tuid | None:
        value = self.details.get(key)
        return None if value is None else Tuid.parse(value)


def validate_name(name: str) -> str:
    if not name:
        raise InvalidArgumentError("invalid entry name: name must not be empty")
    if len(name) > _MAX_NAME:
        raise InvalidArgumentError(f"invalid entry name: {name!r} is longer than {_MAX_NAME} characters")
    for char in name:
        if not _NAME_CHARS.fullmatch(char):
            raise InvalidArgumentError(
                f"invalid entry name: name {name!r} contains invalid character {char!r}"
            )
    return name


def _entry(row: Any) -> Entry:
    return Entry(
        Tuid.from_bytes(row["id"]),
        row["name"],
        row["kind"],
        row["created_ns"],
        row["updated_ns"],
        Tuid.from_bytes(row["handle_id"]),
        None if row["owner"] is None else Tuid.from_bytes(row["owner"]),
        json.loads(row["details"]),
        row["table_format"],
        row["table_url"],
        row["table_schema"],
    )


class EntryStore:
    """Create, find, rename and delete entries."""

    def __init__(self, db: Database) -> None:
        self.db = db
        if self.find(name=ENTRIES_TABLE) == []:
            self._insert(ENTRIES_TABLE, TABLE, table_format="system")

    def _insert(self, name: str, kind: int, *, entry_id: Tuid | None = None, **columns: Any) -> Entry:
        now = time.time_ns()
        entry_id = entry_id or new_tuid()
        details = json.dumps(columns.pop("details", {}))
        owner = columns.pop("owner", None)
        values = {
            "id": entry_id.to_bytes(),
            "name": name,
            "kind": kind,
            "created_ns": now,
            "updated_ns": now,
            "handle_id": new_tuid().to_bytes(),
            "owner": None if owner is None else owner.to_bytes(),
            "details": details,
            **columns,
        }
        with self.db.transaction() as conn:
            if conn.execute("SELECT 1 FROM entries WHERE name = ?", (name,)).fetchone():
                raise AlreadyExistsError(f"Entry name '{name}' already exists")
            if conn.execute("SELECT 1 FROM entries WHERE id = ?", (values["id"],)).fetchone():
                raise AlreadyExistsError(f"Entry id '{entry_id}' already exists")
            keys = ", ".join(values)
            conn.execute(f"INSERT INTO entries ({keys}) VALUES ({', '.join('?' * len(values))})",
                         tuple(values.values()))  # fmt: skip
        return self.get(entry_id)

    def create_dataset(self, name: str, *, entry_id: Tuid | None = None) -> Entry:
        """A dataset plus its hidden blueprint (``__bp_<id>``) and asset (``__as_<id>``) datasets."""
        validate_name(name)
        entry_id = entry_id or new_tuid()
        with self.db.transaction():
            if self.find(name=name):
                raise AlreadyExistsError(f"Entry name '{name}' already exists")
            blueprint = self._insert(f"__bp_{entry_id}", BLUEPRINT_DATASET, owner=entry_id)
            assets = self._insert(f"__as_{entry_id}", ASSET_DATASET, owner=entry_id)
            details = {"blueprint_dataset": str(blueprint.id), "asset_dataset": str(assets.id)}
            return self._insert(name, DATASET, entry_id=entry_id, details=details)

    def create_table(self, name: str, *, table_format: str, url: str | None, schema: bytes) -> Entry:
        validate_name(name)
        entry_id = new_tuid()
        with self.db.transaction():
            if self.find(name=name):
                raise AlreadyExistsError(f"Entry name '{name}' already exists")
            blueprint = self._insert(f"__bp_{entry_id}", BLUEPRINT_DATASET, owner=entry_id)
            return self._insert(
                name,
                TABLE,
                entry_id=entry_id,
                details={"blueprint_dataset": str(blueprint.id)},
                table_format=table_format,
                table_url=url,
                table_schema=schema,
            )

    def get(self, entry_id: Tuid) -> Entry:
        """The entry (every call looks one up: remembered until the catalog changes)."""
        return self.db.remembered(("entry", entry_id), lambda: self._get(entry_id))

    def _get(self, entry_id: Tuid) -> Entry:
        row = self.db.one("SELECT * FROM entries WHERE id = ?", (entry_id.to_bytes(),))
        if row is None:
            raise NotFoundError(f"Entry id '{entry_id}' not found")
        return _entry(row)

    def by_name(self, name: str) -> Entry:
        row = self.db.one("SELECT * FROM entries WHERE name = ?", (name,))
        if row is None:
            raise NotFoundError(f"Entry name '{name}' not found")
        return _entry(row)

    def find(
        self, *, entry_id: Tuid | None = None, name: str | None = None, kinds: tuple[int, ...] = ()
    ) -> list[Entry]:
        """Entries matching every given filter, oldest first."""
        sql, args = "SELECT * FROM entries WHERE 1", list[object]()
        if entry_id is not None:
            sql += " AND id = ?"
            args.append(entry_id.to_bytes())
        if name is not None:
            sql += " AND name = ?"
            args.append(name)
        if kinds:
            sql += f" AND kind IN ({', '.join('?' * len(kinds))})"
            args.extend(kinds)
        return [_entry(row) for row in self.db.query(sql + " ORDER BY created_ns, id", tuple(args))]

    def touch(self, entry_id: Tuid) -> None:
        self.db.execute(
            "UPDATE entries SET updated_ns = ? WHERE id = ?", (time.time_ns(), entry_id.to_bytes())
        )

    def rename(self, entry_id: Tuid, name: str) -> Entry:
        validate_name(name)
        with self.db.transaction():
            entry = self.get(entry_id)
            clash = self.find(name=name)
            if clash and clash[0].id != entry.id:
                raise AlreadyExistsError(f"Entry name '{name}' already exists")
            self.db.execute("UPDATE entries SET name = ?, updated_ns = ? WHERE id = ?",
                            (name, time.time_ns(), entry_id.to_bytes()))  # fmt: skip
        return self.get(entry_id)

    def set_details(self, entry_id: Tuid, details: dict[str, Any]) -> Entry:
        with self.db.transaction():
            entry = self.get(entry_id)
            merged = {**entry.details, **details}
            merged = {key: value for key, value in merged.items() if value is not None}
            self.db.execute("UPDATE entries SET details = ?, updated_ns = ? WHERE id = ?",
                            (json.dumps(merged), time.time_ns(), entry_id.to_bytes()))  # fmt: skip
        return self.get(entry_id)

    def delete(self, entry_id: Tuid) -> list[Entry]:
        """Delete an entry and the companions it owns; returns every deleted entry."""
        with self.db.transaction():
            entry = self.get(entry_id)
            if entry.table_format == "system":
                raise InvalidArgumentError(f"the system table '{entry.name}' cannot be deleted")
            owned = [
                _entry(r)
                for r in self.db.query("SELECT * FROM entries WHERE owner = ?", (entry_id.to_bytes(),))
            ]
            for victim in [*owned, entry]:
                self.db.execute("DELETE FROM entries WHERE id = ?", (victim.id.to_bytes(),))
        return [*owned, entry]
