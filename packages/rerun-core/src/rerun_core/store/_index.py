"""Chunk ids ordered by time range, for one (entity, timeline) or (entity, timeline, component).

The two questions asked of it are "which chunks may hold rows in [lo, hi]" (queries) and "which
chunks start right before, right after, or together with this one" (compaction). Keeping ids sorted
by start time, plus the longest interval seen so far, answers both with two bisections.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from rerun_core.store._stored import TimeRange
from rerun_core.tuid import Tuid

__all__ = ["TimeIndex"]


class TimeIndex:
    """Chunk ids by start time; ``ranges`` maps every id to its ``(min, max)`` time."""

    __slots__ = ("_ids", "_starts", "max_interval_length", "ranges")

    def __init__(self) -> None:
        self.ranges: dict[Tuid, TimeRange] = {}
        self._starts: list[int] = []  # sorted
        self._ids: list[Tuid] = []  # parallel to _starts
        # Never shrinks (as in the reference): a chunk overlapping [lo, hi] starts at or after lo - this.
        self.max_interval_length = 0

    def __len__(self) -> int:
        return len(self.ranges)

    def __bool__(self) -> bool:
        return bool(self.ranges)

    def add(self, chunk_id: Tuid, time_range: TimeRange) -> None:
        if chunk_id in self.ranges:
            return
        self.ranges[chunk_id] = time_range
        position = bisect_right(self._starts, time_range[0])
        self._starts.insert(position, time_range[0])
        self._ids.insert(position, chunk_id)
        self.max_interval_length = max(self.max_interval_length, time_range[1] - time_range[0])

    def remove(self, chunk_id: Tuid) -> None:
        time_range = self.ranges.pop(chunk_id, None)
        if time_range is None:
            return
        lo = bisect_left(self._starts, time_range[0])
        hi = bisect_right(self._starts, time_range[0])
        position = lo + self._ids[lo:hi].index(chunk_id)
        del self._starts[position]
        del self._ids[position]

    def overlapping(self, lo: int | None = None, hi: int | None = None) -> list[Tuid]:
        """Ids of chunks whose range meets ``[lo, hi]`` (open ends when ``None``), by start time."""
        first = 0 if lo is None else bisect_left(self._starts, lo - self.max_interval_length)
        last = len(self._starts) if hi is None else bisect_right(self._starts, hi)
        ids = self._ids[first:last]
        if lo is None:
            return ids
        return [chunk_id for chunk_id in ids if self.ranges[chunk_id][1] >= lo]

    def starting_at_or_before(self, time: int) -> Iterator[Tuid]:
        """Ids of chunks starting at or before ``time``, latest start first (for latest-at searches)."""
        return reversed(self._ids[: bisect_right(self._starts, time)])

    def neighbours(self, time_range: TimeRange) -> tuple[list[Tuid], list[Tuid], list[Tuid]]:
        """Chunks starting just before ``time_range``, just after it, and at the same time."""
        start, end = time_range
        before_end = bisect_left(self._starts, start)
        same_end = bisect_right(self._starts, start)
        before = self._ids_at(self._starts[before_end - 1]) if before_end > 0 else []
        after_start = bisect_right(self._starts, end)
        after = self._ids_at(self._starts[after_start]) if after_start < len(self._starts) else []
        return before, after, self._ids[before_end:same_end]

    def latest(self, count: int) -> set[Tuid]:
        """The ``count`` chunks starting last: what garbage collection protects (``protect_latest``)."""
        return set(self._ids[-count:]) if count > 0 else set()

    def _ids_at(self, start: int) -> list[Tuid]:
        return self._ids[bisect_left(self._starts, start) : bisect_right(self._starts, start)]
