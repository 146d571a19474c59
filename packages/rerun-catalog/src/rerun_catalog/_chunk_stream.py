"""FetchChunks responses read straight from the received bytes, without copying chunk payloads.

A parsed protobuf message hands out ``bytes`` fields as fresh copies; a full dataset read is tens of MB
of ``ArrowMsg.payload``, so copying it costs more than decompressing it. Walking the protobuf wire
format (``FetchChunksResponse { repeated ArrowMsg chunks = 1; }``) instead yields each payload as a
``memoryview`` of the response.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import NamedTuple

from rerun_catalog.errors import CatalogError
from rerun_core.proto import common_pb2
from rerun_core.protowire import read_fields

__all__ = ["ChunkPayload", "fetch_chunks_payloads"]

# Field numbers of rerun.log_msg.v1alpha1.ArrowMsg (see the 0.41 wire schema).
_STORE_ID, _COMPRESSION, _UNCOMPRESSED_SIZE, _ENCODING, _PAYLOAD = 1, 2, 3, 4, 5


class _MalformedError(CatalogError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"malformed FetchChunks response: {detail}")


class ChunkPayload(NamedTuple):
    """One ``ArrowMsg`` of a FetchChunks response: its segment and its still-encoded chunk."""

    recording_id: str
    compression: int
    uncompressed_size: int
    encoding: int
    payload: memoryview


def fetch_chunks_payloads(response: bytes) -> Iterator[ChunkPayload]:
    """The ``ArrowMsg`` s of one serialized ``FetchChunksResponse``, in order."""
    for number, value in read_fields(memoryview(response), _MalformedError):
        if number == 1 and isinstance(value, memoryview):
            yield _arrow_msg(value)


def _arrow_msg(message: memoryview) -> ChunkPayload:
    recording_id, compression, size, encoding, payload = "", 0, 0, 0, memoryview(b"")
    for number, value in read_fields(message, _MalformedError):
        if isinstance(value, memoryview):
            if number == _STORE_ID:
                recording_id = _recording_id(bytes(value))
            elif number == _PAYLOAD:
                payload = value
        elif number == _COMPRESSION:
            compression = value
        elif number == _UNCOMPRESSED_SIZE:
            size = value
        elif number == _ENCODING:
            encoding = value
    return ChunkPayload(recording_id, compression, size, encoding, payload)


@functools.lru_cache(maxsize=4096)
def _recording_id(store_id: bytes) -> str:
    """A ``StoreId``'s recording id; remembered, as every chunk of a segment repeats the same one."""
    return common_pb2.StoreId.FromString(store_id).recording_id
