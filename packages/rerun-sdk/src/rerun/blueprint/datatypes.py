"""Deprecated alias of ``rerun.blueprint.encodings`` (renamed in 0.37): importing it warns once.

Every name resolves to the same object as in ``rerun.blueprint.encodings``.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any

from rerun.blueprint import encodings

__all__ = list(encodings.__all__)


def _caller_stacklevel() -> int:
    """Where the warning points: past ``rerun``'s and the import machinery's frames, to the user's code."""
    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and frame.f_globals.get("__name__", "").startswith(("rerun", "importlib")):
        frame = frame.f_back
        while frame.f_back is not None and "_bootstrap" in frame.f_code.co_filename:
            frame = frame.f_back
        level += 1
    return level


warnings.warn(
    "`rerun.blueprint.datatypes` is deprecated since 0.37.0. Use `rerun.blueprint.encodings` instead.",
    DeprecationWarning,
    stacklevel=_caller_stacklevel(),
)


def __getattr__(name: str) -> Any:
    return getattr(encodings, name)
