"""Fidelity to the real 0.41 viewer: facts measured on its renders, checked on ours.

The reference numbers below come from screenshots of the reference (``rerun --headless
--screenshot-to``, 1280x720) of the same scenes logged with its SDK: colored corner points were
found in its 3D view and a pinhole camera model was fitted to them (eye, direction, focal length).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from _viewer_support import reference_screenshot, require_gpu

import rerun as rr
import rerun.blueprint as rrb
from rerun_viewer import Viewer, load_recordings
from rerun_viewer._colors import auto_color
from rerun_viewer._heuristics import auto_views
from rerun_viewer._primitives import Points, Segments, Triangles
from rerun_viewer._registry import ViewKind
from rerun_viewer._time import default_cursor
from rerun_viewer._view_core import ViewContents, collect
from rerun_viewer.views._camera import FOV_Y_DEGREES, default_eye, framing_bounds

pytestmark = pytest.mark.timeout(120)

CORNER_COLORS = [
    (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0),
    (255, 0, 255), (0, 255, 255), (255, 255, 255), (255, 128, 0),
]  # fmt: skip
Z_UP = np.array([0.0, 0, 1])


def _corners(lo: tuple[float, ...], hi: tuple[float, ...]) -> np.ndarray:
    return np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])


def _contents(tmp_path: Path, log: Callable[[rr.RecordingStream], None]) -> ViewContents:
    path = tmp_path / "fidelity.rrd"
    stream = rr.RecordingStream("fidelity_test", recording_id="fidelity_test")
    stream.save(str(path))
    log(stream)
    stream.disconnect()
    (recording,) = load_recordings([path])
    spec = next(view for view in auto_views(recording.store) if view.kind == ViewKind.SPATIAL_3D)
    return collect(recording.store, spec, default_cursor(recording.store))


def _points(entity: str, positions: np.ndarray) -> Points:
    n = len(positions)
    return Points(entity, positions.astype(np.float32), np.zeros((n, 4), np.uint8), np.ones(n, np.float32))


@pytest.mark.parametrize(
    ("inner_points", "reference_eye"),
    [(0, (-0.567, -3.701, 2.568)), (8, (-0.108, -2.322, 2.107)), (16, (0.095, -1.709, 1.898))],
)
def test_default_eye_is_where_the_reference_puts_it(
    inner_points: int, reference_eye: tuple[float, ...]
) -> None:
    """The corners of a 2-unit cube, with points at its center in the same entity: the reference
    frames each point entity's mean ± one standard deviation, 1.5 diagonals away."""
    positions = np.r_[_corners((0, 0, 0), (2, 2, 2)), np.ones((inner_points, 3))]
    bounds = framing_bounds([_points("/pts", positions)], None)
    eye = default_eye(bounds, Z_UP)
    np.testing.assert_allclose(eye.position, reference_eye, atol=0.03)
    np.testing.assert_allclose(eye.target, (1, 1, 1), atol=1e-6)


def test_framing_takes_each_entity_on_its_own() -> None:
    """A cloud in its own entity only widens the union (each: mean ± 2 standard deviations); without
    points the whole bounds count."""
    cube = _points("/pts", _corners((0, 0, 0), (2, 2, 2)))
    center = _points("/inner", np.ones((100, 3)))
    lo, hi = framing_bounds([cube, center], None)  # type: ignore[misc]
    np.testing.assert_allclose((lo, hi), ((-1, -1, -1), (3, 3, 3)))
    whole = (np.zeros(3), np.full(3, 5.0))
    assert framing_bounds([], whole) is whole


def test_elongated_box_projects_where_the_reference_shows_it(tmp_path: Path) -> None:
    """A 10x1x1 box's corners, rendered at the reference's 3D view aspect (778x406 in a 1280x720
    window): each corner's colour is where the reference draws it (positions from the view center in
    view heights), so nothing of the scene is cut off."""
    require_gpu()
    from rerun_viewer._gpu import get_gpu, read_texture
    from rerun_viewer.views._spatial import SpatialRenderer

    reference = [
        (-0.330, 0.078), (-0.337, 0.010), (-0.330, 0.053), (-0.337, -0.011),
        (0.289, 0.008), (0.294, -0.049), (0.256, -0.008), (0.260, -0.062),
    ]  # fmt: skip
    corners = _corners((0, 0, 0), (10, 1, 1))
    contents = _contents(
        tmp_path, lambda rec: rec.log("pts", rr.Points3D(corners, colors=CORNER_COLORS, radii=-4.0))
    )
    width, height = 768, 400  # rows read back unpadded: a multiple of 64 wide
    gpu = get_gpu()
    renderer = SpatialRenderer(gpu)
    renderer.render(contents, width, height)
    pixels = read_texture(gpu.device, renderer.display_texture)[..., :3].astype(np.int16)
    assert renderer.projection is not None
    projected, in_front = renderer.projection.to_pixels(corners)
    assert in_front.all()
    for (nx, ny), color, at in zip(reference, CORNER_COLORS, projected, strict=True):
        expected = np.array([width / 2 + nx * height, height / 2 + ny * height])
        assert np.abs(at - expected).max() < 3, (color, at, expected)
        x, y = (round(float(v)) for v in at)
        patch = pixels[y - 1 : y + 2, x - 1 : x + 2]
        assert (np.abs(patch - color).max(axis=2) < 40).any(), (color, at)


