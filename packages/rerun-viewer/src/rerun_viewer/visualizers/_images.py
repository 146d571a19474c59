"""Image, DepthImage, SegmentationImage and EncodedImage: decoded to RGBA on the CPU (the GPU only draws a texture).

Raw buffers are decoded by :mod:`._pixels`; encoded ones (PNG, JPEG, …) by Pillow. Depth goes through a
colormap over zero to the largest depth (zero included: in 2D the reference draws it too); segmentation
class ids take their AnnotationContext colors. Under a visible time range each image of the window
shows, the later ones over the earlier (:mod:`._time_rows`), as 0.41 stacks them.
"""

from __future__ import annotations

import io
import logging

import numpy as np
import pyarrow as pa
from PIL import Image as PilImage

from rerun_viewer import _arrow
from rerun_viewer._colormaps import apply_colormap
from rerun_viewer._entity_query import EntityQuery
from rerun_viewer._primitives import ImageLayer, Primitive
from rerun_viewer._registry import ViewKind, visualizer
from rerun_viewer.visualizers._annotations import annotations_for
from rerun_viewer.visualizers._pixels import decode_buffer, to_rgba
from rerun_viewer.visualizers._time_rows import Cells, per_row

__all__ = ["decode_encoded", "depth_range"]

_LOG = logging.getLogger(__name__)
_TURBO = 5
_NEAREST = 1


def _layer(query: EntityQuery, cells: dict[str, pa.Array], rgba: np.ndarray, **kwargs: object) -> ImageLayer:
    """An image layer with the archetype's opacity, draw order and magnification filter."""
    opacity = _arrow.floats(cells.get("opacity"))
    order = _arrow.floats(cells.get("draw_order"))
    filter_ = _arrow.ints(cells.get("magnification_filter"))
    return ImageLayer(
        query.entity,
        rgba,
        None if opacity is None else float(opacity[0]),
        0.0 if order is None else float(order[0]),
        filter_ is None or filter_[0] == _NEAREST,
        **kwargs,  # type: ignore[arg-type]
    )


def _decoded(cells: dict[str, pa.Array]) -> np.ndarray | None:
    formats = _arrow.structs(cells.get("format"))
    if "buffer" not in cells or not formats:
        return None
    return decode_buffer(cells["buffer"], formats[0])


@visualizer("Image", ViewKind.SPATIAL_2D)
@per_row("buffer", "format", "opacity", "draw_order", "magnification_filter")
def image(query: EntityQuery, cells: Cells) -> list[Primitive]:
    pixels = _decoded(cells)
    return [] if pixels is None else [_layer(query, cells, to_rgba(pixels))]


def depth_range(depth: np.ndarray, explicit: np.ndarray | None) -> tuple[float, float]:
    """The logged range, else from zero (or the minimum, when negative) to the largest depth."""
    if explicit is not None:
        return float(explicit[0][0]), float(explicit[0][1])
    finite = depth[np.isfinite(depth)]
    return (min(float(finite.min()), 0.0), float(finite.max())) if len(finite) else (0.0, 1.0)


@visualizer("DepthImage", ViewKind.SPATIAL_2D)
@per_row("buffer", "format", "colormap", "depth_range", "draw_order", "magnification_filter")
def depth_image(query: EntityQuery, cells: Cells) -> list[Primitive]:
    pixels = _decoded(cells)
    if pixels is None:
        return []
    depth = pixels.astype(np.float64).reshape(pixels.shape[:2])
    lo, hi = depth_range(depth, _arrow.vectors(cells.get("depth_range"), 2))
    colormap = _arrow.ints(cells.get("colormap"))
    rgba = apply_colormap(depth, lo, hi, _TURBO if colormap is None else int(colormap[0]))
    return [_layer(query, {k: v for k, v in cells.items() if k != "opacity"}, rgba)]


@visualizer("SegmentationImage", ViewKind.SPATIAL_2D)
@per_row("buffer", "format", "opacity", "draw_order")
def segmentation_image(query: EntityQuery, cells: Cells) -> list[Primitive]:
    pixels = _decoded(cells)
    if pixels is None:
        return []
    class_ids = pixels.reshape(pixels.shape[:2]).astype(np.int64)
    present, inverse = np.unique(class_ids, return_inverse=True)
    palette = annotations_for(query).colors(present)
    return [_layer(query, cells, palette[inverse.reshape(class_ids.shape)], segmentation=True)]


def decode_encoded(blob: bytes, media_type: str | None) -> np.ndarray:
    """PNG, JPEG (or any format Pillow reads) to ``(h, w, 4)`` RGBA uint8; 16-bit grays over their range."""
    try:
        decoded = PilImage.open(io.BytesIO(blob))
        decoded.load()
    except (OSError, SyntaxError) as err:
        raise ValueError(
            f"EncodedImage blob ({media_type or 'unknown media type'}) cannot be decoded: {err}"
        ) from err
    if decoded.mode in ("I;16", "I;16B", "I"):
        return to_rgba(np.asarray(decoded).astype(np.uint16 if decoded.mode != "I" else np.int32))
    return np.asarray(decoded.convert("RGBA"))


@visualizer("EncodedImage", ViewKind.SPATIAL_2D)
@per_row("blob", "media_type", "opacity", "draw_order", "magnification_filter")
def encoded_image(query: EntityQuery, cells: Cells) -> list[Primitive]:
    if "blob" not in cells:
        return []
    media = _arrow.strings(cells.get("media_type"))
    blob = cells["blob"][0].values.to_numpy(zero_copy_only=False).tobytes()
    try:
        rgba = decode_encoded(blob, media[0] if media else None)
    except ValueError as err:  # one bad image leaves its view empty rather than stopping the viewer
        _LOG.warning("%s: %s", query.entity, err)
        return []
    return [_layer(query, cells, rgba)]
