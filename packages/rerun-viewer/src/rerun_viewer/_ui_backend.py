"""The UI renderer: wgpu-py's imgui backend, drawing with a cheaper shader (``shaders/ui.wgsl``) and
one bind group per texture.

wgpu-py's fragment shader raises every UI fragment to a gamma power (1.0 for a non-sRGB target): on
lavapipe that pow cost ~2.5 ms of CPU a 1280x720 frame. The pipeline here has the same bind group
layouts (the backend's bind groups stay valid), vertex format and blending, without it. wgpu-py 0.32
also means to keep each texture's bind group on its view, but stores it under a name-mangled attribute
it never finds again, so it makes one per draw command and frame; here each texture's is made once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from imgui_bundle import imgui
from wgpu.utils.imgui import ImguiWgpuBackend

__all__ = ["TARGET_FORMAT", "UiBackend"]

TARGET_FORMAT = "rgba8unorm"  # what frames are drawn into (a window's texture or the screenshot's)
_SHADER = Path(__file__).with_name("shaders") / "ui.wgsl"
_BIND_GROUP = "__imgui_bind_group"  # where the library looks for a texture view's bind group
_VERTEX_ATTRIBUTES = [  # imgui's ImDrawVert: position, uv, packed colour
    {"format": "float32x2", "offset": 0, "shader_location": 0},
    {"format": "float32x2", "offset": 8, "shader_location": 1},
    {"format": "unorm8x4", "offset": 16, "shader_location": 2},
]
_BLEND = {  # straight alpha, as imgui draws
    "color": {"src_factor": "src-alpha", "dst_factor": "one-minus-src-alpha", "operation": "add"},
    "alpha": {"src_factor": "one", "dst_factor": "one-minus-src-alpha", "operation": "add"},
}


class UiBackend(ImguiWgpuBackend):
    """Draws imgui's draw data into ``rgba8unorm`` render passes."""

    _render_pipeline: Any

    def __init__(self, device: Any) -> None:
        super().__init__(device, TARGET_FORMAT)
        self._render_pipeline = _pipeline(device, self._render_pipeline)

    def register_texture(self, texture_view: Any) -> Any:
        self._keep_bind_group(texture_view)
        return super().register_texture(texture_view)

    def _update_texture(self, texture: Any) -> None:
        super()._update_texture(texture)  # may create the font atlas's texture
        view = self._texture_views.get(texture.tex_id)
        if view is not None:
            self._keep_bind_group(view)

    def _keep_bind_group(self, view: Any) -> None:
        """Give a texture view its bind group, where the library's ``render`` looks for it."""
        if getattr(view, _BIND_GROUP, None) is None:
            layout, entries = self._texture_bind_group_layout, [{"binding": 0, "resource": view}]
            setattr(view, _BIND_GROUP, self._device.create_bind_group(layout=layout, entries=entries))


def _pipeline(device: Any, library_pipeline: Any) -> Any:
    """A pipeline like the library's, over its bind group layouts, with the shader of ``ui.wgsl``."""
    module = device.create_shader_module(label="ui", code=_SHADER.read_text())
    layouts = [library_pipeline.get_bind_group_layout(group) for group in (0, 1)]
    vertex_buffer = {"array_stride": imgui.VERTEX_SIZE, "attributes": _VERTEX_ATTRIBUTES}
    return device.create_render_pipeline(
        layout=device.create_pipeline_layout(bind_group_layouts=layouts),
        vertex={"module": module, "entry_point": "vs_main", "buffers": [vertex_buffer]},
        primitive={"topology": "triangle-list", "front_face": "ccw", "cull_mode": "none"},
        fragment={
            "module": module,
            "entry_point": "fs_main",
            "targets": [{"format": TARGET_FORMAT, "blend": _BLEND}],
        },
    )
