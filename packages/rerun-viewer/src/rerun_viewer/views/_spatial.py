"""2D and 3D views: a pygfx scene rendered offscreen into the view's own texture.

3D views frame the scene as the reference's default eye does (``views._camera``) above a ground
grid; 2D views fit their content, y pointing down, drawn by draw order. Either framing is then
moved by the user's camera state. A view is drawn again only when its contents, camera or size change.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pygfx as gfx
import wgpu
from pygfx.renderers.wgpu.engine.blender import Blender
from pygfx.renderers.wgpu.engine.update import ensure_wgpu_object

from rerun_viewer._gpu import Gpu
from rerun_viewer._primitives import Label, Primitive
from rerun_viewer._registry import ViewKind
from rerun_viewer._state import CameraState, Selection
from rerun_viewer._theme import THEME
from rerun_viewer._view_core import ViewContents
from rerun_viewer._view_properties import hex_color
from rerun_viewer.views._arrow_heads import ArrowHeads, ArrowShafts
from rerun_viewer.views._camera import Eye, Projection, default_eye, framing_bounds, moved_eye, pygfx_fov
from rerun_viewer.views._picking import PickIndex
from rerun_viewer.views._point_culling import CulledPoints
from rerun_viewer.views._scene import ObjectReuse, build_objects, scene_bounds

__all__ = ["ProjectedLabel", "SpatialRenderer"]


@dataclass(frozen=True)
class ProjectedLabel:
    """A label at pixel coordinates of the view's texture."""

    x: float
    y: float
    text: str
    color: tuple[int, int, int, int]


def _grid(up: np.ndarray, center: np.ndarray, radius: float) -> Any:
    """Unit cells through the origin, on the plane across "up", a few scene sizes wide (far lines would alias)."""
    axis = int(np.argmax(np.abs(up)))
    orientation = ("yz", "xz", "xy")[axis]
    material = gfx.GridMaterial(
        major_step=1.0, minor_step=0.0, major_thickness=1.0, minor_thickness=0.0, thickness_space="screen",
        major_color=THEME.grid, minor_color=THEME.grid, axis_thickness=0.0, infinite=False,
    )  # fmt: skip
    grid = gfx.Grid(None, material, orientation=orientation)
    extent = float(2 * np.ceil(max(5.0 * radius, 10.0)))
    grid.local.scale = (extent, extent, extent)
    position = np.round(center) - extent / 2  # the grid spans [0, 1] along its two axes before scaling
    position[axis] = 0.0
    grid.local.position = tuple(position)
    return grid


class _ClearingBlender(Blender):
    """pygfx's render targets as a view needs them: cleared to the view's background colour (a
    full-screen background pass costs ~6 ms a view on lavapipe, a clear next to nothing), no pick
    target (picking is done on the CPU, ``views._picking``), and no depth buffer in 2D (drawn by
    draw order). Each target left out saves a write per fragment."""

    def __init__(self, *, depth: bool) -> None:
        super().__init__(enable_pick=False, enable_depth=depth)
        self.depth = depth
        self.clear_color: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)

    def get_color_attachments(self, pass_type: str) -> list[Any]:
        attachments: list[Any] = super().get_color_attachments(pass_type)
        if pass_type != "weighted" and attachments[0].load_op == "clear":
            attachments[0].clear_value = self.clear_color
        return attachments


def _linear_rgba(color: str) -> tuple[float, float, float, float]:
    """A CSS colour as the clear value of pygfx's sRGB colour target (which takes linear values)."""
    parsed = gfx.Color(color)
    red, green, blue = parsed.to_physical()
    return (red, green, blue, parsed.a)


def _blueprint_eye(framed: Eye, contents: ViewContents) -> Eye:
    """The automatic eye, with what a blueprint's EyeControls3D sets instead."""
    properties = contents.spec.properties
    position, target, up = properties.eye_position, properties.eye_target, properties.eye_up
    return Eye(
        framed.position if position is None else np.array(position),
        framed.target if target is None else np.array(target),
        framed.up if up is None else np.array(up),
    )


def _same_scene(built: ViewContents | None, contents: ViewContents) -> bool:
    """Whether a view's scene for ``built`` shows ``contents`` too (the cursor moved, the data did not)."""
    return (
        built is not None
        and built.primitives is contents.primitives
        and built.spec.kind == contents.spec.kind
        and built.spec.properties == contents.spec.properties
        and np.array_equal(built.up, contents.up)
    )


