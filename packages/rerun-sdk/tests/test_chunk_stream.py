"""``LazyChunkStream``: selection, transforms, consumption rules, laziness, split/merge, terminals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import rerun as rr
from rerun.chunk import Chunk, ChunkStore, LazyChunkStream, OptimizationProfile, RrdReader
from rerun.chunk._plan import Source

CONSUMED = "This stream has already been consumed"


def _chunks() -> list[Chunk]:
    step = [rr.TimeColumn("step", sequence=[1, 2, 3])]
    return [
        Chunk.from_columns(
            "/a", step, [*rr.Points3D.columns(positions=[[1, 2, 3]] * 3, radii=[1.0, 2.0, 3.0])]
        ),
        Chunk.from_columns("/a/b", step, rr.Scalars.columns(scalars=[1.0, 2.0, 3.0])),
        Chunk.from_columns("/c", [], rr.Scalars.columns(scalars=[9.0])),
        Chunk.from_columns("/c", [rr.TimeColumn("frame", sequence=[7])], rr.Scalars.columns(scalars=[7.0])),
    ]


class CountingSource:
    """A stream source that counts its runs and the chunks pulled from it."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.chunks, self.runs, self.pulled = chunks, 0, 0

    def __call__(self) -> Iterator:
        self.runs += 1
        for chunk in self.chunks:
            self.pulled += 1
            yield chunk._internal

    def stream(self) -> LazyChunkStream:
        return LazyChunkStream(Source(self))


def _shape(chunks: list[Chunk]) -> list[tuple[str, list[str]]]:
    return [
        (c.entity_path, [f.name for f in c.to_record_batch().schema][1 + len(c.timeline_names) :])
        for c in chunks
    ]


def test_filter_by_chunk_criteria_keeps_whole_chunks_and_ids() -> None:
    chunks = _chunks()
    stream = LazyChunkStream.from_iter(chunks)
    kept = stream.filter(content="/a/**", is_static=False).to_chunks()
    assert [c.id for c in kept] == [chunks[0].id, chunks[1].id]
    assert [c.entity_path for c in LazyChunkStream.from_iter(chunks).filter(has_timeline="frame")] == ["/c"]
    assert [c.is_static for c in LazyChunkStream.from_iter(chunks).filter(is_static=True)] == [True]
    assert LazyChunkStream.from_iter(chunks).filter(content=[]).to_chunks() == []
    assert len(LazyChunkStream.from_iter(chunks).filter().to_chunks()) == 4


def test_filter_by_components_cuts_columns_into_new_chunks_keeping_row_ids() -> None:
    chunks = _chunks()
    kept = (
        LazyChunkStream.from_iter(chunks).filter(components=["Points3D:radii", "Scalars:scalars"]).to_chunks()
    )
    assert _shape(kept) == [
        ("/a", ["Points3D:radii"]),
        ("/a/b", ["Scalars:scalars"]),
        ("/c", ["Scalars:scalars"]),
        ("/c", ["Scalars:scalars"]),
    ]
    assert all(c.id != original.id for c, original in zip(kept, chunks, strict=True))
    assert kept[0].to_record_batch().column(0) == chunks[0].to_record_batch().column(0)
    descriptor = rr.ComponentDescriptor("Points3D:radii")
    assert _shape(LazyChunkStream.from_iter(chunks).filter(components=descriptor).to_chunks()) == [
        ("/a", ["Points3D:radii"])
    ]


def test_drop_is_the_complement_and_keeps_untouched_chunks_as_they_are() -> None:
    chunks = _chunks()
    dropped = LazyChunkStream.from_iter(chunks).drop(components="Points3D:radii").to_chunks()
    assert _shape(dropped)[0] == ("/a", ["Points3D:positions"])
    assert dropped[0].id != chunks[0].id
    assert [c.id for c in dropped[1:]] == [c.id for c in chunks[1:]]
    assert LazyChunkStream.from_iter(chunks).drop().to_chunks() == []
    assert [c.entity_path for c in LazyChunkStream.from_iter(chunks).drop(is_static=False)] == ["/c"]


def test_split_reads_its_input_once_when_both_branches_are_merged() -> None:
    source = CountingSource(_chunks())
    matching, rest = source.stream().split(components="Points3D:radii")
    merged = LazyChunkStream.merge(matching, rest).to_chunks()
    assert source.runs == 1
    assert sorted(_shape(merged)) == sorted(
        [("/a", ["Points3D:radii"]), ("/a", ["Points3D:positions"]), *_shape(_chunks()[1:])]
    )


def test_a_split_branch_alone_runs_as_a_filter() -> None:
    source = CountingSource(_chunks())
    matching, rest = source.stream().split(is_static=True)
    assert [c.entity_path for c in matching] == ["/c"]
    assert [c.entity_path for c in rest.to_chunks()] == ["/a", "/a/b", "/c"]
    assert source.runs == 2


