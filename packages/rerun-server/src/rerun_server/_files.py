"""Reading chunk bodies from registered files: seek + read at the recorded offset, nothing more.

A FetchChunks request names hundreds of chunks of a few files: each file's registrations are looked
up once per database state and the file checked once per request, and the bodies go out several per
response message, never re-encoded.
Open files are kept in a small LRU of descriptors (page-cache reads are quick, so one lock covers
opening, evicting and reading).
A file that was deleted or rewritten since it was indexed is reported as such instead of serving
bytes from the wrong place.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path

from rerun_core.protowire import encode_varint
from rerun_server._chunk_query import ChunkLocation
from rerun_server._datasets import DatasetStore, Layer
from rerun_server._rrd_index import read_chunk_body
from rerun_server.errors import FailedPreconditionError, NotFoundError

__all__ = ["RESPONSE_BYTES", "ChunkFiles", "batched_responses", "fetch_response_bytes"]

_MAX_OPEN_FILES = 64
RESPONSE_BYTES = 512 << 10  # small enough that the client starts decoding early


def fetch_response_bytes(bodies: Iterable[bytes]) -> bytes:
    """A serialized ``FetchChunksResponse`` around ``ArrowMsg`` bodies, without re-encoding them."""
    pieces: list[bytes] = []
    for body in bodies:
        pieces += (b"\x0a", encode_varint(len(body)), body)  # field 1 (chunks), length-delimited
    return b"".join(pieces)  # one copy of the bodies


def batched_responses(bodies: Iterable[bytes], max_bytes: int = RESPONSE_BYTES) -> Iterator[bytes]:
    """``FetchChunksResponse`` messages of several chunks each, up to about ``max_bytes`` apiece
    (one message per chunk costs a gRPC round of its own per chunk)."""
    pending: list[bytes] = []
    size = 0
    for body in bodies:
        pending.append(body)
        size += len(body)
        if size >= max_bytes:
            yield fetch_response_bytes(pending)
            pending, size = [], 0
    if pending:
        yield fetch_response_bytes(pending)


class ChunkFiles:
    """Resolves chunk locations to registered layers and reads their bodies."""

    def __init__(self, datasets: DatasetStore) -> None:
        self._datasets = datasets
        self._open: OrderedDict[Path, int] = OrderedDict()
        self._lock = threading.RLock()

    def read_many(self, locations: Iterable[ChunkLocation]) -> Iterator[bytes]:
        """The bodies at ``locations``, in order; each file is looked up and checked once per call."""
        known: dict[str, dict[tuple[int, int], Layer]] = {}
        checked: dict[Path, os.stat_result] = {}
        for location in locations:
            spans = known.get(location.url)
            if spans is None:
                spans = known[location.url] = self._registered_spans(location.url)
            layer = spans.get((location.offset, location.length))
            if layer is None:
                raise NotFoundError(
                    f"chunk {location.chunk_id} (bytes {location.offset}+{location.length} of "
                    f"{location.url}) is not part of any registered segment"
                )
            current = checked.get(layer.path)
            if current is None:
                current = checked[layer.path] = self._unchanged(layer)
            with self._lock:  # held while reading, so no other thread closes the descriptor meanwhile
                body = read_chunk_body(self._descriptor(layer, current), location.offset, location.length)
            yield body

    def _registered_spans(self, url: str) -> dict[tuple[int, int], Layer]:
        """``(offset, length)`` of every chunk the layers registered from ``url`` hold -> its layer."""
        return self._datasets.db.remembered(("chunk_spans", url), lambda: self._spans(url))

    def _spans(self, url: str) -> dict[tuple[int, int], Layer]:
        spans: dict[tuple[int, int], Layer] = {}
        for layer in reversed(self._datasets.layers_by_url(url)):  # the first registration wins
            _, manifest = self._datasets.index(layer)
            offsets = manifest["chunk_byte_offset"].to_pylist()
            sizes = manifest["chunk_byte_size"].to_pylist()
            spans.update(dict.fromkeys(zip(offsets, sizes, strict=True), layer))
        return spans

    def _unchanged(self, layer: Layer) -> os.stat_result:
        """The file's status, if it is still the file that was indexed."""
        try:
            current = os.stat(layer.path)
        except FileNotFoundError:
            self._forget(layer.path)
            raise NotFoundError(
                f"registered file {layer.path} (segment {layer.segment!r}) is missing"
            ) from None
        if (current.st_size, current.st_mtime_ns) != (layer.file_size, layer.file_mtime_ns):
            raise FailedPreconditionError(
                f"registered file {layer.path} (segment {layer.segment!r}) changed on disk since it was "
                "indexed; register it again (on_duplicate=REPLACE) to serve its new contents"
            )
        return current

    def _descriptor(self, layer: Layer, current: os.stat_result) -> int:
        with self._lock:
            fd = self._open.get(layer.path)
            if fd is not None and os.fstat(fd).st_ino != current.st_ino:
                self._forget(layer.path)  # replaced by another file of the same size and time
                fd = None
            if fd is None:
                fd = self._open[layer.path] = os.open(layer.path, os.O_RDONLY)
                while len(self._open) > _MAX_OPEN_FILES:
                    os.close(self._open.popitem(last=False)[1])
            self._open.move_to_end(layer.path)
            return fd

    def _forget(self, path: Path) -> None:
        with self._lock:
            fd = self._open.pop(path, None)
            if fd is not None:
                os.close(fd)

    def close(self) -> None:
        with self._lock:
            while self._open:
                os.close(self._open.popitem()[1])
