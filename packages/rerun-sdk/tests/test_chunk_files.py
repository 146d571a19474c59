"""``RrdReader`` / ``LazyStore`` on odd files, ``rr.send_chunks``, and ``Chunk``'s own surface."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

import rerun as rr
from rerun.chunk import Chunk, LazyChunkStream, RrdReader, StoreEntry
from rerun_core import ArrowMsg, SetStoreInfo, StoreId, StoreKind
from rerun_core.rrd import RrdEncoder, read_rrd


def _chunks() -> list[Chunk]:
    return [
        Chunk.from_columns(
            "/a", [rr.TimeColumn("step", sequence=[1, 2])], rr.Scalars.columns(scalars=[1.0, 2.0])
        ),
        Chunk.from_columns("/b", [], rr.Scalars.columns(scalars=[3.0])),
    ]


def _write(path: Path, stores: dict[StoreId, list[Chunk]], *, write_footer: bool = True) -> None:
    with path.open("wb") as sink, RrdEncoder(sink, write_footer=write_footer) as encoder:
        for store_id, chunks in stores.items():
            encoder.append(SetStoreInfo(store_id))
            for chunk in chunks:
                encoder.append(ArrowMsg(store_id, chunk._internal))


RECORDING = StoreId(StoreKind.RECORDING, "app", "rec")
BLUEPRINT = StoreId(StoreKind.BLUEPRINT, "app", "bp")


def test_stores_are_listed_and_picked(tmp_path: Path) -> None:
    chunks = _chunks()
    path = tmp_path / "two.rrd"
    _write(path, {BLUEPRINT: chunks[1:], RECORDING: chunks})
    reader = RrdReader(str(path))
    assert repr(reader) == f"RrdReader({path})" and reader.path == path
    (recording,) = reader.recordings()
    (blueprint,) = reader.blueprints()
    assert repr(blueprint) == "StoreEntry(kind='blueprint', application_id='app', recording_id='bp')"
    assert recording == reader.recordings()[0] and len({recording, reader.recordings()[0]}) == 1
    assert [c.id for c in reader.stream()] == [c.id for c in chunks]
    assert [c.id for c in reader.stream(store=blueprint)] == [chunks[1].id]
    lazy = reader.store(store=blueprint)
    assert repr(lazy) == "LazyStore(1 chunks)" and [c.id for c in lazy.stream()] == [chunks[1].id]
    assert lazy.summary() == "/b rows=1 static=True timelines=[] cols=['Scalars:scalars']"
    other = StoreEntry(StoreId(StoreKind.RECORDING, "app", "other"))
    with pytest.raises(
        ValueError, match='Store StoreId\\(Recording, "app", "other"\\) not found in RRD file'
    ):
        reader.stream(store=other)


def test_files_without_a_footer_are_scanned_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "legacy.rrd"
    _write(path, {RECORDING: _chunks()}, write_footer=False)
    with pytest.warns(rr.RerunWarning, match="has no footer/manifest"):
        reader = RrdReader(path)
    assert [e.recording_id for e in reader.recordings()] == ["rec"]
    assert len(reader.stream().to_chunks()) == 2
    with pytest.raises(RuntimeError, match="Legacy RRD without footer"):
        reader.store()


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="RRD file not found"):
        RrdReader(tmp_path / "missing.rrd")
    garbage = tmp_path / "garbage.rrd"
    garbage.write_bytes(b"garbage")
    with pytest.raises(RuntimeError, match=r"Failed to read RRD file at .*too small"):
        RrdReader(garbage)
    only_blueprint = tmp_path / "bp.rrd"
    _write(only_blueprint, {BLUEPRINT: _chunks()})
    with pytest.raises(ValueError, match="No recording store found in RRD file"):
        RrdReader(only_blueprint).stream()


def test_lazy_store_streams_by_offset_and_matches_the_collected_store(tmp_path: Path) -> None:
    path = tmp_path / "rec.rrd"
    _write(path, {RECORDING: _chunks()})
    lazy = RrdReader(path).store()
    store = lazy.stream().collect()
    assert lazy.schema() == store.schema()
    assert lazy.summary() == store.summary()
    assert lazy.schema().column_names() == ["step", "/a:Scalars:scalars", "/b:Scalars:scalars"]


def test_send_chunks_sends_every_kind_of_source_as_is(tmp_path: Path) -> None:
    chunks = _chunks()
    source = tmp_path / "source.rrd"
    _write(source, {RECORDING: chunks})
    target = tmp_path / "target.rrd"
    recording = rr.RecordingStream("dest", recording_id="dest-rec", send_properties=False)
    recording.save(str(target))
    reader = RrdReader(source)
    rr.send_chunks(chunks[0], recording=recording)
    rr.send_chunks(reader.stream(), recording=recording)
    rr.send_chunks(reader.store(), recording=recording)
    rr.send_chunks(reader.stream().collect(), recording=recording)
    recording.send_chunks(iter(chunks))
    with pytest.raises(TypeError, match="send_chunks expects Chunk objects, got 'int'"):
        rr.send_chunks([1], recording=recording)  # type: ignore[list-item]
    with pytest.raises(TypeError, match="not iterable"):
        rr.send_chunks(5, recording=recording)  # type: ignore[arg-type]
    recording.disconnect()
    sent = [msg for msg in read_rrd(target) if isinstance(msg, ArrowMsg)]
    assert {msg.store_id.recording_id for msg in sent} == {"dest-rec"}
    assert [msg.chunk.id for msg in sent] == [chunks[0]._internal.id] + [c._internal.id for c in chunks] * 4


def test_chunk_surface() -> None:
    chunk = _chunks()[0]
    assert chunk.id.startswith("chunk_") and len(chunk) == chunk.num_rows == 2
    assert (chunk.num_columns, chunk.is_static, chunk.is_empty, chunk.timeline_names) == (
        3,
        False,
        False,
        ["step"],
    )
    assert repr(chunk) == f"Chunk(id={chunk.id}, entity_path=/a, num_rows=2, num_columns=3)"
    moved = chunk.with_entity_path("/c/d")
    assert moved.entity_path == "/c/d" and moved.id != chunk.id
    assert moved.to_record_batch().column(0) == chunk.to_record_batch().column(0)
    (back,) = Chunk.from_record_batch(chunk.to_record_batch())
    assert back.id == chunk.id
    text = chunk.format(redact=True, width=80)
    assert "METADATA:" in text and "[**REDACTED**]" in text and chunk.id not in text
    assert str(chunk) == chunk.format()
    table = pa.table({"t": [1, 2], "x": [1.0, 2.0]})
    assert [c.num_rows for c in Chunk.from_dataframe(table, index="t")] == [2]
    assert [c.num_rows for c in Chunk.from_dataframe(table.to_reader(), index="t")] == [2]
    with pytest.raises(TypeError, match="Expected a pyarrow Table"):
        Chunk.from_dataframe(5)
    assert (
        LazyChunkStream.from_iter([chunk]).filter(components="Scalars:scalars").to_chunks()[0].num_rows == 2
    )
