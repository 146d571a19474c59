"""Timelines: named time axes, each of one of three kinds, stored as Arrow index columns."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import pyarrow as pa

__all__ = ["TimeType", "Timeline", "index_bounds"]


class TimeType(IntEnum):
    """How a timeline's int64 values are read; numbers match ``rerun.common.v1alpha1.TimeType``."""

    SEQUENCE = 1
    DURATION_NS = 2
    TIMESTAMP_NS = 3

    @property
    def arrow_type(self) -> pa.DataType:
        return _ARROW_TYPES[self]

    @classmethod
    def from_arrow_type(cls, arrow_type: pa.DataType) -> TimeType:
        """The time type an index column of ``arrow_type`` holds; raises for anything else."""
        if pa.types.is_int64(arrow_type):
            return cls.SEQUENCE
        if pa.types.is_duration(arrow_type) and arrow_type.unit == "ns":
            return cls.DURATION_NS
        if pa.types.is_timestamp(arrow_type) and arrow_type.unit == "ns":
            return cls.TIMESTAMP_NS
        raise ValueError(f"{arrow_type} is not an index type (int64, duration[ns] or timestamp[ns])")


_ARROW_TYPES = {
    TimeType.SEQUENCE: pa.int64(),
    TimeType.DURATION_NS: pa.duration("ns"),
    TimeType.TIMESTAMP_NS: pa.timestamp("ns"),
}


@dataclass(frozen=True, order=True)
class Timeline:
    """A named time axis; ``log_time`` and ``log_tick`` are the ones the SDK adds by itself."""

    name: str
    typ: TimeType

    @property
    def arrow_type(self) -> pa.DataType:
        return self.typ.arrow_type


def index_bounds(times: pa.Array) -> tuple[int, int] | None:
    """Min and max of an index column as int64 (ns or sequence numbers); ``None`` when all null.

    numpy rather than ``pyarrow.compute``: this runs on the logging path, where importing the compute
    module alone would cost more than the work.
    """
    if times.null_count == len(times):
        return None
    values = times.view(pa.int64())
    if values.null_count:
        values = values.drop_null()
    array = values.to_numpy(zero_copy_only=False)
    return int(array.min()), int(array.max())
