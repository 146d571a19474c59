"""What visualizers produce: plain data, no GPU objects, so every visualizer is testable without a GPU.

Spatial primitives carry positions in the view's frame (after the entity's transforms) and colors
as ``(n, 4)`` uint8 sRGB. Sizes are radii: positive in scene units, negative in UI points (Rerun's
convention), which view renderers turn into world- or screen-space sizes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rerun_core.timeline import Timeline

__all__ = [
    "Bars",
    "Document",
    "ImageLayer",
    "Label",
    "LogRow",
    "Points",
    "Primitive",
    "Segments",
    "Series",
    "TensorSlice",
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
    framed: np.ndarray | None = None  # (k, 3): what the default eye frames of it, where not its positions


@dataclass
class Segments:
    """Line segments: positions come in pairs (start, end); one color and radius per segment."""

    entity: str
    positions: np.ndarray  # (2n, 3) float32
    colors: np.ndarray  # (n, 4) uint8
    radii: np.ndarray  # (n,) float32
    labels: list[Label] = field(default_factory=list)
    draw_order: float = 0.0
    framed: np.ndarray | None = None  # (k, 3): what the default eye frames of it, where not its positions
    arrow_heads: bool = False  # each segment ends in a head 4 radii long and wide (views/_arrow_heads)


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
    texcoords: np.ndarray | None = None  # (v, 2) float32, (0, 0) the texture's top-left corner
    texture: np.ndarray | None = None  # (h, w, 4) uint8 sRGB, multiplied with the vertex colors
    texture_nearest: bool = False  # magnify texels as squares (images) rather than blending them
    framed: np.ndarray | None = None  # (k, 3): what the default eye frames of it, where not its positions


@dataclass
class ImageLayer:
    """An RGBA image placed with its top-left pixel corner at the 2D origin, one unit per pixel."""

    entity: str
    rgba: np.ndarray  # (h, w, 4) uint8
    opacity: float | None = None  # None: the reference's default, see shown_opacity
    draw_order: float = 0.0
    nearest: bool = True
    segmentation: bool = False  # class-colored (SegmentationImage)

    def shown_opacity(self, layers: list[ImageLayer]) -> float:
        """The logged opacity, else as the reference: segmentation over other images at 0.5, the rest opaque."""
        if self.opacity is not None:
            return self.opacity
        over_images = self.segmentation and any(not other.segmentation for other in layers)
        return 0.5 if over_images else 1.0


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
    times: dict[str, tuple[Timeline, int]] = field(default_factory=dict)  # its time on each timeline it has


@dataclass
class Document:
    """A text document (markdown or plain)."""

    entity: str
    text: str
    media_type: str = "text/plain"


@dataclass
class Bars:
    """A bar chart: one bar per value, ``widths`` wide from each abscissa."""

    entity: str
    abscissa: np.ndarray  # (n,) float64
    values: np.ndarray  # (n,) float64
    widths: np.ndarray  # (n,) float64
    color: tuple[int, int, int, int]


@dataclass
class TensorSlice:
    """An N-D tensor shown as a 2D slice: ``height_dim`` × ``width_dim``, the other dimensions at ``indices``."""

    entity: str
    data: np.ndarray  # N-D, any numeric dtype
    names: tuple[str, ...]  # "" where unnamed
    value_range: tuple[float, float]  # shown from the colormap's first to its last color
    height_dim: int
    width_dim: int
    indices: dict[int, int]  # the default index of every sliced-away dimension


Primitive = Points | Segments | Triangles | ImageLayer | Series | LogRow | Document | Bars | TensorSlice
