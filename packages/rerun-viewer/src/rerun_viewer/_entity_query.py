"""What a visualizer gets: one entity, one archetype, the time cursor, and its place in the view."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from rerun_core.query import RangeResult, latest_at, range_query
from rerun_core.store import ChunkStore
from rerun_viewer._time import TimeCursor

__all__ = ["EntityQuery", "archetypes_of"]


def archetypes_of(store: ChunkStore, entity: str) -> set[str]:
    """Short names of the archetypes with at least one column on ``entity``."""
    return {
        name
        for column in store.columns(entity)
        if (name := column.descriptor.archetype_short_name) is not None and not column.is_semantically_empty
    }


@dataclass
class EntityQuery:
    """Reads one archetype's fields of one entity; ``view_from_entity`` places it (4x4, identity off-spatial)."""

    store: ChunkStore
    entity: str
    archetype: str
    cursor: TimeCursor
    view_from_entity: np.ndarray = field(default_factory=lambda: np.eye(4))
    time_origin: int = 0  # subtracted from times before they become plot coordinates
    scene_size: float | None = None  # 3D: the diagonal of the view's content not under a camera

    def _component(self, name: str) -> str:
        return f"{self.archetype}:{name}"

    def latest(self, *names: str) -> dict[str, pa.Array]:
        """The named fields at the cursor (missing or cleared ones left out)."""
        wanted = [self._component(name) for name in names]
        cells = latest_at(self.store, self.entity, self.cursor.timeline_name, self.cursor.at, wanted)
        return {key.split(":", 1)[1]: cell.value for key, cell in cells.items() if len(cell.value)}

    def range(self, name: str, *, until_cursor: bool = False) -> RangeResult | None:
        """Every row of one field on the active timeline (up to the cursor with ``until_cursor``)."""
        if self.cursor.timeline is None:
            return None
        end = self.cursor.at if until_cursor else None
        results = range_query(
            self.store, self.entity, self.cursor.timeline.name, None, end, [self._component(name)]
        )
        return results.get(self._component(name))

    def to_view(self, positions: np.ndarray) -> np.ndarray:
        """``(n, 3)`` entity-frame positions into the view's frame."""
        if np.array_equal(self.view_from_entity, np.eye(4)):
            return positions.astype(np.float32, copy=False)
        matrix = self.view_from_entity
        return (positions @ matrix[:3, :3].T + matrix[:3, 3]).astype(np.float32)
