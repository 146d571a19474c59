"""``DatasetEntry.segment_store``: one segment as an ``rr.chunk.LazyStore``, chunks fetched when streamed.

The segment's manifests (GetRrdManifest: which chunks each layer has, and their keys) are read up
front, with those of the assets applying to it (their recording properties left out); the chunks
come through FetchChunks each time the store's stream runs. ``LazyStore`` belongs to the SDK, which
this package may not import: the SDK's ``rerun.catalog`` registers how to build one
(:func:`register_lazy_store_factory`) when it loads the catalog.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from rerun_catalog._entry import EntryId
from rerun_catalog._reader import fetch_chunks
from rerun_catalog._wire import Connection
from rerun_core import sorbet
from rerun_core.chunk import Chunk
from rerun_core.entity_path import RECORDING_PROPERTIES_PATH
from rerun_core.proto import cloud_pb2, common_pb2
from rerun_core.rrd import Manifest

if TYPE_CHECKING:
    from rerun_catalog._dataset import DatasetEntry

__all__ = ["LazyStoreFactory", "register_lazy_store_factory", "segment_store"]

LazyStoreFactory = Callable[[Sequence[Manifest], Callable[[], Iterable[Chunk]]], Any]
"""Builds a lazy store from its manifests and a chunk source (called once per stream run)."""

_factory: LazyStoreFactory | None = None


def register_lazy_store_factory(factory: LazyStoreFactory) -> None:
    """Make :func:`segment_store` build its stores with ``factory`` (the SDK registers ``LazyStore``)."""
    global _factory
    _factory = factory


def _lazy_store_factory() -> LazyStoreFactory:
    """The registered factory; until then, loading the catalog through the SDK's glue registers it."""
    if _factory is None:
        try:
            glue = importlib.import_module("rerun.catalog")
        except ImportError:
            glue = None
        if glue is not None:
            getattr(glue, "CatalogClient")  # noqa: B009 (a lookup, for what loading it does)
    if _factory is None:
        raise ModuleNotFoundError(
            "DatasetEntry.segment_store() returns a rerun.chunk.LazyStore, which needs the rerun-sdk "
            "package (pip install rerun-sdk)",
            name="rerun",
        )
    return _factory


def segment_store(dataset: DatasetEntry, segment_id: str, *, include_assets: bool = True) -> Any:
    """The segment's chunks as a lazy store: its layers', then those of its assets (in server order)."""
    if not isinstance(segment_id, str):
        raise TypeError(f"segment_id must be a str, got {type(segment_id).__name__}")
    factory = _lazy_store_factory()
    conn = dataset._client._conn
    manifests = _manifests(conn, str(dataset.id), segment_id)
    if include_assets:
        manifests += _asset_manifests(conn, str(dataset.id), segment_id)
    keys = [key for manifest in manifests for key in manifest.chunks["chunk_key"].to_pylist()]
    return factory(manifests, lambda: _fetch_chunks(conn, keys))


def _manifests(conn: Connection, entry_id: str, segment_id: str) -> list[Manifest]:
    request = cloud_pb2.GetRrdManifestRequest(segment_id=common_pb2.SegmentId(id=segment_id))
    responses = conn.stream("GetRrdManifest", request, entry_id=entry_id)
    return [Manifest.from_proto(response.rrd_manifest) for response in responses]


def _asset_manifests(conn: Connection, entry_id: str, segment_id: str) -> list[Manifest]:
    request = cloud_pb2.GetAssetsForSegmentRequest(segment_id=common_pb2.SegmentId(id=segment_id))
    manifests = []
    for response in conn.stream("GetAssetsForSegment", request, entry_id=entry_id):
        assets_id = str(EntryId.from_proto(response.assets_entry))
        for asset in response.asset_segment_ids:
            manifests += [_without_properties(m) for m in _manifests(conn, assets_id, asset.id)]
    return manifests


def _is_property(entity_path: str) -> bool:
    return entity_path == RECORDING_PROPERTIES_PATH or entity_path.startswith(RECORDING_PROPERTIES_PATH + "/")


def _without_properties(manifest: Manifest) -> Manifest:
    """An asset's manifest as a segment sees it: its recording properties are its own, not the segment's."""
    paths = manifest.chunks["chunk_entity_path"].to_pylist()
    chunks = manifest.chunks.filter(pa.array([not _is_property(path) for path in paths], pa.bool_()))
    fields = [
        f
        for f in manifest.sorbet_schema
        if not _is_property(sorbet.decode_metadata(f.metadata).get(sorbet.ENTITY_PATH, ""))
    ]
    schema = pa.schema(fields, metadata=manifest.sorbet_schema.metadata)
    return Manifest(manifest.store_id, schema, manifest.sorbet_schema_sha256, chunks, manifest.stream_offset)


def _fetch_chunks(conn: Connection, keys: list[bytes]) -> Iterator[Chunk]:
    """The chunks with these keys, in order, as FetchChunks streams them in."""
    if keys:
        table = pa.table({"chunk_key": pa.array(keys, pa.binary())})
        yield from (chunk for _, chunk in fetch_chunks(conn, table))
