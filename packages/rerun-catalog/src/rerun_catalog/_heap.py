"""The C heap of a process that reads catalogs: freed memory is kept for the next read.

A read moves tens of MB through buffers of a few hundred KB (gRPC messages, numpy temporaries). By
default glibc maps each block above 128 KiB afresh and hands a free heap top above 128 KiB back to the
OS, so every read faults its pages in again: several µs a page in a VM, a fifth of a range read's time.
Raising both thresholds once per process keeps that memory for reuse instead (the price: a process
holds on to what its biggest read needed). A user's own ``MALLOC_*_THRESHOLD_`` settings win.
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys

__all__ = ["keep_freed_memory"]

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt parameters (malloc.h)
_MMAP_THRESHOLD_BYTES = 32 << 20  # glibc's largest on 64-bit: bigger blocks still get their own map
_TRIM_THRESHOLD_BYTES = 256 << 20
_USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")


@functools.cache
def keep_freed_memory() -> bool:
    """Raise glibc's mmap and trim thresholds (once); whether they were set."""
    if not sys.platform.startswith("linux") or any(name in os.environ for name in _USER_SETTINGS):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library this process runs on
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(
        mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_BYTES)
        and mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD_BYTES)
    )
