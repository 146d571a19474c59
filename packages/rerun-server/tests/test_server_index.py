"""Indexing registered RRDs: from the footer manifest, or by one scan when a file has no footer."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from _server_support import FIXTURES

from rerun_core.proto import log_msg_pb2
from rerun_core.rrd import MessageKind, RrdDecoder
from rerun_core.rrd.framing import MessageHeader
from rerun_server._rrd_index import index_rrd, read_chunk_body
from rerun_server.errors import InvalidArgumentError, NotFoundError

NAMES = ["points3d", "any_values", "multi_timeline", "transforms"]


def _without_footer(source: Path, target: Path) -> None:
    """The same messages, ending with an empty End and no stream footer (as proxies write)."""
    with source.open("rb") as file:
        frames = [frame for frame in RrdDecoder(file).frames() if frame.kind != MessageKind.END]
    out = bytearray(source.read_bytes()[:12])
    for frame in frames:
        out += MessageHeader(frame.kind, len(frame.body)).to_bytes() + frame.body.to_pybytes()
    out += MessageHeader(MessageKind.END, 0).to_bytes()
    target.write_bytes(bytes(out))


@pytest.fixture(params=NAMES)
def fixture(request: pytest.FixtureRequest) -> Path:
    if not FIXTURES.is_dir():
        pytest.skip("reference fixtures missing")
    return FIXTURES / f"{request.param}.rrd"


def test_footer_and_scan_agree(fixture: Path, tmp_path: Path) -> None:
    from_footer = index_rrd(fixture)
    scanned_path = tmp_path / fixture.name
    _without_footer(fixture, scanned_path)
    scanned = index_rrd(scanned_path)
    assert from_footer.from_footer and not scanned.from_footer
    assert scanned.store_id == from_footer.store_id and scanned.store_id.recording_id == fixture.stem
    assert scanned.schema.equals(from_footer.schema, check_metadata=True)
    columns = ["chunk_id", "chunk_entity_path", "chunk_is_static", "chunk_byte_offset", "chunk_byte_size"]
    assert scanned.chunks.select(columns).equals(from_footer.chunks.select(columns))
    assert scanned.timeline_ranges == from_footer.timeline_ranges
    assert scanned.properties is not None and scanned.properties.equals(from_footer.properties)


def test_offsets_point_at_arrow_messages(fixture: Path) -> None:
    indexed = index_rrd(fixture)
    with fixture.open("rb") as file:
        for offset, size, chunk_id in zip(
            indexed.chunks["chunk_byte_offset"].to_pylist(),
            indexed.chunks["chunk_byte_size"].to_pylist(),
            indexed.chunks["chunk_id"].to_pylist(),
            strict=True,
        ):
            message = log_msg_pb2.ArrowMsg.FromString(read_chunk_body(file, offset, size))
            assert (
                message.chunk_id.time_ns.to_bytes(8, "big") + message.chunk_id.inc.to_bytes(8, "big")
                == chunk_id
            )


def test_schema_is_in_dataframe_order() -> None:
    if not FIXTURES.is_dir():
        pytest.skip("reference fixtures missing")
    schema = index_rrd(FIXTURES / "transforms.rrd").schema
    assert schema.names[:3] == ["rerun.controls.RowId", "log_time", "step"]
    assert schema.names[3:6] == [
        "/world:ViewCoordinates:xyz",
        "/world/robot:Transform3D:translation",
        "/world/robot/arm:Transform3D:rotation_axis_angle",
    ]
    assert schema.names[-1] == "property:RecordingInfo:start_time"
    assert schema.field("step").metadata == {b"rerun:index_name": b"step", b"rerun:kind": b"index"}


def test_properties_hold_newest_values() -> None:
    if not FIXTURES.is_dir():
        pytest.skip("reference fixtures missing")
    properties = index_rrd(FIXTURES / "any_values.rrd").properties
    assert properties is not None
    row = properties.to_pylist()[0]
    assert row["property:experiment:operator"] == ["alice"] and row["property:RecordingInfo:name"] == [
        "any values demo"
    ]
    assert properties.schema.field("property:experiment:trial").type == pa.list_(pa.int64())


def test_missing_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="does not exist"):
        index_rrd(tmp_path / "nope.rrd")
    (tmp_path / "text.rrd").write_text("not an rrd at all")
    with pytest.raises(InvalidArgumentError, match="not a readable RRD file"):
        index_rrd(tmp_path / "text.rrd")
