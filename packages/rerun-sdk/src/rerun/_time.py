"""Time values as users give them (ints, floats in seconds, datetimes, numpy, Arrow) -> int64 nanoseconds."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from rerun_core import Timeline, TimeType

__all__ = ["duration_to_ns", "time_value", "timestamp_to_ns"]

_NS_PER_SEC = 1_000_000_000


def duration_to_ns(value: Any) -> int:
    """Numbers are seconds; ``timedelta``/``np.timedelta64`` keep their own unit."""
    if isinstance(value, np.timedelta64):
        return int(value.astype("timedelta64[ns]").astype(np.int64))
    if isinstance(value, timedelta):
        return (value.days * 86_400 + value.seconds) * _NS_PER_SEC + value.microseconds * 1_000
    if isinstance(value, pa.DurationScalar):
        return int(value.cast(pa.duration("ns")).value)
    if isinstance(value, int | np.integer):
        return int(value) * _NS_PER_SEC
    return round(float(value) * _NS_PER_SEC)


def timestamp_to_ns(value: Any) -> int:
    """Numbers are seconds since the Unix epoch; datetimes go through ``datetime.timestamp()``."""
    if isinstance(value, np.datetime64):
        return int(value.astype("datetime64[ns]").astype(np.int64))
    if isinstance(value, datetime):
        return round(value.timestamp() * _NS_PER_SEC)  # via float seconds, exactly as 0.41 does
    if isinstance(value, pa.TimestampScalar):
        return int(value.cast(pa.timestamp("ns")).value)
    if isinstance(value, int | np.integer):
        return int(value) * _NS_PER_SEC
    return round(float(value) * _NS_PER_SEC)


def time_value(
    timeline: str, *, sequence: Any = None, duration: Any = None, timestamp: Any = None
) -> tuple[Timeline, int]:
    """Exactly one of the three must be given; names the mistake otherwise."""
    if (sequence is None) + (duration is None) + (timestamp is None) != 2:
        raise ValueError(
            f"set_time: Exactly one of `sequence`, `duration`, and `timestamp` must be set (timeline='{timeline}')"
        )
    if sequence is not None:
        return _timeline(timeline, TimeType.SEQUENCE), int(sequence)
    if duration is not None:
        return _timeline(timeline, TimeType.DURATION_NS), duration_to_ns(duration)
    return _timeline(timeline, TimeType.TIMESTAMP_NS), timestamp_to_ns(timestamp)


@functools.lru_cache(maxsize=1024)
def _timeline(name: str, typ: TimeType) -> Timeline:
    return Timeline(name, typ)
