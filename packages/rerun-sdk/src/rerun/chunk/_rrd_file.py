"""What ``RrdReader`` knows about a file: its stores, from the footer's manifests (or a scan), and its chunks.

An RRD written with a footer (0.41's default) ends with the manifests of its stores: which chunks
each has and where their bytes are. Reading those needs only the end of the file; chunks are then
read one by one at their offsets. Files without a footer (legacy, or streamed to stdout) are scanned
message by message instead, in constant memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa

from rerun_core import Chunk as CoreChunk
from rerun_core import SetStoreInfo, StoreId
from rerun_core.errors import RerunError
from rerun_core.proto import log_msg_pb2
from rerun_core.rrd import Manifest, MessageKind, RrdDecoder, StreamHeader, decode_frame
from rerun_core.rrd.envelope import decode_arrow_msg
from rerun_core.rrd.framing import STREAM_HEADER_SIZE, footer_crc, read_stream_footer

__all__ = ["RrdFile", "RrdReadError"]

_BUFFER_SIZE = 1 << 20


class RrdReadError(RuntimeError):
    """The file is not a readable RRD (message as 0.41 words it)."""


class RrdFile:
    """The stores of one RRD file and, when it has a footer, their manifests."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.manifests = _read_manifests(path)
            self.store_ids = (
                [m.store_id for m in self.manifests] if self.manifests is not None else _scan_store_ids(path)
            )
        except (RerunError, ValueError) as err:
            raise RrdReadError(f"Failed to read RRD file at {path}: {err}") from None

    def manifest(self, store_id: StoreId) -> Manifest | None:
        for manifest in self.manifests or []:
            if manifest.store_id == store_id:
                return manifest
        return None

    def chunks(self, store_id: StoreId) -> Iterator[CoreChunk]:
        """The store's chunks in file order: by offset when there is a manifest, else by scanning."""
        manifest = self.manifest(store_id)
        if manifest is not None:
            yield from read_chunks_at(self.path, manifest)
            return
        with self.path.open("rb", buffering=_BUFFER_SIZE) as source:
            for frame in RrdDecoder(source).frames():
                if frame.kind == MessageKind.ARROW_MSG:
                    msg = decode_arrow_msg(frame.body)
                    if msg.store_id == store_id:
                        yield msg.chunk


def read_chunks_at(path: Path, manifest: Manifest) -> Iterator[CoreChunk]:
    """The chunks a manifest lists, read at their byte offsets, in the manifest's (file) order."""
    offsets = manifest.chunks.column("chunk_byte_offset").to_pylist()
    sizes = manifest.chunks.column("chunk_byte_size").to_pylist()
    with path.open("rb") as source:
        for offset, size in zip(offsets, sizes, strict=True):
            source.seek(manifest.stream_offset + offset)
            msg = decode_arrow_msg(_read_exactly(source, size))
            yield msg.chunk


def _read_exactly(source: BinaryIO, count: int) -> pa.Buffer:
    buffer = pa.allocate_buffer(count)
    view = memoryview(buffer)
    filled = 0
    while filled < count:
        got = source.readinto(view[filled:])  # type: ignore[attr-defined]
        if not got:
            raise RrdReadError(f"chunk cut short ({filled} of {count} bytes)")
        filled += got
    return buffer


def _read_manifests(path: Path) -> list[Manifest] | None:
    """The footer's manifests (one per store with chunks), or ``None`` for a file without a footer."""
    size = os.path.getsize(path)
    if size < STREAM_HEADER_SIZE:
        raise ValueError("Failed to decode frame: file too small to be an RRD")
    with path.open("rb") as source:
        StreamHeader.from_bytes(source.read(STREAM_HEADER_SIZE), 0)
        found = read_stream_footer(source, size)
    if found is None:
        return None
    footer, body = found
    crc = footer_crc(body)
    if len(body) != footer.footer_length or crc != footer.crc:
        raise ValueError(f"CRC check failed: expected {footer.crc:08x} but got {crc:08x}")
    proto = log_msg_pb2.RrdFooter.FromString(body)
    return [Manifest.from_proto(manifest) for manifest in proto.manifests]


def _scan_store_ids(path: Path) -> list[StoreId]:
    """Every store the file announces, in order of first appearance (chunk bodies are not decoded)."""
    found: dict[StoreId, None] = {}
    with path.open("rb", buffering=_BUFFER_SIZE) as source:
        for frame in RrdDecoder(source).frames():
            if frame.kind == MessageKind.SET_STORE_INFO:
                msg = decode_frame(frame)
                assert isinstance(msg, SetStoreInfo)
                found.setdefault(msg.store_id)
    return list(found)
