"""Line strips as thick as 0.41 draws them: 3 UI points wide without radii, 2|r| points for a negative
radius, 2r scene units for a positive one; keypoint connections 2 points wide.

Thickness here is a line's coverage summed across it (in linear light, so anti-aliased edges count for
what they cover), measured in the middle of each line at 1280x720. The reference numbers come from 0.41's
renders (``--screenshot-to``, HiDPI, averaged down to 1280x720) of the scenes below.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from _viewer_support import reference_screenshot, require_gpu

import rerun as rr
import rerun.blueprint as rrb
from rerun_viewer import Viewer, load_recordings

pytestmark = pytest.mark.timeout(120)

RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 128, 255)
Box = tuple[int, int, int, int]  # x0, x1, y0, y1: the middle of one line, nothing else of its colour
Line = tuple[tuple[int, int, int], Box, bool, float]  # colour, box, vertical, 0.41's thickness in px
LINES_2D: list[Line] = [
    (RED, (500, 800, 150, 230), False, 3.0),  # no radius
    (RED, (100, 180, 300, 600), True, 3.13),  # no radius
    (GREEN, (500, 800, 340, 420), False, 4.13),  # -2 UI points
    (BLUE, (500, 800, 480, 590), False, 37.63),  # 3 scene units, ~6.27 px each
]
LINES_3D: list[Line] = [
    (RED, (740, 860, 50, 100), False, 3.37),
    (RED, (280, 390, 350, 550), True, 3.45),
    (GREEN, (550, 800, 260, 320), False, 4.12),
    (BLUE, (550, 800, 440, 560), False, 26.63),  # 0.05 scene units, seen in perspective
]
SKELETON: list[Line] = [(RED, (500, 800, 150, 230), False, 2.06), (RED, (1100, 1180, 300, 600), True, 1.91)]


def _recording(tmp_path: Path, name: str) -> rr.RecordingStream:
    stream = rr.RecordingStream(f"{name}_test", recording_id=name)
    stream.save(str(tmp_path / f"{name}.rrd"))
    return stream


def _view_2d() -> rrb.Blueprint:
    bounds = rrb.VisualBounds2D(x_range=[0, 200], y_range=[0, 100])
    return rrb.Blueprint(rrb.Spatial2DView(origin="/", visual_bounds=bounds), collapse_panels=True)


def _strips_2d(tmp_path: Path) -> Path:
    stream = _recording(tmp_path, "strips2d")
    stream.send_blueprint(_view_2d())
    stream.log("default", rr.LineStrips2D([[[20, 20], [180, 20]], [[20, 30], [20, 90]]], colors=[RED]))
    stream.log("ui", rr.LineStrips2D([[[40, 50], [180, 50]]], radii=[-2.0], colors=[GREEN]))
    stream.log("world", rr.LineStrips2D([[[40, 75], [180, 75]]], radii=[3.0], colors=[BLUE]))
    stream.disconnect()
    return tmp_path / "strips2d.rrd"


def _strips_3d(tmp_path: Path) -> Path:
    stream = _recording(tmp_path, "strips3d")
    stream.send_blueprint(rrb.Blueprint(rrb.Spatial3DView(origin="/"), collapse_panels=True))
    strips = [[[-1, 0, 1], [1, 0, 1]], [[-1, 0, -1], [-1, 0, 0.6]]]
    stream.log("default", rr.LineStrips3D(strips, colors=[RED]))
    stream.log("ui", rr.LineStrips3D([[[-0.6, 0, 0.3], [1, 0, 0.3]]], radii=[-2.0], colors=[GREEN]))
    stream.log("world", rr.LineStrips3D([[[-0.6, 0, -0.5], [1, 0, -0.5]]], radii=[0.05], colors=[BLUE]))
    stream.disconnect()
    return tmp_path / "strips3d.rrd"


def _skeleton(tmp_path: Path) -> Path:
    stream = _recording(tmp_path, "skeleton")
    stream.send_blueprint(_view_2d())
    info = rr.AnnotationInfo(id=0, label="p", color=RED)
    context = rr.AnnotationContext([rr.ClassDescription(info=info, keypoint_connections=[(0, 1), (1, 2)])])
    stream.log("/", context, static=True)
    keypoints = rr.Points2D(
        [[20, 20], [180, 20], [180, 90]], class_ids=[0], keypoint_ids=[0, 1, 2], radii=[0.1]
    )
    stream.log("points", keypoints)
    stream.disconnect()
    return tmp_path / "skeleton.rrd"


def _to_linear(srgb: np.ndarray) -> np.ndarray:
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


BACKGROUND = float(_to_linear(np.array(13 / 255)))  # the views' background, in both viewers


def _linear(shot: np.ndarray) -> np.ndarray:
    """sRGB pixels in linear light, 1280x720 (HiDPI shots averaged down)."""
    linear = _to_linear(shot[..., :3] / 255.0)
    height, width = linear.shape[:2]
    if height == 1440:
        linear = linear.reshape(720, 2, width // 2, 2, 3).mean(axis=(1, 3))
    return linear


def _coverage(linear: np.ndarray, color: tuple[int, int, int]) -> np.ndarray:
    """How much of each pixel the line of ``color`` covers (0 where another colour shows)."""
    share = (linear - BACKGROUND) / (1 - BACKGROUND)
    red, green, blue = np.moveaxis(share, -1, 0)
    masks = {RED: (green < 0.15) & (blue < 0.15), GREEN: (red < 0.15) & (blue < 0.15)}
    channel = {RED: red, GREEN: green, BLUE: blue}[color]
    mask = masks.get(color, (red < 0.15) & (green < 0.5))
    return np.where(mask, channel, 0).clip(0, 1)


def thickness(linear: np.ndarray, color: tuple[int, int, int], box: Box, vertical: bool) -> float:
    """The line's width in px across it: per column, its coverage next to the core; then the median, times
    the cosine of the line's slope."""
    x0, x1, y0, y1 = box
    coverage = _coverage(linear, color)[y0:y1, x0:x1]
    coverage = coverage.T if vertical else coverage
    sums, centers = [], []
    for column in coverage.T:
        core = np.flatnonzero(column > 0.5)
        if not len(core):
            continue
        near = column[max(core[0] - 2, 0) : core[-1] + 3]
        sums.append(near.sum())
        centers.append(max(core[0] - 2, 0) + (near * np.arange(len(near))).sum() / near.sum())
    assert len(sums) > 10, f"no line of {color} in {box}"
    slope = np.polyfit(np.arange(len(centers)), centers, 1)[0]
    return float(np.median(sums) * np.cos(np.arctan(slope)))


