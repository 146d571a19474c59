"""The blueprint tree under a view, as 0.41 draws it: first the view's origin ("/ (root)" for ``/``,
else its last part), its entities one step further in; a view opens by itself when its origin holds
more than one child (as the reference's screens show for the text-log fixture and for ``/world``)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from _viewer_support import require_gpu

import rerun as rr
from rerun_viewer import Viewer, load_recordings
from rerun_viewer._heuristics import ViewSpec
from rerun_viewer._layout import shell_layout
from rerun_viewer._panels import _opens_by_default
from rerun_viewer._registry import ViewKind
from rerun_viewer._theme import THEME
from rerun_viewer._view_tree import TreeRow, entity_tree
from rerun_viewer._viewport import TreeNode

pytestmark = pytest.mark.timeout(120)
WIDTH, HEIGHT = 1280, 720


def test_the_root_origin_comes_first_as_root() -> None:
    rows = entity_tree(("/logs", "/logs/colored", "/readme"), "/")
    assert rows == (
        TreeRow("/", 0, "/ (root)", children=2),
        TreeRow("/logs", 1, "logs", children=1, holds_data=True),
        TreeRow("/logs/colored", 2, "colored", holds_data=True),
        TreeRow("/readme", 1, "readme", holds_data=True),
    )


def test_another_origin_shows_by_its_last_part() -> None:
    rows = entity_tree(("/world/alone/seg", "/world/over/rgb", "/world/over/seg"), "/world")
    assert [(row.path, row.depth, row.label) for row in rows] == [
        ("/world", 0, "world"),
        ("/world/alone", 1, "alone"),
        ("/world/alone/seg", 2, "seg"),
        ("/world/over", 1, "over"),
        ("/world/over/rgb", 2, "rgb"),
        ("/world/over/seg", 2, "seg"),
    ]


def _view_node(*entities: str, origin: str = "/") -> TreeNode:
    return TreeNode("/view/x", "x", view=ViewSpec(ViewKind.SPATIAL_2D, origin, entities))


def _opens(*entities: str, origin: str = "/") -> bool:
    node = _view_node(*entities, origin=origin)
    return _opens_by_default(node, entity_tree(entities, origin))


def test_a_view_opens_when_its_origin_holds_two_or_three_children() -> None:
    assert _opens("/world/over/rgb", "/world/alone/seg", origin="/world")
    assert not _opens("/world/points", "/world/labeled")  # "/" holds world only
    assert not _opens("/plots/a", origin="/plots/a")
    assert _opens("/a", "/b", "/c")
    assert not _opens("/a", "/b", "/c", "/d"), "0.41 leaves a view with four children closed"


def _row_y(row: int) -> int:
    """The middle of a row of the blueprint tree (row 0: the first view), one recording loaded."""
    return int(shell_layout(WIDTH, HEIGHT).left.y + 170 + 48 + row * THEME.row_height + 8)


def _icon_start(pixels: np.ndarray, row: int) -> int:
    """Where a tree row's icon starts (its first bright pixel right of the view's arrow; the arrows are
    dimmer)."""
    band = pixels[_row_y(row) - 6 : _row_y(row) + 6, 30:180, :3].min(axis=2).max(axis=0)
    return 30 + int(np.flatnonzero(band > 110)[0])


def test_the_origin_row_sits_between_the_view_and_its_entities(tmp_path: Path) -> None:
    require_gpu()
    path = tmp_path / "tree.rrd"
    rec = rr.RecordingStream("tree_origin_row", recording_id="tree")
    rec.save(str(path))
    for entity in ("world/alone/seg", "world/alone/depth", "world/over/rgb"):
        rec.log(entity, rr.Points2D([[0, 0], [10, 10]]), static=True)
    rec.disconnect()
    with Viewer(load_recordings([path]), width=WIDTH, height=HEIGHT) as viewer:
        pixels = viewer.render()
    starts = [_icon_start(pixels, row) for row in range(4)]  # the view, its origin, a group, an entity
    assert [abs(inner - outer - 18) <= 3 for outer, inner in itertools.pairwise(starts)] == [True] * 3, starts
