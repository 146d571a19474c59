"""The bytes of ``MessageProxyService`` messages, built and checked by hand.

A proxy relays chunks it never needs to decode, so requests stay raw ``bytes`` end to end:
``WriteMessagesRequest`` and ``ReadMessagesResponse`` share one layout (field 1 = ``LogMsg``), as do
``WriteTableRequest`` and ``ReadTablesResponse``, so a received request is forwarded as is. The
``LogMsg`` oneof numbers (1 SetStoreInfo, 2 ArrowMsg, 3 BlueprintActivationCommand) are also the RRD
message kinds, so a saver writes the inner body as an RRD frame without re-encoding it. Validation
reads only the envelope (the Arrow payload is left alone) and raises :class:`WireError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import pyarrow as pa
from google.protobuf.message import DecodeError

from rerun_core.errors import RrdDecodeError, WireError
from rerun_core.log_msg import (
    ArrowMsg,
    BlueprintActivationCommand,
    Compression,
    LogMsg,
    SetStoreInfo,
    StoreId,
    StoreKind,
)
from rerun_core.proto import common_pb2, log_msg_pb2
from rerun_core.protowire import encode_varint, read_varint

__all__ = [
    "Category",
    "ProxyMessage",
    "decode_log_msg",
    "encode_log_msg",
    "message_from_frame",
    "parse_table_request",
    "parse_write_request",
]

_VARINT, _FIXED64, _LEN, _FIXED32 = 0, 1, 2, 5
_SET_STORE_INFO, _ARROW_MSG, _BLUEPRINT_ACTIVATION = 1, 2, 3
_BODY_TYPES = {
    _SET_STORE_INFO: log_msg_pb2.SetStoreInfo,
    _BLUEPRINT_ACTIVATION: log_msg_pb2.BlueprintActivationCommand,
}
# ArrowMsg fields and the wire type each must have: store_id, compression, uncompressed_size,
# encoding, payload, chunk_id, is_static.
_ARROW_FIELDS = {1: _LEN, 2: _VARINT, 3: _VARINT, 4: _VARINT, 5: _LEN, 6: _LEN, 7: _VARINT}


class Category(IntEnum):
    """How long a proxy keeps a message: persistent ones survive every memory limit."""

    PERSISTENT = 0  # store infos, blueprint activations, blueprint chunks
    STATIC = 1  # static recording chunks: dropped only after every temporal one
    DISPOSABLE = 2  # everything else, dropped oldest first


@dataclass(frozen=True, eq=False)
class ProxyMessage:
    """One relayed message: the raw request bytes and what the proxy needs to know about them."""

    raw: bytes
    kind: int  # LogMsg oneof number == RRD MessageKind; 0 for a table
    body: memoryview  # the inner message (an RRD frame body); for tables the whole request
    category: Category
    store_id: StoreId | None = None

    @property
    def size(self) -> int:
        return len(self.raw)

    @property
    def is_table(self) -> bool:
        return self.kind == 0


def encode_log_msg(msg: LogMsg, compression: Compression = Compression.LZ4) -> bytes:
    """``WriteMessagesRequest{log_msg}`` bytes for one message (the payload is copied once, here)."""
    from rerun_core.rrd.encoder import encode_arrow_msg_body

    if isinstance(msg, ArrowMsg):
        field, parts = _ARROW_MSG, encode_arrow_msg_body(msg, compression)[0]
    elif isinstance(msg, SetStoreInfo):
        field, parts = _SET_STORE_INFO, [msg.to_proto().SerializeToString()]
    elif isinstance(msg, BlueprintActivationCommand):
        field, parts = _BLUEPRINT_ACTIVATION, [msg.to_proto().SerializeToString()]
    else:
        raise TypeError(f"not a log message: {type(msg).__name__}")
    body_size = sum(len(part) for part in parts)
    inner_head = bytes([field << 3 | _LEN]) + encode_varint(body_size)
    outer_head = b"\x0a" + encode_varint(len(inner_head) + body_size)
    return b"".join([outer_head, inner_head, *parts])


def message_from_frame(kind: int, body: bytes | memoryview) -> ProxyMessage:
    """The request carrying one RRD frame's body (kinds 1-3), checked: files relay without a decode."""
    if kind not in (_SET_STORE_INFO, _ARROW_MSG, _BLUEPRINT_ACTIVATION):
        raise WireError(f"RRD message kind {kind} is not a log message")
    inner_head = bytes([kind << 3 | _LEN]) + encode_varint(len(body))
    return parse_write_request(
        b"".join([b"\x0a", encode_varint(len(inner_head) + len(body)), inner_head, body])
    )


