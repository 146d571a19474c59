"""The default eye of 3D views, against the real 0.41 viewer's, for scenes of every kind of primitive.

How the reference eyes below were measured: each scene was logged with the reference SDK and shot by
the reference viewer (``--headless --screenshot-to``, 1280x720); coloured markers at the corners of a
box (small points, tiny boxes, tiny mesh triangles, short strips) were found in its 3D view and the eye
position fitted to them, with the default eye's direction and the 55° vertical field of view
(residuals under 1 px; markers cut by the view's edge left out; a tiny box's blob is its lit top
face, half a box higher, corrected). They show the rule ``views._camera`` follows: a point batch
frames its mean ± 2 standard deviations per axis (of its points not beyond that), every other
primitive (meshes, shapes, lines) its bounding box; the eye looks at the union's center from 0.75 of
its diagonal away.

Projected corners are compared on a view 400 px high (any width: the vertical field of view is fixed).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from _viewer_support import require_gpu

import rerun as rr
import rerun.blueprint as rrb
from rerun_viewer import load_recordings
from rerun_viewer._blueprint import active_blueprint
from rerun_viewer._registry import ViewKind
from rerun_viewer._time import default_cursor
from rerun_viewer._view_core import ViewContents, collect
from rerun_viewer._viewport import viewport_for
from rerun_viewer.views._camera import FOV_Y_DEGREES, Eye, default_eye, framing_bounds
from rerun_viewer.views._scene import scene_bounds

pytestmark = pytest.mark.timeout(120)

VIEW_HEIGHT_PX = 400
COLORS = [
    (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0),
    (255, 0, 255), (0, 255, 255), (255, 255, 255), (255, 128, 0),
]  # fmt: skip
Log = Callable[[rr.RecordingStream], None]


def _corners(lo: tuple[float, ...], hi: tuple[float, ...]) -> np.ndarray:
    return np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])


def _tiny_boxes(entity: str, corners: np.ndarray, half_size: float) -> Log:
    return lambda rec: rec.log(
        entity,
        rr.Boxes3D(centers=corners, half_sizes=[[half_size] * 3] * len(corners), colors=COLORS,
                   fill_mode="solid"),
    )  # fmt: skip


def _tiny_triangles(corners: np.ndarray, size: float) -> Log:
    """A triangle per corner, its centroid on the corner, in the corner's colour."""
    triangle = np.array([[0, 0, 0], [size, 0, 0], [0, 0, size]]) - [size / 3, 0, size / 3]
    vertices = np.concatenate([corner + triangle for corner in corners])
    colors = np.repeat(np.array(COLORS, np.uint8), 3, axis=0)
    indices = np.arange(len(vertices)).reshape(-1, 3)
    return lambda rec: rec.log(
        "mesh", rr.Mesh3D(vertex_positions=vertices, vertex_colors=colors, triangle_indices=indices)
    )


def _corner_points(entity: str, corners: np.ndarray) -> Log:
    return lambda rec: rec.log(entity, rr.Points3D(corners, colors=COLORS, radii=-4), static=True)


def _both(*logs: Log) -> Log:
    def log(rec: rr.RecordingStream) -> None:
        for each in logs:
            each(rec)

    return log


def _strips(corners: np.ndarray) -> Log:
    strips = [[corner, corner + np.array([0.02, 0, 0])] for corner in corners]
    return lambda rec: rec.log("lines", rr.LineStrips3D(strips, colors=COLORS, radii=-6), static=True)


def _trail(rec: rr.RecordingStream) -> None:
    """Frames 10..19 of two single-point trails shown together: each row is framed on its own."""
    for t in range(30):
        rec.set_time("frame", sequence=t)
        for entity, z in (("a", 0.0), ("b", 1.0)):
            rec.log(entity, rr.Points3D([[t * 0.1, np.sin(t * 0.3), z]], radii=-5))
    window = rrb.VisibleTimeRange(
        "frame", start=rrb.TimeRangeBoundary.absolute(seq=10), end=rrb.TimeRangeBoundary.absolute(seq=19)
    )
    rec.send_blueprint(rrb.Blueprint(rrb.Spatial3DView(origin="/", time_ranges=[window])))


def _cloud(rec: rr.RecordingStream) -> None:
    """200 normally distributed points, some beyond 2 standard deviations; the first 8 are markers."""
    colors = np.full((len(CLOUD), 4), [90, 90, 90, 255], np.uint8)
    colors[:8, :3] = COLORS
    rec.log("cloud", rr.Points3D(CLOUD, colors=colors, radii=-4), static=True)


