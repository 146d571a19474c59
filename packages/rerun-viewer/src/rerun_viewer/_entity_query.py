"""What a visualizer gets: one entity, one archetype, the time cursor, and its place in the view.

Under a visible time range (a blueprint's ``VisibleTimeRanges``) a spatial visualizer draws every row
of its data inside the window, not only the latest (:meth:`EntityQuery.rows`). Like 0.41, each row of
the first field takes the other fields' latest rows inside the window up to it; nothing logged before
the window's start carries in, static data applies everywhere.
"""

from __future__ import annotations

from bisect import bisect_right
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
    time_window: tuple[int, int] | None = None  # the active timeline's times drawn; None: the latest data

    def _component(self, name: str) -> str:
        return f"{self.archetype}:{name}"

    def latest(self, *names: str) -> dict[str, pa.Array]:
        """The named fields at the cursor (missing or cleared ones left out)."""
        wanted = [self._component(name) for name in names]
        cells = latest_at(self.store, self.entity, self.cursor.timeline_name, self.cursor.at, wanted)
        return {key.split(":", 1)[1]: cell.value for key, cell in cells.items() if len(cell.value)}

    def rows(self, *names: str) -> list[dict[str, pa.Array]]:
        """The named fields as a spatial view draws them: one :meth:`latest` result, or under a
        ``time_window`` one per row of the first field inside it (time order), each with the other
        fields' latest rows in the window up to that one."""
        if self.time_window is None or self.cursor.timeline is None:
            return [self.latest(*names)]
        wanted = [self._component(name) for name in names]
        start, end = self.time_window
        results = range_query(self.store, self.entity, self.cursor.timeline.name, start, end, wanted)
        primary = results.get(wanted[0])
        if primary is None:
            return []
        fields = [
            (component.split(":", 1)[1], result, _row_keys(result)) for component, result in results.items()
        ]
        return [
            {
                name: value
                for name, result, keys in fields
                if (value := _cell_up_to(result, keys, key)) is not None
            }
            for key in _row_keys(primary)
        ]

    def range(self, name: str) -> RangeResult | None:
        """Every row of one field on the active timeline."""
        if self.cursor.timeline is None:
            return None
        results = range_query(
            self.store, self.entity, self.cursor.timeline.name, None, None, [self._component(name)]
        )
        return results.get(self._component(name))

    def to_view(self, positions: np.ndarray) -> np.ndarray:
        """``(n, 3)`` entity-frame positions into the view's frame."""
        if np.array_equal(self.view_from_entity, np.eye(4)):
            return positions.astype(np.float32, copy=False)
        matrix = self.view_from_entity
        return (positions @ matrix[:3, :3].T + matrix[:3, 3]).astype(np.float32)


_STATIC = (-(2**63) - 1, b"")  # sorts before every row: static data applies to all of them


def _cell_up_to(
    result: RangeResult, keys: list[tuple[int, bytes]], key: tuple[int, bytes]
) -> pa.Array | None:
    """The cell of the result's last row at or before ``key`` (``None``: no such row, or it is empty)."""
    index = bisect_right(keys, key) - 1
    value = result.values[index].values if index >= 0 else None
    return value if value is not None and len(value) else None


def _row_keys(result: RangeResult) -> list[tuple[int, bytes]]:
    """Each row's (time, row id): the order of rows in a range query's result."""
    if not result.times.is_valid().to_numpy(zero_copy_only=False).all():
        return [_STATIC] * len(result)
    times = result.times.cast("int64").to_pylist()
    return list(zip(times, result.row_ids.to_pylist(), strict=True))
