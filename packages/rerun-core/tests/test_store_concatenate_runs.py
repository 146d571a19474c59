"""``concatenate_runs`` joins a read's chunks before indexing: queries must answer exactly as over the
chunks themselves, whatever their order, overlaps, columns or static data."""

from __future__ import annotations

import pyarrow as pa
import pytest

from rerun_core import Chunk, ComponentDescriptor, Timeline, TimeType
from rerun_core.query import DataframeQuery
from rerun_core.store import ChunkStore, ChunkStoreConfig, concatenate_runs

STEP = Timeline("step", TimeType.SEQUENCE)
X = ComponentDescriptor("X:x")
Y = ComponentDescriptor("Y:y")


def _chunk(
    entity: str, steps: list[int] | None, values: list[float], component: ComponentDescriptor = X
) -> Chunk:
    column = pa.array([[v] for v in values], pa.list_(pa.float64()))
    timelines = None if steps is None else {STEP: pa.array(steps, pa.int64())}
    return Chunk.build(entity, timelines=timelines, components={component: column})


def _chunks() -> list[Chunk]:
    first = _chunk("/a", [10, 11, 12], [10.0, 11.0, 12.0])
    second = _chunk("/a", [5, 11, 20], [5.0, 11.5, 20.0])  # newer row ids, times overlapping the first's
    return [
        first,
        _chunk("/b", [1, 2], [1.0, 2.0]),
        second,
        _chunk("/a", [30], [30.0], component=Y),  # other columns: its own run
        _chunk("/a", None, [99.0], component=Y),  # static: left as it is
        _chunk("/a", None, [98.0], component=Y),
        _chunk("/b", [3], [3.0]),
    ]


def _store(chunks: list[Chunk]) -> ChunkStore:
    store = ChunkStore(config=ChunkStoreConfig.without_compaction())
    store.insert_many(chunks)
    return store


def test_runs_are_joined_per_entity_and_columns() -> None:
    joined = concatenate_runs(_chunks())
    temporal = sorted((c.entity_path, c.num_rows) for c in joined if not c.is_static)
    assert temporal == [("/a", 1), ("/a", 6), ("/b", 3)]
    assert sum(c.is_static for c in joined) == 2


@pytest.mark.parametrize("order", [None, [6, 5, 4, 3, 2, 1, 0], [2, 0, 1, 3, 6, 4, 5]])
@pytest.mark.parametrize("index_range", [None, (4, 11), (11, 30)])
def test_queries_answer_as_over_the_chunks(
    order: list[int] | None, index_range: tuple[int, int] | None
) -> None:
    chunks = _chunks()
    if order is not None:
        chunks = [chunks[i] for i in order]
    for fill in (False, True):
        expected = DataframeQuery(
            _store(chunks), "step", index_range=index_range, fill_latest_at=fill
        ).read_all()
        joined = _store(concatenate_runs(chunks))
        actual = DataframeQuery(joined, "step", index_range=index_range, fill_latest_at=fill).read_all()
        assert actual.equals(expected), (actual.to_pydict(), expected.to_pydict())


def test_a_single_chunk_is_kept() -> None:
    chunk = _chunk("/a", [1], [1.0])
    assert concatenate_runs([chunk]) == [chunk]
    assert concatenate_runs([]) == []
