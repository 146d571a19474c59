"""A pinhole in a 3D view against the real 0.41 viewer: how big its frustum is, and what of it the
default eye frames.

Measured on 0.41's renders (``rerun --headless --screenshot-to``, 1280x720) of the scenes below:
the image plane lies at 2 % of the diagonal of the framed region (0.3 when it has no size); that
region holds the camera's center and a depth cloud's frustum out to its farthest depth, never the
frustum, the image plane or the 2D content on it (they are sized by it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _viewer_support import fixture, require_gpu

import rerun as rr
from rerun_viewer import Viewer, load_recordings
from rerun_viewer._heuristics import auto_views
from rerun_viewer._primitives import Points, Segments, Triangles
from rerun_viewer._registry import ViewKind
from rerun_viewer._time import default_cursor
from rerun_viewer._view_core import ViewContents, collect
from rerun_viewer.views._camera import FOV_Y_DEGREES, default_eye, framing_bounds

pytestmark = pytest.mark.timeout(120)

VIEW_HEIGHT_PX = 400
CUBE = np.array([[x, y, z] for x in (4.0, 6.0) for y in (4.0, 6.0) for z in (4.0, 6.0)])
CAMERA_CENTER = (5.0, 5.0, 0.0)  # under the cube, looking up (+z, the pinhole's forward)
# 0.41's eye for CUBE's corners with that camera, fitted to its render (residuals < 0.7 px), and the
# box of its frustum's pixels there (from its 2x render), on its 3D view of 1280x631 px
REFERENCE_EYE = (2.95899, -1.13049, 5.56261)
REFERENCE_FRUSTUM = (621.5, 658.5, 612.0, 635.5)  # x min, x max, y min, y max
# depth_image.rrd: the box of the frustum's pixels in 0.41's 1280x720 screenshot (from its 2x render)
REFERENCE_DEPTH_FRUSTUM = (386.5, 402.5, 373.0, 386.5)  # x min, x max, y min, y max


def _contents(path: Path) -> ViewContents:
    (recording,) = [r for r in load_recordings([path]) if not r.is_blueprint]
    spec = next(view for view in auto_views(recording.store) if view.kind == ViewKind.SPATIAL_3D)
    return collect(recording.store, spec, default_cursor(recording.store))


def _region(contents: ViewContents) -> tuple[np.ndarray, np.ndarray]:
    region = framing_bounds(contents.primitives, None)
    assert region is not None
    return region


def _cube_with_camera(tmp_path: Path, *, image: bool = False) -> Path:
    path = tmp_path / "pinhole.rrd"
    stream = rr.RecordingStream("pinhole_fidelity", recording_id="pinhole_fidelity")
    stream.save(str(path))
    stream.log("pts", rr.Points3D(CUBE, radii=-4), static=True)
    stream.log("cam", rr.Transform3D(translation=CAMERA_CENTER), static=True)
    stream.log("cam", rr.Pinhole(focal_length=300, width=640, height=480), static=True)
    if image:
        stream.log("cam/img", rr.Image(np.full((480, 640, 3), 200, np.uint8)), static=True)
    stream.disconnect()
    return path


def _projected(eye_position: np.ndarray, direction: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Pixels from the center of a view 400 px high, for an eye looking along ``direction``, up +z."""
    forward = direction / np.linalg.norm(direction)
    right = np.cross(forward, [0.0, 0, 1])
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    relative = points - eye_position
    focal = VIEW_HEIGHT_PX / 2 / np.tan(np.radians(FOV_Y_DEGREES) / 2)
    depth = relative @ forward
    return np.c_[focal * (relative @ right) / depth, -focal * (relative @ up) / depth]


@pytest.mark.parametrize("image", [False, True], ids=["pinhole", "pinhole and image"])
def test_the_eye_frames_the_cameras_center_not_its_frustum(tmp_path: Path, image: bool) -> None:
    """The cube's corners (framed as mean ± 2 sigma: [3, 7]^3) and the camera's center (5, 5, 0)."""
    contents = _contents(_cube_with_camera(tmp_path, image=image))
    lo, hi = _region(contents)
    np.testing.assert_allclose((lo, hi), ((3, 3, 0), (7, 7, 7)), atol=1e-5)
    eye = default_eye((lo, hi), contents.up)
    direction = eye.target - eye.position
    ours, reference = (_projected(np.asarray(p), direction, CUBE) for p in (eye.position, REFERENCE_EYE))
    assert np.abs(ours - reference).max() < 3.0  # 0.41 shoots its eye mid-glide, 0.7 % short


