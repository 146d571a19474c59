"""A spatial view's texture is cleared to its background colour (no background pass), also when the
view has nothing to draw and its texture last held another frame; screen-sized points drawn as one
triangle each cover the same pixels as pygfx's two-triangle quads, in the same colours (given linear)."""

from __future__ import annotations

import numpy as np
import pygfx as gfx
import wgpu
from _viewer_support import require_gpu

from rerun_viewer import ViewKind, get_gpu
from rerun_viewer._gpu import read_texture
from rerun_viewer._heuristics import ViewSpec
from rerun_viewer._primitives import Points
from rerun_viewer._theme import THEME
from rerun_viewer._time import TimeCursor
from rerun_viewer._view_core import ViewContents
from rerun_viewer.views._scene import OneTrianglePointsMaterial
from rerun_viewer.views._spatial import SpatialRenderer

RED = (255, 0, 0)


def _hex_rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _view_pixels(renderer: SpatialRenderer, contents: ViewContents) -> np.ndarray:
    renderer.render(contents, 64, 48)
    return read_texture(get_gpu().device, renderer.display_texture)[..., :3].astype(int)


def test_a_view_is_cleared_to_its_background_even_with_nothing_to_draw() -> None:
    require_gpu()
    spec = ViewSpec(ViewKind.SPATIAL_2D, "/", ("/dots",))
    dots = Points(
        "/dots",
        np.array([[0, 0, 0], [10, 10, 0]], np.float32),
        np.array([[*RED, 255]] * 2, np.uint8),
        np.array([-20.0, -20.0], np.float32),
    )
    renderer = SpatialRenderer(get_gpu())
    drawn = _view_pixels(renderer, ViewContents(spec, TimeCursor(None, 0), [dots]))
    background = np.array(_hex_rgb(THEME.view_background))
    red = (drawn == RED).all(axis=2)
    assert red.sum() > 500, "the two big red dots"
    assert (drawn[~red] == background).all(axis=1).mean() > 0.9, "the rest is the view's background"
    empty = _view_pixels(renderer, ViewContents(spec, TimeCursor(None, 1), []))
    assert (empty == background).all(), "no stale dots: the empty frame is all background"


def test_one_triangle_points_cover_the_pixels_of_two_triangle_quads() -> None:
    require_gpu()
    rng = np.random.default_rng(0)
    positions = np.zeros((300, 3), np.float32)
    positions[:, :2] = rng.uniform(0, 120, (300, 2))
    colors = rng.uniform(0.2, 1, (300, 4)).astype(np.float32)
    colors[:, 3] = 1
    sizes = rng.choice([1.0, 2.0, 4.0, 7.5, 12.0], 300).astype(np.float32)
    camera = gfx.OrthographicCamera(120, 80)
    camera.local.position = (60, 40, 100)

    def render(material_class: type, colors: np.ndarray) -> np.ndarray:
        target = gfx.Texture(dim=2, size=(120, 80, 1), format="rgba8unorm-srgb", colorspace="tex-srgb",
                             usage=wgpu.TextureUsage.COPY_SRC)  # fmt: skip
        material = material_class(color_mode="vertex", size_mode="vertex", size_space="screen", aa=False)
        geometry = gfx.Geometry(positions=positions, colors=colors, sizes=sizes)
        scene = gfx.Scene()
        scene.add(gfx.Background.from_color("#000"), gfx.Points(geometry, material))
        gfx.WgpuRenderer(target, pixel_scale=1, ppaa="none").render(scene, camera)
        return _read(target)

    linear = colors.copy()  # what OneTrianglePointsMaterial takes: sRGB made linear
    linear[:, :3] = np.where(
        colors[:, :3] <= 0.04045, colors[:, :3] / 12.92, ((colors[:, :3] + 0.055) / 1.055) ** 2.4
    )
    quads, triangles = render(gfx.PointsMaterial, colors), render(OneTrianglePointsMaterial, linear)
    lit = (quads[..., :3] > 0).any(axis=2)
    assert lit.sum() > 2000
    differing = (np.abs(quads.astype(int) - triangles) > 2).any(axis=2)
    assert differing.sum() <= 3, f"{differing.sum()} pixels differ"


def _read(target: gfx.Texture) -> np.ndarray:
    from pygfx.renderers.wgpu.engine.update import ensure_wgpu_object

    return read_texture(get_gpu().device, ensure_wgpu_object(target))
