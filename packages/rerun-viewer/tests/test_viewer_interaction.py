"""UI tests: drive the viewer like a user (synthetic mouse and keys) and check the state and the pixels.

Positions come from the shell's layout and the left panel's rows (``THEME.row_height`` apart, the
blueprint section 170 px below the panel's top), so a layout change shows up as a named failure.
The pure parts (playback, camera, picking, component text) are tested without a GPU first.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _viewer_support import fixture, require_gpu

from rerun_core.timeline import Timeline, TimeType
from rerun_viewer import AppState, CameraState, LoopMode, Playback, Selection, Viewer, load_recordings
from rerun_viewer._component_values import component_rows, format_value
from rerun_viewer._layout import shell_layout, view_cells
from rerun_viewer._playback import advance, start, step
from rerun_viewer._theme import THEME
from rerun_viewer._time import TimeCursor
from rerun_viewer._ui import Rect
from rerun_viewer.views._camera import Projection, default_eye, moved_eye
from rerun_viewer.views._picking import pick

pytestmark = pytest.mark.timeout(120)
WIDTH, HEIGHT = 1280, 720
LAYOUT = shell_layout(WIDTH, HEIGHT)
GREEN = (0, 255, 0)  # /world/labeled in points3d.rrd: three points, radius 0.2, at frame 10 only
FRAME = Timeline("frame", TimeType.SEQUENCE)


# -- without a GPU ---------------------------------------------------------------------------------------


def test_playback_moves_fps_steps_per_second_and_stops_at_the_end() -> None:
    playback = Playback(playing=True, fps=30.0)
    cursor = advance(TimeCursor(FRAME, 2), (0, 10), playback, 0.1)
    assert cursor.at == 5
    assert advance(cursor, (0, 10), playback, 1 / 60).at == 5, "half a step is carried, not shown"
    assert advance(cursor, (0, 10), playback, 1 / 60).at == 6
    cursor = advance(cursor, (0, 10), playback, 10.0)
    assert (cursor.at, playback.playing) == (10, False)


def test_playback_loops_and_restarts_from_the_beginning() -> None:
    playback = Playback(loop=LoopMode.ALL, speed=2.0)
    cursor = start(TimeCursor(FRAME, 10), (0, 10), playback)
    assert (cursor.at, playback.playing) == (0, True), "play at the end starts over"
    cursor = advance(TimeCursor(FRAME, 9), (0, 10), playback, 3 / 60)  # 3 steps at 2x 30 fps
    assert cursor.at == 1, "9 -> 10 -> 0 -> 1"
    nanos = Timeline("t", TimeType.TIMESTAMP_NS)
    assert advance(TimeCursor(nanos, 0), (0, 10**10), playback, 0.25).at == 5 * 10**8


def test_step_goes_to_the_next_time_with_data() -> None:
    times = np.array([0, 3, 7])
    playback = Playback()
    assert step(TimeCursor(FRAME, 3), times, playback, forward=True).at == 7
    assert step(TimeCursor(FRAME, 3), times, playback, forward=False).at == 0
    assert step(TimeCursor(FRAME, 7), times, playback, forward=True).at == 7, "no looping: stays"
    playback.loop = LoopMode.ALL
    assert step(TimeCursor(FRAME, 7), times, playback, forward=True).at == 0


def test_bad_playback_input_is_named() -> None:
    with pytest.raises(ValueError, match="dt_seconds"):
        advance(TimeCursor(FRAME, 0), (0, 1), Playback(playing=True), -1.0)
    with pytest.raises(ValueError, match="zoom factor"):
        CameraState().zoomed(0.0)


def test_hiding_an_entity_hides_its_subtree_only() -> None:
    state = AppState(TimeCursor(FRAME, 0))
    state.set_visible("/world", False)
    assert not state.is_visible("/world/points") and state.is_visible("/worldly")
    state.set_visible("/world", True)
    assert state.is_visible("/world/points")


def test_camera_moves_keep_the_orbit_and_reset_to_the_default() -> None:
    eye = default_eye((np.zeros(3), np.full(3, 2.0)), np.array([0.0, 0, 1]))
    assert np.allclose(moved_eye(eye, CameraState()).position, eye.position)
    orbited = moved_eye(eye, CameraState(yaw=1.0, pitch=0.3))
    assert math.isclose(orbited.distance, eye.distance) and np.allclose(orbited.target, eye.target)
    assert not np.allclose(orbited.position, eye.position)
    assert math.isclose(moved_eye(eye, CameraState(zoom=2.0)).distance, eye.distance / 2)
    steep = moved_eye(eye, CameraState(pitch=-10.0))  # far past the pole: clamped
    direction = (steep.target - steep.position) / steep.distance
    assert direction @ np.array([0, 0, 1.0]) < 0 or direction[2] > -1.0
    assert abs(direction[2]) < 1.0


def test_picking_finds_the_instance_under_the_mouse() -> None:
    from rerun_viewer._primitives import Points

    projection = Projection(np.eye(4), 1.0, 200, 100)  # clip = view: x, y in [-1, 1]
    points = Points(
        "/p",
        np.array([[0.0, 0, 0], [0.5, 0.5, 0]], np.float32),
        np.zeros((2, 4), np.uint8),
        np.array([-4.0, 0.1], np.float32),  # 4 UI points; 0.1 units = 5 pixels at this scale
    )
    assert pick([points], projection, 100, 50) == Selection("/p", 0)
    assert pick([points], projection, 150 + 6, 25) == Selection("/p", 1)
    assert pick([points], projection, 20, 90) is None


def test_picking_lines_meshes_and_images_selects_their_entity() -> None:
    from rerun_viewer._primitives import ImageLayer, Segments, Triangles

    projection = Projection(np.eye(4), 1.0, 200, 100)
    line = Segments(
        "/line", np.array([[-1.0, -0.5, 0], [1.0, -0.5, 0]], np.float32), np.zeros((1, 4), np.uint8),
        np.array([-1.0], np.float32),
    )  # fmt: skip
    mesh = Triangles(
        "/mesh", np.array([[-1.0, 0, 0], [0, 1, 0], [-1, 1, 0]], np.float32),
        np.array([[0, 1, 2]], np.uint32), np.zeros((3, 4), np.uint8),
    )  # fmt: skip
    image = ImageLayer("/image", np.zeros((10, 20, 4), np.uint8))  # view units = pixels under np.eye scale
    flat = Projection(np.diag([2 / 200, -2 / 100, 1, 1]) @ _translate(-100, -50), 1.0, 200, 100)
    assert pick([line, mesh], projection, 100, 74) == Selection("/line")  # y = -0.5 is pixel row 75
    assert pick([line, mesh], projection, 30, 10) == Selection("/mesh")
    assert pick([line, mesh], projection, 180, 10) is None
    assert pick([image], flat, 5, 5) == Selection("/image")
    assert pick([image], flat, 25, 5) is None


def _translate(x: float, y: float) -> np.ndarray:
    matrix = np.eye(4)
    matrix[:2, 3] = (x, y)
    return matrix


def test_component_values_read_like_the_reference() -> None:
    assert format_value(0x00FF00FF, "rerun.components.Color") == "#00FF00FF"
    assert format_value([0.0, 1.5, 2.25]) == "[0, 1.5, 2.25]"
    assert format_value(list(range(100))) == "100 items"
    recording = load_recordings([fixture("points3d.rrd")])[0]
    cursor = TimeCursor(FRAME, 10)
    rows = {r.name: r.text for r in component_rows(recording.store, cursor, Selection("/world/labeled", 1))}
    assert rows == {
        "class_ids": "2",
        "colors": "#00FF00FF",
        "labels": "b",
        "positions": "[1, 1, 1]",
        "radii": "0.2",
    }
    whole = {r.name: r.text for r in component_rows(recording.store, cursor, Selection("/world/points"))}
    assert whole["positions"] == "100 items"


# -- driving the app -------------------------------------------------------------------------------------


def _viewer(*names: str) -> Viewer:
    require_gpu()
    return Viewer(load_recordings([fixture(name) for name in names]), width=WIDTH, height=HEIGHT)


def _view_rect(viewer: Viewer, index: int = 0) -> Rect:
    cells = view_cells(LAYOUT.views, len(viewer.views))
    return cells[index].inset(2, THEME.view_title_height, 2, 2)


def _crop(pixels: np.ndarray, rect: Rect) -> np.ndarray:
    return pixels[int(rect.y) : int(rect.bottom), int(rect.x) : int(rect.right), :3]


def _count(region: np.ndarray, color: tuple[int, int, int], tolerance: int = 0) -> int:
    return int((np.abs(region.astype(np.int16) - np.array(color)).max(axis=2) <= tolerance).sum())


def _tree_row_y(row: int) -> float:
    """The middle of a row of the blueprint tree (row 0: the first view) with one recording loaded."""
    return LAYOUT.left.y + 170 + 48 + row * THEME.row_height + 8


def test_clicking_an_entity_in_the_tree_selects_it_and_shows_its_components() -> None:
    with _viewer("points3d.rrd") as viewer:
        before = viewer.render()
        viewer.click(60, _tree_row_y(0))  # expand the "/" view
        viewer.click(41.5, _tree_row_y(1))  # the arrow of / (root): one child, closed as in 0.41
        viewer.click(80, _tree_row_y(3))  # its tree: / (root), world, then labeled, points
        assert viewer.state.selection == Selection("/world/labeled")
        after = viewer.render()
    right = LAYOUT.right.inset(1, 0, 0, 0)
    changed = np.abs(_crop(after, right).astype(np.int16) - _crop(before, right)).max(axis=2) > 40
    assert changed[100:280].sum() > 500, "the selection panel now lists components"
    row = after[int(_tree_row_y(3)), 15:190, :3]
    assert _count(row[None], THEME.selection[:3]) > 100, "the selected tree row is highlighted"


def test_the_eye_icon_hides_an_entity_and_its_points_leave_the_view() -> None:
    eye_x = LAYOUT.left.right - 22
    with _viewer("points3d.rrd") as viewer:
        view = _view_rect(viewer)
        shown = _crop(viewer.render(), view)
        assert _count(shown, GREEN) > 200
        viewer.click(60, _tree_row_y(0))
        viewer.click(41.5, _tree_row_y(1))  # open / (root) (one child: closed as in 0.41)
        viewer.click(eye_x, _tree_row_y(3))  # the eye of /world/labeled (below / (root) and world)
        assert not viewer.state.is_visible("/world/labeled")
        hidden = _crop(viewer.render(), view)
        assert _count(hidden, GREEN) == 0, "the green labeled points are gone"
        viewer.click(eye_x, _tree_row_y(2))  # the eye of /world: the whole subtree
        everything_hidden = _crop(viewer.render(), view)
        lit = np.abs(everything_hidden.astype(int) - THEME.background[:3]).max(axis=2) > 60
        assert lit.sum() < 0.2 * (np.abs(shown.astype(int) - THEME.background[:3]).max(axis=2) > 60).sum()
        viewer.click(eye_x, _tree_row_y(2))
        viewer.click(eye_x, _tree_row_y(3))
        assert viewer.state.hidden == set()
        assert _count(_crop(viewer.render(), view), GREEN) > 200, "and back"


def test_clicking_a_point_selects_that_instance_and_rings_it() -> None:
    with _viewer("points3d.rrd") as viewer:
        viewer.render()
        projection = viewer._frame.cache["0:3D:/"].projection
        view = _view_rect(viewer)
        x, y = projection.to_pixels(np.array([[1.0, 1.0, 1.0]]))[0][0]  # instance 1 of /world/labeled
        viewer.click(view.x - 2 + x, view.y - 2 + y)
        assert viewer.state.selection == Selection("/world/labeled", 1)
        pixels = viewer.render()
    near = pixels[
        int(view.y - 2 + y) - 40 : int(view.y - 2 + y) + 40,
        int(view.x - 2 + x) - 40 : int(view.x - 2 + x) + 40,
    ]
    assert _count(near[..., :3], THEME.selection[:3], tolerance=30) > 30, "a selection ring around it"


def test_clicking_a_mesh_selects_it_and_outlines_its_edges() -> None:
    with _viewer("mesh3d.rrd") as viewer:
        view = _view_rect(viewer)
        plain = viewer.render()
        lit = np.argwhere(np.abs(_crop(plain, view).astype(int) - THEME.background[:3]).max(axis=2) > 60)
        y, x = np.median(lit, axis=0)  # inside the tetrahedron's silhouette
        viewer.click(view.x + x, view.y + y)
        assert viewer.state.selection == Selection("/world/tetra")
        outlined = viewer.render()
    assert (
        _count(_crop(outlined, view), THEME.selection[:3], 20)
        > _count(_crop(plain, view), THEME.selection[:3], 20) + 100
    )


def test_hovering_a_point_marks_it_hovered() -> None:
    with _viewer("points3d.rrd") as viewer:
        viewer.render()
        projection = viewer._frame.cache["0:3D:/"].projection
        view = _view_rect(viewer)
        x, y = projection.to_pixels(np.array([[2.0, 2.0, 2.0]]))[0][0]
        viewer.mouse_move(view.x - 2 + x, view.y - 2 + y)
        assert viewer.state.hover == Selection("/world/labeled", 2)
        hovered = viewer.render()
        viewer.mouse_move(5, 5)
        assert viewer.state.hover is None
        plain = viewer.render()
    mouse_x, mouse_y = int(view.x - 2 + x), int(view.y - 2 + y)
    tooltip = Rect(mouse_x + 10, mouse_y + 10, 100, 90)  # imgui puts tooltips below right of the mouse
    changed = np.abs(_crop(hovered, tooltip).astype(int) - _crop(plain, tooltip)).max(axis=2) > 40
    assert changed.mean() > 0.1, "a tooltip with the instance's values"


def test_scrubbing_the_time_axis_moves_the_cursor_and_the_view_shows_that_frame() -> None:
    with _viewer("points3d.rrd") as viewer:
        at_end = viewer.render()
        axis_x0, axis_x1 = 175.0 + 26, WIDTH - 30.0  # the time panel's axis: #0 .. #10
        y = LAYOUT.time_panel.y + 80
        viewer.click(axis_x0 + 3 / 10 * (axis_x1 - axis_x0), y)
        assert viewer.cursor.at == 3
        view = _view_rect(viewer)
        frame3 = viewer.render()
        assert _count(_crop(frame3, view), GREEN) == 0, "the labeled points exist at frame 10 only"
        assert (np.abs(_crop(frame3, view).astype(int) - _crop(at_end, view)).max(axis=2) > 40).sum() > 500
        cursor_x = round(axis_x0 + 0.3 * (axis_x1 - axis_x0))
        assert frame3[int(y) + 100, cursor_x - 1 : cursor_x + 2, :3].max() > 150, (
            "the cursor line moved there"
        )
        assert frame3[int(y) + 100, int(axis_x1) - 2 : int(axis_x1) + 2, :3].max() < 60, "and left the end"
        viewer.drag((axis_x0 + 3 / 10 * (axis_x1 - axis_x0), y), (axis_x1 + 50, y))
        assert viewer.cursor.at == 10, "dragging past the end clamps to the end"


def _plot_cursor_x(pixels: np.ndarray, rect: Rect) -> int:
    """The column of a plot's time cursor: the one with the most light grey pixels."""
    region = _crop(pixels, rect).astype(np.int16)
    grey = (region.max(axis=2) - region.min(axis=2) <= 4) & (region.min(axis=2) > 150)
    return int(rect.x) + int(np.argmax(grey.sum(axis=0)))