def test_vertical_field_of_view_is_the_references(tmp_path: Path) -> None:
    """Seen from the default eye, a height of 2·d·tan(27.5°) at distance d fills the view's height."""
    require_gpu()
    from rerun_viewer._gpu import get_gpu
    from rerun_viewer.views._spatial import SpatialRenderer

    contents = _contents(tmp_path, lambda rec: rec.log("pts", rr.Points3D(_corners((0, 0, 0), (2, 2, 2)))))
    renderer = SpatialRenderer(get_gpu())
    renderer.render(contents, 768, 400)
    assert renderer.projection is not None
    assert renderer.projection.focal_y == pytest.approx(
        1 / math.tan(math.radians(FOV_Y_DEGREES) / 2), rel=1e-4
    )


def _ramp(tmp_path: Path, name: str, time_axis: rrb.TimeAxis | None = None) -> Path:
    """``s`` = t over frames 0..100, drawn red; with a blueprint's time axis when given."""
    path = tmp_path / f"{name}.rrd"
    stream = rr.RecordingStream("fidelity_test", recording_id=name)
    stream.save(str(path))
    stream.log("s", rr.SeriesLines(colors=[255, 0, 0]), static=True)
    for t in range(101):
        stream.set_time("frame", sequence=t)
        stream.log("s", rr.Scalars([float(t)]))
    if time_axis is not None:
        stream.send_blueprint(rrb.Blueprint(rrb.TimeSeriesView(origin="/", axis_x=time_axis)))
    stream.disconnect()
    return path


def _red_rows(viewer: Viewer) -> float:
    """The share of the views' height that rows with red line pixels cover."""
    from rerun_viewer._layout import shell_layout

    views = shell_layout(1280, 720).views
    area = viewer.render()[int(views.y) : int(views.bottom), int(views.x) : int(views.right), :3].astype(int)
    rows = np.flatnonzero(((area[..., 0] > 150) & (area[..., 1] < 80)).any(axis=1))
    return float(np.ptp(rows)) / len(area) if len(rows) else 0.0


def test_zoomed_time_axis_refits_the_value_axis_to_the_visible_samples(tmp_path: Path) -> None:
    """A ramp 0..100 zoomed to frames 10..20: the line spans the plot's height again, as in the reference."""
    require_gpu()
    from rerun_viewer._state import PlotRange

    with Viewer(load_recordings([_ramp(tmp_path, "zoomed")]), width=1280, height=720) as viewer:
        whole = _red_rows(viewer)
        viewer.state.plot_ranges["0:TimeSeries:/s"] = PlotRange(0, 10.0, 20.0)
        zoomed = _red_rows(viewer)
    assert whole > 0.7
    assert zoomed > 0.7, f"the zoomed ramp covers {zoomed:.0%} of the height"


def test_a_blueprints_time_axis_range_refits_the_value_axis_too(tmp_path: Path) -> None:
    """The reference shows the y axis from ~9 to ~21 for a TimeAxis view range of frames 10..20."""
    require_gpu()
    ten_to_twenty = rr.TimeRange(
        start=rr.TimeRangeBoundary.absolute(seq=10), end=rr.TimeRangeBoundary.absolute(seq=20)
    )
    path = _ramp(tmp_path, "axis", rrb.TimeAxis(view_range=ten_to_twenty))
    with Viewer(load_recordings([path]), width=1280, height=720) as viewer:
        covered = _red_rows(viewer)
    assert covered > 0.7, f"the ramp in 10..20 covers {covered:.0%} of the height"


# Flat colors of thick 2D lines logged without colors, read from the reference's screenshot.
REFERENCE_AUTO_COLORS = {
    "/a": (77, 188, 146), "/b": (77, 153, 188), "/c": (188, 144, 77),
    "/points": (188, 77, 185), "/world/points": (188, 77, 181), "/world/boxes": (77, 188, 141),
}  # fmt: skip


