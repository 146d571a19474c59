"""Blueprints of datasets and tables: each owns a hidden blueprint dataset (``__bp_<id>``) whose
segments are the registered ``.rbl`` files, and names one of them its default.

0.41 servers replace an entry's details whole on update, so a change re-sends all of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rerun_catalog._entry import Entry, EntryId
from rerun_catalog._registration import OnDuplicateSegmentLayer
from rerun_core.proto import common_pb2

if TYPE_CHECKING:
    from rerun_catalog._dataset import DatasetEntry

__all__ = ["BlueprintOwner"]

DEFAULT_BLUEPRINT = "default_blueprint_segment"


class BlueprintOwner(Entry):
    """The blueprint methods an entry with a blueprint dataset has (datasets and tables)."""

    def _owner_details(self) -> Any:
        """The entry's ``DatasetDetails`` / ``TableDetails`` as the server has them now."""
        raise NotImplementedError

    def _update_owner_details(self, details: Any) -> None:
        raise NotImplementedError

    def _blueprints(self) -> DatasetEntry | None:
        details = self._owner_details()
        if not details.HasField("blueprint_dataset"):
            return None
        return self.catalog.get_dataset(id=EntryId.from_proto(details.blueprint_dataset))

    def blueprints(self) -> list[str]:
        """The registered blueprints (the segment ids of the blueprint dataset)."""
        dataset = self._blueprints()
        return [] if dataset is None else dataset.segment_ids()

    def _register_blueprint(self, uri: str, object_store_config: str | None) -> str:
        """Register an ``.rbl`` the server can read (replacing one with the same id); its segment id."""
        dataset = self._blueprints()
        if dataset is None:
            raise LookupError(f"a blueprint dataset is not configured for {self!r}")
        operation = dataset.register(
            [uri], on_duplicate=OnDuplicateSegmentLayer.REPLACE, object_store_config=object_store_config
        )
        return operation.wait().segment_ids[0]

    def default_blueprint(self) -> str | None:
        return self._default(DEFAULT_BLUEPRINT)

    def set_default_blueprint(self, blueprint_name: str | None) -> None:
        """Make an already registered blueprint the default (``None``: no default)."""
        self._set_default(DEFAULT_BLUEPRINT, blueprint_name)

    def _default(self, key: str) -> str | None:
        details = self._owner_details()
        return str(getattr(details, key).id) if details.HasField(key) else None

    def _set_default(self, key: str, segment_id: str | None) -> None:
        details = self._owner_details()
        if segment_id is None:
            details.ClearField(key)
        else:
            getattr(details, key).CopyFrom(common_pb2.SegmentId(id=segment_id))
        self._update_owner_details(details)