def test_merge_takes_from_each_input_in_turn_keeping_their_order() -> None:
    first, second = _chunks()[:2], _chunks()[2:]
    merged = LazyChunkStream.merge(LazyChunkStream.from_iter(first), LazyChunkStream.from_iter(second))
    assert [c.id for c in merged.to_chunks()] == [first[0].id, second[0].id, first[1].id, second[1].id]
    assert LazyChunkStream.merge().to_chunks() == []


def test_builders_consume_and_terminals_rerun() -> None:
    source = CountingSource(_chunks())
    stream = source.stream()
    assert len(stream.to_chunks()) == 4 and len(list(stream)) == 4 and len(stream.collect()) >= 1
    assert source.runs == 3
    stream.filter(is_static=True)
    for use in (
        stream.to_chunks,
        lambda: stream.filter(),
        lambda: LazyChunkStream.merge(stream),
        stream.collect,
    ):
        with pytest.raises(ValueError, match=CONSUMED):
            use()
    other = source.stream()
    with pytest.raises(ValueError, match=CONSUMED):
        LazyChunkStream.merge(other, other)


def test_streams_pull_one_chunk_at_a_time() -> None:
    source = CountingSource(_chunks())
    iterator = iter(source.stream().filter(is_static=False).map(lambda c: c.with_entity_path("/moved")))
    first = next(iterator)
    assert first.entity_path == "/moved"
    assert source.pulled == 1


def test_map_and_flat_map() -> None:
    chunks = _chunks()
    renamed = (
        LazyChunkStream.from_iter(chunks).map(lambda c: c.with_entity_path("/x" + c.entity_path)).to_chunks()
    )
    assert [c.entity_path for c in renamed] == ["/x/a", "/x/a/b", "/x/c", "/x/c"]
    assert [c.to_record_batch().column(0) for c in renamed] == [c.to_record_batch().column(0) for c in chunks]
    doubled = LazyChunkStream.from_iter(chunks).flat_map(lambda c: [c, c] if c.is_static else []).to_chunks()
    assert [c.id for c in doubled] == [chunks[2].id] * 2
    with pytest.raises(TypeError, match="map expects Chunk objects"):
        LazyChunkStream.from_iter(chunks).map(lambda c: 5).to_chunks()  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError, match="flat_map expects Chunk objects"):
        LazyChunkStream.from_iter(chunks).flat_map(lambda c: [5]).to_chunks()  # type: ignore[list-item]


def test_from_iter_is_read_once() -> None:
    stream = LazyChunkStream.from_iter(iter(_chunks()))
    assert len(stream.to_chunks()) == 4
    assert stream.to_chunks() == []
    with pytest.raises(TypeError, match="from_iter expects Chunk objects"):
        LazyChunkStream.from_iter([1]).to_chunks()  # type: ignore[list-item]


def test_selector_arguments_are_checked() -> None:
    with pytest.raises(TypeError, match="'is_static'"):
        LazyChunkStream.from_iter([]).filter(is_static="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'has_timeline'"):
        LazyChunkStream.from_iter([]).filter(has_timeline=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        LazyChunkStream.from_iter([]).filter(content=5)


def test_collect_compacts_and_optimize_uses_the_profile() -> None:
    step = lambda i: [rr.TimeColumn("step", sequence=[i])]  # noqa: E731
    chunks = [Chunk.from_columns("/s", step(i), rr.Scalars.columns(scalars=[float(i)])) for i in range(50)]
    assert len(LazyChunkStream.from_iter(chunks).collect()) == 1
    tiny = OptimizationProfile(max_rows=8, max_rows_if_unsorted=8)
    assert len(LazyChunkStream.from_iter(chunks).collect(optimize=tiny)) > 1
    assert OptimizationProfile.OBJECT_STORE._store_config().max_bytes == 2 * 1024 * 1024
    store = ChunkStore.from_chunks(chunks)
    assert isinstance(store, ChunkStore) and repr(store) == "ChunkStore(1 chunks)"


def test_write_rrd_round_trips(tmp_path: Path) -> None:
    chunks = _chunks()
    path = tmp_path / "out.rrd"
    LazyChunkStream.from_iter(chunks).write_rrd(path, application_id="app", recording_id="rec")
    reader = RrdReader(path)
    assert [(e.kind, e.application_id, e.recording_id) for e in reader.recordings()] == [
        ("recording", "app", "rec")
    ]
    assert [c.id for c in reader.stream()] == [c.id for c in chunks]
    assert [c.id for c in reader.store().stream()] == [c.id for c in chunks]
    with pytest.raises(RuntimeError, match="No such file or directory"):
        LazyChunkStream.from_iter([]).write_rrd(
            tmp_path / "missing" / "x.rrd", application_id="a", recording_id="b"
        )
