"""Arrows2D and Ellipses2D: outlines as segments, arrows as segments ending in heads, in the 2D plane.

Under a visible time range every row of the window shows (:mod:`._time_rows`), as in 0.41.
"""

from __future__ import annotations

import numpy as np

from rerun_viewer import _arrow
from rerun_viewer._entity_query import EntityQuery
from rerun_viewer._primitives import Primitive, Segments
from rerun_viewer._registry import ViewKind, visualizer
from rerun_viewer.visualizers._common import colors_for, labels_for, radii_for, to_3d
from rerun_viewer.visualizers._poses import splat
from rerun_viewer.visualizers._shapes import DEFAULT_ARROW_RADIUS_UI
from rerun_viewer.visualizers._time_rows import Cells, per_row

__all__ = ["ellipse_outlines"]

DEFAULT_LINE_RADIUS_UI = -1.0
ELLIPSE_SEGMENTS = 64
_FIELDS = ("radii", "colors", "labels", "show_labels", "draw_order", "class_ids")


@visualizer("Arrows2D", ViewKind.SPATIAL_2D)
@per_row("vectors", "origins", *_FIELDS)
def arrows2d(query: EntityQuery, cells: Cells) -> list[Primitive]:
    vectors = _arrow.vectors(cells.get("vectors"), 2)
    if vectors is None:
        return []
    count = len(vectors)
    origins = splat(_arrow.vectors(cells.get("origins"), 2), count, np.zeros(2, np.float32))
    colors = colors_for(query, cells, count)
    order = _arrow.floats(cells.get("draw_order"))
    shafts = query.to_view(to_3d(np.stack([origins, origins + vectors], axis=1).reshape(-1, 2)))
    labels = labels_for(cells, query.to_view(to_3d(origins + vectors)), colors, query=query)
    radii = radii_for(cells, count, DEFAULT_ARROW_RADIUS_UI)
    draw_order = 0.0 if order is None else float(order[0])
    return [Segments(query.entity, shafts, colors, radii, labels, draw_order, arrow_heads=True)]


def ellipse_outlines(centers: np.ndarray, half_sizes: np.ndarray) -> np.ndarray:
    """``(n * ELLIPSE_SEGMENTS * 2, 2)`` segment end points around each axis-aligned ellipse."""
    angles = np.linspace(0.0, 2 * np.pi, ELLIPSE_SEGMENTS + 1)
    circle = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    rings = centers[:, None] + circle[None] * half_sizes[:, None]  # (n, k + 1, 2)
    return np.stack([rings[:, :-1], rings[:, 1:]], axis=2).reshape(-1, 2)


@visualizer("Ellipses2D", ViewKind.SPATIAL_2D)
@per_row("half_sizes", "centers", "line_radii", *_FIELDS)
def ellipses2d(query: EntityQuery, cells: Cells) -> list[Primitive]:
    half_sizes = _arrow.vectors(cells.get("half_sizes"), 2)
    if half_sizes is None:
        return []
    count = len(half_sizes)
    centers = splat(_arrow.vectors(cells.get("centers"), 2), count, np.zeros(2, np.float32))
    colors = colors_for(query, cells, count)
    radii = radii_for(cells, count, DEFAULT_LINE_RADIUS_UI, key="line_radii")
    order = _arrow.floats(cells.get("draw_order"))
    labels = labels_for(cells, query.to_view(to_3d(centers)), colors, query=query)
    return [
        Segments(
            query.entity,
            query.to_view(to_3d(ellipse_outlines(centers, half_sizes))),
            np.repeat(colors, ELLIPSE_SEGMENTS, axis=0),
            np.repeat(radii, ELLIPSE_SEGMENTS),
            labels,
            0.0 if order is None else float(order[0]),
        )
    ]
