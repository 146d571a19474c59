"""Blueprint ``Background(color_or_kind, *, color=, kind=)``: a color implies a solid background."""

from __future__ import annotations

from typing import Any


def init(self: Any, color_or_kind: Any = None, *, color: Any = None, kind: Any = None) -> None:
    if color_or_kind is not None:
        if isinstance(color_or_kind, str) or hasattr(color_or_kind, "name"):
            kind = color_or_kind
        else:
            color = color_or_kind
    if color is not None and kind is None:
        kind = "SolidColor"
    self._set(kind=kind, color=color)