def test_the_frustum_is_as_large_as_the_references(tmp_path: Path) -> None:
    """Its endpoints, seen by our eye on a view as 0.41's (1280x631), fall inside the reference's
    pixel box, less the lines' own width (about a pixel each side)."""
    contents = _contents(_cube_with_camera(tmp_path))
    eye = default_eye(framing_bounds(contents.primitives, None), contents.up)
    (frustum,) = [p for p in contents.primitives if isinstance(p, Segments)]
    pixels = _projected(eye.position, eye.target - eye.position, frustum.positions.astype(np.float64))
    pixels = pixels * 631 / VIEW_HEIGHT_PX + (640, 375.5)
    box = (pixels[:, 0].min(), pixels[:, 0].max(), pixels[:, 1].min(), pixels[:, 1].max())
    np.testing.assert_allclose(box, np.add(REFERENCE_FRUSTUM, (1, -1, 1, -1)), atol=2.0)


def test_the_image_plane_lies_at_two_percent_of_the_framed_diagonal(tmp_path: Path) -> None:
    contents = _contents(_cube_with_camera(tmp_path, image=True))
    (frustum,) = [p for p in contents.primitives if p.entity == "/cam" and isinstance(p, Segments)]
    plane_distance = 0.02 * np.linalg.norm([4, 4, 7])  # the framed region: [3, 7] x [3, 7] x [0, 7]
    assert frustum.positions[:, 2].max() == pytest.approx(plane_distance, rel=1e-5)
    (quad,) = [p for p in contents.primitives if p.entity == "/cam/img" and isinstance(p, Triangles)]
    np.testing.assert_allclose(quad.positions[:, 2], plane_distance, rtol=1e-5)
    assert np.ptp(quad.positions[:, 0]) == pytest.approx(plane_distance * 640 / 300, rel=1e-5)


def test_a_lone_camera_has_the_reference_plane_distance(tmp_path: Path) -> None:
    path = tmp_path / "lone.rrd"
    stream = rr.RecordingStream("pinhole_fidelity", recording_id="lone")
    stream.save(str(path))
    stream.log("cam", rr.Pinhole(focal_length=300, width=640, height=480), static=True)
    stream.disconnect()
    (frustum,) = _contents(path).primitives
    assert isinstance(frustum, Segments)
    assert frustum.positions[:, 2].max() == pytest.approx(0.3, rel=1e-6)


def test_a_depth_cloud_frames_its_frustum_to_the_farthest_depth() -> None:
    """depth_image.rrd: focal 50, 64x48 u16 depths in millimeters; the region runs from the camera's
    center to the image corners at the largest depth, and the frustum is 2 % of its diagonal deep."""
    contents = _contents(fixture("depth_image.rrd"))
    (cloud,) = [p for p in contents.primitives if isinstance(p, Points)]
    farthest = float(cloud.positions[:, 2].max())
    half = np.array([32, 24]) / 50 * farthest
    lo, hi = _region(contents)
    np.testing.assert_allclose(lo[:2], -half, rtol=0.02)
    np.testing.assert_allclose(hi, [*half, farthest], rtol=0.02)
    (frustum,) = [p for p in contents.primitives if isinstance(p, Segments)]
    diagonal = float(np.linalg.norm(hi - lo))
    assert frustum.positions[:, 2].max() == pytest.approx(0.02 * diagonal, rel=1e-5)


def test_the_depth_fixtures_frustum_is_where_the_reference_draws_it() -> None:
    require_gpu()
    with Viewer(load_recordings([fixture("depth_image.rrd")]), width=1280, height=720) as viewer:
        pixels = viewer.render()[..., :3].astype(np.int16)
    region = pixels[300:460, 200:590]  # around the camera, in the 3D view
    gray = (np.abs(region - region.mean(axis=2, keepdims=True)) < 6).all(axis=2) & (region.mean(axis=2) > 110)
    rows, columns = np.nonzero(gray)
    box = (columns.min() + 200, columns.max() + 200, rows.min() + 300, rows.max() + 300)
    np.testing.assert_allclose(box, REFERENCE_DEPTH_FRUSTUM, atol=2.5)
