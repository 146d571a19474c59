"""Screenshot tests: render the reference fixtures headless, check facts on the pixels, compare to goldens.

Facts come from the data (colors, image pixels) and from the layout (where each view is), so a
regression shows as a named failure rather than only as a golden mismatch.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _viewer_support import compare_with_golden, fixture, require_gpu

from rerun_core.query import latest_at
from rerun_viewer import Viewer, load_recordings
from rerun_viewer._colors import unpack_colors
from rerun_viewer._layout import shell_layout, view_cells
from rerun_viewer._theme import THEME
from rerun_viewer._ui import Rect

pytestmark = pytest.mark.timeout(180)
WIDTH, HEIGHT = 1280, 720


def _render(name: str) -> tuple[np.ndarray, Viewer]:
    require_gpu()
    viewer = Viewer(load_recordings([fixture(name)]), width=WIDTH, height=HEIGHT)
    pixels = viewer.render()
    viewer.close()
    return pixels[..., :3], viewer


def _cells(viewer: Viewer) -> list[Rect]:
    cells = view_cells(shell_layout(WIDTH, HEIGHT).views, len(viewer.views))
    return [cell.inset(2, THEME.view_title_height, 2, 2) for cell in cells]  # off the separators


def _crop(pixels: np.ndarray, rect: Rect) -> np.ndarray:
    return pixels[int(rect.y) : int(rect.bottom), int(rect.x) : int(rect.right)]


def _count(region: np.ndarray, color: tuple[int, ...], tolerance: int = 0) -> int:
    return int((np.abs(region.astype(np.int16) - np.array(color[:3])).max(axis=2) <= tolerance).sum())


def _assert_dark_shell(pixels: np.ndarray) -> None:
    assert tuple(pixels[HEIGHT - 3, WIDTH - 3]) == THEME.background[:3]
    assert pixels.mean() < 70, "the theme is dark"


def test_points3d_colors_appear_in_the_3d_view() -> None:
    pixels, viewer = _render("points3d.rrd")
    assert [v.kind.value for v in viewer.views] == ["3D"]
    _assert_dark_shell(pixels)
    view = _crop(pixels, _cells(viewer)[0])
    cursor = viewer.cursor
    cells = latest_at(
        viewer.recording.store, "/world/points", cursor.timeline_name, cursor.at, ["Points3D:colors"]
    )
    colors = unpack_colors(cells["Points3D:colors"].value.to_numpy())
    seen = sum(_count(view, tuple(int(c) for c in color)) > 0 for color in colors)
    assert seen >= 0.5 * len(colors), f"only {seen} of {len(colors)} point colors appear"
    assert _count(view, (0, 255, 0)) > 200, "the labeled points (pure green, radius 0.2) appear"
    compare_with_golden(pixels, "points3d")


def test_image_rgb_fills_the_2d_view_undistorted() -> None:
    pixels, viewer = _render("image_rgb.rrd")
    assert [(v.kind.value, v.title) for v in viewer.views] == [("2D", "camera/rgb")]
    rect = _cells(viewer)[0]
    view = _crop(pixels, rect)
    inside = np.argwhere(np.abs(view.astype(np.int16) - THEME.background[:3]).max(axis=2) > 8)
    (top, left), (bottom, right) = inside.min(axis=0), inside.max(axis=0) + 1
    assert abs((right - left) / (bottom - top) - 64 / 48) < 0.02, "aspect ratio kept"
    assert bottom - top >= rect.h - 2 or right - left >= rect.w - 2, "scaled to fit the view"
    cursor = viewer.cursor
    cell = latest_at(viewer.recording.store, "/camera/rgb", cursor.timeline_name, cursor.at, ["Image:buffer"])
    image = cell["Image:buffer"].value[0].values.to_numpy().reshape(48, 64, 3)
    scale = (bottom - top) / 48
    for row, column in [(0, 0), (10, 50), (47, 63), (24, 32)]:
        y, x = int(top + (row + 0.5) * scale), int(left + (column + 0.5) * scale)
        assert tuple(view[y, x]) == tuple(image[row, column]), f"pixel ({row}, {column})"
    compare_with_golden(pixels, "image_rgb")


def test_scalars_lines_in_their_colors_span_their_plots() -> None:
    pixels, viewer = _render("scalars_seq.rrd")
    assert [v.title for v in viewer.views] == ["plots/cos", "plots/sin"]
    for rect, color in zip(_cells(viewer), [(0, 0, 255), (255, 0, 0)], strict=True):
        view = _crop(pixels, rect)
        hits = np.argwhere(np.abs(view.astype(np.int16) - color).max(axis=2) <= 40)
        assert len(hits) > 300, f"the {color} line is drawn"
        assert np.ptp(hits[:, 1]) > 0.8 * rect.w and np.ptp(hits[:, 0]) > 0.7 * rect.h, "it spans the plot"
    compare_with_golden(pixels, "scalars_seq")


def test_text_log_shows_every_row_with_level_colors() -> None:
    pixels, viewer = _render("text_log.rrd")
    assert [(v.kind.value, v.title) for v in viewer.views] == [("TextLog", "/"), ("TextDocument", "readme")]
    view = _crop(pixels, _cells(viewer)[0])
    for color in [(0, 218, 126), (255, 122, 12), (255, 0, 255)]:  # INFO, WARN, the custom row color
        assert _count(view, color, 30) > 20, f"text in {color}"
    critical = np.abs(view.astype(np.int16) - THEME.critical_background[:3]).max(axis=2) <= 4
    bands = np.flatnonzero(np.diff(np.r_[0, critical.any(axis=1).astype(int)]) == 1)
    assert len(bands) == 2, "two CRITICAL rows (steps 5 and 11)"
    compare_with_golden(pixels, "text_log")


def test_mesh3d_shows_its_vertex_colors() -> None:
    pixels, viewer = _render("mesh3d.rrd")
    view = _crop(pixels, _cells(viewer)[0]).astype(np.int16)
    warm = (view[..., 0] + view[..., 1] > 250) & (view[..., 2] < 60)
    assert warm.mean() > 0.1, "the yellow/green/orange tetrahedron fills a good part of the view"
    compare_with_golden(pixels, "mesh3d")


def test_transforms_hierarchy_places_axes_and_tip() -> None:
    pixels, viewer = _render("transforms.rrd")
    assert [(v.kind.value, v.title) for v in viewer.views] == [("3D", "world")]
    view = _crop(pixels, _cells(viewer)[0])
    for color in [(255, 105, 129), (0, 178, 102), (122, 149, 255)]:  # 0.41's axis colors
        assert _count(view, color, 10) > 30, f"axis arrow in {color}"
    compare_with_golden(pixels, "transforms")


def test_png_bytes(tmp_path: Path) -> None:
    require_gpu()
    from rerun_viewer import screenshot

    out = screenshot([fixture("points2d.rrd")], tmp_path / "shot.png", window_size=(640, 360))
    from PIL import Image

    with Image.open(out) as image:
        assert image.size == (640, 360)
        keypoints = np.asarray(image.convert("RGB"))
    assert _count(keypoints, (255, 140, 0), 60) > 50, "the orange keypoints"
