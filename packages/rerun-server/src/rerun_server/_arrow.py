"""Arrow on the wire: ``DataframePart`` (an IPC stream of one batch, maybe LZ4) and ``Schema`` messages."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.ipc as ipc

from rerun_core.proto import common_pb2
from rerun_server.errors import InvalidArgumentError

__all__ = [
    "decode_dataframe_part",
    "decode_schema",
    "encode_dataframe_part",
    "encode_schema",
    "ipc_file_bytes",
    "read_ipc_batches",
]

_LZ4 = pa.Codec("lz4_raw")
_COMPRESS_ABOVE_BYTES = 1024  # tiny parts are not worth a codec round trip (the client reads both)


def encode_dataframe_part(batch: pa.RecordBatch) -> common_pb2.DataframePart:
    """One record batch as 0.41 sends it: an IPC stream, LZ4-compressed as one raw block when large."""
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    data = sink.getvalue()
    part = common_pb2.DataframePart(encoder_version=common_pb2.ENCODER_VERSION_V0)
    if data.size > _COMPRESS_ABOVE_BYTES:
        part.payload = _LZ4.compress(data).to_pybytes()
        part.compression = common_pb2.COMPRESSION_LZ4
        part.uncompressed_size = data.size
    else:
        part.payload = data.to_pybytes()
        part.compression = common_pb2.COMPRESSION_NONE
    return part


def decode_dataframe_part(part: common_pb2.DataframePart, *, what: str = "DataframePart") -> pa.Table:
    """The rows a client sent; anything malformed is the client's error (INVALID_ARGUMENT)."""
    if part.encoder_version not in (common_pb2.ENCODER_VERSION_UNSPECIFIED, common_pb2.ENCODER_VERSION_V0):
        raise InvalidArgumentError(f"malformed {what}: unknown encoder_version {part.encoder_version}")
    payload = pa.py_buffer(part.payload)
    if part.compression == common_pb2.COMPRESSION_LZ4:
        try:
            payload = _LZ4.decompress(payload, decompressed_size=part.uncompressed_size)
        except (pa.ArrowException, OSError) as err:
            raise InvalidArgumentError(f"malformed {what}: LZ4 payload does not decompress: {err}") from None
    elif part.compression not in (common_pb2.COMPRESSION_UNSPECIFIED, common_pb2.COMPRESSION_NONE):
        raise InvalidArgumentError(f"malformed {what}: unknown compression {part.compression}")
    try:
        table = ipc.open_stream(payload).read_all()
        table.validate(full=True)
    except (pa.ArrowException, OSError) as err:
        raise InvalidArgumentError(f"malformed {what}: payload is not an Arrow IPC stream: {err}") from None
    return table


def encode_schema(schema: pa.Schema) -> common_pb2.Schema:
    sink = pa.BufferOutputStream()
    ipc.new_stream(sink, schema).close()
    return common_pb2.Schema(arrow_schema=sink.getvalue().to_pybytes())


def decode_schema(message: common_pb2.Schema, *, what: str = "schema") -> pa.Schema:
    try:
        return ipc.open_stream(pa.py_buffer(message.arrow_schema)).schema
    except (pa.ArrowException, OSError) as err:
        raise InvalidArgumentError(f"malformed {what}: not an Arrow IPC schema: {err}") from None


def ipc_file_bytes(batches: list[pa.RecordBatch] | pa.Table, schema: pa.Schema | None = None) -> bytes:
    """Batches (or a schema alone) as IPC stream bytes, for keeping in the catalog database."""
    if isinstance(batches, pa.Table):
        schema, batches = batches.schema, batches.to_batches()
    assert schema is not None
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, schema) as writer:
        for batch in batches:
            writer.write_batch(batch)
    return sink.getvalue().to_pybytes()


def read_ipc_batches(data: bytes) -> pa.Table:
    return ipc.open_stream(pa.py_buffer(data)).read_all()
