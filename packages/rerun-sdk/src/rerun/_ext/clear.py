"""``Clear(recursive=...)`` stores ``is_recursive``."""

from __future__ import annotations

from typing import Any


def init(self: Any, *, recursive: bool) -> None:
    self._set(is_recursive=recursive)
