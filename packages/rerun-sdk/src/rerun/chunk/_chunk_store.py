"""``ChunkStore``: a fully loaded store of one recording (``rerun_core.store.ChunkStore`` does the work)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rerun.chunk._chunk import Chunk, unwrap_chunk
from rerun.chunk._lazy_chunk_stream import LazyChunkStream
from rerun.chunk._plan import Source
from rerun.chunk._schema import Schema
from rerun_core import Chunk as CoreChunk
from rerun_core.query import dataframe_schema
from rerun_core.query._schema import parse_entity_path
from rerun_core.store import ChunkStore as CoreStore

if TYPE_CHECKING:
    import datafusion

    from rerun.chunk._optimization_profile import OptimizationProfile

__all__ = ["ChunkStore", "collect_chunks", "summary_text"]


class ChunkStore:
    """Every chunk of one recording, in memory: query it with :meth:`reader`, or :meth:`stream` it on.

    Build one with :meth:`from_chunks` or ``LazyChunkStream.collect()``; small chunks are merged on
    insertion as 0.41 does.
    """

    __slots__ = ("_internal",)

    def __init__(self, internal: CoreStore) -> None:
        self._internal = internal

    @staticmethod
    def from_chunks(chunks: Sequence[Chunk]) -> ChunkStore:
        return collect_chunks((unwrap_chunk(chunk, "from_chunks") for chunk in chunks), None)

    def schema(self) -> Schema:
        return Schema(dataframe_schema(self._internal))

    def summary(self) -> str:
        """One line per chunk (by entity path, then chunk id): rows, static or not, timelines, columns."""
        return summary_text(
            (c.entity_path, c.id.to_bytes(), c.num_rows, c.is_static, list(c.timelines), _components(c))
            for c in self._internal.chunks()
        )

    def stream(self) -> LazyChunkStream:
        """The chunks in chunk-id order, as a stream."""
        store = self._internal
        return LazyChunkStream(Source(lambda: sorted(store.chunks(), key=lambda chunk: chunk.id.to_bytes())))

    def reader(
        self,
        index: str | None,
        *,
        contents: Any = None,
        include_semantically_empty_columns: bool = False,
        include_tombstone_columns: bool = False,
        fill_latest_at: bool = False,
        using_index_values: Any = None,
        ctx: datafusion.SessionContext | None = None,
    ) -> datafusion.DataFrame:
        """The store as a DataFusion DataFrame: one row per value of ``index`` (``None``: static data only).

        ``contents`` selects entities (expressions such as ``"/world/**"``, or a ``ContentFilter``);
        ``fill_latest_at`` fills empty cells with the latest earlier value; ``using_index_values``
        asks for one row per given index value. Nothing is computed until the frame is read;
        filters on the index column narrow what is computed. Needs the ``datafusion`` package.
        """
        try:
            from rerun.chunk._reader import reader_frame
        except ModuleNotFoundError as err:
            if err.name != "datafusion":
                raise
            raise ModuleNotFoundError(
                "ChunkStore.reader() needs the 'datafusion' package, which is not installed: "
                "pip install datafusion (or: pip install 'rerun-sdk[dataframe]')",
                name="datafusion",
            ) from None
        return reader_frame(
            self._internal,
            index,
            contents=contents,
            include_semantically_empty_columns=include_semantically_empty_columns,
            include_tombstone_columns=include_tombstone_columns,
            fill_latest_at=fill_latest_at,
            using_index_values=using_index_values,
            ctx=ctx,
        )

    def write_rrd(self, path: str | Path, *, application_id: str, recording_id: str) -> None:
        self.stream().write_rrd(path, application_id=application_id, recording_id=recording_id)

    def __len__(self) -> int:
        return self._internal.num_chunks

    def __repr__(self) -> str:
        return f"ChunkStore({len(self)} chunks)"


def _components(chunk: CoreChunk) -> list[str]:
    return [descriptor.component for descriptor in chunk.components]


def summary_text(chunks: Iterable[tuple[str, bytes, int, bool, list[str], list[str]]]) -> str:
    """``entity rows=N static=B timelines=[...] cols=[...]`` per chunk, as 0.41's summaries read."""
    ordered = sorted(chunks, key=lambda c: (parse_entity_path(c[0]), c[1]))
    return "\n".join(
        f"{path} rows={rows} static={static} timelines={sorted(timelines)!r} "
        f"cols={sorted(components + timelines)!r}"
        for path, _, rows, static, timelines, components in ordered
    )


def collect_chunks(chunks: Iterable[CoreChunk], optimize: OptimizationProfile | None) -> ChunkStore:
    """A store holding ``chunks``; with a profile, compacted to its sizes and re-compacted until stable."""
    if optimize is None:
        store = CoreStore()
        store.insert_many(chunks)
        return ChunkStore(store)
    config = optimize._store_config()
    store = CoreStore(config=config)
    store.insert_many(chunks)
    for _ in range(max(0, optimize.extra_passes)):
        again = CoreStore(config=config)
        again.insert_many(sorted(store.chunks(), key=lambda chunk: chunk.id.to_bytes()))
        if again.num_chunks >= store.num_chunks:
            break
        store = again
    return ChunkStore(store)
