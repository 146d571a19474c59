"""Helpers shared by the spatial visualizers: splatting, default colors and radii, labels."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from rerun_viewer import _arrow
from rerun_viewer._colors import auto_color, rgba_u8
from rerun_viewer._entity_query import EntityQuery
from rerun_viewer._primitives import Label
from rerun_viewer.visualizers._annotations import annotations_for

__all__ = ["MAX_LABELS", "clamped", "colors_for", "labels_for", "radii_for", "to_3d"]

MAX_LABELS = 30  # more instances than this and labels would only clutter (the reference hides them too)


def colors_for(query: EntityQuery, cells: dict[str, pa.Array], count: int, key: str = "colors") -> np.ndarray:
    """Per-instance colors: the logged ones (splatted), else the class ids' annotated ones, else the entity's."""
    class_ids = _arrow.ints(cells.get("class_ids"))
    if cells.get(key) is None and class_ids is not None:
        keypoint_ids = _arrow.ints(cells.get("keypoint_ids"))
        keypoints = None if keypoint_ids is None else clamped(keypoint_ids, count)
        return annotations_for(query).colors(clamped(class_ids, count), keypoints)
    return rgba_u8(_arrow.ints(cells.get(key)), count, auto_color(query.entity))


def clamped(values: np.ndarray, count: int) -> np.ndarray:
    """``count`` values: the last one repeated, as Rerun does for instance components."""
    if len(values) >= count:
        return values[:count]
    return np.concatenate([values, np.repeat(values[-1:], count - len(values), axis=0)])


def radii_for(cells: dict[str, pa.Array], count: int, default: float, key: str = "radii") -> np.ndarray:
    """Per-instance radii (Rerun's sign convention: negative means UI points), splatted."""
    radii = _arrow.floats(cells.get(key))
    if radii is None:
        return np.full(count, default, dtype=np.float32)
    return clamped(radii, count).astype(np.float32)


def to_3d(points_2d: np.ndarray) -> np.ndarray:
    """``(n, 2)`` to ``(n, 3)`` with z = 0."""
    return np.concatenate([points_2d, np.zeros((len(points_2d), 1), np.float32)], axis=1)


def labels_for(
    cells: dict[str, pa.Array],
    anchors: np.ndarray,
    colors: np.ndarray,
    key: str = "labels",
    query: EntityQuery | None = None,
) -> list[Label]:
    """One label per anchor (a single label goes to the first anchor's place, as the reference does).

    Without logged labels, instances with a class id take their class's label (given the ``query``).
    """
    texts = _arrow.strings(cells.get(key))
    if texts is None and query is not None and len(anchors) <= MAX_LABELS:  # more would show none
        texts = _class_labels(query, cells, len(anchors))
    show = _arrow.ints(cells.get("show_labels"))
    if not texts or (show is not None and not show[0]) or len(anchors) > MAX_LABELS:
        return []
    if len(texts) == 1 and len(anchors) > 1:
        anchors = anchors.mean(axis=0, keepdims=True)
    return [
        Label(anchors[i], text, tuple(int(c) for c in colors[min(i, len(colors) - 1)]))  # type: ignore[arg-type]
        for i, text in enumerate(texts[: len(anchors)])
        if text
    ]


def _class_labels(query: EntityQuery, cells: dict[str, pa.Array], count: int) -> list[str] | None:
    class_ids = _arrow.ints(cells.get("class_ids"))
    if class_ids is None:
        return None
    class_ids = clamped(class_ids, count)
    keypoint_ids = _arrow.ints(cells.get("keypoint_ids"))
    annotations = annotations_for(query)
    keys = [None] * count if keypoint_ids is None else [int(k) for k in clamped(keypoint_ids, count)]
    labels = [annotations.label(int(c), k) for c, k in zip(class_ids, keys, strict=True)]
    return [label or "" for label in labels] if any(labels) else None
