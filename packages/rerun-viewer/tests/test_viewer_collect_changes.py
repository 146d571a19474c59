"""A new time cursor re-runs the visualizers of exactly the entities whose data (or whose ancestors'
data) differs there; every other entity keeps the primitives it had."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import rerun as rr
from rerun_core.store import ChunkStore
from rerun_viewer import ViewKind, auto_views, load_recordings
from rerun_viewer._primitives import Points
from rerun_viewer._store_tracker import tracker_for
from rerun_viewer._time import TimeCursor
from rerun_viewer._view_core import collect


def _store(tmp_path: Path) -> ChunkStore:
    """``world`` moves at step 5, ``world/still`` never, ``loose`` at step 7; all log at step 0."""
    path = tmp_path / "changes.rrd"
    stream = rr.RecordingStream("collect_changes", recording_id="collect_changes")
    stream.save(str(path))
    stream.set_time("step", sequence=0)
    stream.log("world", rr.Transform3D(translation=[0, 0, 0]))
    stream.log("world/still", rr.Points3D([[1, 0, 0]]))
    stream.log("loose", rr.Points3D([[0, 1, 0]]))
    stream.set_time("step", sequence=5)
    stream.log("world", rr.Transform3D(translation=[10, 0, 0]))
    stream.set_time("step", sequence=7)
    stream.log("loose", rr.Points3D([[0, 2, 0]]))
    stream.disconnect()
    (recording,) = load_recordings([path])
    return recording.store


def _points_by_entity(store: ChunkStore, at: int) -> dict[str, Points]:
    (spec,) = [view for view in auto_views(store) if view.kind == ViewKind.SPATIAL_3D]
    contents = collect(store, spec, TimeCursor(store.timelines()["step"], at))
    return {p.entity: p for p in contents.primitives if isinstance(p, Points)}


def test_only_entities_with_data_between_two_cursors_are_collected_again(tmp_path: Path) -> None:
    store = _store(tmp_path)
    at_0 = _points_by_entity(store, 0)
    at_6 = _points_by_entity(store, 6)
    assert at_6["/loose"] is at_0["/loose"], "no row of /loose between 0 and 6"
    assert at_6["/world/still"] is not at_0["/world/still"], "its parent moved at 5"
    assert at_6["/world/still"].positions[0].tolist() == pytest.approx([11, 0, 0])
    at_8 = _points_by_entity(store, 8)
    assert at_8["/world/still"] is at_6["/world/still"], "nothing of /world changed between 6 and 8"
    assert at_8["/loose"] is not at_6["/loose"]
    assert at_8["/loose"].positions[0].tolist() == pytest.approx([0, 2, 0])


def test_chain_table_counts_rows_and_marks_descendants_of_a_changed_owner(tmp_path: Path) -> None:
    store = _store(tmp_path)
    table = tracker_for(store).chain_table(("/world/still", "/loose", "/world"), "step")
    assert table.owners[:3] == ("/world/still", "/world", "/")
    counts = {owner: count for owner, count in zip(table.owners, table.counts_at(6), strict=True)}
    assert counts == {"/world/still": 1, "/world": 2, "/": 0, "/loose": 1}
    moved = table.owners_changed_since(table, table.counts_at(0), table.counts_at(6))
    assert table.changed(moved).tolist() == [True, False, True]
    assert not table.changed(table.owners_changed_since(table, table.counts_at(5), table.counts_at(6))).any()
    assert np.array_equal(table.counts_at(-1), np.zeros(len(table.owners)))
