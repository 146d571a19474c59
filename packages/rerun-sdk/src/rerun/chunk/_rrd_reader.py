"""``RrdReader`` (the stores of an RRD file), ``StoreEntry`` (one store) and ``LazyStore`` (one, unloaded)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Literal

import pyarrow as pa

from rerun._errors import RerunWarning
from rerun.chunk._chunk_store import summary_text
from rerun.chunk._lazy_chunk_stream import LazyChunkStream
from rerun.chunk._plan import Source
from rerun.chunk._rrd_file import RrdFile, read_chunks_at
from rerun.chunk._schema import Schema, schema_from_manifest
from rerun_core import Chunk as CoreChunk
from rerun_core import StoreId, StoreKind, sorbet
from rerun_core.query._schema import ROW_ID_FIELD
from rerun_core.rrd import Manifest

__all__ = ["ChunkSource", "LazyStore", "RrdReader", "StoreEntry"]

ChunkSource = Callable[[], Iterable[CoreChunk]]
"""Where a :class:`LazyStore` gets its chunks: called once per run of its stream."""


class StoreEntry:
    """One store (recording or blueprint) found in an RRD file."""

    __slots__ = ("_internal",)

    def __init__(self, internal: StoreId) -> None:
        self._internal = internal

    @property
    def kind(self) -> Literal["recording", "blueprint"]:
        return "blueprint" if self._internal.kind == StoreKind.BLUEPRINT else "recording"

    @property
    def application_id(self) -> str:
        return self._internal.application_id

    @property
    def recording_id(self) -> str:
        return self._internal.recording_id

    def __repr__(self) -> str:
        return (
            f"StoreEntry(kind={self.kind!r}, application_id={self.application_id!r}, "
            f"recording_id={self.recording_id!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StoreEntry):
            return NotImplemented
        return self._internal == other._internal

    def __hash__(self) -> int:
        return hash(self._internal)


class RrdReader:
    """The stores of an RRD file; :meth:`stream` or :meth:`store` one (by default the first recording).

    The footer (0.41 writes one) is read up front; a file without one is scanned instead, with a warning.
    """

    def __init__(self, path: str | Path) -> None:
        resolved = Path(str(path))
        if not resolved.is_file():
            raise ValueError(f"RRD file not found: {path}")
        self._file = RrdFile(resolved)
        if self._file.manifests is None:
            warnings.warn(
                f"RRD file has no footer/manifest: {resolved}. This is a legacy format; store "
                "enumeration will fall back to a whole-file scan, and `store()` is not supported "
                "(use `stream()` instead).",
                RerunWarning,
                stacklevel=2,
            )

    @property
    def path(self) -> Path:
        return self._file.path

    def recordings(self) -> list[StoreEntry]:
        return [StoreEntry(s) for s in self._file.store_ids if s.kind == StoreKind.RECORDING]

    def blueprints(self) -> list[StoreEntry]:
        return [StoreEntry(s) for s in self._file.store_ids if s.kind == StoreKind.BLUEPRINT]

    def _store_id(self, store: StoreEntry | None) -> StoreId:
        if store is None:
            recordings = self.recordings()
            if not recordings:
                raise ValueError("No recording store found in RRD file")
            return recordings[0]._internal
        store_id = store._internal
        if store_id not in self._file.store_ids:
            kind = "Blueprint" if store_id.kind == StoreKind.BLUEPRINT else "Recording"
            raise ValueError(
                f'Store StoreId({kind}, "{store_id.application_id}", "{store_id.recording_id}") '
                "not found in RRD file"
            )
        return store_id

    def stream(self, *, store: StoreEntry | None = None) -> LazyChunkStream:
        """The store's chunks in file order, read from the file on every run (constant memory)."""
        store_id, file = self._store_id(store), self._file
        return LazyChunkStream(Source(lambda: file.chunks(store_id)))

    def store(self, *, store: StoreEntry | None = None) -> LazyStore:
        """The store as a :class:`LazyStore`: described by the footer, chunks read on demand."""
        store_id = self._store_id(store)
        if self._file.manifests is None:
            raise RuntimeError(
                f"Legacy RRD without footer: {self._file.path}. Use RrdReader.stream().collect() to read "
                "it eagerly into a ChunkStore."
            )
        return LazyStore._from_file(self._file.path, self._file.manifest(store_id))

    def __repr__(self) -> str:
        return f"RrdReader({self._file.path})"


