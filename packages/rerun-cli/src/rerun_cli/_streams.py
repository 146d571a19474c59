"""The three standard streams, injectable so tests can run the whole CLI in-process.

Binary RRD data and text share stdout (``rerun rrd print`` writes text, ``rerun rrd merge`` bytes), so
stdout is kept binary and text is encoded on the way out.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from typing import BinaryIO, TextIO

__all__ = ["Streams"]


@dataclass
class Streams:
    stdin: BinaryIO
    stdout: BinaryIO
    stderr: TextIO

    @classmethod
    def from_sys(cls) -> Streams:
        return cls(sys.stdin.buffer, sys.stdout.buffer, sys.stderr)

    @classmethod
    def in_memory(cls, stdin: bytes = b"") -> Streams:
        """Streams for tests: read back ``stdout.getvalue()`` and ``stderr.getvalue()``."""
        return cls(io.BytesIO(stdin), io.BytesIO(), io.StringIO())

    def write_text(self, text: str) -> None:
        self.stdout.write(text.encode())

    def print(self, line: str = "") -> None:
        self.write_text(line + "\n")

    def error(self, line: str) -> None:
        self.stderr.write(line + "\n")
        self.stderr.flush()

    def stdout_is_tty(self) -> bool:
        return _isatty(self.stdout)

    def stderr_is_tty(self) -> bool:
        return _isatty(self.stderr)


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):
        return False
