"""Times and time ranges: ``TimeInt(seq= | seconds= | nanos=)``, range boundaries, visible ranges."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rerun._generated.encodings import TimeInt, TimeRangeBoundary

__all__ = ["TimeIntExt", "TimeRangeBoundaryExt", "VisibleTimeRangeExt"]

_UNION_MEMBERS = {"cursor_relative": "CursorRelative", "absolute": "Absolute", "infinite": "Infinite"}


class TimeIntExt:
    """Extension of ``TimeInt``: a sequence number, or a time in seconds or nanoseconds."""

    def __init__(
        self: Any, *, seq: int | None = None, seconds: float | None = None, nanos: int | None = None
    ) -> None:
        if sum(x is not None for x in (seq, seconds, nanos)) != 1:
            raise ValueError("Exactly one of 'seq', 'seconds', or 'nanos' must be provided.")
        if seconds is not None:
            self._set_fields(value=int(seconds * 1e9))
        else:
            self._set_fields(value=seq if seq is not None else nanos)

    @classmethod
    def _coerce(cls, value: Any) -> Any:
        """Plain numbers are sequence numbers (or nanoseconds, on temporal timelines)."""
        return value if isinstance(value, cls) else cls(seq=int(value))


def _time(value: Any, *, seq: int | None, seconds: float | None, nanos: int | None) -> TimeInt | None:
    """One time from at most one of a ``TimeInt``, ``seq``, ``seconds`` and ``nanos``."""
    from rerun._generated.encodings import TimeInt

    given = [x for x in (seq, seconds, nanos) if x is not None]
    if len(given) > 1 or (given and value is not None):
        raise ValueError("Only one of time, seq, seconds, or nanos can be provided.")
    if value is not None:
        return TimeInt._coerce(value)
    return TimeInt(seq=seq, seconds=seconds, nanos=nanos) if given else None


class TimeRangeBoundaryExt:
    """Extension of ``TimeRangeBoundary``: an offset from the time cursor, an absolute time, or unbounded."""

    @staticmethod
    def cursor_relative(
        offset: Any = None, *, seq: int | None = None, seconds: float | None = None, nanos: int | None = None
    ) -> TimeRangeBoundary:
        """Relative to the time cursor (default: at the cursor)."""
        from rerun._generated.encodings import TimeInt, TimeRangeBoundary

        inner = _time(offset, seq=seq, seconds=seconds, nanos=nanos)
        return TimeRangeBoundary(inner=inner or TimeInt(seq=0), kind="cursor_relative")

    @staticmethod
    def absolute(
        time: Any = None, *, seq: int | None = None, seconds: float | None = None, nanos: int | None = None
    ) -> TimeRangeBoundary:
        """A fixed point on the timeline."""
        from rerun._generated.encodings import TimeRangeBoundary

        if sum(x is not None for x in (time, seq, seconds, nanos)) != 1:
            raise ValueError("Exactly one of 'time', 'seq', 'seconds', or 'nanos' must be provided.")
        return TimeRangeBoundary(inner=_time(time, seq=seq, seconds=seconds, nanos=nanos), kind="absolute")

    @staticmethod
    def infinite() -> TimeRangeBoundary:
        """No bound: the range extends to the start (or end) of the timeline."""
        from rerun._generated.encodings import TimeRangeBoundary

        return TimeRangeBoundary(inner=None, kind="infinite")

    def as_arrow_value(self: Any) -> dict[str, int | None]:
        """The union member: ``{"CursorRelative": ns}``, ``{"Absolute": ns}`` or ``{"Infinite": None}``."""
        if self.kind not in _UNION_MEMBERS:
            raise ValueError(f"unknown time range boundary kind {self.kind!r}")
        value = None if self.kind == "infinite" or self.inner is None else int(self.inner.value)
        return {_UNION_MEMBERS[self.kind]: value}


class VisibleTimeRangeExt:
    """Extension of ``VisibleTimeRange``: ``range=TimeRange(...)``, or ``start=`` and ``end=``."""

    def __init__(self: Any, timeline: Any, range: Any = None, *, start: Any = None, end: Any = None) -> None:
        from rerun._generated.encodings import TimeRange

        if range is None:
            if start is None or end is None:
                raise ValueError("Specify either start_and_end or both start & end")
            range = TimeRange(start=start, end=end)
        elif start is not None or end is not None:
            raise ValueError("Specify either start_and_end or both start & end, not both")
        self._set_fields(timeline=timeline, range=range)
