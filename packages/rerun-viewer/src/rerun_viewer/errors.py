"""Errors the viewer raises on purpose.

ViewerError                 base of them all
├── NoGpuAdapterError       no wgpu adapter could be created (no GPU, and no software Vulkan such as lavapipe)
└── RecordingLoadError      a file given to the viewer could not be read as a recording
"""

from __future__ import annotations

from rerun_core.errors import RerunError

__all__ = ["NoGpuAdapterError", "RecordingLoadError", "ViewerError"]


class ViewerError(RerunError):
    """Base of every error the viewer raises on purpose."""


class NoGpuAdapterError(ViewerError, RuntimeError):
    """wgpu found no adapter: install a GPU driver, or Mesa's lavapipe (`mesa-vulkan-drivers`)."""


class RecordingLoadError(ViewerError, OSError):
    """A path that is missing or is not an RRD stream."""
