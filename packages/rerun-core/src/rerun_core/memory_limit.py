"""Memory limits as users write them on the command line and in the SDK: ``1GiB``, ``500MB``, ``75%``.

Percentages are of the machine's physical memory, as the reference's ``--memory-limit 75%``.
"""

from __future__ import annotations

import os
import re

__all__ = ["parse_memory_limit", "total_memory_bytes"]

_UNITS = {
    "": 1, "b": 1,
    "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3, "t": 1000**4, "tb": 1000**4,
    "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4,
}  # fmt: skip
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-zA-Z%]*)\s*$")


def parse_memory_limit(text: str) -> int:
    """Bytes for ``text``; raises ``ValueError`` naming the value when it is not a size or a percentage."""
    match = _PATTERN.match(str(text))
    unit = match.group(2).lower() if match else None
    if match is None or (unit != "%" and unit not in _UNITS):
        raise ValueError(
            f"memory limit {text!r} is not a size like '1GiB', '500MB' or '4096', nor a percentage like '75%'"
        )
    value = float(match.group(1))
    if unit == "%":
        return int(total_memory_bytes() * value / 100)
    return int(value * _UNITS[unit])


def total_memory_bytes() -> int:
    """Physical memory of this machine (what ``N%`` limits are relative to)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not POSIX: assume a modest machine
        return 8 * 1024**3
