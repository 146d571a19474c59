"""Store events: what a subscriber (e.g. the viewer's caches) learns after each change of a store.

As in 0.41, an insertion is announced with the chunk exactly as it was given, even when the store
merged it into a neighbour; the optional :class:`CompactionReport` then says which stored chunks
were replaced by which new one. A chunk over the size thresholds is stored as several pieces, each
announced on its own, naming the original in ``split_source``. Deletions (garbage collection, static data overwritten by newer
static data) are announced chunk by chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from rerun_core.chunk import Chunk
from rerun_core.log_msg import StoreId
from rerun_core.tuid import Tuid

__all__ = ["CompactionReport", "StoreEvent", "StoreEventKind", "StoreSubscriber"]


class StoreEventKind(Enum):
    ADDITION = "addition"
    DELETION = "deletion"


@dataclass(frozen=True)
class CompactionReport:
    """``sources`` (the inserted chunk and the stored one it was merged with) now live on as ``new_chunk``."""

    sources: tuple[Chunk, ...]
    new_chunk: Chunk

    @property
    def removed_chunk_ids(self) -> tuple[Tuid, ...]:
        """Ids that no longer exist in the store (the inserted chunk never did)."""
        return tuple(chunk.id for chunk in self.sources)


@dataclass(frozen=True)
class StoreEvent:
    """One chunk added to or removed from a store; ``split_source``: the too-big chunk it was cut from."""

    store_id: StoreId | None
    event_id: int
    kind: StoreEventKind
    chunk: Chunk
    compacted: CompactionReport | None = None
    split_source: Tuid | None = None

    @property
    def is_addition(self) -> bool:
        return self.kind is StoreEventKind.ADDITION

    @property
    def is_deletion(self) -> bool:
        return self.kind is StoreEventKind.DELETION

    @property
    def entity_path(self) -> str:
        return self.chunk.entity_path

    @property
    def components(self) -> list[str]:
        return [descriptor.component for descriptor in self.chunk.components]

    @property
    def timelines(self) -> list[str]:
        return list(self.chunk.timelines)

    @property
    def is_static(self) -> bool:
        return self.chunk.is_static


StoreSubscriber = Callable[[Sequence[StoreEvent]], None]
