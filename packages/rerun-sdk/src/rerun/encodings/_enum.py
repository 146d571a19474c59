"""The base of every generated enum (``ColorModel``, ``MarkerShape``, ...): printing and ``auto``.

Kept free of numpy and pyarrow: ``rerun._generated.enums`` imports it.
"""

from __future__ import annotations

import enum
import operator
from typing import Any, TypeVar

__all__ = ["RerunEnum"]

_E = TypeVar("_E", bound="RerunEnum")


class RerunEnum(enum.Enum):
    """An enum of the data model: prints as its member name, converts from names and numbers."""

    def __str__(self) -> str:
        return self.name

    @classmethod
    def auto(cls: type[_E], val: Any) -> _E:
        """A member from itself, its name (case-insensitive) or its number."""
        if isinstance(val, cls):
            return val
        if isinstance(val, str):
            for member in cls:
                if member.name.lower() == val.lower():
                    return member
        elif hasattr(val, "__index__"):  # ints, numpy integers
            try:
                return cls(operator.index(val))
            except ValueError:
                pass
        raise ValueError(f"Cannot convert {val} to {cls.__name__}")
