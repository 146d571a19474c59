"""Columnar logging: ``rr.send_columns`` with ``TimeColumn``s and component columns, in one chunk.

Unlike ``rr.log`` it ignores the stateful time set by ``set_time`` and adds no ``log_time``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pyarrow as pa

from rerun._baseclasses import ComponentColumn
from rerun._errors import catch_and_warn
from rerun._log import entity_path_of
from rerun._time import duration_to_ns, time_value, timestamp_to_ns
from rerun_core import Chunk, Timeline

__all__ = ["TimeColumn", "send_columns"]


class TimeColumn:
    """Many time points of one timeline, one per row."""

    def __init__(
        self, timeline: str, *, sequence: Any = None, duration: Any = None, timestamp: Any = None
    ) -> None:
        # Validates "exactly one of" with the same message as set_time, using a dummy scalar.
        probe = {
            k: 0
            for k, v in (("sequence", sequence), ("duration", duration), ("timestamp", timestamp))
            if v is not None
        }
        kind, _ = time_value(timeline, **probe)
        self.timeline = kind
        self._values = _nanos(sequence, duration, timestamp)

    def timeline_name(self) -> str:
        return self.timeline.name

    def as_arrow_array(self) -> pa.Array:
        return pa.array(self._values, type=pa.int64()).view(self.timeline.arrow_type)


def _nanos(sequence: Any, duration: Any, timestamp: Any) -> np.ndarray:
    if sequence is not None:
        return np.asarray(sequence, dtype=np.int64).ravel()
    values, to_ns, unit = (
        (duration, duration_to_ns, "timedelta64[ns]")
        if duration is not None
        else (timestamp, timestamp_to_ns, "datetime64[ns]")
    )
    array = np.asarray(values)
    if array.dtype.kind in "mM":
        return array.astype(unit).astype(np.int64).ravel()
    if array.dtype.kind in "iu":
        return array.astype(np.int64).ravel() * 1_000_000_000
    if array.dtype.kind == "f":
        return (
            (array.astype(np.float64) * 1e9).astype(np.int64).ravel()
        )  # truncates, as 0.41 does for columns
    return np.array([to_ns(v) for v in values], dtype=np.int64)


def send_columns(
    recording: Any,
    entity_path: str,
    indexes: Iterable[Any],
    columns: Iterable[Any],
    *,
    strict: bool | None = None,
) -> None:
    """Build one chunk from the columns (all of the same length) and send it."""
    with catch_and_warn("send_columns", strict=strict):
        timelines: dict[Timeline, pa.Array] = {}
        for index in indexes:
            timelines[index.timeline] = index.as_arrow_array()
        components = {}
        for column in columns:
            column = column if isinstance(column, ComponentColumn) else ComponentColumn(*column)
            components[column.component_descriptor()] = column.as_arrow_array()
        chunk = Chunk.build(entity_path_of(entity_path), timelines=timelines, components=components)
        recording.log_chunk(chunk)
