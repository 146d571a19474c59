"""Writing RRF2 streams: messages framed one after another, then an End with manifests and a footer."""

from __future__ import annotations

import io
from types import TracebackType
from typing import BinaryIO

from rerun_core.errors import RrdError
from rerun_core.log_msg import (
    ArrowMsg,
    BlueprintActivationCommand,
    Compression,
    LogMsg,
    SetStoreInfo,
    StoreId,
    encode_chunk_payload,
    tuid_to_proto,
)
from rerun_core.proto import log_msg_pb2
from rerun_core.protowire import encode_varint
from rerun_core.rrd.framing import MESSAGE_HEADER_SIZE, MessageHeader, MessageKind, StreamFooter, StreamHeader
from rerun_core.rrd.manifest import ChunkLocation, ManifestBuilder

__all__ = ["RrdEncoder", "encode_arrow_msg_body", "encode_rrd"]

_PAYLOAD_TAG = b"\x2a"  # field 5 (payload), wire type 2 (length-delimited)


class RrdEncoder:
    """Writes one stream to ``sink``; :meth:`finish` (or leaving the ``with`` block) ends it.

    With ``write_footer`` the End message carries one manifest per store that has chunks and is
    followed by the stream footer, which ``rerun rrd verify`` and indexed readers need.
    """

    def __init__(
        self,
        sink: BinaryIO,
        *,
        compression: Compression = Compression.LZ4,
        write_footer: bool = True,
    ) -> None:
        self._sink = sink
        self._compression = compression
        self._write_footer = write_footer
        self._offset = 0  # offsets in footers count from the start of this stream
        self._manifests: dict[StoreId, ManifestBuilder] = {}
        self._finished = False
        self._write(StreamHeader(lz4=compression == Compression.LZ4).to_bytes())

    @property
    def bytes_written(self) -> int:
        return self._offset

    def append(self, msg: LogMsg) -> None:
        """Frame and write one message."""
        if self._finished:
            raise RrdError("cannot append to an RRD stream after finish()")
        if isinstance(msg, ArrowMsg):
            self._append_chunk(msg)
        elif isinstance(msg, SetStoreInfo):
            self._frame(MessageKind.SET_STORE_INFO, msg.to_proto().SerializeToString())
        elif isinstance(msg, BlueprintActivationCommand):
            self._frame(MessageKind.BLUEPRINT_ACTIVATION_COMMAND, msg.to_proto().SerializeToString())
        else:
            raise TypeError(f"not a log message: {type(msg).__name__}")

    def _append_chunk(self, msg: ArrowMsg) -> None:
        parts, uncompressed_size = encode_arrow_msg_body(msg, self._compression)
        body_size = sum(len(part) for part in parts)
        self._write(MessageHeader(MessageKind.ARROW_MSG, body_size).to_bytes())
        location = ChunkLocation(self._offset, body_size, uncompressed_size)
        for part in parts:
            self._write(part)
        if self._write_footer:
            builder = self._manifests.get(msg.store_id)
            if builder is None:
                builder = self._manifests[msg.store_id] = ManifestBuilder(msg.store_id)
            builder.add(msg.chunk, location)

    def finish(self) -> None:
        """Write the End message (with manifests when footers are on) and the stream footer."""
        if self._finished:
            return
        self._finished = True
        if not self._write_footer:
            self._frame(MessageKind.END, b"")
            return
        footer = log_msg_pb2.RrdFooter(manifests=[builder.build() for builder in self._manifests.values()])
        body = footer.SerializeToString()
        footer_start = self._offset + MESSAGE_HEADER_SIZE
        self._frame(MessageKind.END, body)
        self._write(StreamFooter.for_footer(footer_start, body).to_bytes())  # even when empty, as 0.41 does

    def _frame(self, kind: MessageKind, body: bytes) -> None:
        self._write(MessageHeader(kind, len(body)).to_bytes())
        self._write(body)

    def _write(self, data: bytes | memoryview) -> None:
        self._sink.write(data)
        self._offset += len(data)

    def __enter__(self) -> RrdEncoder:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.finish()


def encode_arrow_msg_body(msg: ArrowMsg, compression: Compression) -> tuple[list[bytes], int]:
    """The serialized ``ArrowMsg`` protobuf, in pieces so the (large) payload is never copied again.

    Protobuf writes fields in number order, so fields 1-4, then the payload (5), then 6-7 gives the
    same bytes as serializing the whole message.
    """
    payload, uncompressed_size = encode_chunk_payload(msg.chunk, compression)
    head = log_msg_pb2.ArrowMsg(
        store_id=msg.store_id.to_proto(),
        compression=compression.value,  # type: ignore[arg-type]
        uncompressed_size=uncompressed_size,
        encoding=log_msg_pb2.ENCODING_ARROW_IPC,
    ).SerializeToString()
    tail = log_msg_pb2.ArrowMsg(chunk_id=tuid_to_proto(msg.chunk.id), is_static=msg.chunk.is_static)
    parts = [head]
    if payload:
        parts += [_PAYLOAD_TAG + encode_varint(len(payload)), payload]
    parts.append(tail.SerializeToString())
    return parts, uncompressed_size


def encode_rrd(
    messages: list[LogMsg], *, compression: Compression = Compression.LZ4, write_footer: bool = True
) -> bytes:
    """A whole stream as bytes (convenient for tests and small recordings)."""
    sink = io.BytesIO()
    with RrdEncoder(sink, compression=compression, write_footer=write_footer) as encoder:
        for msg in messages:
            encoder.append(msg)
    return sink.getvalue()
