"""A pinhole's default image plane distance follows the size of the rest of the 3D scene.

The reference draws the same frustum, relative to the scene, for points in [-1, 1]^3 and [-3, 3]^3;
its pixels (measured on ``rerun --screenshot-to`` at 1280x720 for these very recordings) are checked
against ours, and the plain data for the rule (2 % of the framed region's diagonal).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _viewer_support import require_gpu

import rerun as rr
from rerun_viewer import Viewer, load_recordings
from rerun_viewer._heuristics import auto_views
from rerun_viewer._primitives import Segments
from rerun_viewer._time import TimeCursor, default_cursor
from rerun_viewer._view_core import ViewContents, collect

pytestmark = pytest.mark.timeout(120)
FOCAL, WIDTH, HEIGHT = 300.0, 640.0, 480.0
# The frustum's pixel box in the reference's 1280x720 screenshots of both scenes (from its 2x render).
REFERENCE_FRUSTUM_BOX = (576, 604, 253, 267)  # x min, x max, y min, y max


def _grid(scale: float) -> np.ndarray:
    axis = np.linspace(-scale, scale, 5)
    return np.array([[x, y, z] for x in axis for y in axis for z in axis])


def _record(tmp_path: Path, scale: float, plane_distance: float | None = None) -> Path:
    path = tmp_path / f"pinhole_{scale}.rrd"
    stream = rr.RecordingStream("pinhole_plane")
    stream.save(str(path))
    stream.log("points", rr.Points3D(_grid(scale), colors=[0, 200, 255], radii=0.02 * scale), static=True)
    pinhole = rr.Pinhole(focal_length=FOCAL, width=WIDTH, height=HEIGHT, image_plane_distance=plane_distance)
    stream.log("cam", pinhole, static=True)
    stream.disconnect()
    return path


def _contents(path: Path, cursor: TimeCursor | None = None) -> ViewContents:
    (recording,) = load_recordings([path])
    (spec,) = auto_views(recording.store)
    return collect(recording.store, spec, cursor or default_cursor(recording.store))


def _plane_width(contents: ViewContents) -> float:
    """The frustum's width at its image plane: the extent along x of its segments."""
    (frustum,) = [p for p in contents.primitives if p.entity == "/cam" and isinstance(p, Segments)]
    return float(np.ptp(frustum.positions[:, 0]))


@pytest.mark.parametrize("scale", [1.0, 3.0])
def test_default_plane_distance_is_a_fraction_of_the_scene_diagonal(tmp_path: Path, scale: float) -> None:
    diagonal = 4 * scale * np.sqrt(0.5) * np.sqrt(3)  # the framed region: mean ± 2 standard deviations
    expected_distance = 0.02 * diagonal
    width = _plane_width(_contents(_record(tmp_path, scale)))
    assert width == pytest.approx(expected_distance * WIDTH / FOCAL, rel=1e-5)


def test_a_logged_plane_distance_wins(tmp_path: Path) -> None:
    width = _plane_width(_contents(_record(tmp_path, 3.0, plane_distance=0.5)))
    assert width == pytest.approx(0.5 * WIDTH / FOCAL, rel=1e-5)


def test_the_frustum_follows_a_scene_that_grows_over_time(tmp_path: Path) -> None:
    """The pinhole entity itself does not change; the points do, so its cached frustum must not stay."""
    path = tmp_path / "growing.rrd"
    stream = rr.RecordingStream("pinhole_plane")
    stream.save(str(path))
    stream.log("cam", rr.Pinhole(focal_length=FOCAL, width=WIDTH, height=HEIGHT), static=True)
    for frame, scale in enumerate([1.0, 3.0]):
        stream.set_time("frame", sequence=frame)
        stream.log("points", rr.Points3D(_grid(scale)))
    stream.disconnect()
    (recording,) = load_recordings([path])
    (spec,) = auto_views(recording.store)
    timeline = default_cursor(recording.store).timeline
    widths = [_plane_width(collect(recording.store, spec, TimeCursor(timeline, frame))) for frame in (0, 1)]
    assert widths[1] == pytest.approx(3 * widths[0], rel=1e-5)


def _frustum_box(pixels: np.ndarray) -> tuple[int, int, int, int]:
    """The box of the frustum's light gray pixels near the view's center (points are blue, grid dark)."""
    region = pixels[200:320, 520:680, :3].astype(int)
    gray = (np.ptp(region, axis=2) < 12) & (region[..., 0] > 110)
    rows, columns = np.nonzero(gray)
    return int(columns.min() + 520), int(columns.max() + 520), int(rows.min() + 200), int(rows.max() + 200)


def test_the_frustum_looks_as_the_references_at_both_scales(tmp_path: Path) -> None:
    require_gpu()
    for scale in (1.0, 3.0):
        with Viewer(load_recordings([_record(tmp_path, scale)]), width=1280, height=720) as viewer:
            box = _frustum_box(viewer.render())
        assert np.allclose(box, REFERENCE_FRUSTUM_BOX, atol=2), (scale, box)


def test_a_2d_view_of_a_pinhole_space_frames_the_whole_camera_image(tmp_path: Path) -> None:
    """As 0.41: a 64x48 image under a 640x480 pinhole fills only the top-left tenth of the 2D view."""
    require_gpu()
    path = tmp_path / "small_image.rrd"
    stream = rr.RecordingStream("pinhole_2d", recording_id="small")
    stream.save(str(path))
    stream.log("cam", rr.Pinhole(focal_length=300, width=640, height=480))
    stream.log("cam/img", rr.Image(np.full((48, 64, 3), (255, 0, 0), np.uint8)))
    stream.disconnect()
    with Viewer(load_recordings([path]), width=1280, height=720) as viewer:
        pixels = viewer.render()[..., :3].astype(int)
    left, right_edge = 591, 980  # the 2D view "cam" (the 3D view is left of it)
    right = pixels[:, left:right_edge]
    ys, xs = np.nonzero((right[..., 0] > 240) & (right[..., 1] < 20) & (right[..., 2] < 20))
    width, height = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
    view_width = right_edge - left
    assert abs(width - view_width * 64 / 640) <= 3, (width, height)
    assert abs(height - width * 48 / 64) <= 3, (width, height)
    assert xs.min() <= 2, "at the image's left edge"
