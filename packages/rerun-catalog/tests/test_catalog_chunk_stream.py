"""FetchChunks responses read without copying payloads, and the filters a read answers itself."""

from __future__ import annotations

import pyarrow as pa
import pytest
from datafusion import col, lit

from rerun_catalog._chunk_stream import fetch_chunks_payloads
from rerun_catalog._reader import ReadRequest, _unanswered
from rerun_catalog.errors import CatalogError
from rerun_core.chunk import Chunk
from rerun_core.descriptor import ComponentDescriptor
from rerun_core.log_msg import ArrowMsg, Compression, StoreId, StoreKind, decode_chunk_payload
from rerun_core.proto import cloud_pb2
from rerun_core.timeline import Timeline, TimeType

_SCALAR = ComponentDescriptor("Scalars:scalars", "rerun.archetypes.Scalars", "rerun.components.Scalar")


def _chunk(start: int) -> Chunk:
    frames = pa.array(range(start, start + 100), pa.int64())
    values = pa.array([[float(i)] for i in range(100)], pa.list_(pa.float64()))
    return Chunk.build(
        "/scalar", timelines={Timeline("frame", TimeType.SEQUENCE): frames}, components={_SCALAR: values}
    )


def _response(chunks: list[tuple[str, Chunk, Compression]]) -> cloud_pb2.FetchChunksResponse:
    return cloud_pb2.FetchChunksResponse(
        chunks=[
            ArrowMsg(StoreId(StoreKind.RECORDING, "app", segment), chunk).to_proto(compression)
            for segment, chunk, compression in chunks
        ]
    )


def test_payloads_match_what_protobuf_parses_and_decode_to_the_chunks() -> None:
    chunks = [("rec_a", _chunk(0), Compression.LZ4), ("rec_b", _chunk(100), Compression.NONE)]
    response = _response(chunks)
    found = list(fetch_chunks_payloads(response.SerializeToString()))
    assert [m.recording_id for m in found] == ["rec_a", "rec_b"]
    assert [m.compression for m in found] == [Compression.LZ4, Compression.NONE]
    for message, proto, (_, chunk, _) in zip(found, response.chunks, chunks, strict=True):
        assert bytes(message.payload) == proto.payload
        assert message.uncompressed_size == proto.uncompressed_size
        assert message.encoding == proto.encoding
        decoded = decode_chunk_payload(
            pa.py_buffer(message.payload), message.compression, message.uncompressed_size
        )
        assert decoded == chunk


def test_a_truncated_response_is_an_error_naming_it() -> None:
    raw = _response([("rec_a", _chunk(0), Compression.LZ4)]).SerializeToString()
    with pytest.raises(CatalogError, match="malformed FetchChunks response"):
        list(fetch_chunks_payloads(raw[:-10]))


def _request(index_type: pa.DataType, **options: object) -> ReadRequest:
    schema = pa.schema([pa.field("frame", index_type)])
    return ReadRequest(conn=None, entry_id="x", dataset_schema=schema, index="frame", **options)  # type: ignore[arg-type]


def test_segment_and_sequence_bounds_are_answered_by_the_read() -> None:
    segment = col("rerun_segment_id") == lit("rec_1")
    low, high = col("frame") >= lit(10), col("frame") < lit(20)
    other = col("/scalar:Scalars:scalars").is_not_null()
    unanswered = _unanswered(_request(pa.int64()), [segment & low & high & other])
    assert [str(e) for e in unanswered] == [str(other)]


def test_bounds_stay_for_times_and_index_values() -> None:
    low = col("frame") >= lit(10)
    assert [str(e) for e in _unanswered(_request(pa.timestamp("ns")), [low])] == [str(low)]
    sampled = _request(pa.int64(), using_index_values=pa.array([1, 2], pa.int64()))
    assert [str(e) for e in _unanswered(sampled, [low])] == [str(low)]
