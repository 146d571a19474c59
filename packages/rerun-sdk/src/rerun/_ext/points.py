"""``Points2D``/``Points3D``: keypoint ids without class ids imply class id 0, as in 0.41."""

from __future__ import annotations

from typing import Any


def init(self: Any, *, keypoint_ids: Any = None, class_ids: Any = None, **fields: Any) -> None:
    if keypoint_ids is not None and class_ids is None:
        class_ids = 0
    self._set(keypoint_ids=keypoint_ids, class_ids=class_ids, **fields)
