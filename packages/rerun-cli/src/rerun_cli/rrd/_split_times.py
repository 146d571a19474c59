"""Time values for ``rerun rrd split``: parsing ``--time`` arguments and naming the output files.

File names follow the reference: ``{stem}_{start}__{end}.rrd`` where timestamps read like
``2024-01-01T12_00_00_5Z`` and durations like ``1_5ms`` (``:`` and ``.`` become ``_``).
"""

from __future__ import annotations

import datetime as dt
import re

from rerun_cli.errors import UsageError
from rerun_core.timeline import TimeType

__all__ = ["cutoff_name", "parse_time"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_ISO = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_DURATION_UNITS = ((1_000_000_000, "s"), (1_000_000, "ms"), (1_000, "µs"))


def parse_time(text: str, typ: TimeType) -> int:
    """A ``--time`` value: an integer for any timeline, or an ISO date/time for timestamps."""
    try:
        return int(text)
    except ValueError:
        pass
    if typ == TimeType.TIMESTAMP_NS:
        parsed = _parse_timestamp(text)
        if parsed is not None:
            return parsed
    kind = {TimeType.SEQUENCE: "Sequence", TimeType.DURATION_NS: "DurationNs"}.get(typ, "TimestampNs")
    raise UsageError(f"{text!r} is not a valid value for a {kind} timeline")


def _parse_timestamp(text: str) -> int | None:
    match = _ISO.match(text.strip())
    if not match:
        return None
    date, hour, minute, second, fraction, zone = match.groups()
    moment = dt.datetime.fromisoformat(f"{date}T{hour or '00'}:{minute or '00'}:{second or '00'}")
    tz = dt.timezone.utc if zone in (None, "Z") else dt.datetime.strptime(zone.replace(":", ""), "%z").tzinfo
    seconds = int((moment.replace(tzinfo=tz) - _EPOCH).total_seconds())
    return seconds * 1_000_000_000 + int((fraction or "0").ljust(9, "0"))


def cutoff_name(typ: TimeType, value: int) -> str:
    """How a split boundary appears in an output file name."""
    if typ == TimeType.TIMESTAMP_NS:
        text = _timestamp_text(value)
    elif typ == TimeType.DURATION_NS:
        text = _duration_text(value)
    else:
        text = str(value)
    return text.replace(":", "_").replace(".", "_")


def _timestamp_text(ns: int) -> str:
    seconds, fraction = divmod(ns, 1_000_000_000)
    moment = _EPOCH + dt.timedelta(seconds=seconds)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}{_fraction(fraction)}Z"


def _duration_text(ns: int) -> str:
    sign = "-" if ns < 0 else ""
    magnitude = abs(ns)
    for unit_ns, unit in _DURATION_UNITS:
        if magnitude >= unit_ns:
            whole, fraction = divmod(magnitude, unit_ns)
            digits = len(str(unit_ns)) - 1
            return f"{sign}{whole}{_fraction(fraction, digits)}{unit}"
    return f"{sign}{magnitude}ns"


def _fraction(value: int, digits: int = 9) -> str:
    return "." + f"{value:0{digits}d}".rstrip("0") if value else ""
