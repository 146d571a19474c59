"""Errors the ``rerun`` command reports; each carries the exit status it ends the process with.

CliError                 exit 1: the command ran but failed (bad input data, I/O, mismatch)
├── UsageError           exit 2: the command line itself is wrong (same status as argparse's own errors)
└── NotBuiltError        exit 1: a part of Rerun this Python reimplementation does not have yet
"""

from __future__ import annotations

__all__ = ["CliError", "NotBuiltError", "UsageError"]


class CliError(Exception):
    """A failure reported as ``Error: <message>`` on stderr."""

    exit_code = 1


class UsageError(CliError):
    """Arguments that cannot work together, or values argparse could not check on its own."""

    exit_code = 2


class NotBuiltError(CliError):
    """Asked for something the reference ``rerun`` does but ours cannot yet; never faked."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} is not built yet in this Python reimplementation of Rerun")
        self.what = what