def parse_write_request(raw: bytes) -> ProxyMessage:
    """Check a ``WriteMessagesRequest`` (or ``ReadMessagesResponse``) and classify its message."""
    view = memoryview(raw)
    log_msg = _only_field(view, 1, "WriteMessagesRequest", "log_msg")
    fields = list(_fields(log_msg))
    oneof = [(number, value) for number, wire, value in fields if wire == _LEN and number in (1, 2, 3)]
    if len(oneof) != 1 or len(fields) != 1:
        raise WireError(
            "a LogMsg must hold exactly one of set_store_info, arrow_msg, blueprint_activation_command"
        )
    kind, body = oneof[0]
    assert isinstance(body, memoryview)  # length-delimited fields are views
    if kind == _ARROW_MSG:
        store_id, category = _check_arrow_msg(body)
        return ProxyMessage(raw, kind, body, category, store_id)
    proto: Any = _parse(_BODY_TYPES[kind], body)
    store_id = StoreId.from_proto(proto.info.store_id if kind == _SET_STORE_INFO else proto.blueprint_id)
    return ProxyMessage(raw, kind, body, Category.PERSISTENT, store_id)


def parse_table_request(raw: bytes) -> ProxyMessage:
    """Check a ``WriteTableRequest`` (id and data are both required, as 0.41 requires them)."""
    from rerun_core.proto import sdk_comms_pb2

    view = memoryview(raw)
    _parse(sdk_comms_pb2.WriteTableRequest, view)
    present = {number for number, wire, _ in _fields(view) if wire == _LEN}
    for number, name in ((1, "id"), (2, "data")):
        if number not in present:
            raise WireError(f"missing `{name}` in `WriteTableRequest`")
    return ProxyMessage(raw, 0, view, Category.DISPOSABLE)


def decode_log_msg(message: ProxyMessage) -> LogMsg:
    """The message as a :data:`LogMsg` object (decoding the chunk, for consumers that need it)."""
    from rerun_core.rrd.decoder import Frame, decode_frame
    from rerun_core.rrd.framing import MessageKind

    frame = Frame(MessageKind(message.kind), 0, pa.py_buffer(message.body))
    try:
        return decode_frame(frame)
    except RrdDecodeError as err:
        raise WireError(err.reason) from None


def _check_arrow_msg(body: memoryview) -> tuple[StoreId, Category]:
    values: dict[int, int | memoryview] = {}
    for number, wire, value in _fields(body):
        expected = _ARROW_FIELDS.get(number)
        if expected is not None and expected != wire:
            raise WireError(f"ArrowMsg field {number} has wire type {wire}, expected {expected}")
        values[number] = value
    if not isinstance(values.get(1), memoryview):
        raise WireError("missing `store_id` in `ArrowMsg`")
    if values.get(4, 0) not in (0, log_msg_pb2.ENCODING_ARROW_IPC):
        raise WireError(f"unknown ArrowMsg encoding {values[4]}")
    if values.get(2, 0) not in (0, Compression.NONE, Compression.LZ4):
        raise WireError(f"unknown ArrowMsg compression {values[2]}")
    if not values.get(5):
        raise WireError("missing `payload` in `ArrowMsg`")
    store_id = StoreId.from_proto(_parse(common_pb2.StoreId, values[1]))  # type: ignore[arg-type]
    if store_id.kind == StoreKind.BLUEPRINT:
        return store_id, Category.PERSISTENT
    return store_id, Category.STATIC if values.get(7) else Category.DISPOSABLE


def _only_field(view: memoryview, number: int, message: str, name: str) -> memoryview:
    found = None
    for field, wire, value in _fields(view):
        if field == number and wire == _LEN:
            found = value
    if found is None:
        raise WireError(f"missing `{name}` in `{message}`")
    return found  # type: ignore[return-value]


def _fields(view: memoryview) -> list[tuple[int, int, int | memoryview]]:
    """Top-level fields of a protobuf message: (number, wire type, int or sub-view)."""
    fields: list[tuple[int, int, int | memoryview]] = []
    pos, end = 0, len(view)
    while pos < end:
        key, pos = read_varint(view, pos, WireError)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise WireError("field number 0 is not valid protobuf")
        if wire == _VARINT:
            value, pos = read_varint(view, pos, WireError)
            fields.append((number, wire, value))
        elif wire == _LEN:
            length, pos = read_varint(view, pos, WireError)
            if pos + length > end:
                raise WireError(f"field {number} runs past the end of the message")
            fields.append((number, wire, view[pos : pos + length]))
            pos += length
        elif wire in (_FIXED64, _FIXED32):
            pos += 8 if wire == _FIXED64 else 4
            if pos > end:
                raise WireError(f"field {number} runs past the end of the message")
            fields.append((number, wire, 0))
        else:
            raise WireError(f"unsupported protobuf wire type {wire} (field {number})")
    return fields


def _parse(message_type: Any, data: memoryview) -> object:
    try:
        return message_type.FromString(data)
    except (DecodeError, ValueError) as err:
        raise WireError(f"{message_type.__name__} does not decode: {err}") from None
