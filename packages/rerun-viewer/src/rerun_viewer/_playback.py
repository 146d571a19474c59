"""Playback: how the time cursor moves when playing, stepping, or looping.

Sequence timelines play ``fps`` steps per second, time-based ones in real time; both scaled by the
speed. Without looping, playback stops at the end; with it, it starts over at the beginning.
"""

from __future__ import annotations

import math

import numpy as np

from rerun_core.store import ChunkStore
from rerun_core.timeline import TimeType
from rerun_viewer._state import LoopMode, Playback
from rerun_viewer._time import TimeCursor, distinct_times, timeline_bounds

__all__ = ["advance", "on_timeline", "start", "step", "toggle"]

Bounds = tuple[int, int]


def _units_per_second(cursor: TimeCursor, playback: Playback) -> float:
    sequence = cursor.timeline is not None and cursor.timeline.typ == TimeType.SEQUENCE
    return (playback.fps if sequence else 1e9) * playback.speed


def on_timeline(store: ChunkStore, name: str) -> TimeCursor:
    """The cursor at the end of timeline ``name``, where switching to it lands."""
    timelines = store.timelines()
    if name not in timelines:
        raise ValueError(f"no timeline {name!r}; known: {sorted(timelines)}")
    bounds = timeline_bounds(store, name)
    return TimeCursor(timelines[name], 0 if bounds is None else bounds[1])


def start(cursor: TimeCursor, bounds: Bounds | None, playback: Playback) -> TimeCursor:
    """Play; from the beginning when the cursor is already at (or past) the end."""
    playback.playing, playback.carry = True, 0.0
    if cursor.timeline is None or bounds is None or cursor.at < bounds[1]:
        return cursor
    return TimeCursor(cursor.timeline, bounds[0])


def toggle(cursor: TimeCursor, bounds: Bounds | None, playback: Playback) -> TimeCursor:
    """Pause when playing, else :func:`start`."""
    if playback.playing:
        playback.playing = False
        return cursor
    return start(cursor, bounds, playback)


def advance(cursor: TimeCursor, bounds: Bounds | None, playback: Playback, dt_seconds: float) -> TimeCursor:
    """The cursor ``dt_seconds`` of playback later (unchanged while paused)."""
    if not dt_seconds >= 0:
        raise ValueError(f"dt_seconds must be zero or more, got {dt_seconds}")
    if not playback.playing or cursor.timeline is None or bounds is None:
        return cursor
    lo, hi = bounds
    exact = max(cursor.at, lo) + playback.carry + dt_seconds * _units_per_second(cursor, playback)
    at = math.floor(exact)
    playback.carry = exact - at
    if at > hi:
        if playback.loop == LoopMode.ALL and hi > lo:
            at = lo + (at - hi - 1) % (hi - lo + 1)
        else:
            at, playback.carry, playback.playing = hi, 0.0, False
    return TimeCursor(cursor.timeline, at)


def step(cursor: TimeCursor, data_times: np.ndarray, playback: Playback, *, forward: bool) -> TimeCursor:
    """To the next (or previous) time holding data; past either end only when looping."""
    if cursor.timeline is None or not len(data_times):
        return cursor
    times = distinct_times(data_times)
    if forward:
        later = times[times > cursor.at]
        wrapped = times[0] if playback.loop == LoopMode.ALL else cursor.at
        at = later[0] if len(later) else wrapped
    else:
        earlier = times[times < cursor.at]
        wrapped = times[-1] if playback.loop == LoopMode.ALL else cursor.at
        at = earlier[-1] if len(earlier) else wrapped
    playback.carry = 0.0
    return TimeCursor(cursor.timeline, int(at))
