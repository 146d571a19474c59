"""``rr.LoggingHandler``: Python's ``logging`` records become ``TextLog`` rows, one entity per module."""

from __future__ import annotations

import logging

from rerun._generated.archetypes import TextLog

__all__ = ["LoggingHandler"]

_LEVELS = {"WARNING": "WARN"}


class LoggingHandler(logging.Handler):
    """Logs each record to ``<path_prefix>/<module>`` at the current time, with its level name."""

    def __init__(self, path_prefix: str | None = None) -> None:
        super().__init__()
        self.path_prefix = path_prefix

    def emit(self, record: logging.LogRecord) -> None:
        from rerun._global import log

        entity = record.module if not self.path_prefix else f"{self.path_prefix}/{record.module}"
        level = _LEVELS.get(record.levelname, record.levelname)
        try:
            log([part for part in entity.split("/") if part], TextLog(record.getMessage(), level=level))
        except Exception:  # a logging handler must never raise into the user's code
            self.handleError(record)
