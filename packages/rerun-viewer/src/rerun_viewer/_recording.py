"""Recordings as the viewer holds them: one ChunkStore per store id, filled from files or live streams.

A :class:`RecordingSet` is written by background threads (file readers, the gRPC endpoint) and read
by the UI thread. Writers take :attr:`RecordingSet.lock` for one message at a time and step aside
whenever a reader waits, so a frame never waits for more than one insertion.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from rerun_core import ArrowMsg, BlueprintActivationCommand
from rerun_core.errors import RrdError
from rerun_core.log_msg import LogMsg, StoreId, StoreKind
from rerun_core.rrd import read_rrd
from rerun_core.store import GC_HEADROOM, ChunkStore
from rerun_viewer.errors import RecordingLoadError

__all__ = ["Recording", "RecordingSet", "load_recordings"]


@dataclass
class Recording:
    """One store (a recording or a blueprint) and where it came from."""

    store_id: StoreId
    store: ChunkStore
    sources: list[str] = field(default_factory=list)

    @property
    def is_blueprint(self) -> bool:
        return self.store_id.kind == StoreKind.BLUEPRINT

    @property
    def name(self) -> str:
        return self.store_id.recording_id


class RecordingSet:
    """Every store the viewer knows, in arrival order, safe to fill from other threads.

    ``memory_limit_bytes`` bounds the Arrow bytes of all recordings together: over it, the largest
    recording drops its oldest temporal data (as :meth:`ChunkStore.gc` does) down to 90% of the limit.
    """

    def __init__(self, *, memory_limit_bytes: int | None = None) -> None:
        if memory_limit_bytes is not None and memory_limit_bytes < 0:
            raise ValueError(f"memory_limit_bytes must be >= 0, got {memory_limit_bytes}")
        self.memory_limit_bytes = memory_limit_bytes
        self.lock = threading.Lock()
        self.blueprint_activations: list[BlueprintActivationCommand] = []
        self.generation = 0  # bumped on every change: a reader compares it to know what is new
        self._recordings: dict[StoreId, Recording] = {}
        self._readers_waiting = 0
        self._waiting_lock = threading.Lock()

    def recordings(self) -> list[Recording]:
        """Every store so far (hold :meth:`reading` while using their contents)."""
        return list(self._recordings.values())

    @contextlib.contextmanager
    def reading(self) -> Iterator[list[Recording]]:
        """Hold the set still (writers pause) and get its recordings."""
        with self._waiting_lock:
            self._readers_waiting += 1
        try:
            with self.lock:
                yield self.recordings()
        finally:
            with self._waiting_lock:
                self._readers_waiting -= 1

    def add(self, msg: LogMsg, source: str) -> None:
        """File one message under its store (creating the store on first sight), then let readers in.

        Oversized chunks are cut before the lock is taken: that copy is the slow part of insertion.
        """
        messages: list[LogMsg] = [msg]
        if isinstance(msg, ArrowMsg) and (recording := self._recordings.get(msg.store_id)) is not None:
            pieces = recording.store.split_for_insert(msg.chunk)
            if len(pieces) > 1:
                messages = [replace(msg, chunk=piece) for piece in pieces]
        for message in messages:
            with self.lock:
                self._add_locked(message, source)
                self.generation += 1
            if self._readers_waiting:
                time.sleep(0.001)  # hand the lock (and the GIL) to the waiting reader

    def add_all(self, messages: Iterable[LogMsg], source: str) -> int:
        """:meth:`add` each message; returns how many there were."""
        count = 0
        for msg in messages:
            self.add(msg, source)
            count += 1
        return count

    def remove(self, store_id: StoreId) -> Recording | None:
        """Forget a store (the viewer closed it); returns it, ``None`` when it was not there."""
        with self.lock:
            removed = self._recordings.pop(store_id, None)
            self.generation += removed is not None
        return removed

    def _add_locked(self, msg: LogMsg, source: str) -> None:
        if isinstance(msg, BlueprintActivationCommand):
            self.blueprint_activations.append(msg)
            return
        recording = self._recordings.get(msg.store_id)
        if recording is None:
            recording = self._recordings[msg.store_id] = Recording(msg.store_id, ChunkStore(msg.store_id))
        if source not in recording.sources:
            recording.sources.append(source)
        if isinstance(msg, ArrowMsg):
            recording.store.insert(msg.chunk)
            self._enforce_memory_limit()

    def _enforce_memory_limit(self) -> None:
        limit = self.memory_limit_bytes
        if limit is None:
            return
        stores = [r.store for r in self._recordings.values()]
        excess = sum(store.nbytes for store in stores) - limit
        if excess > 0:
            largest = max(stores, key=lambda store: store.nbytes)
            largest.gc(max(0, largest.nbytes - excess - int(limit * GC_HEADROOM)))


def load_recordings(paths: Iterable[str | os.PathLike[str]]) -> list[Recording]:
    """Read every message of every file; stores with the same id (across files) are merged."""
    recordings = RecordingSet()
    for path in paths:
        load_file(Path(path), recordings)
    return recordings.recordings()


def load_file(path: Path, recordings: RecordingSet) -> int:
    """Stream one RRD (or .rbl) file into ``recordings``; returns the number of messages read."""
    if not path.is_file():
        raise RecordingLoadError(f"no such file: {str(path)!r}")
    try:
        return recordings.add_all(read_rrd(path), str(path))
    except (RrdError, ValueError) as err:
        raise RecordingLoadError(f"cannot read {str(path)!r} as an RRD file: {err}") from err