def test_scrubbing_moves_the_time_series_cursor_along_the_plot() -> None:
    with _viewer("scalars_seq.rrd") as viewer:
        viewer.render()
        axis_x0, axis_x1 = 175.0 + 26, WIDTH - 30.0  # #0 .. #999
        view = _view_rect(viewer)
        columns = []
        for step in (250, 500, 750):
            viewer.click(axis_x0 + step / 999 * (axis_x1 - axis_x0), LAYOUT.time_panel.y + 80)
            assert abs(viewer.cursor.at - step) <= 1, "within a pixel (imgui floors mouse positions)"
            columns.append(_plot_cursor_x(viewer.render(), view))
        first, second = columns[1] - columns[0], columns[2] - columns[1]
        assert first > 50 and abs(first - second) <= 2, f"the cursor moves evenly with time: {columns}"


def test_play_moves_the_cursor_and_loops() -> None:
    with _viewer("points3d.rrd") as viewer:
        viewer.render()
        viewer.click(118, LAYOUT.time_panel.y + 12)  # the loop button
        assert viewer.state.playback.loop == LoopMode.ALL
        viewer.click(236, LAYOUT.time_panel.y + 12)  # the speed: 1x -> 2x -> 4x
        viewer.click(236, LAYOUT.time_panel.y + 12)
        assert viewer.state.playback.speed == 4.0
        viewer.set_speed(1.0)
        viewer.click(26, LAYOUT.time_panel.y + 12)  # play: at the end, so from the beginning
        assert viewer.state.playback.playing and viewer.cursor.at == 0
        seen = []
        for _ in range(14):
            viewer.advance(1 / 30)
            seen.append(viewer.cursor.at)
        assert seen == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1, 2, 3]
        viewer.press("space")
        assert not viewer.state.playback.playing
        viewer.press("right_arrow")
        assert viewer.cursor.at == 4, "the right arrow steps to the next time with data"
        viewer.advance(1.0)
        assert viewer.cursor.at == 4, "paused: time stands still"


