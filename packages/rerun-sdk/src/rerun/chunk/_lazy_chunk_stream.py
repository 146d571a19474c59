"""``LazyChunkStream``: a lazy, composable pipeline over chunks, run one chunk at a time.

Builder methods (``filter``, ``drop``, ``split``, ``map``, ``flat_map``, ``merge``) consume the
stream(s) they are called on and return new ones; terminals (``to_chunks``, iteration, ``collect``,
``write_rrd``) run the pipeline afresh each time and leave the stream usable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rerun.chunk._chunk import Chunk, unwrap_chunk
from rerun.chunk._plan import Branch, FlatMap, Merge, Node, Run, Select, Split, one_shot
from rerun.chunk._selection import ChunkSelector
from rerun_core import ArrowMsg, SetStoreInfo, StoreId, StoreKind, StoreSourceKind
from rerun_core import Chunk as CoreChunk
from rerun_core.rrd import RrdEncoder

if TYPE_CHECKING:
    from rerun.chunk._chunk_store import ChunkStore
    from rerun.chunk._optimization_profile import OptimizationProfile

__all__ = ["LazyChunkStream", "write_chunks"]

_CONSUMED = (
    "This stream has already been consumed by a pipeline operation (e.g. filter, drop, split, or merge)."
)
_WRITER_SOURCE = b"rerun-sdk-python-chunk-pipeline"


class LazyChunkStream:
    """A lazy pipeline over chunks; see the module docstring for which methods consume it."""

    def __init__(self, node: Node) -> None:
        self._node: Node | None = node

    def _plan(self) -> Node:
        if self._node is None:
            raise ValueError(_CONSUMED)
        return self._node

    def _consume(self) -> Node:
        node = self._plan()
        self._node = None
        return node

    # ---- selection ----------------------------------------------------------------------------

    def filter(
        self, *, content: Any = None, has_timeline: str | None = None, is_static: bool | None = None,
        components: Any = None,
    ) -> LazyChunkStream:  # fmt: skip
        """Keep the matching chunks (with ``components``: only the listed columns of them)."""
        selector = ChunkSelector.parse(
            content=content, has_timeline=has_timeline, is_static=is_static, components=components
        )
        return LazyChunkStream(Select(self._consume(), selector, 0))

    def drop(
        self, *, content: Any = None, has_timeline: str | None = None, is_static: bool | None = None,
        components: Any = None,
    ) -> LazyChunkStream:  # fmt: skip
        """The complement of :meth:`filter`: drop what it would keep, keep the rest."""
        selector = ChunkSelector.parse(
            content=content, has_timeline=has_timeline, is_static=is_static, components=components
        )
        return LazyChunkStream(Select(self._consume(), selector, 1))

    def split(
        self, *, content: Any = None, has_timeline: str | None = None, is_static: bool | None = None,
        components: Any = None,
    ) -> tuple[LazyChunkStream, LazyChunkStream]:  # fmt: skip
        """``(matching, rest)``, as :meth:`filter` and :meth:`drop` would give, from one read of the input."""
        selector = ChunkSelector.parse(
            content=content, has_timeline=has_timeline, is_static=is_static, components=components
        )
        split = Split(self._consume(), selector)
        return LazyChunkStream(Branch(split, 0)), LazyChunkStream(Branch(split, 1))

    # ---- transforms ---------------------------------------------------------------------------

    def map(self, fn: Callable[[Chunk], Chunk]) -> LazyChunkStream:
        """Apply ``fn`` to every chunk; it returns exactly one chunk."""
        return LazyChunkStream(
            FlatMap(self._consume(), lambda chunk: [unwrap_chunk(fn(Chunk(chunk)), "map")])
        )

    def flat_map(self, fn: Callable[[Chunk], Iterable[Chunk]]) -> LazyChunkStream:
        """Apply ``fn`` to every chunk; it returns any number of chunks."""

        def run(chunk: CoreChunk) -> Iterator[CoreChunk]:
            for result in fn(Chunk(chunk)):
                yield unwrap_chunk(result, "flat_map")

        return LazyChunkStream(FlatMap(self._consume(), run))

    @staticmethod
    def merge(*streams: LazyChunkStream) -> LazyChunkStream:
        """All chunks of all streams; each stream's order is kept, their interleaving is unspecified."""
        nodes = []
        for stream in streams:
            nodes.append(stream._plan())
        if len({id(node) for node in nodes}) != len(nodes):
            raise ValueError(_CONSUMED)
        for stream in streams:
            stream._consume()
        return LazyChunkStream(Merge(tuple(nodes)))

    @staticmethod
    def from_iter(chunks: Iterable[Chunk]) -> LazyChunkStream:
        """A stream over an iterable of chunks (e.g. a generator); it is read once, by the first run."""
        return LazyChunkStream(one_shot(chunks, lambda chunk: unwrap_chunk(chunk, "from_iter")))

    # ---- terminals ----------------------------------------------------------------------------

    def _run(self) -> Iterator[CoreChunk]:
        node = self._plan()
        return node.chunks(Run(node))

    def __iter__(self) -> Iterator[Chunk]:
        for chunk in self._run():
            yield Chunk(chunk)

    def to_chunks(self) -> list[Chunk]:
        return [Chunk(chunk) for chunk in self._run()]

    def collect(self, *, optimize: OptimizationProfile | None = None) -> ChunkStore:
        """Run the pipeline into an in-memory :class:`ChunkStore` (compacted on insertion, as 0.41 does)."""
        from rerun.chunk._chunk_store import collect_chunks

        return collect_chunks(self._run(), optimize)

    def write_rrd(self, path: str | Path, *, application_id: str, recording_id: str) -> None:
        """Run the pipeline into an RRD file of one recording with the given ids."""
        write_chunks(self._run(), path, application_id=application_id, recording_id=recording_id)

    def __repr__(self) -> str:
        return "LazyChunkStream()"


def write_chunks(
    chunks: Iterable[CoreChunk], path: str | os.PathLike[str], *, application_id: str, recording_id: str
) -> None:
    """An RRD file (with footer) holding ``chunks`` as one recording, written as they come."""
    store_id = StoreId(StoreKind.RECORDING, str(application_id), str(recording_id))
    info = SetStoreInfo(store_id, source_kind=StoreSourceKind.OTHER, source_extra=_WRITER_SOURCE)
    try:
        with Path(path).open("wb") as sink, RrdEncoder(sink) as encoder:
            encoder.append(info)
            for chunk in chunks:
                encoder.append(ArrowMsg(store_id, chunk))
    except OSError as err:  # as 0.41 reports I/O failures
        raise RuntimeError(f"{err.strerror} (os error {err.errno})") from err
