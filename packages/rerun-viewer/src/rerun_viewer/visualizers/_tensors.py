"""BarChart and Tensor: ``TensorData`` cells to bars, or to a colormapped 2D slice.

As the reference: a bar chart draws value ``i`` from ``abscissa[i]`` (default ``i``), one unit wide;
a tensor shows its last two dimensions longer than one (height, then width) — or those named like
height and width — with every other dimension at its middle index, over the same value range as
images (:func:`~._pixels.display_range`); the view colors it (``views/_tensor``).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from rerun_viewer import _arrow
from rerun_viewer._colors import auto_color, unpack_colors
from rerun_viewer._entity_query import EntityQuery
from rerun_viewer._primitives import Bars, Primitive, TensorSlice
from rerun_viewer._registry import ViewKind, visualizer
from rerun_viewer.visualizers._common import clamped
from rerun_viewer.visualizers._pixels import display_range

__all__ = ["slice_dimensions", "tensor_array"]

_HEIGHT_NAMES = ("height", "h", "y", "rows")
_WIDTH_NAMES = ("width", "w", "x", "cols", "columns")


def tensor_array(cell: pa.Array) -> tuple[np.ndarray, tuple[str, ...]]:
    """The first TensorData of a cell as an N-D array, and its dimension names ("" where unnamed)."""
    tensor = cell[0]
    shape = tuple(int(size) for size in tensor["shape"].as_py())
    values = tensor["buffer"].value.values.to_numpy(zero_copy_only=False)
    if int(np.prod(shape)) != len(values):
        raise ValueError(f"TensorData shape {shape} does not match its buffer of {len(values)} values")
    names = tensor["names"].as_py() or [""] * len(shape)
    return values.reshape(shape), tuple(name or "" for name in names)


def slice_dimensions(shape: tuple[int, ...], names: tuple[str, ...]) -> tuple[int, int]:
    """(height, width) dimensions: named ones, else the last two longer than one."""
    lowered = [name.lower() for name in names]
    height = next((i for i, name in enumerate(lowered) if name in _HEIGHT_NAMES), None)
    width = next((i for i, name in enumerate(lowered) if name in _WIDTH_NAMES), None)
    if height is not None and width is not None and height != width:
        return height, width
    long = [i for i, size in enumerate(shape) if size > 1] or [len(shape) - 1]
    return (long[-2], long[-1]) if len(long) >= 2 else (long[0], long[0])


@visualizer("Tensor", ViewKind.TENSOR)
def tensor(query: EntityQuery) -> list[Primitive]:
    cells = query.latest("data", "value_range")
    if "data" not in cells:
        return []
    data, names = tensor_array(cells["data"])
    height_dim, width_dim = slice_dimensions(data.shape, names)
    indices = {dim: size // 2 for dim, size in enumerate(data.shape) if dim not in (height_dim, width_dim)}
    explicit = _arrow.vectors(cells.get("value_range"), 2)
    lo, hi = display_range(data) if explicit is None else (float(explicit[0][0]), float(explicit[0][1]))
    return [TensorSlice(query.entity, data, names, (lo, hi), height_dim, width_dim, indices)]


@visualizer("BarChart", ViewKind.BAR_CHART)
def bar_chart(query: EntityQuery) -> list[Primitive]:
    cells = query.latest("values", "color", "abscissa", "widths")
    if "values" not in cells:
        return []
    values = tensor_array(cells["values"])[0].astype(np.float64).ravel()
    abscissa = (
        tensor_array(cells["abscissa"])[0].astype(np.float64).ravel()
        if "abscissa" in cells
        else np.arange(len(values), dtype=np.float64)
    )
    widths = _arrow.floats(cells.get("widths"))
    packed = _arrow.ints(cells.get("color"))
    color = auto_color(query.entity) if packed is None else tuple(int(c) for c in unpack_colors(packed)[0])
    width = np.full(len(values), 1.0) if widths is None else clamped(widths, len(values))
    return [Bars(query.entity, abscissa[: len(values)], values, width, color)]  # type: ignore[arg-type]
