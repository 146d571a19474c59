"""Points and line strips, in 3D and in 2D."""

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

__all__: list[str] = []

DEFAULT_POINT_RADIUS_UI = -1.5  # negative: UI points, as the reference's default
DEFAULT_LINE_RADIUS_UI = -0.75
_FIELDS = ("positions", "radii", "colors", "labels", "show_labels", "draw_order", "class_ids", "keypoint_ids")


def _points(query: EntityQuery, width: int) -> list[Primitive]:
    cells = query.latest(*_FIELDS)
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
    radii = np.full(len(colors), DEFAULT_LINE_RADIUS_UI, np.float32)
    return [Segments(query.entity, pairs, colors, radii, draw_order=order)]


@visualizer("Points3D", ViewKind.SPATIAL_3D)
def points3d(query: EntityQuery) -> list[Primitive]:
    """Under InstancePoses3D, the reference repeats the whole cloud once per pose."""
    return _points(query, 3)


@visualizer("Points2D", ViewKind.SPATIAL_2D)
def points2d(query: EntityQuery) -> list[Primitive]:
    return _points(query, 2)


def strips_to_segments(strips: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Consecutive vertex pairs of every strip, and for each segment the index of its strip."""
    starts, ends, owners = [], [], []
    for index, strip in enumerate(strips):
        if len(strip) >= 2:
            starts.append(strip[:-1])
            ends.append(strip[1:])
            owners.append(np.full(len(strip) - 1, index))
    if not starts:
        return np.zeros((0, 3), np.float32), np.zeros(0, np.intp)
    pairs = np.stack([np.concatenate(starts), np.concatenate(ends)], axis=1).reshape(-1, 3)
    return pairs.astype(np.float32), np.concatenate(owners)


def _line_strips(query: EntityQuery, width: int) -> list[Primitive]:
    cells = query.latest("strips", "radii", "colors", "labels", "show_labels", "draw_order", "class_ids")
    value = cells.get("strips")
    if value is None:
        return []
    strips = [np.asarray(strip, np.float32).reshape(-1, width) for strip in value.to_pylist()]
    strips = [query.to_view(s if width == 3 else to_3d(s)) for s in strips]
    positions, owners = strips_to_segments(strips)
    colors = colors_for(query, cells, len(strips))
    radii = radii_for(cells, len(strips), DEFAULT_LINE_RADIUS_UI)
    anchors = np.array([s[len(s) // 2] if len(s) else np.zeros(3) for s in strips], np.float32)
    labels = labels_for(cells, anchors, colors, query=query)
    return [Segments(query.entity, positions, colors[owners], radii[owners], labels)]


@visualizer("LineStrips3D", ViewKind.SPATIAL_3D)
def line_strips3d(query: EntityQuery) -> list[Primitive]:
    """Under InstancePoses3D, the reference draws the strips once, placed by the first pose."""
    return _line_strips(with_first_pose(query), 3)


@visualizer("LineStrips2D", ViewKind.SPATIAL_2D)
def line_strips2d(query: EntityQuery) -> list[Primitive]:
    return _line_strips(query, 2)
