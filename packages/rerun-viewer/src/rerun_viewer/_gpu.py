"""The one wgpu device the viewer draws with (pygfx's shared one), and reading textures back.

On a CPU adapter (Mesa's lavapipe) supersampling and post-process anti-aliasing are turned off:
measured, they cost 0.4–1.1 s per frame there, for little visible gain.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from rerun_viewer.errors import NoGpuAdapterError

__all__ = ["Gpu", "get_gpu", "read_texture"]


@dataclass(frozen=True)
class Gpu:
    """The device and what the adapter says about itself."""

    device: Any  # wgpu.GPUDevice
    adapter_info: dict[str, Any]

    @property
    def is_cpu(self) -> bool:
        return str(self.adapter_info.get("adapter_type", "")).upper() == "CPU"

    @property
    def description(self) -> str:
        info = self.adapter_info
        return f"{info.get('device', '?')} ({info.get('adapter_type', '?')}, {info.get('backend_type', '?')})"

    @property
    def pixel_scale(self) -> float:
        """pygfx's internal resolution factor: 2 (supersampling) on GPUs, 1 on CPUs."""
        return 1.0 if self.is_cpu else 2.0

    @property
    def ppaa(self) -> str:
        """pygfx's post-process anti-aliasing: its default on GPUs, none on CPUs."""
        return "none" if self.is_cpu else "default"


def _quiet_wayland_probe() -> None:
    """Mesa's Vulkan WSI prints an error when XDG_RUNTIME_DIR is unset (headless CI); give it one."""
    if not os.environ.get("XDG_RUNTIME_DIR"):
        os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="rerun-viewer-xdg-")


@cache
def get_gpu() -> Gpu:
    """pygfx's shared device, created on first use; :class:`NoGpuAdapterError` when there is none."""
    _quiet_wayland_probe()
    try:
        import pygfx

        shared = pygfx.renderers.wgpu.get_shared()
        return Gpu(shared.device, dict(shared.adapter.info))
    except Exception as err:  # wgpu raises plain RuntimeErrors of several kinds here
        raise NoGpuAdapterError(
            f"no wgpu adapter could be created ({err}); on a machine without a GPU, install Mesa's "
            "software Vulkan driver (Debian: apt-get install mesa-vulkan-drivers)"
        ) from err


def read_texture(device: Any, texture: Any) -> np.ndarray:
    """An ``rgba8`` texture's pixels as ``(h, w, 4)`` uint8."""
    width, height, _ = texture.size
    data = device.queue.read_texture(
        {"texture": texture, "origin": (0, 0, 0), "mip_level": 0},
        {"offset": 0, "bytes_per_row": width * 4, "rows_per_image": height},
        (width, height, 1),
    )
    return np.frombuffer(data, np.uint8).reshape(height, width, 4).copy()
