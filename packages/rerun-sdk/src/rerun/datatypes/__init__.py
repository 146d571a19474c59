"""Deprecated alias of ``rerun.encodings`` (renamed in 0.37): importing it warns once.

Every name resolves to the same object as in ``rerun.encodings``.
"""

from __future__ import annotations

from typing import Any

from rerun import encodings
from rerun._errors import warn_renamed_module

__all__ = list(encodings.__all__)

warn_renamed_module("rerun.datatypes", "rerun.encodings")


def __getattr__(name: str) -> Any:
    return getattr(encodings, name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
