"""Deprecated alias of ``rerun.blueprint.encodings`` (renamed in 0.37): importing it warns once.

Every name resolves to the same object as in ``rerun.blueprint.encodings``.
"""

from __future__ import annotations

from typing import Any

from rerun._errors import warn_renamed_module
from rerun.blueprint import encodings

__all__ = list(encodings.__all__)

warn_renamed_module("rerun.blueprint.datatypes", "rerun.blueprint.encodings")


def __getattr__(name: str) -> Any:
    return getattr(encodings, name)