def test_step_buttons_and_timeline_selector() -> None:
    with _viewer("multi_timeline.rrd") as viewer:
        viewer.render()
        assert viewer.cursor.timeline_name == "elapsed"
        viewer.set_timeline("frame_nr")
        viewer.set_time(0)
        viewer.click(52, LAYOUT.time_panel.y + 12)  # step forward
        assert viewer.cursor.at == 1
        viewer.click(84, LAYOUT.time_panel.y + 12)  # step back
        assert viewer.cursor.at == 0
        with pytest.raises(ValueError, match="no timeline 'nope'"):
            viewer.set_timeline("nope")
        viewer.click(160, LAYOUT.time_panel.y + 12)  # the timeline selector: a popup at the mouse
        viewer.click(175, LAYOUT.time_panel.y + 12 + 6 + 3 * 18 + 7)  # its fourth row
        assert viewer.cursor.timeline_name == "sensor_time"


def test_orbit_changes_the_image_and_double_click_resets_it() -> None:
    with _viewer("points3d.rrd") as viewer:
        view = _view_rect(viewer)
        first = _crop(viewer.render(), view)
        middle = (view.x + view.w / 2, view.y + view.h / 2)
        viewer.drag(middle, (middle[0] + 120, middle[1] + 30))
        camera = viewer.state.camera("0:3D:/")
        assert camera.yaw < 0 and camera.pitch < 0
        orbited = _crop(viewer.render(), view)
        assert (np.abs(orbited.astype(int) - first).max(axis=2) > 40).mean() > 0.02, "the image changed"
        viewer.scroll(2)
        assert viewer.state.camera("0:3D:/").zoom > 1
        viewer.double_click(*middle)
        assert viewer.state.camera("0:3D:/") == CameraState()
        viewer.mouse_move(5, 5)  # nothing hovered
        viewer.select(None)
        assert np.array_equal(_crop(viewer.render(), view), first), "back to the automatic framing"


