"""``rr.catalog``: the catalog client (``CatalogClient``, datasets, tables), from the rerun-catalog package.

Everything here is ``rerun_catalog``'s; the package loads on first use, so ``import rerun`` does not
need it. When it loads, it is told how to build an ``rr.chunk.LazyStore`` (for
``DatasetEntry.segment_store``): it may not import the SDK itself.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

__all__ = [  # noqa: F822 (loaded on first use; the SDK does not depend on rerun-catalog)
    "AlreadyExistsError",
    "CatalogClient",
    "ComponentColumnDescriptor",
    "ComponentColumnSelector",
    "ContentFilter",
    "DatasetEntry",
    "DatasetInfo",
    "DatasetSelection",
    "Entry",
    "EntryId",
    "EntryKind",
    "IndexColumnDescriptor",
    "IndexColumnSelector",
    "Layer",
    "LayerInfo",
    "NotFoundError",
    "OnDuplicateSegmentLayer",
    "RegistrationOperation",
    "RegistrationResult",
    "Schema",
    "Segment",
    "SegmentRegistrationResult",
    "TableEntry",
    "TimelineInfo",
    "UnregistrationHandle",
    "VersionInfo",
]

_DEPRECATED = ("RegistrationHandle", "DatasetView")  # old names; rerun_catalog warns when they are used


def __getattr__(name: str) -> Any:
    if name not in __all__ and name not in _DEPRECATED:
        raise AttributeError(f"module 'rerun.catalog' has no attribute {name!r}")
    try:
        catalog = _connected(importlib.import_module("rerun_catalog"))
    except ImportError:
        raise ImportError(
            f"rr.catalog.{name} needs the rerun-catalog package, which is not installed (pip install rerun-catalog)"
        ) from None
    value = getattr(catalog, name)
    if name in __all__:
        globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


def _connected(catalog: ModuleType) -> ModuleType:
    """``catalog`` (rerun_catalog), told to build its segment stores as ``rr.chunk.LazyStore``."""
    from rerun.chunk import LazyStore

    importlib.import_module("rerun_catalog._segment_store").register_lazy_store_factory(LazyStore)
    return catalog