class SpatialRenderer:
    """Renders one spatial view to a texture it owns; reused across frames at the same size."""

    def __init__(self, gpu: Gpu) -> None:
        self._gpu = gpu
        self._size: tuple[int, int] = (0, 0)
        self._target: Any = None
        self._renderer: Any = None
        self.display_texture: Any = None  # rgba8unorm copy, for sampling by the UI
        self._ortho = gfx.OrthographicCamera(maintain_aspect=True)  # moved, not made again, each frame
        self._perspective = gfx.PerspectiveCamera()
        self._camera: Any = None
        self._content = gfx.Group()
        self._drawn: tuple[ViewContents, CameraState, tuple[int, int]] | None = None
        self._built: ViewContents | None = None  # whose objects self._scene holds
        self._scene = gfx.Scene()  # refilled, not made again, for new contents
        self._background = _linear_rgba(THEME.view_background)
        self._framed: Eye = default_eye(None, np.array([0.0, 0, 1]))  # 3D: the automatic eye
        self._light: Any = None
        self._labels: list[ProjectedLabel] = []
        self.projection: Projection | None = None  # of the last drawn frame, for picking
        self._pick_index: PickIndex | None = None
        self._fixtures: dict[Hashable, Any] = {}
        self._reuse = ObjectReuse()  # unchanged entities keep their objects across a new time
        self._culled: list[CulledPoints] = []  # point clouds drawn without their hidden points
        self._arrows: list[ArrowShafts | ArrowHeads] = []  # refit to each frame's projection

    def _ensure_size(self, width: int, height: int) -> None:
        if self._size == (width, height):
            return
        self._size = (width, height)
        self._target = gfx.Texture(
            dim=2, size=(width, height, 1), format="rgba8unorm-srgb", colorspace="tex-srgb",
            usage=wgpu.TextureUsage.COPY_SRC,
        )  # fmt: skip
        self._renderer = gfx.WgpuRenderer(
            self._target, pixel_scale=self._gpu.pixel_scale, ppaa=self._gpu.ppaa
        )
        self.display_texture = self._gpu.device.create_texture(
            size=(width, height, 1), format="rgba8unorm",
            usage=wgpu.TextureUsage.COPY_DST | wgpu.TextureUsage.TEXTURE_BINDING | wgpu.TextureUsage.COPY_SRC,
        )  # fmt: skip

    def render(
        self, contents: ViewContents, width: int, height: int, camera: CameraState | None = None
    ) -> list[ProjectedLabel]:
        """Draw the view into :attr:`display_texture` (unless nothing changed); its labels in texture pixels."""
        camera = camera or CameraState()
        size = (max(width, 1), max(height, 1))
        if self._drawn is not None and self._drawn[0] is contents and self._drawn[1:] == (camera, size):
            return self._labels
        self._ensure_size(*size)
        if not _same_scene(self._built, contents):  # new data: a new scene; a moved camera alone keeps it
            self._build_scene(contents)
            self._built = contents
        flat = contents.spec.kind == ViewKind.SPATIAL_2D
        if flat:
            self._camera = self._camera_2d(contents, camera, size)
        else:
            self._camera = self._camera_3d(contents, camera, size)
        self._camera.set_view_size(*size)  # as render() would, so the projection is this frame's
        self.projection = Projection(
            np.asarray(self._camera.camera_matrix) @ np.asarray(self._content.world.matrix),
            float(np.asarray(self._camera.projection_matrix)[1, 1]),
            *size,
        )
        for culled in self._culled:
            culled.cull(self.projection)
        for arrows in self._arrows:
            arrows.fit(self.projection)
        self._draw(depth=not flat)
        self._drawn = (contents, camera, size)
        self._labels = self._project_labels(contents.primitives)
        return self._labels

    @property
    def flat(self) -> bool:
        """Whether the last drawn view is 2D (its camera pans rather than orbits)."""
        return self._drawn is not None and self._drawn[0].spec.kind == ViewKind.SPATIAL_2D

    def pick(self, x: float, y: float) -> Selection | None:
        """What the last drawn frame shows at texture pixel (x, y) (the index is built on first use)."""
        if self._drawn is None or self.projection is None:
            return None
        index = self._pick_index
        if index is None or index.projection is not self.projection:
            index = self._pick_index = PickIndex(self._drawn[0].primitives, self.projection)
        return index.pick(x, y)

    def _build_scene(self, contents: ViewContents) -> None:
        """Background, the content's objects, and for 3D the grid and the lights (which follow the eye)."""
        scene = self._scene
        scene.clear()
        background = contents.spec.properties.background  # a blueprint's Background
        color = THEME.view_background if background is None else hex_color(background)
        self._background = _linear_rgba(color)
        self._content.clear()
        flat = contents.spec.kind == ViewKind.SPATIAL_2D
        self._content.add(*build_objects(contents.primitives, flat=flat, reuse=self._reuse))
        self._culled = [obj for obj in self._content.children if isinstance(obj, CulledPoints)]
        self._arrows = [obj for obj in self._content.children if isinstance(obj, ArrowShafts | ArrowHeads)]
        self._content.local.scale_y = -1 if flat else 1  # Rerun's 2D y points down
        scene.add(self._content)
        if not self._content.children and (flat or not contents.spec.properties.grid):
            # Nothing drawn means no render pass to clear the target in: a background pass does.
            scene.add(self._fixture(("background", color), lambda: gfx.Background.from_color(color)))
        if contents.spec.kind == ViewKind.SPATIAL_3D:
            self._framed = _blueprint_eye(
                default_eye(
                    framing_bounds(contents.primitives, scene_bounds(contents.primitives)), contents.up
                ),
                contents,
            )
            if contents.spec.properties.grid:  # a blueprint's LineGrid3D may hide it
                up, framed = contents.up, self._framed
                key = ("grid", tuple(up), tuple(framed.target), framed.distance)
                scene.add(self._fixture(key, lambda: _grid(up, framed.target, framed.distance)))
            self._light = self._fixture("light", lambda: gfx.DirectionalLight(intensity=2.0))
            scene.add(self._fixture("ambient", lambda: gfx.AmbientLight(intensity=0.6)), self._light)

    def _fixture(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The background, grid or light made for ``key`` before, or a new one: a new time then adds
        only the content's objects (pygfx takes ~10 ms on a CPU to make a light)."""
        if key not in self._fixtures:
            if len(self._fixtures) > 16:
                self._fixtures.clear()
            self._fixtures[key] = make()
        return self._fixtures[key]

    def _camera_2d(self, contents: ViewContents, moved: CameraState, size: tuple[int, int]) -> Any:
        """Fits the content's rectangle (with a pinhole space's whole image, as 0.41 does; or a
        blueprint's VisualBounds2D), keeping its aspect (pygfx letterboxes to the viewport), then pans/zooms."""
        bounds = scene_bounds(contents.primitives, flat=True)
        if contents.camera_resolution is not None:
            image = np.zeros(3), np.array([*contents.camera_resolution, 0.0])
            bounds = (
                image
                if bounds is None
                else (np.minimum(bounds[0], image[0]), np.maximum(bounds[1], image[1]))
            )
        if (visual := contents.spec.properties.visual_bounds) is not None:
            bounds = np.array([visual[0][0], visual[1][0], 0.0]), np.array([visual[0][1], visual[1][1], 0.0])
        lo, hi = bounds if bounds is not None else (np.zeros(3), np.ones(3))
        camera = self._ortho
        extent = np.maximum(hi[:2] - lo[:2], 1e-3)
        visible_height = max(float(extent[1]), float(extent[0]) * size[1] / size[0])
        camera.width, camera.height = float(extent[0]) / moved.zoom, float(extent[1]) / moved.zoom
        center = np.array([lo[0] + hi[0], -(lo[1] + hi[1])]) / 2 + np.array(moved.pan) * visible_height
        camera.local.position = (float(center[0]), float(center[1]), 100.0)
        return camera

    def _camera_3d(self, contents: ViewContents, moved: CameraState, size: tuple[int, int]) -> Any:
        framed = self._framed
        eye = moved_eye(framed, moved)
        distance = eye.distance
        camera, aspect = self._perspective, size[0] / size[1]
        camera.fov = pygfx_fov(aspect)
        camera.width, camera.height = 100 * aspect, 100  # as a new camera of this aspect would have
        camera.depth_range = (distance * 0.01, max(distance, framed.distance) * 100)
        camera.world.reference_up = tuple(contents.up)
        camera.local.position = tuple(eye.position)
        camera.look_at(tuple(eye.target))
        self._light.local.position = tuple(eye.position)
        self._light.look_at(tuple(eye.target))
        return camera

    def _draw(self, *, depth: bool) -> None:
        """Render the scene and copy the result into :attr:`display_texture`.

        At one pixel per pixel and without post-processing (CPU adapters), pygfx's output pass (a
        full-screen filter into ``self._target``, ~15 ms on lavapipe) only copies, so the renderer's own
        color texture is copied instead (pygfx 0.17 internals: its blender, and resetting its flush count
        as ``flush()`` would).
        """
        renderer = self._renderer
        if not isinstance(renderer._blender, _ClearingBlender) or renderer._blender.depth != depth:
            renderer._blender = _ClearingBlender(depth=depth)
        renderer._blender.clear_color = self._background
        direct = self._gpu.pixel_scale == 1 and self._gpu.ppaa == "none"
        renderer.render(self._scene, self._camera, clear=True, flush=not direct)
        source = renderer._blender.get_texture("color") if direct else ensure_wgpu_object(self._target)
        renderer._renders_since_last_flush = 0
        encoder = self._gpu.device.create_command_encoder()
        width, height = self._size
        encoder.copy_texture_to_texture(
            {"texture": source}, {"texture": self.display_texture}, (width, height, 1)
        )
        self._gpu.device.queue.submit([encoder.finish()])

    def _project_labels(self, primitives: list[Primitive]) -> list[ProjectedLabel]:
        labels: list[Label] = [label for p in primitives for label in getattr(p, "labels", [])]
        if not labels or self.projection is None:
            return []
        positions = np.stack([label.position for label in labels]).astype(np.float64)
        pixels, in_front = self.projection.to_pixels(positions)
        return [
            ProjectedLabel(float(x), float(y), label.text, label.color)
            for (x, y), visible, label in zip(pixels, in_front, labels, strict=True)
            if visible
        ]
