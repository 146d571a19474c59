"""Latest-at and range queries: random overlapping chunks against brute force, static data, clears."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from rerun_core import Chunk, ComponentDescriptor, Timeline, TimeType, Tuid
from rerun_core.query import latest_at, range_query
from rerun_core.store import ChunkStore, ChunkStoreConfig
from rerun_core.tuid import new_tuids

STEP = Timeline("step", TimeType.SEQUENCE)
DURATION = Timeline("elapsed", TimeType.DURATION_NS)
SCALAR = ComponentDescriptor("Scalars:scalars", "rerun.archetypes.Scalars", "rerun.components.Scalar")
CLEAR = ComponentDescriptor(
    "Clear:is_recursive", "rerun.archetypes.Clear", "rerun.components.ClearIsRecursive"
)


def chunk(
    path: str, steps: list[int] | None, values: list[float | None], row_ids: pa.Array | None = None
) -> Chunk:
    cells = pa.array([None if v is None else [v] for v in values], pa.list_(pa.float64()))
    timelines = None if steps is None else {STEP: pa.array(steps, pa.int64())}
    return Chunk.build(path, timelines=timelines, components={SCALAR: cells}, row_ids=row_ids)


def clear(path: str, step: int, recursive: bool) -> Chunk:
    return Chunk.build(path, timelines={STEP: pa.array([step])}, components={CLEAR: pa.array([[recursive]])})


@pytest.fixture
def random_store() -> tuple[ChunkStore, list[tuple[int, int, float]]]:
    """40 overlapping, unsorted chunks with random row ids, some null cells; plus every (time, row order, value)."""
    rng = np.random.default_rng(7)
    count = 400
    ids = new_tuids(count)
    order = rng.permutation(count)
    steps = rng.integers(0, 100, count)
    values = [None if rng.random() < 0.2 else float(i) for i in range(count)]
    store = ChunkStore(config=ChunkStoreConfig(max_rows=25, max_rows_if_unsorted=15))
    for start in range(0, count, 10):
        rows = slice(start, start + 10)
        store.insert(chunk("/r", list(steps[rows]), values[rows], ids.take(pa.array(order[rows]))))
    cells = [(int(steps[i]), int(order[i]), values[i]) for i in range(count) if values[i] is not None]
    return store, cells


def test_latest_at_matches_brute_force(random_store) -> None:
    store, cells = random_store
    for at in range(-1, 102):
        before = [c for c in cells if c[0] <= at]
        found = latest_at(store, "/r", "step", at).get(SCALAR.component)
        if not before:
            assert found is None
            continue
        time, _, value = max(before, key=lambda c: (c[0], c[1]))
        assert found is not None and (found.time, found.value.to_pylist()) == (time, [value])


def test_range_returns_every_row_sorted_by_time_then_row_id(random_store) -> None:
    store, cells = random_store
    result = range_query(store, "/r", "step", 20, 60)[SCALAR.component]
    expected = sorted((c for c in cells if 20 <= c[0] <= 60), key=lambda c: (c[0], c[1]))
    assert result.times.to_pylist() == [c[0] for c in expected]
    assert result.values.to_pylist() == [[c[2]] for c in expected]
    keys = list(zip(result.times.to_pylist(), map(Tuid.from_bytes, result.row_ids.to_pylist()), strict=True))
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert range_query(store, "/r", "step", 200, 300) == {}


def test_static_wins_over_temporal() -> None:
    store = ChunkStore()
    store.insert(chunk("/s", [1, 5], [1.0, 5.0]))
    static = chunk("/s", None, [9.0])
    store.insert(static)
    cell = latest_at(store, "/s", "step", 3)[SCALAR.component]
    assert cell.is_static and cell.value.to_pylist() == [9.0] and cell.chunk_id == static.id
    rows = range_query(store, "/s", "step", 0, 10)[SCALAR.component]
    assert rows.times.to_pylist() == [None] and rows.values.to_pylist() == [[9.0]]


def test_ties_at_one_time_go_to_the_highest_row_id() -> None:
    ids = new_tuids(2)
    store = ChunkStore()
    store.insert(chunk("/t", [4], [2.0], ids.slice(1, 1)))
    store.insert(chunk("/t", [4], [1.0], ids.slice(0, 1)))  # inserted later, but older
    assert latest_at(store, "/t", "step", 4)[SCALAR.component].value.to_pylist() == [2.0]
    assert range_query(store, "/t", "step", 4, 4)[SCALAR.component].values.to_pylist() == [[1.0], [2.0]]


def test_clears_empty_what_they_are_newer_than() -> None:
    store = ChunkStore()
    store.insert(chunk("/p", [1], [1.0]))
    store.insert(chunk("/p/c", [1], [1.0]))
    store.insert(chunk("/q/c", [1], [1.0]))
    store.insert(clear("/p", 3, recursive=True))
    store.insert(clear("/q", 3, recursive=False))
    store.insert(chunk("/p/c", [5], [5.0]))
    assert latest_at(store, "/p", "step", 2)[SCALAR.component].value.to_pylist() == [1.0]
    for path in ("/p", "/p/c"):
        cell = latest_at(store, path, "step", 4)[SCALAR.component]
        assert cell.cleared and cell.value.to_pylist() == [] and cell.time == 1
    assert latest_at(store, "/p/c", "step", 6)[SCALAR.component].value.to_pylist() == [5.0]
    assert not latest_at(store, "/q/c", "step", 4)[SCALAR.component].cleared  # not recursive


def test_other_timeline_types_and_component_selection() -> None:
    store = ChunkStore()
    times = {DURATION: pa.array([10, 20], pa.duration("ns"))}
    store.insert(Chunk.build("/d", timelines=times, components={SCALAR: pa.array([[1.0], [2.0]])}))
    assert latest_at(store, "/d", "elapsed", 15, [SCALAR.component, "missing"])[SCALAR.component].time == 10
    result = range_query(store, "/d", "elapsed", None, None)[SCALAR.component]
    assert result.times.type == pa.duration("ns") and len(result) == 2
    assert latest_at(store, "/nowhere", "elapsed", 15) == {}
    with pytest.raises(ValueError, match="does not exist"):
        range_query(store, "/d", "nope", 0, 1)
