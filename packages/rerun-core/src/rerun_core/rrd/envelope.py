"""Parse an ``ArrowMsg`` body without copying its (large) payload.

protobuf's parser would copy the payload into a new ``bytes``; reading the few envelope fields by
hand lets the payload stay a zero-copy slice of the message body.
"""

from __future__ import annotations

import pyarrow as pa
from google.protobuf.message import DecodeError

from rerun_core.log_msg import ArrowMsg, StoreId, decode_chunk_payload
from rerun_core.proto import common_pb2, log_msg_pb2
from rerun_core.protowire import read_varint

__all__ = ["decode_arrow_msg"]

_VARINT, _FIXED64, _LENGTH_DELIMITED, _FIXED32 = 0, 1, 2, 5
_STORE_ID, _COMPRESSION, _UNCOMPRESSED_SIZE, _ENCODING, _PAYLOAD = 1, 2, 3, 4, 5


def decode_arrow_msg(body: pa.Buffer) -> ArrowMsg:
    view = memoryview(body)
    fields: dict[int, int] = {}
    store_id = common_pb2.StoreId()
    payload = pa.py_buffer(b"")
    pos, end = 0, len(view)
    while pos < end:
        key, pos = read_varint(view, pos)
        number, wire = key >> 3, key & 7
        if wire == _VARINT:
            fields[number], pos = read_varint(view, pos)
        elif wire == _LENGTH_DELIMITED:
            length, pos = read_varint(view, pos)
            if pos + length > end:
                raise DecodeError(f"field {number} runs past the end of the message")
            if number == _STORE_ID:
                store_id.MergeFromString(view[pos : pos + length])
            elif number == _PAYLOAD:
                payload = body.slice(pos, length)
            pos += length
        elif wire in (_FIXED64, _FIXED32):
            pos += 8 if wire == _FIXED64 else 4
        else:
            raise DecodeError(f"unsupported wire type {wire} for field {number}")
    if fields.get(_ENCODING, 0) not in (0, log_msg_pb2.ENCODING_ARROW_IPC):
        raise DecodeError(f"unknown ArrowMsg encoding {fields[_ENCODING]}")
    chunk = decode_chunk_payload(payload, fields.get(_COMPRESSION, 0), fields.get(_UNCOMPRESSED_SIZE, 0))
    return ArrowMsg(StoreId.from_proto(store_id), chunk)
