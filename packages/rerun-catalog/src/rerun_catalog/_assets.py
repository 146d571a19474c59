"""Assets of a dataset: static recordings in its hidden asset dataset (``__as_<id>``), each applying
to some of the dataset's segments.

Which segments an asset applies to is the ``asset`` segment property of the asset: a mode
(``OptOut``: all but the listed segments; ``OptIn``: only the listed ones) and a list of segment
ids. Edits are read-modify-writes gated on the property's revision, retried when another writer won.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import pyarrow as pa

from rerun_catalog._entry import Entry, EntryId
from rerun_catalog._registration import OnDuplicateSegmentLayer
from rerun_catalog._wire import decode_part, encode_part
from rerun_catalog.errors import CatalogError
from rerun_core.proto import cloud_pb2, common_pb2

if TYPE_CHECKING:
    from rerun_catalog._dataset import DatasetEntry

__all__ = ["AssetOwner"]

MODE_COLUMN, SEGMENTS_COLUMN = "property:asset:mode", "property:asset:segments"
OPT_IN, OPT_OUT = "OptIn", "OptOut"
_MODES = {"opt_out": OPT_OUT, "opt_in": OPT_IN}
_WRITE_ATTEMPTS = 5


class AssetOwner(Entry):
    """The asset methods of a dataset."""

    def _owner_details(self) -> Any:
        raise NotImplementedError

    def asset_dataset(self) -> DatasetEntry | None:
        """The hidden dataset (``__as_<id>``) holding this dataset's assets, owned by it."""
        details = self._owner_details()
        if not details.HasField("asset_dataset"):
            return None
        return self.catalog.get_dataset(id=EntryId.from_proto(details.asset_dataset))

    def _assets(self) -> DatasetEntry:
        dataset = self.asset_dataset()
        if dataset is None:
            raise LookupError(f"an asset dataset is not configured for {self!r}")
        return dataset

    def assets(self) -> list[str]:
        """The registered assets (segment ids of the asset dataset)."""
        dataset = self.asset_dataset()
        return [] if dataset is None else dataset.segment_ids()

    def register_asset(
        self,
        uri: str,
        *,
        mode: Literal["opt_out", "opt_in"] = "opt_out",
        segments: Sequence[str] | None = None,
        object_store_config: str | None = None,
    ) -> str:
        """Register a static ``.rrd`` the server can read as an asset; returns its segment id.

        ``opt_out`` (default): it applies to every segment but ``segments``; ``opt_in``: only to those.
        """
        if mode not in _MODES:
            raise ValueError(f"mode must be 'opt_out' or 'opt_in', got {mode!r}")
        dataset = self._assets()
        operation = dataset.register(
            [uri], on_duplicate=OnDuplicateSegmentLayer.REPLACE, object_store_config=object_store_config
        )
        asset = operation.wait().segment_ids[0]
        _write_property(dataset, asset, _MODES[mode], list(segments or []), None)
        return asset

    def unregister_asset(self, segment_id: str) -> None:
        """Drop an asset and wait for it (its property stays stored; an unknown asset is no error)."""
        dataset = self.asset_dataset()
        if dataset is not None:
            dataset.unregister(segments_to_drop=[segment_id], layers_to_drop=[]).wait()

    def assets_for_segment(self, segment_id: str) -> list[str]:
        """The assets that apply to ``segment_id``."""
        request = cloud_pb2.GetAssetsForSegmentRequest(segment_id=common_pb2.SegmentId(id=segment_id))
        responses = self._client._conn.stream("GetAssetsForSegment", request, entry_id=self._entry_id())
        return [asset.id for response in responses for asset in response.asset_segment_ids]

    def add_segments_to_asset(self, asset_segment_id: str, segments: Sequence[str]) -> None:
        """Make the asset apply to ``segments`` too (keeping its mode)."""
        self._edit_asset(asset_segment_id, segments, applies=True)

    def remove_segments_from_asset(self, asset_segment_id: str, segments: Sequence[str]) -> None:
        """Make the asset stop applying to ``segments`` (keeping its mode)."""
        self._edit_asset(asset_segment_id, segments, applies=False)

    def _edit_asset(self, asset: str, segments: Sequence[str], *, applies: bool) -> None:
        dataset = self._assets()
        for attempt in range(_WRITE_ATTEMPTS):
            mode, listed, revision = _read_property(dataset, asset)
            # An opt-in asset lists where it applies, an opt-out one where it does not.
            if applies == (mode == OPT_IN):
                updated = list(dict.fromkeys([*listed, *segments]))
            else:
                updated = [segment for segment in listed if segment not in set(segments)]
            if updated == listed:
                return
            try:
                _write_property(dataset, asset, mode, updated, revision)
                return
            except CatalogError:
                if _read_property(dataset, asset)[2] == revision or attempt == _WRITE_ATTEMPTS - 1:
                    raise  # the write failed for another reason than a concurrent writer


def _read_property(dataset: DatasetEntry, asset: str) -> tuple[str, list[str], int]:
    """The asset's mode, segment list and property revision (opt-out, nobody, 0 when unset)."""
    request = cloud_pb2.GetSegmentPropertiesRequest(segment_ids=[common_pb2.SegmentId(id=asset)])
    for response in dataset._stream("GetSegmentProperties", request):
        for found in response.segments:
            row = decode_part(found.properties).to_pylist()[0]
            mode = (row.get(MODE_COLUMN) or [OPT_OUT])[0]
            return mode, [str(s) for s in row.get(SEGMENTS_COLUMN) or []], int(found.revision)
    return OPT_OUT, [], 0


def _write_property(
    dataset: DatasetEntry, asset: str, mode: str, segments: list[str], expected_revision: int | None
) -> None:
    properties = pa.record_batch(
        [pa.array([[mode]], pa.list_(pa.utf8())), pa.array([segments], pa.list_(pa.utf8()))],
        names=[MODE_COLUMN, SEGMENTS_COLUMN],
    )
    request = cloud_pb2.SetSegmentPropertiesRequest(
        segment_id=common_pb2.SegmentId(id=asset),
        properties=encode_part(properties),
        expected_revision=expected_revision,
    )
    dataset._client._conn.unary("SetSegmentProperties", request, entry_id=dataset._entry_id())