def test_entities_without_colors_take_the_references_colors() -> None:
    assert {path: auto_color(path)[:3] for path in REFERENCE_AUTO_COLORS} == REFERENCE_AUTO_COLORS


@pytest.mark.reference
def test_auto_colors_equal_the_reference_viewers(tmp_path: Path) -> None:
    """Paths of every length class of the hash (parts of 1-3, 4-8, 9-16 and over 16 bytes, escapes, depth)."""
    paths = [
        "/x",
        "/ab",
        "/camera/rgb",
        "/world/robot/arm/hand/tip",
        "/a_rather_long_entity_part",
        r"/ACME\ Örnöga/p",
    ]
    recording = tmp_path / "colors.rrd"
    stream = rr.RecordingStream("fidelity_test", recording_id="colors")
    stream.save(str(recording))
    for i, path in enumerate(paths):
        stream.log(path, rr.LineStrips2D([[[20 + 80 * i, 10], [60 + 80 * i, 70]]], radii=15.0))
    stream.disconnect()

    def shown_colors(shot: np.ndarray) -> set[tuple[int, ...]]:
        colors, counts = np.unique(shot.reshape(-1, 3), axis=0, return_counts=True)
        return {
            tuple(int(c) for c in color) for color, count in zip(colors, counts, strict=True) if count > 2000
        }

    def loaded(shot: np.ndarray) -> bool:
        return all(auto_color(path)[:3] in shown_colors(shot) for path in paths)

    shown = shown_colors(reference_screenshot(tmp_path, recording, loaded=loaded))
    for path in paths:
        assert auto_color(path)[:3] in shown, (path, auto_color(path))


def test_points_repeat_per_instance_pose_and_strips_take_the_first(tmp_path: Path) -> None:
    """As the reference draws them: a cloud once per pose, a line strip once, at the first pose."""

    def log(rec: rr.RecordingStream) -> None:
        rec.log("p", rr.Points3D([[1, 0, 1]], colors=[255, 0, 0]))
        rec.log("p", rr.InstancePoses3D(translations=[[0, 0, 0], [3, 0, 0]]))
        rec.log("l", rr.LineStrips3D([[[1, 0, 2], [2, 0, 2]]]))
        rec.log("l", rr.InstancePoses3D(translations=[[0.5, 0, 0], [3, 0, 0]]))

    contents = _contents(tmp_path, log)
    (points,) = [p for p in contents.primitives if p.entity == "/p" and isinstance(p, Points)]
    np.testing.assert_allclose(points.positions, [[1, 0, 1], [4, 0, 1]])
    assert points.colors[:, :3].tolist() == [[255, 0, 0], [255, 0, 0]]
    (strip,) = [p for p in contents.primitives if p.entity == "/l" and isinstance(p, Segments)]
    np.testing.assert_allclose(strip.positions, [[1.5, 0, 2], [2.5, 0, 2]])


def test_segmentation_image_shows_on_its_pinholes_image_plane(tmp_path: Path) -> None:
    """Class colors as a texture on the image plane; half transparent over the camera's other images."""

    def log(rec: rr.RecordingStream, with_image: bool) -> None:
        rec.log("world", rr.AnnotationContext([(1, "thing", (255, 0, 0))]), static=True)
        rec.log(
            "world/cam",
            rr.Pinhole(focal_length=50, width=64, height=48, image_plane_distance=2.0),
            static=True,
        )
        segmentation = np.zeros((48, 64), np.uint8)
        segmentation[:24] = 1
        rec.log("world/cam/seg", rr.SegmentationImage(segmentation), static=True)
        if with_image:
            rec.log("world/cam/rgb", rr.Image(np.zeros((48, 64, 3), np.uint8)), static=True)

    for with_image, alpha in ((False, 255), (True, 128)):
        folder = tmp_path / str(with_image)
        folder.mkdir()
        contents = _contents(folder, lambda rec, w=with_image: log(rec, w))  # type: ignore[misc]
        (quad,) = [
            p for p in contents.primitives if p.entity == "/world/cam/seg" and isinstance(p, Triangles)
        ]
        assert quad.texture is not None and quad.texture.shape[:2] == (48, 64)
        assert quad.texture[0, 0, :3].tolist() == [255, 0, 0] and quad.texture[47, 0, :3].tolist() != [
            255,
            0,
            0,
        ]
        np.testing.assert_allclose(quad.positions[[0, 2]], [[-1.28, -0.96, 2], [1.28, 0.96, 2]], atol=1e-6)
        assert int(quad.colors[0, 3]) == alpha