CUBE = _corners((0, 0, 0), (2, 2, 2))
CLOUD = np.random.default_rng(7).normal(size=(200, 3)) * [1.0, 0.8, 1.2] + [0.3, -0.2, 0.5]
TRAIL = np.array([[t * 0.1, np.sin(t * 0.3), z] for t in range(10, 20) for z in (0.0, 1.0)])

# scene: (what is logged, marker positions, the reference's eye position)
SCENES: dict[str, tuple[Log, np.ndarray, tuple[float, float, float]]] = {
    "a single mesh": (_tiny_triangles(CUBE, 0.08), CUBE, (0.20875, -1.4151, 1.8186)),
    "boxes": (_tiny_boxes("boxes", CUBE, 0.03), CUBE, (0.19199, -1.4232, 1.8089)),
    "line strips": (_strips(CUBE), CUBE + np.array([0.01, 0, 0]), (0.22375, -1.3601, 1.787)),
    "points and boxes": (
        _both(
            _corner_points("pts", _corners((0, 0, 0), (1, 1, 1))),
            _tiny_boxes("boxes", _corners((2.5, -0.5, -0.5), (3.5, 0.5, 0.5)), 0.01),
        ),
        _corners((0, 0, 0), (1, 1, 1)),
        (0.39316, -2.8442, 1.6086),
    ),
    "an elongated box": (
        _tiny_boxes("boxes", _corners((0, 0, 0), (10, 1, 1)), 0.03),
        _corners((0, 0, 0), (10, 1, 1)),
        (2.6989, -6.4103, 2.8051),
    ),
    "a huge scene": (
        _tiny_triangles(_corners((0, 0, 0), (2000, 2000, 2000)), 80),
        _corners((0, 0, 0), (2000, 2000, 2000)),
        (208.83, -1414.8, 1818.6),
    ),
    "points far from the origin": (
        _corner_points("pts", _corners((100, 200, 50), (102, 202, 52))),
        _corners((100, 200, 50), (102, 202, 52)),
        (99.433, 196.3, 52.569),
    ),
    "a visible time range": (_trail, TRAIL, (1.0501, -1.6228, 0.89822)),
    "a cloud with outliers": (_cloud, CLOUD[:8], (-1.2902, -4.2148, 1.7482)),
}


def _contents(tmp_path: Path, log: Log) -> ViewContents:
    path = tmp_path / "framing.rrd"
    stream = rr.RecordingStream("framing_test", recording_id="framing")
    stream.save(str(path))
    log(stream)
    stream.disconnect()
    recordings = load_recordings([path])
    recording = next(r for r in recordings if not r.is_blueprint)
    views = viewport_for(recording.store, active_blueprint(recordings, recording)).views
    spec = next(view for view in views if view.kind == ViewKind.SPATIAL_3D)
    return collect(recording.store, spec, default_cursor(recording.store))


def _our_eye(contents: ViewContents) -> Eye:
    return default_eye(framing_bounds(contents.primitives, scene_bounds(contents.primitives)), contents.up)


