"""The chunk batcher: gathers logged rows and turns them into chunks in the background.

Logging one row must be cheap, so ``rr.log`` only appends to a pending list; a background thread
(or a size/row threshold) flushes the rows of each entity into as few chunks as possible. Rows
are split by static-ness and by the set of timelines they carry, so each chunk is rectangular.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import pyarrow as pa

from rerun_core import Chunk, ComponentDescriptor, Timeline

__all__ = ["ChunkBatcher", "ChunkBatcherConfig", "PendingRow"]

_T = TypeVar("_T")


@dataclass(frozen=True)
class ChunkBatcherConfig:
    """When to flush: after ``flush_tick`` seconds, ``flush_num_bytes`` bytes or ``flush_num_rows`` rows."""

    flush_tick: float | None = None
    flush_num_bytes: int | None = None
    flush_num_rows: int | None = None
    chunk_max_rows_if_unsorted: int | None = None

    def resolved(self) -> ChunkBatcherConfig:
        """Fill unset values from ``RERUN_FLUSH_*`` environment variables, then the defaults of 0.41."""
        env = os.environ
        return ChunkBatcherConfig(
            flush_tick=_pick(self.flush_tick, env.get("RERUN_FLUSH_TICK_SECS"), float, 0.2),
            flush_num_bytes=_pick(
                self.flush_num_bytes, env.get("RERUN_FLUSH_NUM_BYTES"), int, 2 * 1024 * 1024
            ),
            flush_num_rows=_pick(self.flush_num_rows, env.get("RERUN_FLUSH_NUM_ROWS"), int, 2**63 - 1),
            chunk_max_rows_if_unsorted=_pick(
                self.chunk_max_rows_if_unsorted, env.get("RERUN_CHUNK_MAX_ROWS_IF_UNSORTED"), int, 8192
            ),
        )


def _pick(value: _T | None, env_value: str | None, parse: Callable[[str], _T], default: _T) -> _T:
    if value is not None:
        return value
    if env_value:
        return parse(env_value)
    return default


ChunkBatcherConfig.DEFAULT = ChunkBatcherConfig()  # type: ignore[attr-defined]
ChunkBatcherConfig.LOW_LATENCY = ChunkBatcherConfig(flush_tick=0.008)  # type: ignore[attr-defined]
ChunkBatcherConfig.NEVER = ChunkBatcherConfig(  # type: ignore[attr-defined]
    flush_tick=float("inf"), flush_num_bytes=2**63 - 1, flush_num_rows=2**63 - 1
)
ChunkBatcherConfig.ALWAYS_TEST_ONLY = ChunkBatcherConfig(  # type: ignore[attr-defined]
    flush_tick=0.0, flush_num_bytes=0, flush_num_rows=0
)


@dataclass
class PendingRow:
    """One logged row: its id, time point, and one instance batch per component."""

    row_id: bytes
    timepoint: dict[Timeline, int]
    components: dict[ComponentDescriptor, pa.Array]
    nbytes: int = field(default=0)


class ChunkBatcher:
    """Collects rows per entity; ``on_chunk`` receives each finished chunk, in logging order per entity."""

    def __init__(self, config: ChunkBatcherConfig, on_chunk: Callable[[Chunk], None]) -> None:
        self._config = config.resolved()
        self._on_chunk = on_chunk
        self._lock = threading.Lock()
        self._pending: dict[str, list[PendingRow]] = defaultdict(list)
        self._pending_rows = 0
        self._pending_bytes = 0
        self._wake = threading.Event()
        self._closed = False
        self._thread: threading.Thread | None = None
        tick = self._config.flush_tick
        if tick is not None and 0 < tick < float("inf"):
            self._thread = threading.Thread(target=self._tick_loop, name="rerun-batcher", daemon=True)
            self._thread.start()

    def push(self, entity_path: str, row: PendingRow) -> None:
        with self._lock:
            self._pending[entity_path].append(row)
            self._pending_rows += 1
            self._pending_bytes += row.nbytes
            full = (
                self._pending_rows >= self._config.flush_num_rows  # type: ignore[operator]
                or self._pending_bytes >= self._config.flush_num_bytes  # type: ignore[operator]
            )
        if full:
            self.flush()

    def flush(self) -> None:
        """Turn every pending row into chunks now."""
        with self._lock:
            pending, self._pending = self._pending, defaultdict(list)
            self._pending_rows = self._pending_bytes = 0
            for entity_path, rows in pending.items():
                for chunk in _chunks_of(entity_path, rows, self._config.chunk_max_rows_if_unsorted or 8192):
                    self._on_chunk(chunk)

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        self.flush()

    def _tick_loop(self) -> None:
        while not self._closed:
            self._wake.wait(self._config.flush_tick)
            if self._closed:
                return
            try:
                self.flush()
            except Exception as err:  # a bad row must not kill the batcher thread
                import warnings

                from rerun._errors import RerunWarning

                warnings.warn(f"dropped data that could not be batched: {err}", RerunWarning, stacklevel=1)


def _chunks_of(entity_path: str, rows: list[PendingRow], max_rows_if_unsorted: int) -> list[Chunk]:
    """One chunk per distinct row shape (timelines, components and their types), as 0.41 batches."""
    groups: dict[tuple[object, ...], list[PendingRow]] = defaultdict(list)
    for row in rows:
        components = sorted(
            (d.component, str(d.archetype), str(d.component_type), str(a.type))
            for d, a in row.components.items()
        )
        shape = (tuple(sorted(row.timepoint)), tuple(components))
        groups[shape].append(row)
    return [_build(entity_path, tuple(sorted(group[0].timepoint)), group) for group in groups.values()]


def _build(entity_path: str, timelines: tuple[Timeline, ...], rows: list[PendingRow]) -> Chunk:
    row_ids = pa.array([row.row_id for row in rows], type=pa.binary(16))
    times = {t: pa.array([row.timepoint[t] for row in rows], type=pa.int64()) for t in timelines}
    descriptors: dict[ComponentDescriptor, None] = {}
    for row in rows:
        descriptors.update(dict.fromkeys(row.components))
    columns = {d: _list_column([row.components.get(d) for row in rows]) for d in descriptors}
    return Chunk.build(entity_path, timelines=times, components=columns, row_ids=row_ids)


def _list_column(batches: list[pa.Array | None]) -> pa.ListArray:
    """One list per row (null where the row did not log the component)."""
    present = [b for b in batches if b is not None]
    values = pa.concat_arrays(present) if len(present) > 1 else present[0]
    lengths = np.array([0 if b is None else len(b) for b in batches], dtype=np.int32)
    offsets = np.concatenate([[0], np.cumsum(lengths, dtype=np.int32)]).astype(np.int32)
    validity = np.array([b is not None for b in batches])
    mask = None if validity.all() else pa.array(~validity)
    list_type = pa.list_(pa.field("item", values.type, nullable=True))
    return pa.ListArray.from_arrays(pa.array(offsets), values, type=list_type, mask=mask)
