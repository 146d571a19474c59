"""Arrows as 0.41 draws them: heads 4 radii long and 4 radii wide at the arrow's end, in UI points for
the default radius (1.5 points) and in scene units for logged ones.

Facts from the reference viewer's render (``--screenshot-to``, 1280x720, shown at half its HiDPI size)
of the scene below: a view of x 0..200, y 0..100 with the panels collapsed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _viewer_support import reference_screenshot, require_gpu

import rerun as rr
import rerun.blueprint as rrb
from rerun_viewer import Viewer, load_recordings
from rerun_viewer.views._arrow_heads import arrow_shapes
from rerun_viewer.views._camera import Projection

pytestmark = pytest.mark.timeout(120)

RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 128, 255)
# Each colour's pixels in the reference's render: (x min, x max, y min, y max).
REFERENCE_EXTENTS = {RED: (137, 1140, 187, 191), GREEN: (119, 1140, 403, 477), BLUE: (134, 513, 500, 631)}
REFERENCE_GREEN_SHAFT_ROWS = (421, 458)  # at x = 600: 2 x 3 scene units
REFERENCE_GREEN_HEAD_BASE_ROWS = (405, 475)  # at x = 1070, near the head's base: twice as wide


def _arrows(tmp_path: Path) -> Path:
    path = tmp_path / "arrows.rrd"
    stream = rr.RecordingStream("arrows_test", recording_id="arrows")
    stream.save(str(path))
    bounds = rrb.VisualBounds2D(x_range=[0, 200], y_range=[0, 100])
    stream.send_blueprint(
        rrb.Blueprint(rrb.Spatial2DView(origin="/", visual_bounds=bounds), collapse_panels=True)
    )
    stream.log("ui", rr.Arrows2D(origins=[[20, 20]], vectors=[[160, 0]], colors=[RED]))
    stream.log("world", rr.Arrows2D(origins=[[20, 60]], vectors=[[160, 0]], radii=[3.0], colors=[GREEN]))
    stream.log("diag", rr.Arrows2D(origins=[[20, 90]], vectors=[[60, -20]], radii=[-4.0], colors=[BLUE]))
    stream.disconnect()
    return path


def _mask(shot: np.ndarray, color: tuple[int, int, int]) -> np.ndarray:
    return np.abs(shot[..., :3].astype(int) - np.array(color)).sum(axis=-1) < 150


def _extent(mask: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(mask)
    return int(xs.min()), int(xs.max()), int(ys.min()), int(ys.max())


def _rows(mask: np.ndarray, x: int) -> tuple[int, int]:
    rows = np.flatnonzero(mask[:, x])
    return int(rows.min()), int(rows.max())


def test_heads_are_four_radii_long_and_wide_on_screen() -> None:
    """Through a projection of one pixel per unit, a 2-point radius makes a head 8 px long, 8 px wide."""
    clip_from_view = np.array([[0.01, 0, 0, -1], [0, -0.02, 0, 1], [0, 0, 1, 0], [0, 0, 0, 1]])
    projection = Projection(clip_from_view, -0.02, 200, 100)
    starts, tips = np.array([[20.0, 50, 0]]), np.array([[120.0, 50, 0]])
    bases, heads = arrow_shapes(starts, tips, np.array([-2.0]), projection)
    np.testing.assert_allclose(bases, [[112, 50, 0]], atol=1e-9)
    np.testing.assert_allclose(heads[0], [[120, 50, 0], [112, 54, 0], [112, 46, 0]], atol=1e-9)


def test_a_head_longer_than_its_arrow_starts_at_the_origin() -> None:
    clip_from_view = np.array([[0.01, 0, 0, -1], [0, -0.02, 0, 1], [0, 0, 1, 0], [0, 0, 0, 1]])
    projection = Projection(clip_from_view, -0.02, 200, 100)
    bases, _ = arrow_shapes(
        np.array([[20.0, 50, 0]]), np.array([[24.0, 50, 0]]), np.array([-2.0]), projection
    )
    np.testing.assert_allclose(bases, [[20, 50, 0]], atol=1e-9)


def test_heads_in_perspective_keep_their_size_on_screen() -> None:
    """Seen in perspective, a head still measures 4 radii from its base to the tip and across, in pixels."""
    near, far, focal = 0.1, 100.0, 1.5
    clip_from_view = np.array(
        [
            [focal, 0, 0, 0],
            [0, focal, 0, 0],
            [0, 0, -far / (far - near), -far * near / (far - near)],
            [0, 0, -1, 0],
        ]
    )  # looking down -z
    projection = Projection(clip_from_view, focal, 400, 400)
    starts, tips = np.array([[-1.0, -0.5, -4]]), np.array([[1.0, 0.5, -8]])
    _, heads = arrow_shapes(starts, tips, np.array([-3.0]), projection)
    tip, left, right = projection.to_pixels(heads[0])[0]
    np.testing.assert_allclose(np.linalg.norm(left - right), 12, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(tip - (left + right) / 2), 12, atol=1e-6)
    direction = projection.to_pixels(tips)[0][0] - projection.to_pixels(starts)[0][0]
    along = tip - (left + right) / 2
    np.testing.assert_allclose(direction[0] * along[1] - direction[1] * along[0], 0, atol=1e-6)  # parallel


def test_arrows_render_as_the_reference_draws_them(tmp_path: Path) -> None:
    require_gpu()
    with Viewer(load_recordings([_arrows(tmp_path)]), width=1280, height=720) as viewer:
        shot = viewer.render()
    for color, expected in REFERENCE_EXTENTS.items():
        extent = _extent(_mask(shot, color))
        assert np.abs(np.subtract(extent, expected)).max() <= 2, (
            f"{color}: {extent}, the reference {expected}"
        )
    green = _mask(shot, GREEN)
    assert np.abs(np.subtract(_rows(green, 600), REFERENCE_GREEN_SHAFT_ROWS)).max() <= 2
    assert np.abs(np.subtract(_rows(green, 1070), REFERENCE_GREEN_HEAD_BASE_ROWS)).max() <= 2
    red_rows = np.flatnonzero(_mask(shot, RED)[:, 600])
    assert 3 <= len(red_rows) <= 4, f"the default shaft is 3 UI points wide, not {len(red_rows)} px"


def _loaded(shot: np.ndarray) -> bool:
    """Every arrow shows, framed by the blueprint (the reference shoots mid-load at times)."""
    if not all(_mask(shot, color).any() for color in REFERENCE_EXTENTS):
        return False
    return abs(_extent(_mask(shot, RED))[0] - 2 * REFERENCE_EXTENTS[RED][0]) <= 6


@pytest.mark.reference
def test_arrow_pixels_overlap_the_reference_viewers(tmp_path: Path) -> None:
    require_gpu()
    path = _arrows(tmp_path)
    reference = reference_screenshot(tmp_path, path, loaded=_loaded)
    halved = reference.reshape(720, 2, 1280, 2, 3).mean(axis=(1, 3))
    with Viewer(load_recordings([path]), width=1280, height=720) as viewer:
        ours = viewer.render()
    for color in (RED, GREEN, BLUE):
        theirs, mine = _mask(halved, color)[40:680], _mask(ours, color)[40:680]
        overlap = (theirs & mine).sum() / (theirs | mine).sum()
        assert overlap > (0.7 if color == RED else 0.85), f"{color}: {overlap:.2f} of the pixels shared"
