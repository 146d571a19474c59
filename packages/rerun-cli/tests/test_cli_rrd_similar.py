"""The building blocks of `compare`: array similarity and the reference store's loading rules."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest
from _cli_support import row_ids, scalars, static_text

from rerun_cli.rrd._chunks import rebuild
from rerun_cli.rrd._similar import Mismatch, ensure_arrays_similar
from rerun_cli.rrd._store import ChunkSet
from rerun_core import Chunk


@pytest.mark.parametrize(
    ("left", "right", "similar"),
    [
        ([1.0, 2.0], [1.0, 2.0 + 1e-9], True),
        ([1.0, 2.0], [1.0, 2.0 + 1e-7], False),
        ([0.0], [1e-9], True),  # both tiny: equal within the absolute floor
        ([0.0], [math.nan], True),  # the reference's max() ignores NaN
        ([math.nan], [math.nan], False),  # ... but NaN is not close to NaN
        ([math.inf], [math.inf], True),
    ],
)
def test_float64_tolerance(left: list[float], right: list[float], similar: bool) -> None:
    check(pa.array(left), pa.array(right), similar)


def test_float32_is_compared_loosely() -> None:
    check(pa.array([1.0], pa.float32()), pa.array([1.0005], pa.float32()), True)
    check(pa.array([1.0], pa.float32()), pa.array([1.01], pa.float32()), False)


def test_structure_must_match_exactly() -> None:
    check(pa.array([1, 2]), pa.array([1, 3]), False)
    check(pa.array([1, 2]), pa.array([1, 2], pa.int32()), False)
    check(pa.array([[1.0], None]), pa.array([[1.0], []], pa.list_(pa.float64())), False)
    check(pa.array([[1.0, 2.0]]), pa.array([[1.0], [2.0]]), False)
    check(pa.array(["a", "b"]), pa.array(["a", "b"]), True)
    check(pa.array([{"x": 1.0}]), pa.array([{"x": 1.0 + 1e-12}]), True)
    fixed = pa.list_(pa.float32(), 2)
    check(pa.array([[1.0, 2.0]], fixed), pa.array([[1.0, 2.5]], fixed), False)


def test_sliced_lists_compare_by_what_they_reach() -> None:
    whole = pa.array([[9.0], [1.0], [2.0, 3.0]])
    check(whole.slice(1), pa.array([[1.0], [2.0, 3.0]]), True)


def check(left: pa.Array, right: pa.Array, similar: bool) -> None:
    if similar:
        ensure_arrays_similar(left, right)
    else:
        with pytest.raises(Mismatch):
            ensure_arrays_similar(left, right)


def test_chunk_set_skips_duplicates_and_empty_chunks() -> None:
    chunk = scalars("/a", [1, 2], [1.0, 2.0])
    store = ChunkSet()
    store.insert(chunk)
    store.insert(chunk)
    store.insert(rebuild(chunk.to_record_batch().slice(0, 0)))
    assert [c.id for c in store] == [chunk.id]


def test_chunk_set_static_overwrite_needs_a_strictly_newer_row() -> None:
    old, new = static_text("/t", ["old"]), static_text("/t", ["new"])
    store = ChunkSet()
    store.insert(old)
    assert store.insert(new) == [old]
    assert [c.id for c in store] == [new.id]
    store.insert(old)  # older data arriving late is stored but does not win
    assert len(store) == 2


def reversed_rows(chunk: Chunk, *, claim_sorted: bool) -> Chunk:
    batch = chunk.to_record_batch()
    backwards = batch.take(pa.array(range(batch.num_rows - 1, -1, -1)))
    if not claim_sorted:
        return rebuild(backwards, chunk_id=chunk.id)
    return Chunk(backwards.replace_schema_metadata(batch.schema.metadata), chunk.id)  # keeps the stale flag


def test_chunk_set_sorts_chunks_by_row_id() -> None:
    chunk = scalars("/a", [1, 2, 3], [1.0, 2.0, 3.0])
    store = ChunkSet()
    store.insert(reversed_rows(chunk, claim_sorted=False))
    (stored,) = store
    assert stored.index_column("step").to_pylist() == [1, 2, 3]


def test_chunk_set_trusts_a_sorted_flag_even_when_it_lies() -> None:
    old = static_text("/t", ["old"])
    newer = static_text("/t", ["a", "b"])  # rows newer than old's
    store = ChunkSet()
    store.insert(old)
    lying = reversed_rows(newer, claim_sorted=True)
    assert lying.row_ids != newer.row_ids
    # the reference takes the last row's id as the newest: here the older of the two, still newer than `old`
    assert store.insert(lying) == [old]
    store2 = ChunkSet()
    store2.insert(old)
    assert store2.insert(reversed_rows(newer, claim_sorted=False)) == [old]
    assert row_ids(1) is not None


def test_chunk_set_orders_by_chunk_id() -> None:
    first, second = scalars("/a", [1], [1.0]), scalars("/b", [1], [1.0])
    store = ChunkSet()
    for chunk in (second, first):
        store.insert(chunk)
    assert [c.id for c in store.physical_chunks()] == sorted([first.id, second.id])
    assert isinstance(store.physical_chunks()[0], Chunk)
