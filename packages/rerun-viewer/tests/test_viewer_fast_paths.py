"""The fast paths of a frame, checked for correctness (never for timings): the UI backend draws what
wgpu-py's draws and makes each texture's bind group once, the shell covers less than the screen,
line strips become segments in bulk, and refilled GPU objects draw their new data."""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _viewer_support import require_gpu
from imgui_bundle import imgui

import rerun as rr
import rerun_viewer._viewer
from rerun_viewer import Viewer, ViewKind, auto_views, default_cursor, load_recordings
from rerun_viewer._primitives import Segments
from rerun_viewer._recording import Recording
from rerun_viewer._time import TimeCursor
from rerun_viewer._view_core import collect
from rerun_viewer.views._scene import OBJECT_BUILDS
from rerun_viewer.views._spatial import SpatialRenderer
from rerun_viewer.visualizers._points_lines import strips_to_segments

RED, GREEN = (255, 0, 0), (0, 255, 0)


def _recording(tmp_path: Path, name: str, log: Any) -> Recording:
    path = tmp_path / f"{name}.rrd"
    stream = rr.RecordingStream("fast_paths", recording_id=name)
    stream.save(str(path))
    log(stream)
    stream.disconnect()
    (recording,) = load_recordings([path])
    return recording


def _dots(stream: rr.RecordingStream) -> None:
    """Frame 0: three red dots on the left; frame 1: three green ones on the right; frame 2: four."""
    for frame, x, color, count in ((0, 10, RED, 3), (1, 90, GREEN, 3), (2, 50, RED, 4)):
        stream.set_time("frame", sequence=frame)
        positions = [[x, 10 + 30 * row] for row in range(count)]
        stream.log("dots", rr.Points2D(positions, colors=[color], radii=-4.0))
    stream.log("frame_box", rr.Boxes2D(mins=[0, 0], sizes=[100, 100]), static=True)


# -- the UI backend --------------------------------------------------------------------------------


