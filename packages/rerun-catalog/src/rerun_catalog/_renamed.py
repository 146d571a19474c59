"""Old names 0.41 still answers to (``RegistrationHandle``, ``DatasetView``), with a DeprecationWarning."""

from __future__ import annotations

import importlib
import warnings
from typing import Any

__all__ = ["renamed_attribute"]

_RENAMED = {"RegistrationHandle": "RegistrationOperation", "DatasetView": "DatasetSelection"}


def renamed_attribute(name: str) -> Any:
    """The package's ``__getattr__``: an old name gives its new value, after a warning."""
    new = _RENAMED.get(name)
    if new is None:
        raise AttributeError(f"module 'rerun_catalog' has no attribute {name!r}")
    warnings.warn(
        f"`rerun.catalog.{name}` was renamed to `rerun.catalog.{new}`. The `{name}` alias is deprecated "
        "and will be removed in a future release.",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module("rerun_catalog"), new)
