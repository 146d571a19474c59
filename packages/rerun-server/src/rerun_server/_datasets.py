"""Segments of datasets: registering RRD files as segment layers, and reading back what was indexed.

A segment is a recording (its id is the recording id); a layer is one file registered for it
(``base`` by default). Registering indexes the file once (see ``_rrd_index``) and stores the index in
the catalog database; nothing of the recording stays in memory. Manifests of recently used layers
are cached (bounded), so repeated queries do not re-decode them.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pyarrow as pa

from rerun_core.log_msg import StoreKind
from rerun_core.timeline import TimeType
from rerun_server._arrow import ipc_file_bytes, read_ipc_batches
from rerun_server._db import Database
from rerun_server._entries import ASSET_DATASET, BLUEPRINT_DATASET, Entry
from rerun_server._rrd_index import ROW_ID_FIELD, IndexedRecording, index_rrd
from rerun_server.errors import InvalidArgumentError, NotFoundError

__all__ = ["DatasetStore", "Layer", "RegistrationOutcome", "path_from_url", "url_from_path"]

# rerun.common.v1alpha1.IfDuplicateBehavior
OVERWRITE, SKIP, ERROR = 1, 2, 3
_MANIFEST_CACHE_SIZE = 64
_INSERT_COLUMNS = (
    "dataset", "segment", "layer", "storage_url", "path", "application_id", "store_kind", "registered_ns",
    "updated_ns", "file_size", "file_mtime_ns", "num_chunks", "size_bytes", "has_temporal", "schema_ipc",
    "schema_sha256", "properties_ipc", "ranges", "manifest_ipc",
)  # fmt: skip
_LAYER_COLUMNS = (
    "id, dataset, segment, layer, storage_url, path, application_id, store_kind, registered_ns, updated_ns, "
    "file_size, file_mtime_ns, num_chunks, size_bytes, has_temporal, schema_sha256, properties_ipc, ranges"
)


@dataclass(frozen=True)
class Layer:
    """One registered file of a segment (what the database row says, without the big blobs)."""

    id: int
    segment: str
    layer: str
    storage_url: str
    path: Path
    application_id: str
    store_kind: int
    registered_ns: int
    updated_ns: int
    file_size: int
    file_mtime_ns: int
    num_chunks: int
    size_bytes: int
    schema_sha256: bytes
    properties: pa.RecordBatch | None
    ranges: dict[str, tuple[TimeType, int, int]]

    @property
    def version(self) -> tuple[Any, ...]:
        """What this registration's answers are made of: caches of them key on it."""
        return (
            self.id, self.segment, self.layer, self.storage_url, self.registered_ns, self.updated_ns,
            self.file_size, self.file_mtime_ns, self.num_chunks, self.size_bytes,
        )  # fmt: skip


@dataclass(frozen=True)
class RegistrationOutcome:
    segment: str
    layer: str
    storage_url: str
    error: str | None = None  # why this source was not registered (the task then fails)


