"""Time ranges for views (``VisibleTimeRange``), whose ends are cursor-relative, absolute or open.

These are plain values: each knows its Arrow form (``as_arrow_value``), a dense-union member per
boundary, which the generic struct converter turns into the 0.41 layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["TimeRange", "TimeRangeBoundary", "VisibleTimeRange"]

BoundaryKind = Literal["cursor_relative", "absolute", "infinite"]

_UNION_MEMBER: dict[str, str] = {
    "cursor_relative": "CursorRelative",
    "absolute": "Absolute",
    "infinite": "Infinite",
}


def _time_int(value: Any, *, seq: int | None, seconds: float | None, nanos: int | None) -> int | None:
    """One time value, from exactly one of a plain value, ``seq``, ``seconds`` or ``nanos``."""
    given = [x for x in (value, seq, seconds, nanos) if x is not None]
    if len(given) > 1:
        raise ValueError("Only one of time, seq, seconds, or nanos can be provided.")
    if value is not None:
        return int(getattr(value, "value", value))
    if seconds is not None:
        return int(seconds * 1e9)
    if seq is not None or nanos is not None:
        return int(seq if seq is not None else nanos)  # type: ignore[arg-type]
    return None


@dataclass(frozen=True)
class TimeRangeBoundary:
    """One end of a time range: an offset from the time cursor, an absolute time, or unbounded."""

    inner: int | None
    kind: BoundaryKind = "cursor_relative"

    @staticmethod
    def cursor_relative(
        offset: Any = None, *, seq: int | None = None, seconds: float | None = None, nanos: int | None = None
    ) -> TimeRangeBoundary:
        """Relative to the time cursor (default: at the cursor); ``seconds`` are for temporal timelines."""
        value = _time_int(offset, seq=seq, seconds=seconds, nanos=nanos)
        return TimeRangeBoundary(0 if value is None else value, "cursor_relative")

    @staticmethod
    def absolute(
        time: Any = None, *, seq: int | None = None, seconds: float | None = None, nanos: int | None = None
    ) -> TimeRangeBoundary:
        """A fixed point on the timeline."""
        value = _time_int(time, seq=seq, seconds=seconds, nanos=nanos)
        if value is None:
            raise ValueError("Exactly one of time, seq, seconds, or nanos must be provided.")
        return TimeRangeBoundary(value, "absolute")

    @staticmethod
    def infinite() -> TimeRangeBoundary:
        """No bound: the range extends to the start (or end) of the timeline."""
        return TimeRangeBoundary(None, "infinite")

    def as_arrow_value(self) -> dict[str, int | None]:
        member = _UNION_MEMBER[self.kind]
        return {member: None if self.kind == "infinite" else self.inner}


@dataclass(frozen=True)
class TimeRange:
    """A range on one timeline, from ``start`` to ``end``."""

    start: TimeRangeBoundary
    end: TimeRangeBoundary

    def as_arrow_value(self) -> dict[str, Any]:
        return {"start": _arrow_form(self.start), "end": _arrow_form(self.end)}


def _arrow_form(boundary: Any) -> Any:
    return boundary.as_arrow_value() if hasattr(boundary, "as_arrow_value") else boundary


class VisibleTimeRange:
    """Which time range of ``timeline`` a view shows: ``range=TimeRange(...)`` or ``start=`` and ``end=``."""

    def __init__(
        self,
        timeline: str,
        range: TimeRange | None = None,
        *,
        start: TimeRangeBoundary | None = None,
        end: TimeRangeBoundary | None = None,
    ) -> None:
        if range is None:
            if start is None or end is None:
                raise ValueError("Specify either start_and_end or both start & end")
            range = TimeRange(start, end)
        elif start is not None or end is not None:
            raise ValueError("Specify either start_and_end or both start & end, not both")
        self.timeline = str(timeline)
        self.range = range

    def as_arrow_value(self) -> dict[str, Any]:
        return {"timeline": self.timeline, "range": _arrow_form(self.range)}

    def __repr__(self) -> str:
        return f"VisibleTimeRange({self.timeline!r}, {self.range!r})"
