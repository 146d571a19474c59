"""The chunk store on insertion: indexing, row-id sorting, compaction, splitting, static data, events."""

from __future__ import annotations

import pyarrow as pa
import pytest

from rerun_core import Chunk, ComponentDescriptor, Timeline, TimeType
from rerun_core.store import ChunkStore, ChunkStoreConfig, StoreEvent
from rerun_core.tuid import new_tuids

STEP = Timeline("step", TimeType.SEQUENCE)
TIME = Timeline("time", TimeType.TIMESTAMP_NS)
SCALAR = ComponentDescriptor("Scalars:scalars", "rerun.archetypes.Scalars", "rerun.components.Scalar")
NAME = ComponentDescriptor("SeriesLines:names", "rerun.archetypes.SeriesLines", "rerun.components.Name")
CLEAR = ComponentDescriptor(
    "Clear:is_recursive", "rerun.archetypes.Clear", "rerun.components.ClearIsRecursive"
)


def scalars(path: str, steps: list[int] | None, values: list[float | None], **kwargs: object) -> Chunk:
    cells = pa.array([None if v is None else [v] for v in values], type=pa.list_(pa.float64()))
    timelines = None if steps is None else {STEP: pa.array(steps, pa.int64())}
    return Chunk.build(path, timelines=timelines, components={SCALAR: cells}, **kwargs)  # type: ignore[arg-type]


def store(**kwargs: object) -> ChunkStore:
    kwargs.setdefault("config", ChunkStoreConfig())
    return ChunkStore(**kwargs)  # type: ignore[arg-type]


def test_config_defaults_are_the_live_profile() -> None:
    assert ChunkStoreConfig() == ChunkStoreConfig(393216, 4096, 1024)
    assert ChunkStoreConfig.from_env({}) == ChunkStoreConfig()


def test_config_reads_the_environment() -> None:
    env = {
        "RERUN_CHUNK_MAX_BYTES": "1000",
        "RERUN_CHUNK_MAX_ROWS": " 7 ",
        "RERUN_CHUNK_MAX_ROWS_IF_UNSORTED": "3",
    }
    assert ChunkStoreConfig.from_env(env) == ChunkStoreConfig(1000, 7, 3)
    with pytest.raises(ValueError, match="RERUN_CHUNK_MAX_BYTES='1MiB'"):
        ChunkStoreConfig.from_env({"RERUN_CHUNK_MAX_BYTES": "1MiB"})
    with pytest.raises(ValueError, match="RERUN_CHUNK_MAX_ROWS"):
        ChunkStoreConfig.from_env({"RERUN_CHUNK_MAX_ROWS": "-1"})


def test_insert_indexes_by_entity_timeline_and_component() -> None:
    s = store()
    chunk = scalars("/a", [5, 7], [1.0, None])
    s.insert(chunk)
    assert s.num_chunks == 1 and s.nbytes == chunk.nbytes
    assert [c.chunk.id for c in s.temporal_chunks("/a", "step", SCALAR.component)] == [chunk.id]
    assert s.temporal_chunks("/a", "step", SCALAR.component, lo=6, hi=9) == []  # only step 5 holds a cell
    assert s.temporal_index("/a", "step", SCALAR.component).ranges == {chunk.id: (5, 5)}
    assert list(s.timelines()) == ["step"] and s.entity_paths() == ["/a"]


def test_duplicate_empty_and_component_less_chunks_are_ignored() -> None:
    s = store()
    chunk = scalars("/a", [1], [1.0])
    assert len(s.insert(chunk)) == 1
    assert s.insert(chunk) == []
    assert s.insert(scalars("/a", [], [])) == []
    assert s.num_chunks == 1


def test_chunks_are_sorted_by_row_id() -> None:
    ids = new_tuids(3)
    chunk = scalars("/a", [1, 2, 3], [1.0, 2.0, 3.0], row_ids=ids.take(pa.array([2, 0, 1])))
    s = store(config=ChunkStoreConfig.without_compaction())
    s.insert(chunk)
    (stored,) = s.chunks()
    assert stored.row_ids.equals(ids) and stored.id == chunk.id
    assert stored.component(SCALAR.component).to_pylist() == [[2.0], [3.0], [1.0]]


def test_small_neighbours_are_merged_with_a_compaction_report() -> None:
    s = store()
    events: list[StoreEvent] = []
    s.subscribe(events.extend)
    first, second = scalars("/a", [0, 1], [0.0, 1.0]), scalars("/a", [2, 3], [2.0, 3.0])
    s.insert(first)
    s.insert(second)
    (merged,) = s.chunks()
    assert merged.num_rows == 4 and merged.id not in (first.id, second.id)
    assert merged.index_column("step").to_pylist() == [0, 1, 2, 3]
    assert [e.chunk.id for e in events] == [first.id, second.id] and all(e.is_addition for e in events)
    report = events[1].compacted
    assert (
        report is not None
        and report.new_chunk is merged
        and report.removed_chunk_ids == (second.id, first.id)
    )
    assert s.temporal_index("/a", "step", SCALAR.component).ranges == {merged.id: (0, 3)}


