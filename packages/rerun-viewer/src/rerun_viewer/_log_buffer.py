"""The viewer's recent log messages, numbered, so a remote client can ask for what is new (``get_logs``).

A bounded buffer: old entries drop out. Sequence numbers start at 1 and never repeat.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import deque
from dataclasses import dataclass

__all__ = ["LogBuffer", "LogEntry"]

_CAPACITY = 1000
_LEVELS = {logging.DEBUG: "DEBUG", logging.INFO: "INFO", logging.WARNING: "WARN", logging.ERROR: "ERROR"}


@dataclass(frozen=True)
class LogEntry:
    sequence: int
    level: str  # INFO, WARN, ERROR (as 0.41 names them)
    target: str  # the logger and module, e.g. ``rerun._live``
    message: str


class LogBuffer(logging.Handler):
    """A logging handler keeping the newest ``capacity`` records; attach it with :meth:`attach`."""

    def __init__(self, capacity: int = _CAPACITY, level: int = logging.INFO) -> None:
        super().__init__(level)
        self._entries: deque[LogEntry] = deque(maxlen=capacity)
        self._sequence = itertools.count(1)
        self._lock_entries = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        level = _LEVELS.get(record.levelno, "ERROR" if record.levelno > logging.ERROR else "DEBUG")
        with self._lock_entries:
            entry = LogEntry(
                next(self._sequence), level, f"{record.name}.{record.module}", record.getMessage()
            )
            self._entries.append(entry)

    def entries(self, after_sequence: int | None = None) -> list[LogEntry]:
        """Buffered entries, oldest first; only those after ``after_sequence`` when given."""
        with self._lock_entries:
            return [e for e in self._entries if after_sequence is None or e.sequence > after_sequence]

    def attach(self, logger: logging.Logger) -> None:
        """Collect ``logger``'s records (those its level lets through: warnings and errors by default)."""
        logger.addHandler(self)

    def detach(self, logger: logging.Logger) -> None:
        logger.removeHandler(self)
