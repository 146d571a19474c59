"""Helpers shared by the extension modules."""

from __future__ import annotations

import warnings

from rerun._errors import RerunWarning, _user_stacklevel, strict_mode

__all__ = ["warn_or_raise"]


def warn_or_raise(message: str) -> None:
    """Misuse with a sensible fallback: a ``RerunWarning`` at the user's call, or raise when strict."""
    if strict_mode():
        raise ValueError(message)
    warnings.warn(message, RerunWarning, stacklevel=_user_stacklevel())