def _ours(path: Path) -> np.ndarray:
    with Viewer(load_recordings([path]), width=1280, height=720) as viewer:
        return _linear(viewer.render())


SCENES = {
    "strips2d": (_strips_2d, LINES_2D),
    "strips3d": (_strips_3d, LINES_3D),
    "skeleton": (_skeleton, SKELETON),
}


@pytest.mark.parametrize("scene", SCENES)
def test_lines_are_as_thick_as_the_reference_draws_them(tmp_path: Path, scene: str) -> None:
    require_gpu()
    make, lines = SCENES[scene]
    ours = _ours(make(tmp_path))
    for color, box, vertical, expected in lines:
        measured = thickness(ours, color, box, vertical)
        assert abs(measured - expected) <= 0.5, f"{color} in {box}: {measured:.2f} px, 0.41 {expected} px"


def _all_lines_show(lines: list[Line]) -> Callable[[np.ndarray], bool]:
    """The reference shoots mid-load at times, and its 3D eye may still be gliding to its framing
    (which changes world-sized lines): every line must be in its box, as thick as once measured."""

    def loaded(shot: np.ndarray) -> bool:
        linear = _linear(shot)
        for color, box, vertical, measured_once in lines:
            x0, x1, y0, y1 = box
            coverage = _coverage(linear, color)[y0:y1, x0:x1]
            if (coverage > 0.5).any(axis=1 if vertical else 0).mean() < 0.9:
                return False
            if abs(thickness(linear, color, box, vertical) - measured_once) > 0.5:
                return False
        return True

    return loaded


@pytest.mark.reference
@pytest.mark.parametrize("scene", SCENES)
def test_line_thickness_matches_the_reference_viewers(tmp_path: Path, scene: str) -> None:
    require_gpu()
    make, lines = SCENES[scene]
    path = make(tmp_path)
    theirs = _linear(reference_screenshot(tmp_path, path, loaded=_all_lines_show(lines)))
    ours = _ours(path)
    for color, box, vertical, _ in lines:
        expected, measured = thickness(theirs, color, box, vertical), thickness(ours, color, box, vertical)
        assert abs(measured - expected) <= 0.5, f"{color} in {box}: {measured:.2f} px, 0.41 {expected:.2f} px"
