"""Encoding and decoding whole streams: framing, compression, footers, manifests, concatenation."""

from __future__ import annotations

import io

import pyarrow as pa
import pytest

from rerun_core import (
    ArrowMsg,
    BlueprintActivationCommand,
    Chunk,
    ComponentDescriptor,
    Compression,
    SetStoreInfo,
    StoreId,
    StoreKind,
    Timeline,
    TimeType,
)
from rerun_core.proto import log_msg_pb2
from rerun_core.rrd import RrdDecoder, RrdEncoder, decode_rrd, encode_rrd
from rerun_core.rrd.encoder import encode_arrow_msg_body
from rerun_core.rrd.framing import StreamFooter

STORE = StoreId(StoreKind.RECORDING, "app", "rec")
BLUEPRINT = StoreId(StoreKind.BLUEPRINT, "app", "bp")
SCALAR = ComponentDescriptor("Scalars:scalars", "rerun.archetypes.Scalars", "rerun.components.Scalar")
TEXT = ComponentDescriptor("TextDocument:text", "rerun.archetypes.TextDocument", "rerun.components.Text")
STEP = Timeline("step", TimeType.SEQUENCE)
ELAPSED = Timeline("elapsed", TimeType.DURATION_NS)


def scalar_chunk(entity: str, steps: list[int], values: list[float | None]) -> Chunk:
    column = pa.array([None if v is None else [v] for v in values], type=pa.list_(pa.float64()))
    return Chunk.build(
        entity,
        timelines={
            STEP: pa.array(steps),
            ELAPSED: pa.array([s * 1000 for s in steps], type=pa.duration("ns")),
        },
        components={SCALAR: column},
    )


def sample_messages() -> list:
    static = Chunk.build("/readme", components={TEXT: pa.array([["hi"]], type=pa.list_(pa.utf8()))})
    return [
        SetStoreInfo(STORE),
        ArrowMsg(STORE, static),
        ArrowMsg(STORE, scalar_chunk("/a", [0, 1, 2], [1.0, None, 3.0])),
        ArrowMsg(STORE, scalar_chunk("/b", [5, 7], [0.5, 0.25])),
        SetStoreInfo(BLUEPRINT),
        ArrowMsg(BLUEPRINT, static),
        BlueprintActivationCommand(BLUEPRINT, make_active=True, make_default=False),
    ]


@pytest.mark.parametrize("compression", [Compression.LZ4, Compression.NONE])
@pytest.mark.parametrize("footer", [True, False])
def test_round_trip(compression: Compression, footer: bool) -> None:
    messages = sample_messages()
    data = encode_rrd(messages, compression=compression, write_footer=footer)
    assert data[:4] == b"RRF2" and data[4:8] == bytes([0, 41, 0, 0])
    assert data[8] == (1 if compression == Compression.LZ4 else 0) and data[9:12] == b"\x02\0\0"
    assert decode_rrd(data) == messages
    assert (data[-12:-4] == b"RRF2FOOT") is footer


def test_arrow_msg_body_equals_plain_protobuf_serialization() -> None:
    msg = ArrowMsg(STORE, scalar_chunk("/a", [1], [2.0]))
    for compression in Compression:
        parts, _ = encode_arrow_msg_body(msg, compression)
        proto = msg.to_proto(compression)
        assert b"".join(parts) == proto.SerializeToString()
        parsed = log_msg_pb2.ArrowMsg.FromString(b"".join(parts))
        assert parsed.chunk_id.time_ns == msg.chunk.id.time_ns and parsed.is_static is False
        assert parsed.HasField("is_static")