def test_2d_views_pan_with_the_left_button() -> None:
    with _viewer("image_rgb.rrd") as viewer:
        view = _view_rect(viewer)
        first = _crop(viewer.render(), view)
        viewer.drag((view.x + 100, view.y + 100), (view.x + 160, view.y + 100))
        camera = viewer.state.camera("0:2D:/camera/rgb")
        assert camera.pan[0] < 0 and camera.pan[1] == 0
        moved = _crop(viewer.render(), view)
        lit = np.argwhere(np.abs(first.astype(int) - THEME.background[:3]).max(axis=2) > 8)
        lit_moved = np.argwhere(np.abs(moved.astype(int) - THEME.background[:3]).max(axis=2) > 8)
        assert abs(lit_moved[:, 1].min() - lit[:, 1].min() - 60) <= 2, "the image followed the mouse by 60 px"


def test_2d_wheel_zooms_about_the_mouse() -> None:
    with _viewer("image_rgb.rrd") as viewer:
        view = _view_rect(viewer)
        first = viewer.render()
        mouse = (int(view.x + view.w * 0.7), int(view.y + view.h * 0.3))
        viewer.mouse_move(*mouse)
        viewer.scroll(3)
        assert viewer.state.camera("0:2D:/camera/rgb").zoom == pytest.approx(1.15**3)
        zoomed = viewer.render()
    assert np.abs(zoomed[mouse[1], mouse[0], :3].astype(int) - first[mouse[1], mouse[0], :3]).max() <= 12

    def lit(pixels: np.ndarray) -> float:
        return float((np.abs(_crop(pixels, view).astype(int) - THEME.background[:3]).max(axis=2) > 8).mean())

    assert lit(zoomed) > 1.25 * lit(first), "the image grew"


