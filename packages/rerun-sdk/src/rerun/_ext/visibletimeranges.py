"""Blueprint ``VisibleTimeRanges(ranges | timeline=, range= | start=, end=)``."""

from __future__ import annotations

from typing import Any


def init(self: Any, ranges: Any = None, *, timeline: Any = None, range: Any = None, start: Any = None,
         end: Any = None) -> None:  # fmt: skip
    if ranges is None and timeline is not None:
        if range is None:
            range = {"start": start, "end": end}
        ranges = [{"timeline": str(timeline), "range": range}]
    self._set(ranges=ranges)