def test_manifest_describes_every_chunk() -> None:
    messages = sample_messages()
    data = encode_rrd(messages)
    decoder = RrdDecoder(io.BytesIO(data))
    list(decoder)
    manifests = {m.store_id: m for m in decoder.manifests()}
    assert set(manifests) == {STORE, BLUEPRINT}
    table = manifests[STORE].chunks
    names = table.column_names
    assert names[:7] == [
        "chunk_entity_path",
        "chunk_id",
        "chunk_is_static",
        "chunk_num_rows",
        "chunk_byte_offset",
        "chunk_byte_size",
        "chunk_byte_size_uncompressed",
    ]
    assert names[7:] == [
        "Scalars:scalars:has_static_data",
        "TextDocument:text:has_static_data",
        "elapsed:start",
        "elapsed:end",
        "step:start",
        "step:end",
        "elapsed:Scalars:scalars:start",
        "elapsed:Scalars:scalars:end",
        "elapsed:Scalars:scalars:num_rows",
        "step:Scalars:scalars:start",
        "step:Scalars:scalars:end",
        "step:Scalars:scalars:num_rows",
    ]
    rows = table.to_pylist()
    assert [r["chunk_entity_path"] for r in rows] == ["/readme", "/a", "/b"]
    assert [r["step:Scalars:scalars:num_rows"] for r in rows] == [
        0,
        2,
        2,
    ]  # the null row of /a does not count
    assert [r["step:start"] for r in rows] == [None, 0, 5]
    assert table.column("elapsed:end").cast(pa.int64()).to_pylist() == [None, 2000, 7000]
    assert [r["TextDocument:text:has_static_data"] for r in rows] == [True, False, False]
    for row, msg in zip(rows, [m for m in messages[:4] if isinstance(m, ArrowMsg)], strict=True):
        start, size = row["chunk_byte_offset"], row["chunk_byte_size"]
        body = log_msg_pb2.ArrowMsg.FromString(data[start : start + size])
        assert body.chunk_id.inc == msg.chunk.id.inc
        assert row["chunk_byte_size_uncompressed"] == body.uncompressed_size
    schema = manifests[STORE].sorbet_schema
    assert schema.names == ["rerun.controls.RowId", "elapsed", "step", "/a:Scalars:scalars", "/b:Scalars:scalars",
                            "/readme:TextDocument:text"]  # fmt: skip
    assert schema.field("/readme:TextDocument:text").metadata[b"rerun:is_static"] == b"true"
    assert schema.field("/a:Scalars:scalars").metadata[b"rerun:entity_path"] == b"/a"
    assert len(manifests[STORE].sorbet_schema_sha256) == 32


def test_footer_points_at_the_end_body() -> None:
    data = encode_rrd(sample_messages())
    footer = StreamFooter.from_bytes(data[-32:], len(data) - 32)
    assert footer.footer_start + footer.footer_length == len(data) - 32


def test_concatenated_streams_read_back_in_order() -> None:
    first, second = sample_messages()[:3], sample_messages()[3:]
    data = encode_rrd(first) + encode_rrd(second, compression=Compression.NONE, write_footer=False)
    decoder = RrdDecoder(io.BytesIO(data))
    assert list(decoder) == first + second
    assert len(decoder.headers) == 2 and len(decoder.footers) == 1


def test_encoder_refuses_writes_after_finish() -> None:
    encoder = RrdEncoder(io.BytesIO())
    encoder.finish()
    encoder.finish()  # idempotent
    with pytest.raises(Exception, match="after finish"):
        encoder.append(SetStoreInfo(STORE))


def test_manifest_offsets_count_from_their_own_stream() -> None:
    """Concatenating files (``cat a.rrd b.rrd``) keeps each footer valid; offsets are per stream."""
    first = encode_rrd(sample_messages()[:3])
    second = encode_rrd(sample_messages()[:4])
    data = first + second
    decoder = RrdDecoder(io.BytesIO(data))
    list(decoder)
    assert [record.stream_offset for record in decoder.footers] == [0, len(first)]
    manifest = next(m for m in decoder.manifests() if m.stream_offset == len(first))
    for row in manifest.chunks.to_pylist():
        start = manifest.stream_offset + row["chunk_byte_offset"]
        body = log_msg_pb2.ArrowMsg.FromString(data[start : start + row["chunk_byte_size"]])
        assert body.uncompressed_size == row["chunk_byte_size_uncompressed"]


def test_empty_recording_has_a_footer_for_an_empty_end() -> None:
    """0.41 writes End(len=0) followed by a stream footer spanning zero bytes; both sides read it."""
    data = encode_rrd([SetStoreInfo(STORE)])
    assert data[-12:-4] == b"RRF2FOOT"
    footer = StreamFooter.from_bytes(data[-32:], len(data) - 32)
    assert footer.footer_length == 0 and footer.footer_start == len(data) - 32
    decoder = RrdDecoder(io.BytesIO(data * 2))
    assert list(decoder) == decode_rrd(data) * 2
    assert len(decoder.headers) == 2


def test_streams_without_end_can_be_concatenated() -> None:
    """A footer-less stream (no End at all, as 0.41 writes with write_footer=False) followed by another."""
    messages = sample_messages()[:2]
    whole = encode_rrd(messages, write_footer=False)
    without_end = whole[:-16]  # drop the End message header (len 0)
    decoder = RrdDecoder(io.BytesIO(without_end + whole))
    assert list(decoder) == messages * 2
    assert len(decoder.headers) == 2
