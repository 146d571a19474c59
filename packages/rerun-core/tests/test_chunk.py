"""Chunks: built from columns or wrapped around a record batch, in the sorbet layout of 0.41."""

from __future__ import annotations

import pyarrow as pa
import pytest

from rerun_core import Chunk, ChunkError, ComponentDescriptor, Timeline, TimeType, Tuid, sorbet

POSITIONS = ComponentDescriptor(
    "Points3D:positions", "rerun.archetypes.Points3D", "rerun.components.Position3D"
)
COLORS = ComponentDescriptor("Points3D:colors", "rerun.archetypes.Points3D", "rerun.components.Color")
FRAME = Timeline("frame", TimeType.SEQUENCE)
LOG_TIME = Timeline("log_time", TimeType.TIMESTAMP_NS)
VEC3 = pa.list_(pa.field("item", pa.float32(), nullable=False), 3)


def points_chunk(**kwargs: object) -> Chunk:
    positions = pa.array([[[0, 0, 0]], [[1, 1, 1], [2, 2, 2]], None], type=pa.list_(VEC3))
    colors = pa.array([[0xFF0000FF], None, [1, 2]], type=pa.list_(pa.uint32()))
    return Chunk.build(
        "/world/points",
        timelines={FRAME: pa.array([3, 4, 5]), LOG_TIME: pa.array([10, 20, 30], type=pa.timestamp("ns"))},
        components={POSITIONS: positions, COLORS: colors},
        **kwargs,  # type: ignore[arg-type]
    )


def test_layout_matches_0_41() -> None:
    batch = points_chunk().to_record_batch()
    assert batch.schema.names == [
        "rerun.controls.RowId",
        "frame",
        "log_time",
        "Points3D:colors",
        "Points3D:positions",
    ]
    meta = sorbet.decode_metadata(batch.schema.metadata)
    assert meta[sorbet.ENTITY_PATH] == "/world/points"
    assert meta[sorbet.VERSION] == "0.1.4"
    assert meta[sorbet.ID].startswith("chunk_")
    row_id = batch.schema.field(0)
    assert not row_id.nullable and row_id.type == pa.binary(16)
    assert sorbet.decode_metadata(row_id.metadata)[sorbet.EXTENSION_NAME] == "rerun.datatypes.TUID"
    assert sorbet.decode_metadata(batch.schema.field("frame").metadata) == {
        "rerun:kind": "index",
        "rerun:index_name": "frame",
        "rerun:is_sorted": "true",
    }
    assert sorbet.decode_metadata(batch.schema.field("Points3D:positions").metadata) == {
        "rerun:kind": "data",
        "rerun:archetype": "rerun.archetypes.Points3D",
        "rerun:component": "Points3D:positions",
        "rerun:component_type": "rerun.components.Position3D",
    }


def test_accessors() -> None:
    chunk = points_chunk()
    assert chunk.entity_path == "/world/points" and chunk.num_rows == 3 and not chunk.is_static
    assert list(chunk.timelines) == ["frame", "log_time"]
    assert chunk.timelines["log_time"] == LOG_TIME
    assert list(chunk.components) == [COLORS, POSITIONS]
    assert chunk.time_range("frame") == (3, 5)
    assert chunk.time_range("log_time") == (10, 30)
    assert chunk.component("Points3D:colors").to_pylist() == [[0xFF0000FF], None, [1, 2]]
    rows = [Tuid.from_bytes(b) for b in chunk.row_ids.to_pylist()]
    assert rows == sorted(rows)
    with pytest.raises(KeyError, match="no timeline"):
        chunk.index_column("nope")


def test_round_trip_through_record_batch_is_zero_copy() -> None:
    chunk = points_chunk()
    batch = chunk.to_record_batch()
    again = Chunk.from_record_batch(batch)
    assert again == chunk and again.id == chunk.id
    assert again.to_record_batch() is batch
    original = chunk.component("Points3D:positions").buffers()
    assert [b.address for b in again.component("Points3D:positions").buffers() if b] == [
        b.address for b in original if b
    ]


def test_static_chunk_has_no_index_columns() -> None:
    chunk = Chunk.build("/static", components={COLORS: pa.array([[1]], type=pa.list_(pa.uint32()))})
    assert chunk.is_static and chunk.timelines == {}
    assert chunk.to_record_batch().schema.names == ["rerun.controls.RowId", "Points3D:colors"]


def test_given_ids_are_kept() -> None:
    chunk_id = Tuid(1, 2)
    row_ids = pa.array([Tuid(5, i).to_bytes() for i in range(3)], type=pa.binary(16))
    chunk = points_chunk(chunk_id=chunk_id, row_ids=row_ids)
    assert chunk.id == chunk_id and chunk.row_ids.equals(row_ids)
    assert sorbet.decode_metadata(chunk.to_record_batch().schema.metadata)[sorbet.ID] == f"chunk_{chunk_id}"


def test_bad_columns_are_named() -> None:
    with pytest.raises(ChunkError, match="different lengths"):
        Chunk.build(
            "/x",
            timelines={FRAME: pa.array([1, 2])},
            components={COLORS: pa.array([[1]], pa.list_(pa.uint32()))},
        )
    with pytest.raises(ChunkError, match="must be a list array"):
        Chunk.build("/x", components={COLORS: pa.array([1], pa.uint32())})
    with pytest.raises(ChunkError, match="at least one component"):
        Chunk.build("/x", components={})


def test_batches_that_are_not_chunks_are_rejected() -> None:
    plain = pa.record_batch({"a": [1]})
    with pytest.raises(ChunkError, match="rerun:id"):
        Chunk.from_record_batch(plain)
    batch = points_chunk().to_record_batch()
    no_rows = batch.drop_columns(["rerun.controls.RowId"])
    with pytest.raises(ChunkError, match=r"has no 'rerun\.controls\.RowId'"):
        Chunk.from_record_batch(no_rows)
    bad_id = batch.replace_schema_metadata({**batch.schema.metadata, b"rerun:id": b"chunk_nope"})
    with pytest.raises(ChunkError, match="bad chunk id"):
        Chunk.from_record_batch(bad_id)
