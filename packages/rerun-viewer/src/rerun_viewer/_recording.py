"""Recordings as the viewer holds them: one ChunkStore per store id, filled from RRD files."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rerun_core import ArrowMsg, SetStoreInfo
from rerun_core.errors import RrdError
from rerun_core.log_msg import StoreId, StoreKind
from rerun_core.rrd import read_rrd
from rerun_core.store import ChunkStore
from rerun_viewer.errors import RecordingLoadError

__all__ = ["Recording", "load_recordings"]


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


def load_recordings(paths: Iterable[str | os.PathLike[str]]) -> list[Recording]:
    """Read every message of every file; stores with the same id (across files) are merged."""
    recordings: dict[StoreId, Recording] = {}
    for path in paths:
        _load_file(Path(path), recordings)
    return list(recordings.values())


def _load_file(path: Path, recordings: dict[StoreId, Recording]) -> None:
    if not path.is_file():
        raise RecordingLoadError(f"no such file: {str(path)!r}")
    try:
        for msg in read_rrd(path):
            if isinstance(msg, SetStoreInfo | ArrowMsg):
                recording = _recording_for(msg.store_id, recordings)
                if str(path) not in recording.sources:
                    recording.sources.append(str(path))
                if isinstance(msg, ArrowMsg):
                    recording.store.insert(msg.chunk)
    except (RrdError, ValueError) as err:
        raise RecordingLoadError(f"cannot read {str(path)!r} as an RRD file: {err}") from err


def _recording_for(store_id: StoreId, recordings: dict[StoreId, Recording]) -> Recording:
    if store_id not in recordings:
        recordings[store_id] = Recording(store_id, ChunkStore(store_id))
    return recordings[store_id]
