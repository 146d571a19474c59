"""``OptimizationProfile``: chunk-size targets for ``LazyChunkStream.collect(optimize=...)``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rerun_core.store import ChunkStoreConfig

__all__ = ["OptimizationProfile"]


@dataclass(frozen=True, kw_only=True)
class OptimizationProfile:
    """How big chunks may grow when a collected store is optimized.

    ``LIVE`` (small chunks, for the viewer) and ``OBJECT_STORE`` (large chunks, for a catalog
    server) are complete presets; in a custom profile, ``None`` thresholds fall back to ``LIVE``'s.
    ``extra_passes`` bounds the re-compaction passes after insertion. ``gop_batching``,
    ``split_size_ratio`` and ``fix_keyframe`` are accepted for compatibility; this implementation does
    not re-cut video streams or split archetypes by size.
    """

    LIVE: ClassVar[OptimizationProfile]
    OBJECT_STORE: ClassVar[OptimizationProfile]

    max_bytes: int | None = None
    max_rows: int | None = None
    max_rows_if_unsorted: int | None = None
    extra_passes: int = 50
    gop_batching: bool = True
    split_size_ratio: float | None = None
    fix_keyframe: bool = False

    def _store_config(self) -> ChunkStoreConfig:
        live = OptimizationProfile.LIVE
        return ChunkStoreConfig(
            max_bytes=_first(self.max_bytes, live.max_bytes),
            max_rows=_first(self.max_rows, live.max_rows),
            max_rows_if_unsorted=_first(self.max_rows_if_unsorted, live.max_rows_if_unsorted),
        )


def _first(value: int | None, default: int | None) -> int:
    return int(default if value is None else value)  # type: ignore[arg-type]


OptimizationProfile.LIVE = OptimizationProfile(
    max_bytes=12 * 8 * 4096,
    max_rows=4096,
    max_rows_if_unsorted=1024,
    extra_passes=50,
    gop_batching=True,
    split_size_ratio=None,
    fix_keyframe=False,
)

OptimizationProfile.OBJECT_STORE = OptimizationProfile(
    max_bytes=2 * 1024 * 1024,
    max_rows=65_536,
    max_rows_if_unsorted=8_192,
    extra_passes=50,
    gop_batching=True,
    split_size_ratio=10.0,
    fix_keyframe=False,
)
