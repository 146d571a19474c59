"""Range reads whose rows are one run of consecutive cells are sliced from the chunks, not gathered:
the answer must be the very same as the general gather's."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

import rerun_core.query._cells as cells
from rerun_core import Chunk, ComponentDescriptor, Timeline, TimeType
from rerun_core.query import DataframeQuery
from rerun_core.store import ChunkStore, ChunkStoreConfig

STEP = Timeline("step", TimeType.SEQUENCE)
X = ComponentDescriptor("X:x")


def _store(*, with_nulls: bool) -> ChunkStore:
    """Four chunks of 100 steps in time order; with nulls, every 7th cell of the second is missing."""
    store = ChunkStore(config=ChunkStoreConfig(max_rows=0))  # four chunks stay four segments
    for i in range(4):
        steps = np.arange(i * 100, (i + 1) * 100, dtype=np.int64)
        values = [None if with_nulls and i == 1 and s % 7 == 0 else [float(s)] for s in steps]
        column = pa.array(values, pa.list_(pa.float64()))
        store.insert(Chunk.build("/a", timelines={STEP: pa.array(steps)}, components={X: column}))
    return store


@pytest.mark.parametrize("with_nulls", [False, True])
@pytest.mark.parametrize("index_range", [None, (0, 399), (50, 249), (120, 130), (99, 100), (399, 399)])
def test_runs_read_as_the_general_gather(
    with_nulls: bool, index_range: tuple[int, int] | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(with_nulls=with_nulls)
    sliced = DataframeQuery(store, "step", index_range=index_range).read_all()
    monkeypatch.setattr(cells, "_is_one_run", lambda rows: False)
    gathered = DataframeQuery(store, "step", index_range=index_range).read_all()
    assert sliced.equals(gathered)
    low, high = index_range or (0, 399)
    expected = [s for s in range(low, high + 1) if not (with_nulls and 100 <= s < 200 and s % 7 == 0)]
    assert sliced["step"].to_pylist() == expected
    assert sliced["/a:X:x"].to_pylist() == [[float(s)] for s in expected]


def test_is_one_run() -> None:
    assert cells._is_one_run(np.arange(5, 9))
    assert not cells._is_one_run(np.array([5, 6, 8]))
    assert not cells._is_one_run(np.array([-1, 0, 1]))
    assert not cells._is_one_run(np.array([], dtype=np.int64))


def test_the_store_keeps_the_four_chunks() -> None:
    assert _store(with_nulls=True).num_chunks == 4  # else the runs would not cross chunks