class LazyStore:
    """A store known from its manifests: :meth:`schema`, :meth:`summary` and ``len()`` load no chunk.

    :meth:`stream` asks the chunk source for the chunks when run (an RRD file reads them at their
    offsets, a catalog fetches them from its server); ``lazy.stream().collect()`` loads them all into
    a :class:`~rerun.chunk.ChunkStore`. Several manifests (a segment's layers and assets) make one store.
    """

    def __init__(self, manifests: Sequence[Manifest], chunks: ChunkSource) -> None:
        self._manifests = tuple(manifests)
        self._chunks = chunks

    @classmethod
    def _from_file(cls, path: Path, manifest: Manifest | None) -> LazyStore:
        if manifest is None:
            return cls((), tuple)
        return cls((manifest,), partial(read_chunks_at, path, manifest))

    def schema(self) -> Schema:
        if not self._manifests:
            return Schema(pa.schema([ROW_ID_FIELD]))
        return schema_from_manifest(pa.unify_schemas([m.sorbet_schema for m in self._manifests]))

    def summary(self) -> str:
        return summary_text(_live_rows([row for m in self._manifests for row in _manifest_rows(m)]))

    def stream(self) -> LazyChunkStream:
        return LazyChunkStream(Source(self._chunks))

    def write_rrd(self, path: str | Path, *, application_id: str, recording_id: str) -> None:
        self.stream().write_rrd(path, application_id=application_id, recording_id=recording_id)

    def __len__(self) -> int:
        return sum(m.chunks.num_rows for m in self._manifests)

    def __repr__(self) -> str:
        return f"LazyStore({len(self)} chunks)"


_SummaryRow = tuple[str, bytes, int, bool, list[str], list[str]]


def _live_rows(rows: list[_SummaryRow]) -> list[_SummaryRow]:
    """What a store would keep of each chunk: a repeated chunk id adds nothing, and a static component
    counts only in the latest chunk (by id) that sets it on its entity."""
    latest: dict[tuple[str, str], bytes] = {}
    for path, chunk_id, _, is_static, _, components in rows:
        for component in components if is_static else ():
            latest[path, component] = max(chunk_id, latest.get((path, component), chunk_id))
    seen: set[bytes] = set()
    live: list[_SummaryRow] = []
    for path, chunk_id, num_rows, is_static, timelines, components in rows:
        if chunk_id in seen:
            live.append((path, chunk_id, num_rows, is_static, [], []))
            continue
        seen.add(chunk_id)
        kept = [c for c in components if not is_static or latest[path, c] == chunk_id]
        live.append((path, chunk_id, num_rows, is_static, timelines, kept))
    return live


def _manifest_rows(manifest: Manifest) -> list[_SummaryRow]:
    """Per chunk of a manifest: what a summary line shows (timelines and components with data)."""
    table = manifest.chunks
    rows = table.select(["chunk_entity_path", "chunk_id", "chunk_num_rows", "chunk_is_static"]).to_pylist()
    timelines: dict[str, list[bool]] = {}
    components: dict[str, list[bool]] = {}
    for field, column in zip(table.schema, table.columns, strict=True):
        metadata = sorbet.decode_metadata(field.metadata)
        index, component = metadata.get("rerun:index"), metadata.get(sorbet.COMPONENT)
        if index is None:
            continue
        if component is None and field.name.endswith(":start"):
            timelines[index] = column.is_valid().to_pylist()
        elif component is not None and field.name.endswith((":has_static_data", ":num_rows")):
            present = [bool(v) for v in column.to_pylist()]
            seen = components.setdefault(component, [False] * len(present))
            components[component] = [a or b for a, b in zip(seen, present, strict=True)]
    return [
        (
            row["chunk_entity_path"],
            row["chunk_id"],
            row["chunk_num_rows"],
            row["chunk_is_static"],
            [name for name, present in timelines.items() if present[i]],
            [name for name, present in components.items() if present[i]],
        )
        for i, row in enumerate(rows)
    ]
