"""Tuid: the 128-bit time-ordered ids Rerun uses for rows, chunks and catalog entries.

A Tuid is a ``(time_ns, inc)`` pair. On the wire it is 16 bytes, both halves big-endian, so that
byte order equals time order; as text it is ``{time_ns:016X}{inc:016x}`` (upper-case time, lower-case
increment), which is how 0.41 prints ids such as ``chunk_18EB4694BF1A08493ab33f5dcf5bb24a``.
"""

from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pyarrow as pa

__all__ = ["TUID_ARROW_TYPE", "Tuid", "TuidGenerator", "new_tuid", "new_tuids"]

TUID_ARROW_TYPE = pa.binary(16)
_TEXT_FORM = re.compile(r"^[0-9a-fA-F]{32}$")
_U64 = (1 << 64) - 1


@dataclass(frozen=True, order=True)
class Tuid:
    """One id; ordering is the time order of creation."""

    time_ns: int
    inc: int

    BYTES: ClassVar[int] = 16

    def __post_init__(self) -> None:
        if not (0 <= self.time_ns <= _U64 and 0 <= self.inc <= _U64):
            raise ValueError(f"Tuid halves must be unsigned 64-bit integers, got {self.time_ns}, {self.inc}")

    @classmethod
    def from_bytes(cls, data: bytes) -> Tuid:
        if len(data) != 16:
            raise ValueError(f"a Tuid is 16 bytes, got {len(data)}")
        return cls(int.from_bytes(data[:8], "big"), int.from_bytes(data[8:], "big"))

    @classmethod
    def parse(cls, text: str) -> Tuid:
        """Parse the 32-hex-digit text form, with or without a ``chunk_``/``row_`` style prefix."""
        digits = text.rsplit("_", 1)[-1]
        if not _TEXT_FORM.match(digits):
            raise ValueError(f"not a Tuid: {text!r} (expected 32 hex digits)")
        return cls(int(digits[:16], 16), int(digits[16:], 16))

    def to_bytes(self) -> bytes:
        return self.time_ns.to_bytes(8, "big") + self.inc.to_bytes(8, "big")

    def __str__(self) -> str:
        return f"{self.time_ns:016X}{self.inc:016x}"

    def __repr__(self) -> str:
        return f"Tuid({self})"


class TuidGenerator:
    """Hands out strictly increasing Tuids, safe to share between threads.

    ``time_ns`` follows the wall clock but never goes backwards; ``inc`` starts at a random 63-bit
    value and counts up by one per id, so ids made in the same nanosecond still sort correctly.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._time_ns = 0
        self._inc = int.from_bytes(os.urandom(8), "little") & ((1 << 63) - 1)

    def _reserve(self, count: int) -> tuple[int, int]:
        with self._lock:
            self._time_ns = max(time.time_ns(), self._time_ns + 1)
            first_inc = self._inc
            self._inc = (self._inc + count) & _U64
            return self._time_ns, first_inc

    def new(self) -> Tuid:
        time_ns, inc = self._reserve(1)
        return Tuid(time_ns, inc)

    def new_array(self, count: int) -> pa.FixedSizeBinaryArray:
        """``count`` consecutive ids as an Arrow ``fixed_size_binary(16)`` array, built without Python loops."""
        time_ns, first_inc = self._reserve(count)
        words = np.empty((count, 2), dtype=">u8")
        words[:, 0] = time_ns
        words[:, 1] = (np.arange(count, dtype=np.uint64) + np.uint64(first_inc)) & np.uint64(_U64)
        return pa.FixedSizeBinaryArray.from_buffers(
            TUID_ARROW_TYPE, count, [None, pa.py_buffer(words.tobytes())]
        )


_GLOBAL = TuidGenerator()


def new_tuid() -> Tuid:
    """A fresh id from the process-wide generator."""
    return _GLOBAL.new()


def new_tuids(count: int) -> pa.FixedSizeBinaryArray:
    """``count`` fresh, consecutive ids from the process-wide generator."""
    return _GLOBAL.new_array(count)
