"""AnnotationContext: class ids (and keypoint ids) to colors, labels and keypoint skeletons.

An entity uses the context logged on itself or its nearest ancestor. A class without a color gets the
class id's automatic color (golden-ratio hues, class 0 included), as the reference shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rerun_core.entity_path import EntityPath
from rerun_core.query import latest_at
from rerun_viewer._colors import hsv_color, unpack_colors
from rerun_viewer._entity_query import EntityQuery

__all__ = ["Annotations", "ClassInfo", "annotations_for", "class_color", "keypoint_skeleton"]

_COMPONENT = "AnnotationContext:context"
_GOLDEN_RATIO = (5**0.5 - 1) / 2


def class_color(class_id: int) -> tuple[int, int, int, int]:
    """The automatic color of a class id without an annotated color."""
    return hsv_color((class_id * _GOLDEN_RATIO) % 1.0)


@dataclass(frozen=True)
class ClassInfo:
    """One annotated id: a class, or a keypoint of a class."""

    label: str | None = None
    color: tuple[int, int, int, int] | None = None


def _info(info: dict[str, object] | None) -> ClassInfo:
    if not info:
        return ClassInfo()
    packed = info.get("color")
    color = None if packed is None else tuple(int(c) for c in unpack_colors(np.array([packed]))[0])
    return ClassInfo(info.get("label"), color)  # type: ignore[arg-type]


@dataclass
class Annotations:
    """The classes of one AnnotationContext (empty when none applies)."""

    classes: dict[int, ClassInfo] = field(default_factory=dict)
    keypoints: dict[int, dict[int, ClassInfo]] = field(default_factory=dict)
    connections: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def color(self, class_id: int, keypoint_id: int | None = None) -> tuple[int, int, int, int]:
        """A keypoint's color, else its class's, else the class id's automatic color."""
        keypoint = self.keypoints.get(class_id, {}).get(keypoint_id) if keypoint_id is not None else None
        if keypoint is not None and keypoint.color is not None:
            return keypoint.color
        return self.classes.get(class_id, ClassInfo()).color or class_color(class_id)

    def label(self, class_id: int, keypoint_id: int | None = None) -> str | None:
        keypoint = self.keypoints.get(class_id, {}).get(keypoint_id) if keypoint_id is not None else None
        if keypoint is not None and keypoint.label:
            return keypoint.label
        return self.classes.get(class_id, ClassInfo()).label

    def colors(self, class_ids: np.ndarray, keypoint_ids: np.ndarray | None = None) -> np.ndarray:
        """``(n, 4)`` uint8 colors for ``n`` class ids (and keypoint ids, when given), looked up once per pair."""
        keypoints = (
            np.zeros(len(class_ids), np.int64) if keypoint_ids is None else np.asarray(keypoint_ids) + 1
        )
        keys, inverse = np.unique((np.asarray(class_ids, np.int64) << 20) | keypoints, return_inverse=True)
        palette = [
            self.color(int(key >> 20), int(key & 0xFFFFF) - 1 if key & 0xFFFFF else None) for key in keys
        ]
        return np.array(palette, np.uint8).reshape(-1, 4)[inverse.reshape(-1)]


def _parse(entries: list[dict[str, object]]) -> Annotations:
    annotations = Annotations()
    for entry in entries:
        class_id = int(entry["class_id"])  # type: ignore[call-overload]
        description: dict[str, object] = entry.get("class_description") or {}  # type: ignore[assignment]
        annotations.classes[class_id] = _info(description.get("info"))  # type: ignore[arg-type]
        keypoints = description.get("keypoint_annotations") or []
        annotations.keypoints[class_id] = {int(k["id"]): _info(k) for k in keypoints}  # type: ignore[attr-defined]
        connections = description.get("keypoint_connections") or []
        annotations.connections[class_id] = [(int(c["keypoint0"]), int(c["keypoint1"])) for c in connections]  # type: ignore[attr-defined]
    return annotations


def annotations_for(query: EntityQuery) -> Annotations:
    """The AnnotationContext of the entity or its nearest ancestor, at the time cursor."""
    path = EntityPath.parse(query.entity)
    for depth in range(len(path.parts), -1, -1):
        entity = str(EntityPath(path.parts[:depth]))
        cells = latest_at(query.store, entity, query.cursor.timeline_name, query.cursor.at, [_COMPONENT])
        if _COMPONENT in cells and len(cells[_COMPONENT].value):
            return _parse(cells[_COMPONENT].value[0].as_py() or [])
    return Annotations()


def keypoint_skeleton(
    annotations: Annotations, positions: np.ndarray, class_ids: np.ndarray, keypoint_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Segments (``(2n, 3)`` positions, ``(n, 4)`` colors) joining the connected keypoints of each class."""
    starts, ends, colors = [], [], []
    for class_id, connections in annotations.connections.items():
        where = {int(k): i for i, k in enumerate(keypoint_ids) if class_ids[i] == class_id}
        for first, second in connections:
            if first in where and second in where:
                starts.append(positions[where[first]])
                ends.append(positions[where[second]])
                colors.append(annotations.color(class_id))
    if not starts:
        return np.zeros((0, 3), np.float32), np.zeros((0, 4), np.uint8)
    pairs = np.stack([np.array(starts), np.array(ends)], axis=1).reshape(-1, 3)
    return pairs.astype(np.float32), np.array(colors, np.uint8)