def _projected(eye_position: np.ndarray, direction: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Pixels from the view's center, on a view 400 px high, of a camera at ``eye_position`` looking
    along ``direction`` with "up" +z."""
    forward = direction / np.linalg.norm(direction)
    right = np.cross(forward, [0.0, 0, 1])
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    relative = points - eye_position
    depth = relative @ forward
    focal = VIEW_HEIGHT_PX / 2 / np.tan(np.radians(FOV_Y_DEGREES) / 2)
    return np.c_[focal * (relative @ right) / depth, -focal * (relative @ up) / depth]


@pytest.mark.parametrize("scene", SCENES)
def test_default_eye_projects_the_markers_where_the_reference_does(tmp_path: Path, scene: str) -> None:
    log, markers, reference_eye = SCENES[scene]
    eye = _our_eye(_contents(tmp_path, log))
    direction = eye.target - eye.position
    ours, reference = (_projected(np.asarray(p), direction, markers) for p in (eye.position, reference_eye))
    assert np.abs(ours - reference).max() < 1.5, (scene, eye.position, reference_eye)


def test_the_eye_frames_the_bounding_box_of_a_mesh_at_three_quarters_of_its_diagonal(tmp_path: Path) -> None:
    """The rule behind the numbers above, on corner triangles 0.3 wide: x and z in [-0.1, 2.2], y in [0, 2]."""
    eye = _our_eye(_contents(tmp_path, _tiny_triangles(CUBE, 0.3)))
    np.testing.assert_allclose(eye.target, (1.05, 1, 1.05), atol=1e-6)
    assert eye.distance == pytest.approx(0.75 * np.linalg.norm([2.3, 2, 2.3]), rel=1e-6)


def test_points_beyond_two_standard_deviations_do_not_widen_the_region() -> None:
    """A cluster of ±1 and one point far out: the region is the cluster's mean ± 2 standard
    deviations once the far point is left out (in one batch; in its own batch it counts)."""
    from rerun_viewer._primitives import Points

    cluster = _corners((-1, -1, -1), (1, 1, 1)).repeat(4, axis=0)
    far = np.array([[50.0, 0, 0]])

    def points(positions: np.ndarray) -> Points:
        count = len(positions)
        return Points("/pts", positions.astype(np.float32), np.zeros((count, 4), np.uint8), np.ones(count))

    lo, hi = framing_bounds([points(np.r_[cluster, far])], None)
    np.testing.assert_allclose((lo, hi), ((-2, -2, -2), (2, 2, 2)), atol=1e-6)
    lo, hi = framing_bounds([points(cluster), points(far)], None)
    np.testing.assert_allclose(hi, (50, 2, 2), atol=1e-6)


@pytest.mark.parametrize(
    ("log", "reference_eye"),
    [
        (_tiny_triangles(_corners((100, 200, 50), (102, 202, 52)), 0.08), (100.18, 198.54, 51.807)),
        (_tiny_triangles(_corners((0, 0, 0), (0.02, 0.02, 0.02)), 0.0008), (0.0020205, -0.014363, 0.018254)),
    ],
    ids=["a mesh far from the origin", "a tiny mesh"],
)
def test_far_and_tiny_scenes_look_at_the_same_place_from_nearly_the_same_distance(
    tmp_path: Path, log: Log, reference_eye: tuple[float, float, float]
) -> None:
    """The reference's eye glides from its empty-scene eye (distance 1, at the origin) to the framed
    one and is shot a few frames in, slightly short of it: the further that start is, relative to the
    scene, the more (1-2 % of the distance here). Same direction, same target line."""
    eye = _our_eye(_contents(tmp_path, log))
    reference = np.asarray(reference_eye)
    to_target = eye.target - reference
    along = to_target @ (eye.target - eye.position) / eye.distance
    assert along == pytest.approx(eye.distance, rel=0.025)
    assert (
        np.linalg.norm(to_target - along * (eye.target - eye.position) / eye.distance) < 0.025 * eye.distance
    )


def test_a_single_box_fills_the_view_as_in_the_reference(tmp_path: Path) -> None:
    """One solid 2x2x2 box: the reference shows its silhouette from 0.556 view heights left of the
    center to 0.717 right of it (its corners (0, 0, 2) and (2, 0, 2)); ours, rendered, the same."""
    require_gpu()
    from rerun_viewer._gpu import get_gpu, read_texture
    from rerun_viewer.views._spatial import SpatialRenderer

    contents = _contents(
        tmp_path,
        lambda rec: rec.log(
            "box",
            rr.Boxes3D(centers=[1, 1, 1], half_sizes=[1, 1, 1], colors=[200, 100, 0], fill_mode="solid"),
        ),
    )
    width, height = 832, VIEW_HEIGHT_PX  # a multiple of 64 wide: rows read back unpadded
    gpu = get_gpu()
    renderer = SpatialRenderer(gpu)
    renderer.render(contents, width, height)
    pixels = read_texture(gpu.device, renderer.display_texture)[..., :3].astype(np.int16)
    box = (
        (pixels[..., 0] > 60)
        & (pixels[..., 0] > pixels[..., 1] + 30)
        & (pixels[..., 1] > pixels[..., 2] + 15)
    )
    columns = np.flatnonzero(box.any(axis=0))
    left, right = ((columns[[0, -1]] + [0, 1] - width / 2) / height).tolist()
    assert left == pytest.approx(-0.5562, abs=1.5 / height) and right == pytest.approx(
        0.7172, abs=1.5 / height
    )
    assert box[height // 2, width // 2], "the box covers the view's center"
