"""Experimental APIs, which may change without a deprecation cycle: for now, driving a running viewer.

The chunk API that lived here before 0.41 (``Chunk``, ``RrdReader``, ...) moved to :mod:`rerun.chunk`
and ``send_chunks`` to :mod:`rerun`; the old names still work for one release, with a warning.
"""

from __future__ import annotations

import warnings
from typing import Any

from rerun.experimental._viewer_client import ViewerClient
from rerun.experimental._viewer_state import (
    Blueprint,
    BlueprintInfo,
    ComponentSchema,
    EntitySchema,
    LoadingSource,
    LogEntry,
    OpenResult,
    Recording,
    RecordingSchema,
    StoreId,
    Timeline,
    View,
    ViewerState,
    ViewReport,
)

__all__ = [
    "Blueprint",
    "BlueprintInfo",
    "ComponentSchema",
    "EntitySchema",
    "LoadingSource",
    "LogEntry",
    "OpenResult",
    "Recording",
    "RecordingSchema",
    "StoreId",
    "Timeline",
    "View",
    "ViewReport",
    "ViewerClient",
    "ViewerState",
]

# 0.41 moved these to ``rerun.chunk`` (those our ``rerun.chunk`` has; the rest never existed here).
_MOVED_TO_CHUNK = frozenset({
    "Chunk", "ChunkStore", "IndexedReader", "LazyChunkStream", "LazyStore", "OptimizationProfile",
    "RrdReader", "StoreEntry", "StreamingReader",
})  # fmt: skip
_DEPRECATED_ALIAS = "The `rerun.experimental` alias is deprecated and will be removed in a future release."


def __getattr__(name: str) -> Any:
    """The moved names, each with a DeprecationWarning pointing at the user's line."""
    if name == "send_chunks":
        import rerun

        warnings.warn(
            f"`rerun.experimental.send_chunks` moved to `rerun.send_chunks`. {_DEPRECATED_ALIAS}",
            DeprecationWarning,
            stacklevel=2,
        )
        return rerun.send_chunks
    if name in _MOVED_TO_CHUNK:
        from rerun import chunk

        warnings.warn(
            f"`rerun.experimental.{name}` moved to `rerun.chunk.{name}`. {_DEPRECATED_ALIAS}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(chunk, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
