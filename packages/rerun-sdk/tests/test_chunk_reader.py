"""``ChunkStore.reader()``: a lazy DataFusion DataFrame, index filters pushed down, exact results."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import datafusion
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from datafusion import Expr, col, lit

import rerun as rr
from rerun.chunk import Chunk, ChunkStore
from rerun.chunk._reader import ReaderFrame, index_range
from rerun_core import TimeType


@pytest.fixture(scope="module")
def store() -> ChunkStore:
    frames = list(range(0, 100, 3))
    times = rr.TimeColumn("time", timestamp=np.array(frames, dtype="datetime64[s]"))
    chunks = [
        Chunk.from_columns(
            "/a", [rr.TimeColumn("frame", sequence=frames), times], rr.Scalars.columns(scalars=frames)
        ),
        Chunk.from_columns(
            "/b",
            [rr.TimeColumn("frame", sequence=[5, 50, 95])],
            rr.Points3D.columns(positions=[[1, 2, 3]] * 3),
        ),
        Chunk.from_columns("/s", [], rr.Scalars.columns(scalars=[42.0])),
    ]
    return ChunkStore.from_chunks(chunks)


def _filtered(table: pa.Table, index: str, lo: int, hi: int) -> pa.Table:
    values = table.column(index).cast(pa.int64())
    return table.filter(pc.and_(pc.greater_equal(values, lo), pc.less_equal(values, hi)))


def test_reader_is_a_lazy_datafusion_dataframe(store: ChunkStore) -> None:
    frame = store.reader("frame")
    assert isinstance(frame, datafusion.DataFrame) and isinstance(frame, ReaderFrame)
    filtered = frame.filter(col("frame") > lit(10))
    assert frame._built is None and filtered._built is None  # nothing computed yet
    assert filtered.schema() == frame.schema() == frame.to_arrow_table().schema
    assert frame.count() == 37 and frame._built is not None
    assert frame.count() == 37  # the built frame runs again


@pytest.mark.parametrize("fill", [False, True])
@pytest.mark.parametrize(
    ("predicate", "bounds"),
    [
        (lambda c: (c >= lit(10)) & (c <= lit(50)), (10, 50)),
        (lambda c: (lit(10) < c) & (lit(50) > c), (11, 49)),
        (lambda c: c.between(lit(20), lit(30)), (20, 30)),
        (lambda c: c == lit(50), (50, 50)),
        (lambda c: (c > lit(60)) & (c < lit(40)), (61, 39)),
    ],
)
def test_index_filters_are_pushed_down_and_exact(
    store: ChunkStore, predicate: Callable[[Expr], Expr], bounds: tuple[int, int], fill: bool
) -> None:
    expr = predicate(col("frame"))
    assert index_range((expr,), "frame", TimeType.SEQUENCE) == bounds
    frame = store.reader("frame", fill_latest_at=fill)
    full = frame.to_arrow_table()
    ours = store.reader("frame", fill_latest_at=fill).filter(expr).to_arrow_table()
    expected = _filtered(full, "frame", *bounds)
    assert ours.sort_by("frame").equals(expected)


def test_unreadable_predicates_push_nothing_but_still_apply(store: ChunkStore) -> None:
    c = col("frame")
    for expr in [
        (c < lit(10)) | (c > lit(90)),
        c > lit(5.5),
        col("time") > lit(3),
        c.between(lit(1), lit(2), negated=True),
    ]:
        assert index_range((expr,), "frame", TimeType.SEQUENCE) == (None, None)
    ours = store.reader("frame").filter((c < lit(10)) | (c > lit(90))).to_arrow_table()
    assert ours.column("frame").to_pylist() == [0, 3, 5, 6, 9, 93, 95, 96, 99]


def test_time_literals_are_converted_to_nanoseconds(store: ChunkStore) -> None:
    c = col("time")
    at = pa.scalar(30, pa.timestamp("s"))
    assert index_range((c >= lit(at),), "time", TimeType.TIMESTAMP_NS) == (30_000_000_000, None)
    assert index_range((c >= lit(5),), "time", TimeType.TIMESTAMP_NS) == (None, None)
    assert index_range((col("d") < lit(pa.scalar(2, pa.duration("ms"))),), "d", TimeType.DURATION_NS) == (
        None,
        1_999_999,
    )
    ours = store.reader("time").filter(c >= lit(at)).to_arrow_table()
    assert ours.num_rows == 24


def test_string_predicates_and_the_global_context(store: ChunkStore) -> None:
    assert store.reader("frame").filter("frame >= 90").count() == 5
    with pytest.raises(Exception, match="nope"):
        store.reader("frame").filter(col("nope") > lit(1))
    ctx = datafusion.SessionContext()
    assert store.reader("frame", ctx=ctx).filter(col("frame") < lit(3)).count() == 1


def test_the_unfiltered_frame_streams_without_datafusion(store: ChunkStore) -> None:
    frame = store.reader("frame", fill_latest_at=True)
    streamed = pa.RecordBatchReader.from_stream(frame).read_all()
    assert frame._built is None
    assert streamed.equals(frame.to_arrow_table())
    chunks = list(
        Chunk.from_dataframe(
            store.reader("frame", contents="/b").select("frame", "/b:Points3D:positions"), index="frame"
        )
    )
    assert [(c.entity_path, c.num_rows) for c in chunks] == [("/b", 3)]


def test_reader_options_and_errors(store: ChunkStore) -> None:
    assert store.reader(None).count() == 1
    resampled = store.reader("frame", using_index_values=[7, 1, 200], fill_latest_at=True).to_arrow_table()
    assert resampled.column("frame").to_pylist() == [1, 7, 200]
    assert resampled.column("/a:Scalars:scalars").to_pylist() == [[0.0], [6.0], [99.0]]
    assert store.reader("frame", contents=[]).count() == 0
    assert store.reader("frame", contents={"/b": ["ignored"]}).count() == 3  # 0.41 keeps only the keys
    with pytest.raises(ValueError, match="Index 'nope' does not exist in the chunk store"):
        store.reader("nope")
    with pytest.raises(ValueError, match=r"^Index values must be unique\.$"):
        store.reader("frame", using_index_values=np.array([1, 1]))


def test_datafusion_is_loaded_only_by_reader() -> None:
    probe = (
        "import sys, rerun as rr; rr.chunk.ChunkStore; print('datafusion' in sys.modules); "
        "sys.modules['datafusion'] = None\n"
        "store = rr.chunk.ChunkStore.from_chunks([])\n"
        "try:\n    store.reader(None)\nexcept ModuleNotFoundError as err:\n    print(err)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    loaded, message = result.stdout.strip().split("\n")
    assert loaded == "False"
    assert "needs the 'datafusion' package" in message and "rerun-sdk[dataframe]" in message
