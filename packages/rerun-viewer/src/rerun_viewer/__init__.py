"""The Rerun viewer (pygfx + wgpu); lands with the viewer issue."""

__version__ = "0.41.0"
