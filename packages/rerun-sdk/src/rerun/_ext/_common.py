"""Helpers shared by the extension modules."""

from __future__ import annotations

from typing import Any

import numpy as np

from rerun._errors import catch_and_warn

__all__ = ["as_float_rows", "warn_on_error"]


def as_float_rows(data: Any, width: int) -> np.ndarray:
    """``data`` as an ``(n, width)`` float array (a single vector becomes one row)."""
    return np.asarray(data, dtype=np.float64).reshape(-1, width)


warn_on_error = catch_and_warn
