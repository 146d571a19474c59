"""``ColumnCells.lookup`` finds a run of the column's own times by position, without a search per time:
the rows must be those the general search finds."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from rerun_core import Chunk, ComponentDescriptor, Timeline, TimeType
from rerun_core.query._cells import ColumnCells, data_segments
from rerun_core.store import ChunkStore, ChunkStoreConfig

STEP = Timeline("step", TimeType.SEQUENCE)
X = ComponentDescriptor("X:x")


def _cells() -> ColumnCells:
    """Three chunks, steps 0, 2, 4, … 298 (every other step, so that odd steps have no cell)."""
    store = ChunkStore(config=ChunkStoreConfig(max_rows=0))
    for i in range(3):
        steps = np.arange(i * 100, (i + 1) * 100, 2, dtype=np.int64)
        column = pa.array([[float(s)] for s in steps], pa.list_(pa.float64()))
        store.insert(Chunk.build("/a", timelines={STEP: pa.array(steps)}, components={X: column}))
    return ColumnCells("X:x", "step", data_segments(store, "/a", "X:x", "step"))


def _searched(times: np.ndarray, at: np.ndarray, fill: bool) -> list[int]:
    """What the lookup means, spelled out: the row at exactly that time, else (fill) the one before."""
    rows = []
    for t in at:
        exact = np.flatnonzero(times == t)
        before = np.flatnonzero(times <= t)
        rows.append(int(exact[0]) if len(exact) else int(before[-1]) if fill and len(before) else -1)
    return rows


@pytest.mark.parametrize("fill", [False, True])
@pytest.mark.parametrize(
    "at",
    [
        np.arange(0, 300, 2),  # every time
        np.arange(40, 160, 2),  # a run across chunks
        np.array([298]),
        np.arange(40, 160, 4),  # not a run: every other time
        np.arange(41, 61, 2),  # no cell at those times
        np.arange(250, 310, 2),  # runs past the last time
        np.array([-4, -2, 0, 2]),  # starts before the first time
    ],
)
def test_lookup_equals_the_search(at: np.ndarray, fill: bool) -> None:
    cells = _cells()
    assert cells.lookup(at.astype(np.int64), fill=fill).tolist() == _searched(cells.times, at, fill)
