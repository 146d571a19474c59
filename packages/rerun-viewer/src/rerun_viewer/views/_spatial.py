"""2D and 3D views: a pygfx scene rendered offscreen into the view's own texture.

3D views frame the scene as the reference's default eye does (looking mostly along "forward",
a little right and down, from 1.5× the bounding box's half diagonal) above a ground grid; 2D views
fit their content, y pointing down, drawn by draw order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pygfx as gfx
import wgpu
from pygfx.renderers.wgpu.engine.update import ensure_wgpu_object

from rerun_viewer._gpu import Gpu
from rerun_viewer._primitives import Label, Primitive
from rerun_viewer._registry import ViewKind
from rerun_viewer._theme import THEME
from rerun_viewer._view_core import ViewContents
from rerun_viewer.views._scene import build_objects, scene_bounds

__all__ = ["ProjectedLabel", "SpatialRenderer"]

FOV_Y_DEGREES = 55.0


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


def _eye_3d(
    bounds: tuple[np.ndarray, np.ndarray] | None, up: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float]:
    """Eye position, target and distance: the reference's default eye."""
    lo, hi = bounds if bounds is not None else (np.full(3, -1.0), np.full(3, 1.0))
    center = (lo + hi) / 2
    radius = 1.5 * float(np.linalg.norm((hi - lo) / 2))
    radius = radius if np.isfinite(radius) and radius > 0 else 1.0
    right = np.array([1.0, 0, 0]) if abs(up[0]) < 0.9 else np.array([0, 1.0, 0])
    forward = np.cross(up, right)
    direction = 0.75 * forward + 0.25 * right - 0.25 * up
    direction /= np.linalg.norm(direction)
    return center - radius * direction, center, radius


class SpatialRenderer:
    """Renders one spatial view to a texture it owns; reused across frames at the same size."""

    def __init__(self, gpu: Gpu) -> None:
        self._gpu = gpu
        self._size: tuple[int, int] = (0, 0)
        self._target: Any = None
        self._renderer: Any = None
        self.display_texture: Any = None  # rgba8unorm copy, for sampling by the UI
        self._camera: Any = None
        self._content: Any = None

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

    def render(self, contents: ViewContents, width: int, height: int) -> list[ProjectedLabel]:
        """Draw the view into :attr:`display_texture`; returns its labels in texture pixels."""
        self._ensure_size(max(width, 1), max(height, 1))
        scene = gfx.Scene()
        scene.add(gfx.Background.from_color(THEME.view_background))
        flat = contents.spec.kind == ViewKind.SPATIAL_2D
        self._content = gfx.Group()
        for obj in build_objects(contents.primitives, flat=flat):
            self._content.add(obj)
        scene.add(self._content)
        if flat:
            self._camera = self._camera_2d(contents.primitives)
        else:
            self._camera = self._camera_3d(scene, contents, width, height)
        self._renderer.render(scene, self._camera)
        self._copy_to_display()
        return self._project_labels(contents.primitives, width, height)

    def _camera_2d(self, primitives: list[Primitive]) -> Any:
        """Fits the content's rectangle, keeping its aspect (pygfx letterboxes to the viewport)."""
        bounds = scene_bounds(primitives)
        lo, hi = bounds if bounds is not None else (np.zeros(3), np.ones(3))
        self._content.local.scale_y = -1  # Rerun's 2D y points down
        camera = gfx.OrthographicCamera(maintain_aspect=True)
        extent = np.maximum(hi[:2] - lo[:2], 1e-3)
        camera.width, camera.height = float(extent[0]), float(extent[1])
        camera.local.position = (float(lo[0] + hi[0]) / 2, -float(lo[1] + hi[1]) / 2, 100.0)
        return camera

    def _camera_3d(self, scene: Any, contents: ViewContents, width: int, height: int) -> Any:
        eye, target, radius = _eye_3d(scene_bounds(contents.primitives), contents.up)
        scene.add(_grid(contents.up, target, radius))
        camera = gfx.PerspectiveCamera(
            FOV_Y_DEGREES, width / max(height, 1), depth_range=(radius * 0.01, radius * 100)
        )
        camera.world.reference_up = tuple(contents.up)
        camera.local.position = tuple(eye)
        camera.look_at(tuple(target))
        scene.add(gfx.AmbientLight(intensity=0.6))
        light = gfx.DirectionalLight(intensity=2.0)
        light.local.position = tuple(eye)
        light.look_at(tuple(target))
        scene.add(light)
        return camera

    def _copy_to_display(self) -> None:
        encoder = self._gpu.device.create_command_encoder()
        width, height = self._size
        encoder.copy_texture_to_texture(
            {"texture": ensure_wgpu_object(self._target)},
            {"texture": self.display_texture},
            (width, height, 1),
        )
        self._gpu.device.queue.submit([encoder.finish()])

    def _project_labels(self, primitives: list[Primitive], width: int, height: int) -> list[ProjectedLabel]:
        labels: list[Label] = [label for p in primitives for label in getattr(p, "labels", [])]
        if not labels:
            return []
        matrix = np.asarray(self._camera.camera_matrix) @ np.asarray(self._content.world.matrix)
        projected = []
        for label in labels:
            clip = matrix @ np.append(label.position.astype(np.float64), 1.0)
            if clip[3] <= 0:
                continue
            x, y = clip[0] / clip[3], clip[1] / clip[3]
            projected.append(
                ProjectedLabel((x + 1) / 2 * width, (1 - y) / 2 * height, label.text, label.color)
            )
        return projected