def test_the_ui_backend_draws_what_the_library_backend_draws(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_gpu()
    from wgpu.utils.imgui import ImguiWgpuBackend

    recording = _recording(tmp_path, "backend", _dots)
    with Viewer([recording], width=480, height=320) as viewer:
        ours = viewer.render()
    monkeypatch.setattr(
        rerun_viewer._viewer, "UiBackend", lambda device: ImguiWgpuBackend(device, "rgba8unorm")
    )
    with Viewer([recording], width=480, height=320) as viewer:
        library = viewer.render()
    assert np.abs(ours.astype(int) - library.astype(int)).max() <= 1
    assert len(np.unique(ours[..., :3].reshape(-1, 3), axis=0)) > 20, "a frame with text, panels and a view"


def test_an_unchanged_frame_makes_no_bind_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_gpu()
    with Viewer([_recording(tmp_path, "bind", _dots)], width=480, height=320) as viewer:
        viewer.render()
        made: list[object] = []
        device_type = type(viewer.gpu.device)
        original = device_type.create_bind_group

        def counting(self: object, **kwargs: object) -> object:
            made.append(kwargs.get("layout"))
            return original(self, **kwargs)

        monkeypatch.setattr(device_type, "create_bind_group", counting)
        viewer.render()
        viewer.render()
    assert made == [], "the font atlas and the view textures keep their bind groups"


def _triangle_area(draw_data: Any) -> float:
    """The summed area of every UI triangle (clipping aside), in pixels."""
    vertex = np.dtype([("position", np.float32, 2), ("uv", np.float32, 2), ("color", np.uint32)])
    assert vertex.itemsize == imgui.VERTEX_SIZE
    index_type = np.uint16 if imgui.INDEX_SIZE == 2 else np.uint32
    area = 0.0
    for draw_list in draw_data.cmd_lists:
        vertices = draw_list.vtx_buffer
        raw = ctypes.string_at(vertices.data_address(), vertices.size() * vertex.itemsize)
        positions = np.frombuffer(raw, vertex)["position"].astype(np.float64)
        size = draw_list.idx_buffer.size() * imgui.INDEX_SIZE
        indices = np.frombuffer(ctypes.string_at(draw_list.idx_buffer.data_address(), size), index_type)
        a, b, c = (positions[indices[k::3].astype(np.intp)] for k in range(3))
        cross = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
        area += float(np.abs(cross).sum() / 2)
    return area


def test_the_shell_covers_the_screen_less_than_once(tmp_path: Path) -> None:
    """Frames are cleared to the background colour: a full-screen fill under the panels would make
    lavapipe blend every pixel once more (~10 ms of CPU at 1280x720)."""
    require_gpu()
    with Viewer([_recording(tmp_path, "cover", _dots)], width=1280, height=720) as viewer:
        pixels = viewer.render()
        area = _triangle_area(viewer._ui_pass())
    assert 0.1 < area / (1280 * 720) < 0.8, "the view's image and the widgets; no full-screen fill"
    assert pixels[700, 100, :3].tolist() == [13, 13, 13], "the background shows under the time panel"


# -- line strips -----------------------------------------------------------------------------------


def test_strips_become_the_segments_within_each_strip() -> None:
    vertices = np.arange(18, dtype=np.float32).reshape(6, 3)
    pairs, owners = strips_to_segments(vertices, np.array([3, 0, 1, 2]))
    assert pairs.reshape(-1, 2, 3)[:, :, 0].tolist() == [[0, 3], [3, 6], [12, 15]]
    assert owners.tolist() == [0, 0, 3], "the empty and the one-vertex strip have no segment"
    none, nobody = strips_to_segments(np.zeros((0, 3), np.float32), np.zeros(0, np.intp))
    assert none.shape == (0, 3) and nobody.shape == (0,)


def test_line_strip_labels_sit_on_each_strips_middle_vertex(tmp_path: Path) -> None:
    def log(stream: rr.RecordingStream) -> None:
        strips = [[[0, 0], [10, 0], [20, 0]], [[5, 5]], [[0, 10], [0, 30]]]
        stream.log("strips", rr.LineStrips2D(strips, labels=["a", "b", "c"], colors=[RED, GREEN, RED]))

    store = _recording(tmp_path, "strips", log).store
    (spec,) = [view for view in auto_views(store) if view.kind == ViewKind.SPATIAL_2D]
    (segments,) = collect(store, spec, default_cursor(store)).primitives
    assert isinstance(segments, Segments)
    assert segments.positions[:, :2].tolist() == [[0, 0], [10, 0], [10, 0], [20, 0], [0, 10], [0, 30]]
    assert segments.colors[:, :3].tolist() == [list(RED), list(RED), list(RED)]
    labels = {label.text: label.position[:2].tolist() for label in segments.labels}
    assert labels == {"a": [10, 0], "b": [5, 5], "c": [0, 30]}


# -- refilled objects ------------------------------------------------------------------------------


def _dot_colors(viewer: Viewer) -> list[tuple[int, int, int]]:
    """The colours at the dots' places of every frame, in the 2D view (UI pixels)."""
    pixels = viewer.render()[..., :3].astype(int)
    (renderer,) = [r for r in viewer._frame.cache.values() if isinstance(r, SpatialRenderer)]
    cell = _view_origin(viewer)
    assert renderer.projection is not None
    places, _ = renderer.projection.to_pixels(np.array([[x, 40.0, 0.0] for x in (10, 50, 90)]))
    return [tuple(pixels[round(cell[1] + y), round(cell[0] + x)]) for x, y in places]


def _view_origin(viewer: Viewer) -> tuple[float, float]:
    """Where the 2D view's texture starts in the frame: its cell below the title."""
    from rerun_viewer._layout import shell_layout
    from rerun_viewer._theme import THEME

    layout = shell_layout(viewer.width, viewer.height)
    return layout.views.x, layout.views.y + THEME.view_title_height


def test_refilled_points_draw_the_new_data_and_the_old_again(tmp_path: Path) -> None:
    require_gpu()
    recording = _recording(tmp_path, "refill", _dots)
    with Viewer([recording], width=640, height=480) as viewer:
        timeline = viewer.cursor.timeline
        colors = {}
        for frame in (0, 1):
            viewer.state.cursor = TimeCursor(timeline, frame)
            colors[frame] = _dot_colors(viewer)
        made, refilled = OBJECT_BUILDS.made, OBJECT_BUILDS.refilled
        viewer.state.cursor = TimeCursor(timeline, 0)
        again = _dot_colors(viewer)
        assert (OBJECT_BUILDS.made, OBJECT_BUILDS.refilled) == (made, refilled + 1), "same count: refilled"
        viewer.state.cursor = TimeCursor(timeline, 2)
        four = _dot_colors(viewer)
        assert OBJECT_BUILDS.made == made + 1, "another count of points: a new object"
    background = colors[0][1]
    assert colors[0] == [RED, background, background]
    assert colors[1] == [background, background, GREEN]
    assert again == colors[0], "back at frame 0 the refilled object shows frame 0's dots"
    assert four == [background, RED, background]


def test_a_moved_mesh_of_the_same_shape_is_refilled_and_drawn_as_a_new_one_would_be(tmp_path: Path) -> None:
    require_gpu()
    from rerun_viewer._gpu import get_gpu, read_texture

    def log(stream: rr.RecordingStream) -> None:
        for frame, x in ((0, -2.0), (1, 2.0)):
            stream.set_time("frame", sequence=frame)
            triangle = [[x - 1, -1, 0], [x + 1, -1, 0], [x, 1, 0]]
            stream.log(
                "mesh", rr.Mesh3D(vertex_positions=triangle, triangle_indices=[[0, 1, 2]], vertex_colors=RED)
            )
        stream.log("anchor", rr.Points3D([[-3, -1, 0], [3, 1, 0]], radii=0.01), static=True)

    store = _recording(tmp_path, "mesh", log).store
    (spec,) = [view for view in auto_views(store) if view.kind == ViewKind.SPATIAL_3D]
    timeline = default_cursor(store).timeline
    before, after = (collect(store, spec, TimeCursor(timeline, frame)) for frame in (0, 1))

    def pixels(renderer: SpatialRenderer) -> np.ndarray:
        return read_texture(get_gpu().device, renderer.display_texture)[..., :3]

    refilled = SpatialRenderer(get_gpu())
    refilled.render(before, 320, 240)
    first = pixels(refilled)
    made, refills = OBJECT_BUILDS.made, OBJECT_BUILDS.refilled
    refilled.render(after, 320, 240)
    assert (OBJECT_BUILDS.made, OBJECT_BUILDS.refilled) == (made, refills + 1), "one mesh refilled"
    fresh = SpatialRenderer(get_gpu())
    fresh.render(after, 320, 240)
    assert np.array_equal(pixels(refilled), pixels(fresh)), "the refilled mesh draws as a new one"
    moved = (np.abs(pixels(fresh).astype(int) - first).max(axis=2) > 40).sum()
    assert moved > 50, "the triangle moved across the view"


# -- points on CPU adapters ------------------------------------------------------------------------


def test_world_sized_points_cover_what_pygfx_quads_cover_in_perspective() -> None:
    """OneTrianglePointsMaterial sizes world-sized points from the projection and the depth, pygfx by
    unprojecting shifted points: the same pixels, near and far, in the centre and at the edges."""
    require_gpu()
    import pygfx as gfx
    import wgpu
    from pygfx.renderers.wgpu.engine.update import ensure_wgpu_object

    from rerun_viewer import get_gpu
    from rerun_viewer._gpu import read_texture
    from rerun_viewer.views._scene import OneTrianglePointsMaterial

    rng = np.random.default_rng(1)
    positions = rng.uniform(-4, 4, (400, 3)).astype(np.float32)
    colors = np.ones((400, 4), np.float32)  # white: the same in sRGB and linear
    sizes = rng.uniform(0.05, 0.4, 400).astype(np.float32)
    camera = gfx.PerspectiveCamera(60, 1.5)
    camera.local.position = (0, -10, 3)
    camera.look_at((0, 0, 0))

    def render(material_class: type) -> np.ndarray:
        target = gfx.Texture(dim=2, size=(150, 100, 1), format="rgba8unorm-srgb", colorspace="tex-srgb",
                             usage=wgpu.TextureUsage.COPY_SRC)  # fmt: skip
        material = material_class(color_mode="vertex", size_mode="vertex", size_space="world", aa=False)
        scene = gfx.Scene()
        points = gfx.Points(gfx.Geometry(positions=positions, colors=colors, sizes=sizes), material)
        scene.add(gfx.Background.from_color("#000"), points)
        gfx.WgpuRenderer(target, pixel_scale=1, ppaa="none").render(scene, camera)
        return read_texture(get_gpu().device, ensure_wgpu_object(target))[..., :3].astype(int)

    quads, triangles = render(gfx.PointsMaterial), render(OneTrianglePointsMaterial)
    assert (quads > 0).any(axis=2).sum() > 1500, "a good part of the view is covered"
    assert (np.abs(quads - triangles) > 2).any(axis=2).sum() <= 3
