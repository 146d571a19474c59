"""Reading chunk bodies from registered files: seek + read at the recorded offset, nothing more.

Open files are kept in a small LRU of descriptors (page-cache reads are quick, so one lock covers
opening, evicting and reading).
A file that was deleted or rewritten since it was indexed is reported as such instead of serving
bytes from the wrong place.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

from rerun_server._chunk_query import ChunkLocation
from rerun_server._datasets import DatasetStore, Layer
from rerun_server._rrd_index import read_chunk_body
from rerun_server.errors import FailedPreconditionError, NotFoundError

__all__ = ["ChunkFiles", "fetch_response_bytes"]

_MAX_OPEN_FILES = 64


def fetch_response_bytes(bodies: list[bytes]) -> bytes:
    """A serialized ``FetchChunksResponse`` around ``ArrowMsg`` bodies, without re-encoding them."""
    out = bytearray()
    for body in bodies:
        out += b"\x0a" + _varint(len(body)) + body  # field 1 (chunks), length-delimited
    return bytes(out)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


class ChunkFiles:
    """Resolves chunk locations to registered layers and reads their bodies."""

    def __init__(self, datasets: DatasetStore) -> None:
        self._datasets = datasets
        self._open: OrderedDict[Path, int] = OrderedDict()
        self._lock = threading.RLock()

    def read(self, location: ChunkLocation) -> bytes:
        layer = self._layer_for(location)
        with self._lock:  # held while reading, so no other thread closes the descriptor meanwhile
            return read_chunk_body(self._descriptor(layer), location.offset, location.length)

    def _layer_for(self, location: ChunkLocation) -> Layer:
        for layer in self._datasets.layers_by_url(location.url):
            _, manifest = self._datasets.index(layer)
            offsets = manifest["chunk_byte_offset"].to_numpy()
            sizes = manifest["chunk_byte_size"].to_numpy()
            if ((offsets == location.offset) & (sizes == location.length)).any():
                return layer
        raise NotFoundError(
            f"chunk {location.chunk_id} (bytes {location.offset}+{location.length} of {location.url}) "
            "is not part of any registered segment"
        )

    def _descriptor(self, layer: Layer) -> int:
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