def test_merging_respects_the_row_threshold_and_concatenability() -> None:
    s = store(config=ChunkStoreConfig(max_rows=3))
    s.insert(scalars("/a", [0, 1], [0.0, 1.0]))
    s.insert(scalars("/a", [2, 3], [2.0, 3.0]))  # 4 rows > 3
    s.insert(scalars("/b", [0], [0.0]))  # another entity
    s.insert(Chunk.build("/b", timelines={STEP: pa.array([1])}, components={NAME: pa.array([["x"]])}))
    assert sorted((c.entity_path, c.num_rows) for c in s.chunks()) == [
        ("/a", 2),
        ("/a", 2),
        ("/b", 1),
        ("/b", 1),
    ]


def test_unsorted_merges_follow_the_unsorted_row_threshold() -> None:
    s = store(config=ChunkStoreConfig(max_rows=100, max_rows_if_unsorted=3))
    s.insert(scalars("/a", [5, 1], [5.0, 1.0]))  # not time-sorted
    s.insert(scalars("/a", [2], [2.0]))
    s.insert(scalars("/a", [3], [3.0]))
    assert sorted(c.num_rows for c in s.chunks()) == [1, 3]


def test_too_big_chunks_are_split_and_never_merged_again() -> None:
    s = store(config=ChunkStoreConfig(max_rows=4))
    events = s.insert(scalars("/a", list(range(10)), [float(i) for i in range(10)]))
    assert sorted(c.num_rows for c in s.chunks()) == [2, 4, 4]
    assert len(events) == 3 and {e.split_source for e in events} == {events[0].split_source}
    s.insert(scalars("/a", [10], [10.0]))
    assert sorted(c.num_rows for c in s.chunks()) == [1, 2, 4, 4]


def test_newest_static_row_wins_and_overwritten_chunks_go() -> None:
    s = store()
    ids = new_tuids(3)
    older = scalars("/s", None, [1.0], row_ids=ids.slice(0, 1))
    newest = scalars("/s", None, [2.0], row_ids=ids.slice(2, 1))
    late_but_older = scalars("/s", None, [3.0], row_ids=ids.slice(1, 1))
    s.insert(older)
    events = s.insert(newest)
    assert [(e.kind.value, e.chunk.id) for e in events] == [("addition", newest.id), ("deletion", older.id)]
    s.insert(late_but_older)
    assert s.static_chunk("/s", SCALAR.component).chunk.id == newest.id


def test_static_chunk_survives_while_it_still_holds_a_winning_component() -> None:
    s = store()
    both = Chunk.build("/s", components={SCALAR: pa.array([[1.0]]), NAME: pa.array([["a"]])})
    s.insert(both)
    s.insert(scalars("/s", None, [2.0]))
    assert s.static_chunk("/s", NAME.component).chunk.id == both.id
    assert s.num_chunks == 2


def test_columns_report_static_tombstone_and_semantic_emptiness() -> None:
    s = store()
    s.insert(scalars("/a", [1], [1.0]))
    s.insert(scalars("/a", None, [9.0]))
    s.insert(
        Chunk.build(
            "/e", timelines={STEP: pa.array([1])}, components={NAME: pa.array([[]], pa.list_(pa.string()))}
        )
    )
    s.insert(Chunk.build("/c", timelines={STEP: pa.array([2])}, components={CLEAR: pa.array([[True]])}))
    flags = {
        (c.entity_path, c.component): (c.is_static, c.is_tombstone, c.is_semantically_empty)
        for c in s.columns()
    }
    assert flags == {
        ("/a", SCALAR.component): (True, False, False),
        ("/e", NAME.component): (False, False, True),
        ("/c", CLEAR.component): (False, True, False),
    }


def test_timelines_of_several_types() -> None:
    s = store()
    s.insert(
        Chunk.build(
            "/a", timelines={TIME: pa.array([10], pa.timestamp("ns"))}, components={SCALAR: pa.array([[1.0]])}
        )
    )
    s.insert(scalars("/b", [1], [1.0]))
    assert s.timelines() == {"step": STEP, "time": TIME}
    assert s.temporal_index("/a", "time", SCALAR.component).ranges.popitem()[1] == (10, 10)


def test_unsubscribed_callbacks_hear_nothing() -> None:
    s = store()
    heard: list[StoreEvent] = []
    s.subscribe(heard.extend)
    s.insert(scalars("/a", [1], [1.0]))
    s.unsubscribe(heard.extend)
    s.insert(scalars("/b", [1], [1.0]))
    assert [e.entity_path for e in heard] == ["/a"]
    assert heard[0].components == [SCALAR.component] and heard[0].timelines == ["step"]
