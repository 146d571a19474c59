"""Helpers shared by the spatial visualizers: splatting, default colors and radii, labels."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from rerun_viewer import _arrow
from rerun_viewer._colors import auto_color, rgba_u8
from rerun_viewer._entity_query import EntityQuery
from rerun_viewer._primitives import Label

__all__ = ["MAX_LABELS", "colors_for", "labels_for", "radii_for", "to_3d"]

MAX_LABELS = 30  # more instances than this and labels would only clutter (the reference hides them too)


def colors_for(query: EntityQuery, cells: dict[str, pa.Array], count: int, key: str = "colors") -> np.ndarray:
    """Per-instance colors: the logged ones (splatted), else the entity's automatic color."""
    return rgba_u8(_arrow.ints(cells.get(key)), count, auto_color(query.entity))


def radii_for(cells: dict[str, pa.Array], count: int, default: float, key: str = "radii") -> np.ndarray:
    """Per-instance radii (Rerun's sign convention: negative means UI points), splatted."""
    radii = _arrow.floats(cells.get(key))
    if radii is None:
        return np.full(count, default, dtype=np.float32)
    if len(radii) >= count:
        return radii[:count].astype(np.float32)
    return np.concatenate([radii, np.repeat(radii[-1:], count - len(radii))]).astype(np.float32)


def to_3d(points_2d: np.ndarray) -> np.ndarray:
    """``(n, 2)`` to ``(n, 3)`` with z = 0."""
    return np.concatenate([points_2d, np.zeros((len(points_2d), 1), np.float32)], axis=1)


def labels_for(
    cells: dict[str, pa.Array], anchors: np.ndarray, colors: np.ndarray, key: str = "labels"
) -> list[Label]:
    """One label per anchor (a single label goes to the first anchor's place, as the reference does)."""
    texts = _arrow.strings(cells.get(key))
    show = _arrow.ints(cells.get("show_labels"))
    if not texts or (show is not None and not show[0]) or len(anchors) > MAX_LABELS:
        return []
    if len(texts) == 1 and len(anchors) > 1:
        anchors = anchors.mean(axis=0, keepdims=True)
    return [
        Label(anchors[i], text, tuple(int(c) for c in colors[min(i, len(colors) - 1)]))  # type: ignore[arg-type]
        for i, text in enumerate(texts[: len(anchors)])
    ]
