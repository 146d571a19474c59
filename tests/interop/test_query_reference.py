"""Queries equal the reference's: every fixture, every index, the reader's options; and compaction.

ONE reference subprocess does all the reference work: it logs a recording with its own SDK (clears,
empty batches), then, for every ``.rrd``/``.rbl`` (the shared fixtures, that one, and edge cases we
encode by hand), queries ``ChunkStore.reader()`` for each index (each timeline and ``None``) with
several option sets, writing each result as an Arrow IPC file plus a manifest of what it ran; last,
it lists the chunks its store keeps after inserting many small and some too big chunks. We then load
every file into our ``ChunkStore`` and compare: column names and order, types, field metadata, rows
and values; ``latest_at`` against the resampled, filled results; the chunks, row id for row id."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
import pytest

from _support import FIXTURES, run_reference
from rerun_core import (
    ArrowMsg,
    Chunk,
    ComponentDescriptor,
    SetStoreInfo,
    StoreId,
    StoreKind,
    Timeline,
    TimeType,
)
from rerun_core.query import DataframeQuery, dataframe_schema, latest_at
from rerun_core.rrd import RrdEncoder, read_rrd
from rerun_core.store import ChunkStore
from rerun_core.tuid import new_tuids

pytestmark = pytest.mark.reference

REFERENCE_SCRIPT = r"""
import json, sys
from pathlib import Path
import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
import rerun as rr
from rerun.chunk import RrdReader

job = json.loads(Path(sys.argv[1]).read_text())
out = Path(job["out"])


def log_clears(path):
    rec = rr.RecordingStream("query-interop", recording_id="clears")
    rec.save(path)
    at = lambda step: rec.set_time("step", sequence=step)
    scalar = lambda value: rr.Scalars([value])
    at(1); rec.log("/p/c", scalar(1.0)); rec.log("/p", scalar(100.0)); rec.log("/pts", rr.Points3D([[1, 2, 3]]))
    at(2); rec.log("/q", scalar(2.0)); rec.log("/q/c", scalar(2.0)); rec.log("/empty", rr.Points3D([]))
    at(5); rec.log("/p", rr.Clear(recursive=True))
    at(6); rec.log("/q", rr.Clear(recursive=False)); rec.log("/pts", rr.Points3D.from_fields(clear_unset=True))
    at(7); rec.log("/r1", rr.Clear(recursive=False)); rec.log("/r1", scalar(7.0))
    at(7); rec.log("/r2", scalar(7.0)); rec.log("/r2", rr.Clear(recursive=False))
    rec.log("/s", rr.SeriesLines(names=["static"]), static=True)
    at(3); rec.log("/s", scalar(3.0))
    at(8); rec.log("/s", rr.Clear(recursive=False))
    at(4); rec.log("/u", scalar(4.0)); rec.log("/u/k", scalar(4.0))
    rec.log("/u", rr.Clear(recursive=True), static=True)
    at(9); rec.log("/p/c", scalar(9.0))
    at(10); rec.log("/w", rr.Clear(recursive=False))
    at(11); rec.log("/w", scalar(11.0))
    at(20); rec.log("/lonely", rr.Clear(recursive=True))
    at(29); rec.set_time("aux", sequence=1); rec.log("/m", scalar(29.0))
    rec.reset_time()
    at(30); rec.set_time("aux", sequence=99); rec.log("/m", rr.Clear(recursive=False))
    rec.reset_time()
    at(31); rec.log("/m", rr.Points3D([[1, 2, 3]]))
    rec.flush(); rec.disconnect()


def open_store(path):
    reader = RrdReader(path)
    entry = None if reader.recordings() else reader.blueprints()[0]  # .rbl: the blueprint store
    return reader.store(store=entry).stream().collect()


