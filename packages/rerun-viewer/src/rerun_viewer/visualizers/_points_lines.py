"""Points and line strips, in 3D and in 2D (a batch per row of a visible time range, else the latest)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from rerun_viewer import _arrow
from rerun_viewer._entity_query import EntityQuery
from rerun_viewer._primitives import Points, Primitive, Segments
from rerun_viewer._registry import ViewKind, visualizer
from rerun_viewer.visualizers._annotations import annotations_for, keypoint_skeleton
from rerun_viewer.visualizers._common import clamped, colors_for, labels_for, radii_for, to_3d
from rerun_viewer.visualizers._poses import posed_copies, with_first_pose
from rerun_viewer.visualizers._time_rows import per_row

__all__: list[str] = []

DEFAULT_POINT_RADIUS_UI = -1.5  # negative: UI points, as the reference's default
DEFAULT_LINE_RADIUS_UI = -1.5  # 0.41 draws strips without radii 3 UI points wide
DEFAULT_SKELETON_RADIUS_UI = (
    -1.0
)  # and keypoint connections 2 points wide (tests/test_viewer_line_thickness.py)
_FIELDS = ("positions", "radii", "colors", "labels", "show_labels", "draw_order", "class_ids", "keypoint_ids")


def _points(query: EntityQuery, cells: dict[str, pa.Array], width: int) -> list[Primitive]:
    positions = _arrow.vectors(cells.get("positions"), width)
    if positions is None:
        return []
    count = len(positions)
    if width == 3:
        positions, copies = posed_copies(query, positions)
    else:
        positions, copies = query.to_view(to_3d(positions)), 1
    colors = np.tile(colors_for(query, cells, count), (copies, 1))
    radii = np.tile(radii_for(cells, count, DEFAULT_POINT_RADIUS_UI), copies)
    labels = labels_for(cells, positions[:count], colors, query=query)
    order = 0.0 if (draw_order := _arrow.floats(cells.get("draw_order"))) is None else float(draw_order[0])
    return [
        Points(query.entity, positions, colors, radii, labels, order),
        *_skeleton(query, cells, positions[:count], order),
    ]


def _skeleton(
    query: EntityQuery, cells: dict[str, pa.Array], positions: np.ndarray, order: float
) -> list[Primitive]:
    """Lines between connected keypoints, as the AnnotationContext describes them."""
    class_ids, keypoint_ids = _arrow.ints(cells.get("class_ids")), _arrow.ints(cells.get("keypoint_ids"))
    if class_ids is None or keypoint_ids is None:
        return []
    count = len(positions)
    pairs, colors = keypoint_skeleton(
        annotations_for(query), positions, clamped(class_ids, count), keypoint_ids[:count]
    )
    if not len(colors):
        return []
    radii = np.full(len(colors), DEFAULT_SKELETON_RADIUS_UI, np.float32)
    return [Segments(query.entity, pairs, colors, radii, draw_order=order)]


@visualizer("Points3D", ViewKind.SPATIAL_3D)
@per_row(*_FIELDS)
def points3d(query: EntityQuery, cells: dict[str, pa.Array]) -> list[Primitive]:
    """Under InstancePoses3D, the reference repeats the whole cloud once per pose."""
    return _points(query, cells, 3)


@visualizer("Points2D", ViewKind.SPATIAL_2D)
@per_row(*_FIELDS)
def points2d(query: EntityQuery, cells: dict[str, pa.Array]) -> list[Primitive]:
    return _points(query, cells, 2)


def strips_to_segments(vertices: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Consecutive vertex pairs within each strip (``lengths`` vertices each, one after another), and for
    each segment the index of its strip: in numpy, as thousands of strips are common."""
    owners = np.repeat(np.arange(len(lengths)), lengths)
    starts = np.flatnonzero(owners[:-1] == owners[1:])  # vertices followed by one of the same strip
    pairs = np.empty((len(starts), 2, 3), np.float32)
    pairs[:, 0], pairs[:, 1] = vertices[starts], vertices[starts + 1]
    return pairs.reshape(-1, 3), owners[starts]


_STRIP_FIELDS = ("strips", "radii", "colors", "labels", "show_labels", "draw_order", "class_ids")


def _line_strips(query: EntityQuery, cells: dict[str, pa.Array], width: int) -> list[Primitive]:
    value = cells.get("strips")
    if value is None:
        return []
    offsets = value.offsets.to_numpy()  # of this cell's slice of the column
    lengths = np.diff(offsets)
    vertices = _arrow.vectors(value.values.slice(offsets[0], offsets[-1] - offsets[0]), width)
    vertices = np.zeros((0, width), np.float32) if vertices is None else vertices
    vertices = query.to_view(vertices if width == 3 else to_3d(vertices))
    positions, owners = strips_to_segments(vertices, lengths)
    colors = colors_for(query, cells, len(lengths))
    radii = radii_for(cells, len(lengths), DEFAULT_LINE_RADIUS_UI)
    anchors = np.zeros((len(lengths), 3), np.float32)  # each strip's middle vertex
    anchors[lengths > 0] = vertices[(np.cumsum(lengths) - lengths + lengths // 2)[lengths > 0]]
    labels = labels_for(cells, anchors, colors, query=query)
    return [Segments(query.entity, positions, colors[owners], radii[owners], labels)]


@visualizer("LineStrips3D", ViewKind.SPATIAL_3D)
@per_row(*_STRIP_FIELDS)
def line_strips3d(query: EntityQuery, cells: dict[str, pa.Array]) -> list[Primitive]:
    """Under InstancePoses3D, the reference draws the strips once, placed by the first pose."""
    return _line_strips(with_first_pose(query), cells, 3)


@visualizer("LineStrips2D", ViewKind.SPATIAL_2D)
@per_row(*_STRIP_FIELDS)
def line_strips2d(query: EntityQuery, cells: dict[str, pa.Array]) -> list[Primitive]:
    return _line_strips(query, cells, 2)
