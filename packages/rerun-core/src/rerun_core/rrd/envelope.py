"""Parse an ``ArrowMsg`` body without copying its (large) payload.

protobuf's parser would copy the payload into a new ``bytes``; reading the few envelope fields by
hand lets the payload stay a zero-copy slice of the message body.
"""

from __future__ import annotations

import pyarrow as pa
from google.protobuf.message import DecodeError

from rerun_core.log_msg import ArrowMsg, StoreId, decode_chunk_payload
from rerun_core.proto import common_pb2, log_msg_pb2
from rerun_core.protowire import read_fields

__all__ = ["decode_arrow_msg"]

_STORE_ID, _COMPRESSION, _UNCOMPRESSED_SIZE, _ENCODING, _PAYLOAD = 1, 2, 3, 4, 5


def decode_arrow_msg(body: pa.Buffer) -> ArrowMsg:
    fields: dict[int, int] = {}
    store_id = common_pb2.StoreId()
    payload = pa.py_buffer(b"")
    for number, value in read_fields(memoryview(body)):
        if isinstance(value, int):
            fields[number] = value
        elif number == _STORE_ID:
            store_id.MergeFromString(value)
        elif number == _PAYLOAD:
            payload = pa.py_buffer(value)  # a view of ``body``: no copy
    if fields.get(_ENCODING, 0) not in (0, log_msg_pb2.ENCODING_ARROW_IPC):
        raise DecodeError(f"unknown ArrowMsg encoding {fields[_ENCODING]}")
    chunk = decode_chunk_payload(payload, fields.get(_COMPRESSION, 0), fields.get(_UNCOMPRESSED_SIZE, 0))
    return ArrowMsg(StoreId.from_proto(store_id), chunk)