def uiv_picks(table, index):
    values = sorted(set(table.column(index).cast(pa.int64()).drop_null().to_pylist()))
    if not values:
        return [0, 5]
    picks = {values[0] - 1, values[0], values[len(values) // 2], values[-1], values[-1] + 5}
    if len(values) > 1:
        picks.add((values[0] + values[1]) // 2)
    return sorted(picks)


def option_sets(store, index, entities):
    yield {}
    yield {"fill_latest_at": True}
    yield {"include_semantically_empty_columns": True, "include_tombstone_columns": True}
    if entities:
        yield {"contents": entities[0]}
        yield {"contents": ["/**", "-" + entities[-1] + "/**", "/__properties/**"], "fill_latest_at": True}
    if index is not None:
        picks = uiv_picks(store.reader(index).to_arrow_table(), index)
        yield {"using_index_values": picks}
        yield {"using_index_values": picks, "fill_latest_at": True}


log_clears(str(out / "ref_clears.rrd"))
manifest = []
for path in [*job["files"], str(out / "ref_clears.rrd")]:
    store = open_store(path)
    schema = store.schema()
    entities = sorted({c.entity_path for c in schema.component_columns() if not c.is_property})
    name = f"{len(manifest)}.arrow"
    with ipc.new_file(str(out / name), schema.to_arrow()) as writer:
        pass
    manifest.append({"file": path, "index": "schema", "result": name})
    for index in [c.name for c in schema.index_columns()] + [None]:
        for options in option_sets(store, index, entities):
            kwargs = dict(options)
            if "using_index_values" in kwargs:
                kwargs["using_index_values"] = np.array(kwargs["using_index_values"], dtype=np.int64)
            table = store.reader(index, **kwargs).to_arrow_table()
            name = f"{len(manifest)}.arrow"
            with ipc.new_file(str(out / name), table.schema) as writer:
                writer.write_table(table)
            manifest.append({"file": path, "index": index, "options": options, "result": name})
json.dump(manifest, open(out / "manifest.json", "w"))

layout = {}
for path in job["chunk_files"]:
    chunks = RrdReader(path).store().stream().collect().stream().to_chunks()
    layout[path] = sorted([c.entity_path, [r.hex() for r in c.to_record_batch().column(0).to_pylist()]] for c in chunks)
json.dump(layout, open(out / "chunks.json", "w"))
"""

STEP = Timeline("step", TimeType.SEQUENCE)
TIME = Timeline("time", TimeType.DURATION_NS)
SCALAR = ComponentDescriptor("Scalars:scalars", "rerun.archetypes.Scalars", "rerun.components.Scalar")
NAME = ComponentDescriptor("SeriesLines:names", "rerun.archetypes.SeriesLines", "rerun.components.Name")


def _f64(values: list[Any]) -> pa.Array:
    cells = [None if v is None else ([] if v == "empty" else [v]) for v in values]
    return pa.array(cells, type=pa.list_(pa.float64()))


def _chunk(
    path: str, timelines: dict[Timeline, list[int]], components: dict, rows: list[int] | None = None
) -> Chunk:
    arrays = {t: pa.array(v, type=t.arrow_type) for t, v in timelines.items()}
    return Chunk.build(
        path, timelines=arrays, components=components, row_ids=None if rows is None else ROWS.take(rows)
    )


ROWS = new_tuids(16)


def edge_case_chunks() -> list[Chunk]:
    """Hand-built cases: duplicates, overlaps, unsorted and null rows, static vs temporal, odd paths."""
    chunks = [
        _chunk("/dup", {STEP: [1, 1, 2]}, {SCALAR: _f64([1.0, 2.0, 3.0])}),
        _chunk("/ovl", {STEP: [0, 2, 4]}, {SCALAR: _f64([0.0, 2.0, 4.0])}),
        _chunk("/ovl", {STEP: [1, 2, 3]}, {SCALAR: _f64([10.0, 20.0, 30.0])}),
        _chunk("/uns", {STEP: [3, 1, 2]}, {SCALAR: _f64([3.0, 1.0, 2.0])}),
        _chunk("/nul", {STEP: [5, 6, 7, 8]}, {SCALAR: _f64([None, 6.0, None, "empty"]),
                                              NAME: pa.array([["a"], None, None, ["d"]], pa.list_(pa.string()))}),
        _chunk("/st", {STEP: [1, 9]}, {SCALAR: _f64([1.0, 9.0])}),
        _chunk("/st", {}, {SCALAR: _f64([100.0, 101.0])}),
        _chunk("/other", {TIME: [5, 15]}, {SCALAR: _f64([5.0, 15.0])}),
        _chunk("/two", {STEP: [2, 3], TIME: [20, 30]}, {SCALAR: _f64([2.0, 3.0])}),
        _chunk("/d2", {STEP: [1, 1], TIME: [10, 5]}, {SCALAR: _f64([1.0, 2.0])}),
        _chunk("/late", {STEP: [1, 2]}, {SCALAR: _f64([10.0, 20.0])}, rows=[14, 15]),
        _chunk("/late", {STEP: [1, 2], TIME: [1, 2]}, {SCALAR: _f64([11.0, 21.0])}, rows=[2, 3]),
    ]  # fmt: skip
    for i, path in enumerate(
        ["/B", "/_x", "/a/b", "/a", "/p10", "/p9", "/a\\ b", "/a/10", "/ä", "/__properties/z"]
    ):
        timelines = {} if path.startswith("/__properties") else {STEP: [100 + i]}
        chunks.append(
            _chunk(path, timelines, {ComponentDescriptor(c): _f64([float(i)]) for c in ["b", "B", "a:x"]})
        )
    return chunks


def compaction_chunks() -> list[Chunk]:
    """Many small chunks (sorted, random, split components) and a few too big ones, to compact and split."""
    rng = np.random.default_rng(0)
    chunks = [
        _chunk("/seq", {STEP: list(range(i * 10, i * 10 + 10))}, {SCALAR: _f64([1.0] * 10)})
        for i in range(300)
    ]
    chunks += [
        _chunk("/rand", {STEP: list(rng.integers(0, 1000, 7))}, {SCALAR: _f64([2.0] * 7)}) for _ in range(100)
    ]
    for i in range(50):
        chunks.append(_chunk("/two", {STEP: [i], TIME: [i]}, {SCALAR: _f64([1.0])}))
        chunks.append(_chunk("/two", {STEP: [i]}, {NAME: pa.array([["x"]], pa.list_(pa.string()))}))
    big = pa.array([np.arange(5000.0)] * 20, type=pa.list_(pa.float64()))
    chunks += [_chunk("/big", {STEP: list(range(i * 20, i * 20 + 20))}, {SCALAR: big}) for i in range(6)]
    chunks += [_chunk("/unsorted", {STEP: list(rng.integers(0, 99, 1500))}, {SCALAR: _f64([3.0] * 1500)})]
    return chunks


def write_rrd(path: Path, chunks: list[Chunk]) -> None:
    store_id = StoreId(StoreKind.RECORDING, "query-interop", path.stem)
    with path.open("wb") as sink, RrdEncoder(sink) as encoder:
        encoder.append(SetStoreInfo(store_id))
        for chunk in chunks:
            encoder.append(ArrowMsg(store_id, chunk))


@pytest.fixture(scope="session")
def reference_results(
    reference_python: Path, fixtures_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    out = tmp_path_factory.mktemp("query-reference")
    write_rrd(out / "edge_cases.rrd", edge_case_chunks())
    write_rrd(out / "compaction.rrd", compaction_chunks())
    fixtures = sorted([*fixtures_dir.glob("*.rrd"), *fixtures_dir.glob("*.rbl")])
    files = [*map(str, fixtures), str(out / "edge_cases.rrd")]
    script = out / "reference_side.py"
    script.write_text(REFERENCE_SCRIPT)
    job = out / "job.json"
    job.write_text(
        json.dumps({"out": str(out), "files": files, "chunk_files": [str(out / "compaction.rrd")]})
    )
    result = run_reference(reference_python, script, job, timeout=120)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


def load_store(path: str) -> ChunkStore:
    store = ChunkStore()
    for msg in read_rrd(path):
        if isinstance(msg, ArrowMsg):
            store.insert(msg.chunk)
    return store


def _metadata(field: pa.Field) -> dict[bytes, bytes]:
    return dict(field.metadata or {})


def assert_same_table(ours: pa.Table, reference: pa.Table, what: str) -> None:
    assert ours.column_names == reference.column_names, what
    for mine, theirs in zip(ours.schema, reference.schema, strict=True):
        assert mine.type == theirs.type, f"{what}: {mine.name}"
        assert _metadata(mine) == _metadata(theirs), f"{what}: {mine.name}"
    assert ours.num_rows == reference.num_rows, what
    for name in reference.column_names:
        assert ours.column(name).combine_chunks().equals(reference.column(name).combine_chunks()), (
            f"{what}: {name}"
        )


FIXTURE_FILES = sorted(p.name for p in [*FIXTURES.glob("*.rrd"), *FIXTURES.glob("*.rbl")])
FILES = [*FIXTURE_FILES, "edge_cases.rrd", "ref_clears.rrd"]


@pytest.mark.parametrize("name", FILES)
def test_queries_match_reference(reference_results: Path, name: str) -> None:
    manifest = json.loads((reference_results / "manifest.json").read_text())
    queries = [q for q in manifest if Path(q["file"]).name == name]
    assert queries, f"the reference ran nothing for {name}"
    store = load_store(queries[0]["file"])
    for query in queries:
        reference = ipc.open_file(str(reference_results / query["result"])).read_all()
        if query["index"] == "schema":
            ours = dataframe_schema(store).empty_table()
            assert_same_table(ours, reference, f"{name} schema")
            continue
        ours = DataframeQuery(store, query["index"], **query["options"]).read_all()
        assert_same_table(ours, reference, f"{name} index={query['index']} {query['options']}")


def assert_latest_at_matches(store: ChunkStore, table: pa.Table, index: str, what: str) -> None:
    """Each cell of a resampled, filled reference table is what ``latest_at`` returns at that time."""
    times = table.column(index).cast(pa.int64()).to_pylist()
    for field in table.schema:
        metadata = field.metadata or {}
        if metadata.get(b"rerun:kind") != b"data":
            continue
        entity, component = metadata[b"rerun:entity_path"].decode(), metadata[b"rerun:component"].decode()
        expected = table.column(field.name).to_pylist()
        for at, cell in zip(times, expected, strict=True):
            found = latest_at(store, entity, index, at, [component]).get(component)
            assert (None if found is None else found.value.to_pylist()) == cell, (
                f"{what}: {field.name} at {at}"
            )


@pytest.mark.parametrize("name", [n for n in FILES if n != "ref_clears.rrd"])
def test_latest_at_matches_reference(reference_results: Path, name: str) -> None:
    """Latest-at equals the reference's resampled, filled dataframe (which ignores clears, hence not that file)."""
    manifest = json.loads((reference_results / "manifest.json").read_text())
    queries = [
        q for q in manifest
        if Path(q["file"]).name == name and q["index"] not in ("schema", None)
        and q["options"].get("using_index_values") and q["options"].get("fill_latest_at")
    ]  # fmt: skip
    assert queries, f"no resampled query for {name}"
    store = load_store(queries[0]["file"])
    for query in queries:
        reference = ipc.open_file(str(reference_results / query["result"])).read_all()
        assert_latest_at_matches(store, reference, query["index"], f"{name} {query['index']}")


def test_compaction_matches_reference(reference_results: Path) -> None:
    """Inserting many small (and a few too big) chunks leaves the same chunks, row for row, as in 0.41."""
    layouts = json.loads((reference_results / "chunks.json").read_text())
    for path, expected in layouts.items():
        store = load_store(path)
        ours = sorted([c.entity_path, [r.hex() for r in c.row_ids.to_pylist()]] for c in store.chunks())
        assert ours == expected, path
