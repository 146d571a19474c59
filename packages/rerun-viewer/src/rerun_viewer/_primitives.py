"""What visualizers produce: plain data, no GPU objects, so every visualizer is testable without a GPU.

Spatial primitives carry positions in the view's frame (after the entity's transforms) and colors
as ``(n, 4)`` uint8 sRGB. Sizes are radii: positive in scene units, negative in UI points (Rerun's
convention), which view renderers turn into world- or screen-space sizes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "Document",
    "ImageLayer",
    "Label",
    "LogRow",
    "Points",
    "Primitive",
    "Segments",
    "Series",
    "Triangles",
]


@dataclass
class Label:
    """Text anchored at a position of the view's frame."""

    position: np.ndarray  # (3,) float32
    text: str
    color: tuple[int, int, int, int]


@dataclass
class Points:
    """Round points (spheres in 3D, discs in 2D)."""

    entity: str
    positions: np.ndarray  # (n, 3) float32
    colors: np.ndarray  # (n, 4) uint8
    radii: np.ndarray  # (n,) float32, Rerun sign convention
    labels: list[Label] = field(default_factory=list)
    draw_order: float = 0.0


@dataclass
class Segments:
    """Line segments: positions come in pairs (start, end); one color and radius per segment."""

    entity: str
    positions: np.ndarray  # (2n, 3) float32
    colors: np.ndarray  # (n, 4) uint8
    radii: np.ndarray  # (n,) float32
    labels: list[Label] = field(default_factory=list)
    draw_order: float = 0.0


@dataclass
class Triangles:
    """An indexed triangle mesh with per-vertex colors; normals are computed when absent."""

    entity: str
    positions: np.ndarray  # (v, 3) float32
    indices: np.ndarray  # (t, 3) uint32
    colors: np.ndarray  # (v, 4) uint8
    normals: np.ndarray | None = None  # (v, 3) float32
    labels: list[Label] = field(default_factory=list)
    shaded: bool = True


@dataclass
class ImageLayer:
    """An RGBA image placed with its top-left pixel corner at the 2D origin, one unit per pixel."""

    entity: str
    rgba: np.ndarray  # (h, w, 4) uint8
    opacity: float = 1.0
    draw_order: float = 0.0
    nearest: bool = True


@dataclass
class Series:
    """One plotted series of a time-series view: x in timeline units, y the scalars."""

    entity: str
    name: str
    times: np.ndarray  # (n,) float64
    values: np.ndarray  # (n,) float64
    color: tuple[int, int, int, int]
    width: float = 0.75
    points: bool = False  # markers (SeriesPoints) instead of a line
    marker_size: float = 1.5


@dataclass
class LogRow:
    """One text-log entry."""

    entity: str
    time: int
    level: str
    text: str
    color: tuple[int, int, int, int] | None = None
    row_id: bytes = b""  # orders rows logged at the same time, as the reference does


@dataclass
class Document:
    """A text document (markdown or plain)."""

    entity: str
    text: str
    media_type: str = "text/plain"


Primitive = Points | Segments | Triangles | ImageLayer | Series | LogRow | Document
