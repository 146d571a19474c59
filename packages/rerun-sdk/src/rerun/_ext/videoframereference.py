"""``VideoFrameReference(seconds=|nanoseconds=|timestamp=)``: the frame's time in the video, in ns."""

from __future__ import annotations

from typing import Any

from rerun._ext._common import warn_on_error


def init(
    self: Any, timestamp: Any = None, *, seconds: Any = None, nanoseconds: Any = None, **fields: Any
) -> None:
    with warn_on_error("VideoFrameReference"):
        given = [v for v in (timestamp, seconds, nanoseconds) if v is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of timestamp, seconds and nanoseconds")
        if seconds is not None:
            timestamp = round(float(seconds) * 1e9)
        elif nanoseconds is not None:
            timestamp = int(nanoseconds)
    self._set(timestamp=timestamp, **fields)