def path_from_url(url: str) -> Path:
    """The local file a ``file://`` URL (or a plain absolute path) names."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        if parsed.netloc not in ("", "localhost"):
            raise InvalidArgumentError(
                f"file URL {url!r} names host {parsed.netloc!r}; only local files work"
            )
        return Path(unquote(parsed.path))
    if parsed.scheme == "" and url.startswith("/"):
        return Path(url)
    raise InvalidArgumentError(
        f"cannot register {url!r}: this server reads local files only (file:///absolute/path.rrd)"
    )


def url_from_path(path: Path) -> str:
    return path.resolve().as_uri()


def _layer(row: Any) -> Layer:
    properties = None if row["properties_ipc"] is None else read_ipc_batches(row["properties_ipc"])
    ranges = {
        name: (TimeType(kind), low, high) for name, (kind, low, high) in json.loads(row["ranges"]).items()
    }
    return Layer(
        row["id"], row["segment"], row["layer"], row["storage_url"], Path(row["path"]), row["application_id"],
        row["store_kind"], row["registered_ns"], row["updated_ns"], row["file_size"], row["file_mtime_ns"],
        row["num_chunks"], row["size_bytes"], row["schema_sha256"],
        None if properties is None else properties.combine_chunks().to_batches()[0], ranges,
    )  # fmt: skip


class DatasetStore:
    """Registration and the read side of segments, layers and their chunk indexes."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache: OrderedDict[tuple[int, int], tuple[pa.Schema, pa.Table]] = OrderedDict()
        self._cache_lock = threading.Lock()

    # ---- registration -----------------------------------------------------------------------

    def register(
        self, dataset: Entry, sources: list[tuple[str, str]], on_duplicate: int
    ) -> list[RegistrationOutcome]:
        """Index and register each ``(url, layer)``; a missing file fails the whole request (NOT_FOUND)."""
        indexed = [(url, layer, index_rrd(path_from_url(url))) for url, layer in sources]
        outcomes = []
        for url, layer, recording in indexed:
            segment = recording.store_id.recording_id
            error = self._check_kind(dataset, segment, recording)
            if error is None:
                error = self._store(dataset, url, layer, recording, on_duplicate)
            outcomes.append(RegistrationOutcome(segment, layer, url, error))
        return outcomes

    @staticmethod
    def _check_kind(dataset: Entry, segment: str, recording: IndexedRecording) -> str | None:
        if dataset.kind == ASSET_DATASET and bool(recording.timeline_ranges):
            return f"asset datasets only accept static chunks, but asset '{segment}' contains temporal data"
        wants_blueprint = dataset.kind == BLUEPRINT_DATASET
        if wants_blueprint != (recording.store_id.kind == StoreKind.BLUEPRINT):
            wanted = "blueprint" if wants_blueprint else "recording"
            return (
                f"this dataset holds {wanted}s, but '{segment}' is a {recording.store_id.kind.name.lower()}"
            )
        return None

    def _store(
        self, dataset: Entry, url: str, layer: str, recording: IndexedRecording, on_duplicate: int
    ) -> str | None:
        segment = recording.store_id.recording_id
        schema_ipc = ipc_file_bytes([], recording.schema)
        properties = recording.properties
        ranges = {
            name: [int(kind), low, high] for name, (kind, low, high) in recording.timeline_ranges.items()
        }
        now = time.time_ns()
        with self.db.transaction() as conn:
            key = (dataset.id.to_bytes(), segment, layer)
            existing = conn.execute(
                "SELECT id, registered_ns FROM layers WHERE dataset = ? AND segment = ? AND layer = ?", key
            ).fetchone()
            if existing is not None and on_duplicate == SKIP:
                return None
            if existing is not None and on_duplicate != OVERWRITE:
                return f'Segment "{segment}", layer "{layer}": already exists'
            registered_ns = now if existing is None else existing["registered_ns"]
            if existing is not None:
                conn.execute("DELETE FROM layers WHERE id = ?", (existing["id"],))
            conn.execute(
                f"INSERT INTO layers ({', '.join(_INSERT_COLUMNS)}) VALUES ({', '.join('?' * len(_INSERT_COLUMNS))})",
                (
                    *key, url, str(path_from_url(url)), recording.store_id.application_id,
                    int(recording.store_id.kind), registered_ns, now, recording.file_size,
                    recording.file_mtime_ns, recording.num_chunks, recording.size_bytes,
                    int(bool(recording.timeline_ranges)), schema_ipc, hashlib.sha256(schema_ipc).digest(),
                    None if properties is None else ipc_file_bytes([properties], properties.schema),
                    json.dumps(ranges), ipc_file_bytes(recording.chunks),
                ),
            )  # fmt: skip
            conn.execute("UPDATE entries SET updated_ns = ? WHERE id = ?", (now, dataset.id.to_bytes()))
        return None

    def unregister(self, dataset: Entry, segments: list[str], layers: list[str]) -> list[Layer]:
        """Drop every layer in ``segments`` x ``layers`` (an empty list matches all); returns them."""
        if not segments and not layers:
            raise InvalidArgumentError("must specify at least 1 segment ID or layer for removal")
        dropped = [
            layer
            for layer in self.layers(dataset)
            if (not segments or layer.segment in segments) and (not layers or layer.layer in layers)
        ]
        with self.db.transaction() as conn:
            for layer in dropped:
                conn.execute("DELETE FROM layers WHERE id = ?", (layer.id,))
            if dropped:
                conn.execute(
                    "UPDATE entries SET updated_ns = ? WHERE id = ?", (time.time_ns(), dataset.id.to_bytes())
                )
        return dropped

    # ---- reading ----------------------------------------------------------------------------

    def layers(self, dataset: Entry, segments: list[str] | None = None) -> list[Layer]:
        """Layers in registration order, optionally only those of ``segments``."""
        layers = list(self.db.remembered(("layers", dataset.id), lambda: self._query_layers(dataset)))
        if segments is not None:
            wanted = set(segments)
            layers = [layer for layer in layers if layer.segment in wanted]
        return layers

    def _query_layers(self, dataset: Entry) -> tuple[Layer, ...]:
        rows = self.db.query(f"SELECT {_LAYER_COLUMNS} FROM layers WHERE dataset = ? ORDER BY id",
                             (dataset.id.to_bytes(),))  # fmt: skip
        return tuple(_layer(row) for row in rows)

    def segments(self, dataset: Entry) -> dict[str, list[Layer]]:
        """Segment id -> its layers, segments in the order they were first registered."""
        grouped: dict[str, list[Layer]] = {}
        for layer in self.layers(dataset):
            grouped.setdefault(layer.segment, []).append(layer)
        return grouped

    def layers_by_url(self, url: str) -> list[Layer]:
        return list(self.db.remembered(("layers_by_url", url), lambda: self._query_layers_by_url(url)))

    def _query_layers_by_url(self, url: str) -> tuple[Layer, ...]:
        rows = self.db.query(f"SELECT {_LAYER_COLUMNS} FROM layers WHERE storage_url = ? ORDER BY id", (url,))
        return tuple(_layer(row) for row in rows)

    def index(self, layer: Layer) -> tuple[pa.Schema, pa.Table]:
        """A layer's dataframe schema and manifest table (cached, keyed by its registration)."""
        key = (layer.id, layer.updated_ns)
        with self._cache_lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        row = self.db.one("SELECT schema_ipc, manifest_ipc FROM layers WHERE id = ?", (layer.id,))
        if row is None:
            raise NotFoundError(f"segment layer {layer.segment!r}/{layer.layer!r} is no longer registered")
        value = (read_ipc_batches(row["schema_ipc"]).schema, read_ipc_batches(row["manifest_ipc"]))
        with self._cache_lock:
            self._cache[key] = value
            while len(self._cache) > _MANIFEST_CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    def dataset_schema(self, dataset: Entry) -> pa.Schema:
        """The union of the layers' schemas, fields in the order they first appear."""
        return self.db.remembered(("dataset_schema", dataset.id), lambda: self._dataset_schema(dataset))

    def _dataset_schema(self, dataset: Entry) -> pa.Schema:
        fields: dict[str, pa.Field] = {ROW_ID_FIELD.name: ROW_ID_FIELD}
        for layer in self.layers(dataset):
            for field in self.index(layer)[0]:
                fields.setdefault(field.name, field)
        return pa.schema(list(fields.values()))