def test_clicking_another_source_switches_recordings() -> None:
    with _viewer("points3d.rrd", "image_rgb.rrd") as viewer:
        assert viewer.recording.name == "image_rgb"
        viewer.select("/camera/rgb")
        viewer.click(100, LAYOUT.left.y + 10 + 94 + 8)  # the first source row: points3d
        viewer.render()
        assert viewer.recording.name == "points3d" and viewer.state.recording == "points3d"
        assert viewer.state.selection is None and [v.kind.value for v in viewer.views] == ["3D"]
        with pytest.raises(ValueError, match="no recording named 'x'"):
            viewer.set_recording("x")
        with pytest.raises(ValueError, match="no entity"):
            viewer.select("/nope")
        viewer.select("/world")  # a tree node above entities
        assert viewer.state.selection == Selection("/world")


def test_frame_draws_into_any_texture_and_new_recordings_join_the_sources() -> None:
    import wgpu

    from rerun_viewer._gpu import read_texture

    with _viewer("points3d.rrd") as viewer:
        pixels = viewer.render()
        target = viewer.gpu.device.create_texture(
            size=(WIDTH, HEIGHT, 1), format="rgba8unorm",
            usage=wgpu.TextureUsage.RENDER_ATTACHMENT | wgpu.TextureUsage.COPY_SRC,
        )  # fmt: skip
        viewer.frame(target)
        assert np.array_equal(read_texture(viewer.gpu.device, target), pixels), "a window sees the same frame"
        viewer.recordings += load_recordings([fixture("image_rgb.rrd")])  # e.g. a live stream arrived
        viewer.click(100, LAYOUT.left.y + 10 + 94 + THEME.row_height + 8)  # the new second source row
        assert viewer.recording.name == "image_rgb"
        assert [v.kind.value for v in viewer.views] == ["2D"]
