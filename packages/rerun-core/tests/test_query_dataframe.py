"""The dataframe view: checked against a naive row-by-row model on random stores, plus targeted cases.

The model spells out 0.41's semantics (see ``rerun_core.query._dataframe``); the store under test
also compacts and splits chunks, so the model checks that none of that changes any answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rerun_core import Chunk, ComponentDescriptor, Timeline, TimeType
from rerun_core.query import DataframeQuery
from rerun_core.store import ChunkStore, ChunkStoreConfig
from rerun_core.tuid import new_tuids

STEP = Timeline("step", TimeType.SEQUENCE)
TS = Timeline("ts", TimeType.TIMESTAMP_NS)
TIMELINES = {"step": STEP, "ts": TS}
ENTITIES = ["/a", "/a/b", "/c"]
COMPONENTS = ["X:x", "Y:y"]


@dataclass
class Row:
    row_id: int  # order of the row ids
    times: dict[str, int]  # empty for static rows
    cells: dict[str, float | None]


@dataclass
class ChunkSpec:
    entity: str
    rows: list[Row]


@st.composite
def chunk_specs(draw: st.DrawFn) -> list[ChunkSpec]:
    specs, next_id = [], 0
    for _ in range(draw(st.integers(1, 8))):
        timelines = (
            [] if draw(st.integers(0, 9)) == 0 else draw(st.sampled_from([["step"], ["ts"], ["step", "ts"]]))
        )
        components = draw(st.sampled_from([COMPONENTS[:1], COMPONENTS[1:], COMPONENTS]))
        rows = []
        for _ in range(draw(st.integers(1, 4))):
            times = {name: draw(st.integers(0, 6)) for name in timelines}
            cells = {c: draw(st.sampled_from([None, float(next_id)])) for c in components}
            rows.append(Row(next_id, times, cells))
            next_id += 1
        specs.append(ChunkSpec(draw(st.sampled_from(ENTITIES)), rows))
    order = draw(st.permutations(range(next_id)))  # row ids need not follow insertion order
    for spec in specs:
        for row in spec.rows:
            row.row_id = order[row.row_id]
    return specs


def build_store(specs: list[ChunkSpec], config: ChunkStoreConfig) -> ChunkStore:
    ids = new_tuids(sum(len(s.rows) for s in specs))
    store = ChunkStore(config=config)
    for spec in specs:
        names = sorted(spec.rows[0].times)
        timelines = {TIMELINES[n]: pa.array([r.times[n] for r in spec.rows], pa.int64()) for n in names}
        components = {
            ComponentDescriptor(c): pa.array([None if r.cells[c] is None else [r.cells[c]] for r in spec.rows],
                                             pa.list_(pa.float64()))
            for c in spec.rows[0].cells
        }  # fmt: skip
        row_ids = ids.take(pa.array([r.row_id for r in spec.rows]))
        store.insert(Chunk.build(spec.entity, timelines=timelines, components=components, row_ids=row_ids))
    return store


def model(specs: list[ChunkSpec], index: str, fill: bool, values: list[int] | None) -> dict[str, list]:
    """The expected table, column by column, spelled out naively."""
    rows = [(s.entity, r) for s in specs for r in s.rows]
    # Columns without a single instance are semantically empty, hence left out.
    columns = sorted({(e, c) for e, r in rows for c, v in r.cells.items() if v is not None})
    static = {}
    for entity, component in columns:
        cells = [r for e, r in rows if e == entity and not r.times and r.cells.get(component) is not None]
        if cells:
            static[(entity, component)] = max(cells, key=lambda r: r.row_id).cells[component]

    def cells_of(entity: str, component: str) -> list[Row]:
        if (entity, component) in static:
            return []
        return [r for e, r in rows if e == entity and index in r.times and r.cells.get(component) is not None]

    times = sorted({r.times[index] for e, c in columns for r in cells_of(e, c)}) if values is None else values
    table: dict[str, list] = {name: [] for name in TIMELINES}
    for entity, component in columns:
        table[f"{entity}:{component}"] = []
    for t in times:
        shown = []
        for entity, component in columns:
            name = f"{entity}:{component}"
            if (entity, component) in static:
                table[name].append([static[(entity, component)]])
                continue
            cells = cells_of(entity, component)
            at = [r for r in cells if r.times[index] == t] or (
                [r for r in cells if r.times[index] < t] if fill else []
            )
            best = max(at, key=lambda r: (r.times[index], r.row_id), default=None)
            table[name].append(None if best is None else [best.cells[component]])
            if best is not None:
                shown.append(best)
        for name in TIMELINES:
            found = [r.times[name] for r in shown if name in r.times]
            table[name].append(t if name == index else max(found, default=None))
    present = {n for s in specs for r in s.rows for n in r.times}
    return {name: col for name, col in table.items() if name not in TIMELINES or name in present}


def as_ints(table: pa.Table) -> dict[str, list]:
    return {
        name: (col.cast(pa.int64()) if name in TIMELINES else col).to_pylist()
        for name, col in zip(table.column_names, table.columns, strict=True)
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    specs=chunk_specs(),
    index=st.sampled_from(["step", "ts"]),
    fill=st.booleans(),
    values=st.none() | st.lists(st.integers(-1, 8), unique=True, max_size=5),
    compact=st.booleans(),
)
def test_matches_the_model(specs, index, fill, values, compact) -> None:
    config = ChunkStoreConfig(max_bytes=10_000, max_rows=3, max_rows_if_unsorted=2) if compact else (
        ChunkStoreConfig.without_compaction()
    )  # fmt: skip
    store = build_store(specs, config)
    if index not in store.timelines():
        with pytest.raises(ValueError, match="does not exist"):
            DataframeQuery(store, index)
        return
    query = DataframeQuery(store, index, fill_latest_at=fill, using_index_values=values, batch_rows=2)
    result = query.read_all()
    assert result.schema == query.schema
    expected = model(specs, index, fill, None if values is None else sorted(values))
    assert as_ints(result) == expected


def test_static_only_view_is_one_row_of_static_columns() -> None:
    specs = [
        ChunkSpec("/a", [Row(0, {}, {"X:x": 1.0})]),
        ChunkSpec("/a", [Row(1, {"step": 3}, {"Y:y": 2.0})]),
    ]
    store = build_store(specs, ChunkStoreConfig())
    assert as_ints(DataframeQuery(store, None).read_all()) == {"step": [None], "/a:X:x": [[1.0]]}
    assert DataframeQuery(store, None, contents=[]).read_all().to_pydict() == {"step": [None]}


def test_rows_come_in_batches_of_the_requested_size() -> None:
    specs = [ChunkSpec("/a", [Row(i, {"step": i}, {"X:x": float(i)}) for i in range(7)])]
    query = DataframeQuery(build_store(specs, ChunkStoreConfig()), "step", batch_rows=3)
    assert [b.num_rows for b in query.batches()] == [3, 3, 1]
    assert all(b.schema == query.schema for b in query)


def test_index_range_equals_filtering_afterwards() -> None:
    specs = [ChunkSpec("/a", [Row(i, {"step": i * 2}, {"X:x": float(i)}) for i in range(50)])]
    store = build_store(specs, ChunkStoreConfig(max_rows=8))
    for fill in (False, True):
        whole = DataframeQuery(store, "step", fill_latest_at=fill).read_all()
        mask = pa.compute.and_(
            pa.compute.greater_equal(whole["step"], 13), pa.compute.less_equal(whole["step"], 41)
        )
        ranged = DataframeQuery(store, "step", fill_latest_at=fill, index_range=(13, 41)).read_all()
        assert ranged.equals(whole.filter(mask))
    sampled = DataframeQuery(
        store, "step", fill_latest_at=True, using_index_values=[5, 21, 99], index_range=(10, None)
    )
    assert sampled.read_all().to_pydict() == {"step": [21, 99], "/a:X:x": [[10.0], [49.0]]}


def test_using_index_values_accepts_arrays_and_datetimes() -> None:
    specs = [ChunkSpec("/a", [Row(0, {"ts": 1_000}, {"X:x": 1.0})])]
    store = build_store(specs, ChunkStoreConfig())
    times = np.array([2_000, 1_000], dtype="datetime64[ns]")
    for values in (times, pa.array(times), pa.chunked_array([pa.array([1_000, 2_000])])):
        result = DataframeQuery(store, "ts", fill_latest_at=True, using_index_values=values).read_all()
        assert as_ints(result) == {"ts": [1_000, 2_000], "/a:X:x": [[1.0], [1.0]]}
    with pytest.raises(ValueError, match="unique"):
        DataframeQuery(store, "ts", using_index_values=[1, 1])
    with pytest.raises(TypeError, match="integers or datetimes"):
        DataframeQuery(store, "ts", using_index_values=[1.5])


def test_contents_pick_entities_and_components() -> None:
    specs = [ChunkSpec(e, [Row(i, {"step": i}, {"X:x": 1.0, "Y:y": 2.0})]) for i, e in enumerate(ENTITIES)]
    store = build_store(specs, ChunkStoreConfig())

    def names(contents: object) -> list[str]:
        return DataframeQuery(store, "step", contents=contents).schema.names[1:]

    assert names("/a/**") == ["/a:X:x", "/a:Y:y", "/a/b:X:x", "/a/b:Y:y"]
    assert names(["/**", "-/a/**", "+/a"]) == ["/a:X:x", "/a:Y:y", "/c:X:x", "/c:Y:y"]
    assert names({"/a/**": "Y:y", "/c": None}) == ["/a:Y:y", "/a/b:Y:y", "/c:X:x", "/c:Y:y"]
    assert names({"/a": ["X:x"], "/a/**": ["Y:y"]}) == ["/a:X:x", "/a:Y:y", "/a/b:Y:y"]
    assert names([]) == []
    assert DataframeQuery(store, "step", contents=[]).read_all().num_rows == 0


def test_unknown_index_and_bad_batch_size_are_errors() -> None:
    store = build_store([ChunkSpec("/a", [Row(0, {"step": 1}, {"X:x": 1.0})])], ChunkStoreConfig())
    with pytest.raises(ValueError, match="Index 'nope' does not exist"):
        DataframeQuery(store, "nope")
    with pytest.raises(ValueError, match="batch_rows"):
        DataframeQuery(store, "step", batch_rows=0)
