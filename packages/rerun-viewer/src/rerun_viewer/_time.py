"""The time cursor: which timeline is active and where on it, and how times read on screen.

Like the reference, a recording opens on its first user timeline (``log_time``/``log_tick`` only when
there is no other), with the cursor at the end of that timeline, paused: the latest data shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from rerun_core.store import ChunkStore
from rerun_core.timeline import Timeline, TimeType
from rerun_viewer._store_tracker import tracker_for

__all__ = [
    "BUILTIN_TIMELINES",
    "TimeCursor",
    "default_cursor",
    "distinct_times",
    "format_time",
    "timeline_bounds",
]

BUILTIN_TIMELINES = ("log_time", "log_tick")
_STATIC_ONLY = np.iinfo(np.int64).max  # with no timeline, every latest-at sees everything (static data)


@dataclass(frozen=True)
class TimeCursor:
    """Where the viewer looks: ``at`` on ``timeline`` (ns or sequence numbers); no timeline means static only."""

    timeline: Timeline | None
    at: int

    @property
    def timeline_name(self) -> str:
        return "" if self.timeline is None else self.timeline.name


def distinct_times(times: np.ndarray) -> np.ndarray:
    """Sorted distinct values; ``np.unique`` hashes integers and, measured with numpy 2.4, takes ~1 s
    for a million distinct times where a (stable, radix) sort takes ~10 ms."""
    ordered = np.sort(times, kind="stable")
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def timeline_bounds(store: ChunkStore, timeline: str) -> tuple[int, int] | None:
    """Smallest and largest time of any chunk on ``timeline`` (computed once per store state)."""
    bounds = tracker_for(store).remember(
        ("bounds", timeline), store.generation, lambda: _bounds(store, timeline)
    )
    return bounds


def _bounds(store: ChunkStore, timeline: str) -> tuple[int, int] | None:
    ranges = [
        r
        for chunk in store.chunks()
        if timeline in chunk.timelines and (r := chunk.time_range(timeline)) is not None
    ]
    if not ranges:
        return None
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


def default_cursor(store: ChunkStore) -> TimeCursor:
    """The first user timeline by name (else ``log_time``, else ``log_tick``), at its end."""
    timelines = store.timelines()
    user = sorted(name for name in timelines if name not in BUILTIN_TIMELINES)
    builtin = [name for name in BUILTIN_TIMELINES if name in timelines]
    names = user or builtin
    if not names:
        return TimeCursor(None, _STATIC_ONLY)
    bounds = timeline_bounds(store, names[0])
    return TimeCursor(timelines[names[0]], _STATIC_ONLY if bounds is None else bounds[1])


def format_time(timeline: Timeline | None, value: int) -> str:
    """A time as the time panel shows it: ``#12`` for sequences, ``+1.500s`` for durations, ISO for timestamps."""
    if timeline is None:
        return "static"
    if timeline.typ == TimeType.SEQUENCE:
        return f"#{value}"
    if timeline.typ == TimeType.DURATION_NS:
        return f"{value / 1e9:+.3f}s"
    stamp = dt.datetime.fromtimestamp(value / 1e9, tz=dt.timezone.utc)
    return stamp.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + "Z"
