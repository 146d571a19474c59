"""Entries of a catalog: ids, kinds, and the base every dataset and table shares."""

from __future__ import annotations

from datetime import datetime, timezone
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from rerun_core.proto import cloud_pb2, common_pb2
from rerun_core.tuid import Tuid

if TYPE_CHECKING:
    from rerun_catalog._client import CatalogClient

__all__ = ["Entry", "EntryId", "EntryKind"]


class EntryId:
    """An entry's id: a Tuid, shown as 32 hex digits."""

    def __init__(self, value: str | Tuid) -> None:
        self._tuid = value if isinstance(value, Tuid) else Tuid.parse(value)

    @classmethod
    def from_proto(cls, proto: common_pb2.EntryId) -> EntryId:
        return cls(Tuid(proto.id.time_ns, proto.id.inc))

    def to_proto(self) -> common_pb2.EntryId:
        return common_pb2.EntryId(id=common_pb2.Tuid(time_ns=self._tuid.time_ns, inc=self._tuid.inc))

    def as_bytes(self) -> bytes:
        """The 16 bytes of the id (big-endian time, then increment)."""
        return self._tuid.to_bytes()

    def __str__(self) -> str:
        return str(self._tuid)

    def __repr__(self) -> str:
        return f"EntryId({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return str(self) == other
        return isinstance(other, EntryId) and other._tuid == self._tuid

    def __hash__(self) -> int:
        return hash(str(self))


class EntryKind(IntEnum):
    DATASET = 1
    DATASET_VIEW = 2
    TABLE = 3
    TABLE_VIEW = 4
    BLUEPRINT_DATASET = 5
    ASSET_DATASET = 6

    def __str__(self) -> str:
        return f"EntryKind.{self.name}"


def _datetime(timestamp: Any) -> datetime:
    return datetime.fromtimestamp(timestamp.seconds + timestamp.nanos / 1e9, tz=timezone.utc)


class Entry:
    """A named entry of a catalog (a dataset or a table)."""

    def __init__(self, client: CatalogClient, details: cloud_pb2.EntryDetails) -> None:
        self._client = client
        self._details = details

    @property
    def id(self) -> EntryId:
        return EntryId.from_proto(self._details.id)

    @property
    def name(self) -> str:
        return self._details.name

    @property
    def kind(self) -> EntryKind:
        return EntryKind(self._details.entry_kind)

    @property
    def created_at(self) -> datetime:
        return _datetime(self._details.created_at)

    @property
    def updated_at(self) -> datetime:
        return _datetime(self._details.updated_at)

    @property
    def catalog(self) -> CatalogClient:
        return self._client

    def delete(self) -> None:
        self._client._conn.unary("DeleteEntry", cloud_pb2.DeleteEntryRequest(id=self._details.id))

    def set_name(self, name: str) -> None:
        update = cloud_pb2.EntryDetailsUpdate(name=name)
        request = cloud_pb2.UpdateEntryRequest(id=self._details.id, entry_details_update=update)
        response = self._client._conn.unary("UpdateEntry", request)
        self._details = response.entry_details

    def update(self, *, name: str | None = None) -> None:
        if name is not None:
            self.set_name(name)

    def _entry_id(self) -> str:
        return str(self.id)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Entry):
            return other.id == self.id
        if isinstance(other, (str, EntryId)):
            return self.id == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return f"Entry({self.kind}, {self.name!r})"
