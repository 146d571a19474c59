"""Numbers and index values as 0.41 writes them for people: in ``DatasetInfo`` and in segment URLs.

Digits are grouped by thin spaces (``1 234``), negatives use the minus sign ``−``; fractions of a
second show 1, 3 or 6 digits, the fewest that are exact at microsecond precision.
"""

from __future__ import annotations

import operator
from datetime import datetime, timedelta, timezone
from typing import Literal

__all__ = [
    "IndexKind",
    "format_bytes",
    "format_index_value",
    "format_uint",
    "url_time",
]

IndexKind = Literal["sequence", "timestamp", "duration"]

_THIN_SPACE = "\u2009"
_MINUS = "\u2212"
_I64_MIN, _I64_MAX = -(2**63), 2**63 - 1
_NS_PER_US, _US_PER_S = 1_000, 1_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def format_uint(value: int) -> str:
    """``1 234 567``: digits in groups of three."""
    if value < 0:
        raise ValueError(f"format_uint needs a non-negative value, got {value}")
    return f"{value:,}".replace(",", _THIN_SPACE)


def _signed(value: int) -> str:
    return (_MINUS if value < 0 else "") + format_uint(abs(value))


def format_bytes(num_bytes: float) -> str:
    """``912 B``, ``1.5 KiB``, ``236 KiB``, ``3.2 GiB``: one decimal below 102.4 units."""
    if num_bytes < 1024:
        return f"{num_bytes:.0f} B"
    for unit, scale in (("KiB", 1024), ("MiB", 1024**2)):
        if num_bytes < 1024 * scale:
            return _scaled(num_bytes, scale, unit)
    return _scaled(num_bytes, 1024**3, "GiB")


def _scaled(num_bytes: float, scale: int, unit: str) -> str:
    decimals = 1 if 10 * num_bytes < 1024 * scale else 0
    return f"{num_bytes / scale:.{decimals}f} {unit}"


def _fraction(micros: int, *, separator: str = _THIN_SPACE) -> str:
    """The sub-second part (``micros`` < 1 000 000) with 0, 1, 3 or 6 digits."""
    if micros == 0:
        return ""
    if micros % 100_000 == 0:
        return f".{micros // 100_000}"
    if micros % 1_000 == 0:
        return f".{micros // 1_000:03}"
    return f".{micros // 1_000:03}{separator}{micros % 1_000:03}"


def _round_micros(nanos: int) -> int:
    """``|nanos|`` in microseconds, halves rounded away from zero."""
    return (abs(nanos) + _NS_PER_US // 2) // _NS_PER_US


def format_index_value(kind: IndexKind, value: int) -> str:
    """``#1 000`` (sequence), ``+9.990s`` (duration), ``2024-01-01 12:00:05.123Z`` (timestamp)."""
    if value == _I64_MAX:
        return "end"
    if value == _I64_MIN:
        return "beginning"
    if kind == "sequence":
        return f"#{_signed(value)}"
    if kind == "duration":
        micros = _round_micros(value)
        sign = _MINUS if value < 0 else "+"
        return f"{sign}{format_uint(micros // _US_PER_S)}{_fraction(micros % _US_PER_S)}s"
    if kind == "timestamp":
        micros = value // _NS_PER_US  # timestamps are truncated, not rounded
        when = _EPOCH + timedelta(microseconds=micros)
        return f"{when:%Y-%m-%d %H:%M:%S}{_fraction(micros % _US_PER_S)}Z"
    raise ValueError(f"unknown index kind {kind!r} (expected 'sequence', 'timestamp' or 'duration')")


# ---- segment URLs ---------------------------------------------------------------------------------


def _nanos(value: datetime | timedelta) -> int:
    delta = value if isinstance(value, timedelta) else value.astimezone(timezone.utc) - _EPOCH
    return ((delta.days * 86_400 + delta.seconds) * _US_PER_S + delta.microseconds) * _NS_PER_US


def _url_timestamp(nanos: int) -> str:
    seconds, fraction = divmod(nanos, 1_000_000_000)
    when = _EPOCH + timedelta(seconds=seconds)
    digits = f".{fraction:09}".rstrip("0") if fraction else ""
    return f"{when:%Y-%m-%dT%H:%M:%S}{digits}Z"


def _url_duration(nanos: int) -> str:
    micros = _round_micros(nanos)
    seconds, fraction = divmod(micros, _US_PER_S)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "m")) if n]
    if seconds or fraction or not parts:
        parts.append(f"{seconds}{_fraction(fraction)}s")
    return (_MINUS if nanos < 0 else "+") + "".join(parts)


def url_time(value: int | datetime | timedelta, like: int | datetime | timedelta) -> str:
    """``value`` as a segment URL writes it, in the form of ``like`` (the selection's start)."""
    if isinstance(value, (datetime, timedelta)):
        nanos = _nanos(value)
    else:
        try:
            nanos = operator.index(value)
        except TypeError:
            raise TypeError(
                f"a time must be an int, datetime or timedelta, got {type(value).__name__}"
            ) from None
    if isinstance(like, datetime):
        return _url_timestamp(nanos)
    if isinstance(like, timedelta):
        return _url_duration(nanos)
    return str(nanos)
