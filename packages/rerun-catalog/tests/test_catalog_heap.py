"""A catalog client's process keeps freed memory for its next read instead of faulting it in again."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Ten "reads", each of 40 blocks of 256 KB freed together at its end, as a read's messages and
# temporaries are; prints the page faults they cost after the first (about 2500 per read when glibc
# hands the freed heap top back to the OS).
_READS = """
import resource, sys
import numpy as np
from rerun_catalog._heap import keep_freed_memory
if sys.argv[1] == "keep":
    assert keep_freed_memory()
def read():
    blocks = [np.ones(1 << 15) for _ in range(40)]
    del blocks
read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    read()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str) -> int:
    env = {"PATH": "/usr/bin:/bin"}  # no MALLOC_* settings of the caller's
    result = subprocess.run(
        [sys.executable, "-c", _READS, mode], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    return int(result.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's heap")
def test_freed_blocks_are_reused_without_page_faults() -> None:
    assert _faults("default") > 10_000  # the premise: with glibc's defaults every read faults
    assert _faults("keep") < 500
