"""How the SDK treats misuse: a ``RerunWarning`` and dropped data, or an exception in strict mode.

Users' logging must never crash their program, so by default a bad argument costs only the data it
concerned, with a warning that names it. Strict mode (``rr.set_strict_mode(True)``, ``RERUN_STRICT``,
or ``strict=`` on a call) raises instead; our own tests run strict.
"""

from __future__ import annotations

import os
import threading
import types
import warnings

__all__ = ["RerunWarning", "catch_and_warn", "set_strict_mode", "strict_mode"]

_strict: bool | None = None


class RerunWarning(Warning):
    """Something the user asked for was ignored or dropped; the message says what and why."""


def strict_mode() -> bool:
    if _strict is not None:
        return _strict
    return os.environ.get("RERUN_STRICT", "").lower() in ("1", "true", "yes", "on")


def set_strict_mode(strict: bool) -> None:
    global _strict
    _strict = bool(strict)


class catch_and_warn:
    """Turn an error inside the block into a ``RerunWarning`` naming ``context`` (or raise, when strict).

    A class rather than a ``@contextmanager`` generator: it is entered on every ``rr.log``.
    """

    __slots__ = ("context", "strict")

    def __init__(self, context: str, *, strict: bool | None = None) -> None:
        self.context = context
        self.strict = strict

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type[BaseException] | None, err: BaseException | None, tb: object) -> bool:
        if err is None or not isinstance(err, Exception):
            return False
        if self.strict if self.strict is not None else strict_mode():
            if isinstance(err, ValueError | TypeError):
                return False
            raise ValueError(f"{self.context}: {err}") from err
        message = f"{self.context}: {type(err).__name__}({err})"
        level = _user_stacklevel()
        warnings.warn(message, RerunWarning, stacklevel=level)
        _log_to_recording(message, level)
        return True


_logging_warning = threading.local()


def _log_to_recording(message: str, stacklevel: int) -> None:
    """Also record the warning in the active recording (``/__warnings``), where the viewer shows it."""
    if getattr(_logging_warning, "active", False):
        return
    import sys

    frame = sys._getframe(stacklevel)
    location = f'File "{frame.f_code.co_filename}", line {frame.f_lineno}, in {frame.f_code.co_name}'
    _logging_warning.active = True
    try:
        from rerun._generated.archetypes import TextLog
        from rerun._global import get_data_recording

        recording = get_data_recording()
        if recording is not None:
            recording.log("/__warnings", TextLog(f"{message}\n{location}", level="WARN"))
    finally:
        _logging_warning.active = False


def _user_stacklevel() -> int:
    """Point warnings at the first frame outside the ``rerun`` package, i.e. at the user's call."""
    import sys

    frame: types.FrameType | None = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_globals.get("__name__", "").split(".")[0] in ("rerun", "contextlib"):
        frame = frame.f_back
        level += 1
    return level


def warn_renamed_module(old: str, new: str) -> None:
    """The DeprecationWarning of a module renamed in 0.37, pointing at the user's ``import``."""
    warnings.warn(
        f"`{old}` is deprecated since 0.37.0. Use `{new}` instead.",
        DeprecationWarning,
        stacklevel=_importer_stacklevel(),
    )


def _importer_stacklevel() -> int:
    """Past ``rerun``'s and the import machinery's frames, counted as ``warnings.warn`` counts them
    (it skips the ``_bootstrap`` frames of the import machinery itself)."""
    import sys

    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and frame.f_globals.get("__name__", "").startswith(("rerun", "importlib")):
        frame = frame.f_back
        while frame.f_back is not None and "_bootstrap" in frame.f_code.co_filename:
            frame = frame.f_back
        level += 1
    return level
