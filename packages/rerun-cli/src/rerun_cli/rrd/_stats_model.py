"""What ``rerun rrd stats`` measures, gathered in one pass over the inputs.

Sizes come from the frames as stored — compressed payload, uncompressed Arrow IPC stream, its
schema message — so ``--no-decode`` can report them without decoding any chunk.
"""

from __future__ import annotations

import math
import struct
from collections import Counter
from dataclasses import dataclass, field

import lz4.block

from rerun_cli.rrd._chunks import time_column_sorted
from rerun_core.chunk import Chunk
from rerun_core.log_msg import Compression
from rerun_core.proto import log_msg_pb2
from rerun_core.rrd import Frame

__all__ = ["ChunkSizes", "Distribution", "Stats", "percentile"]

_IPC_CONTINUATION = 0xFFFFFFFF


@dataclass(frozen=True)
class ChunkSizes:
    """Bytes of one ``ArrowMsg`` payload: as stored, as an IPC stream, and its schema part."""

    compressed: int
    uncompressed: int
    schema: int

    @classmethod
    def of(cls, frame: Frame) -> ChunkSizes:
        proto = log_msg_pb2.ArrowMsg.FromString(bytes(frame.body))
        payload = proto.payload
        if proto.compression == Compression.LZ4:
            head = lz4.block.decompress(payload, uncompressed_size=proto.uncompressed_size)
        else:
            head = payload
        return cls(len(payload), proto.uncompressed_size or len(head), _schema_message_size(head))


def _schema_message_size(ipc: bytes) -> int:
    """Length of the IPC stream's leading schema message (its flatbuffer metadata)."""
    if len(ipc) < 8:
        return 0
    first, second = struct.unpack_from("<Ii", ipc, 0)
    return second if first == _IPC_CONTINUATION else first


@dataclass
class Distribution:
    values: list[int] = field(default_factory=list)

    def add(self, value: int) -> None:
        self.values.append(value)

    @property
    def total(self) -> int:
        return sum(self.values)

    @property
    def average(self) -> float:
        return self.total / len(self.values) if self.values else 0.0


def percentile(values: list[int], fraction: float) -> int:
    """The value at rank ``floor(fraction * n)`` of the sorted values, as the reference picks it."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.floor(fraction * len(ordered)))] if ordered else 0


@dataclass
class Stats:
    """Counts over every chunk of every input."""

    num_chunks: int = 0
    num_rows: Distribution = field(default_factory=Distribution)
    num_indexes: Distribution = field(default_factory=Distribution)
    num_components: Distribution = field(default_factory=Distribution)
    num_static: int = 0
    num_without_components: int = 0
    per_entity: Counter[str] = field(default_factory=Counter)
    per_index: Counter[str] = field(default_factory=Counter)
    per_component: Counter[str] = field(default_factory=Counter)
    timelines_per_entity: dict[str, dict[str, bool]] = field(default_factory=dict)  # name -> all sorted?
    compressed: Distribution = field(default_factory=Distribution)
    uncompressed: Distribution = field(default_factory=Distribution)
    schema_only: Distribution = field(default_factory=Distribution)
    data_only: Distribution = field(default_factory=Distribution)

    def add_sizes(self, sizes: ChunkSizes) -> None:
        self.num_chunks += 1
        self.compressed.add(sizes.compressed)
        self.uncompressed.add(sizes.uncompressed)
        self.schema_only.add(sizes.schema)
        self.data_only.add(sizes.uncompressed - sizes.schema)

    def add_chunk(self, chunk: Chunk) -> None:
        self.num_rows.add(chunk.num_rows)
        self.num_indexes.add(len(chunk.timelines))
        self.num_components.add(len(chunk.components))
        self.num_static += chunk.is_static
        self.num_without_components += not chunk.components
        self.per_entity[chunk.entity_path] += 1
        self.per_index.update(list(chunk.timelines))
        self.per_component.update(d.component for d in chunk.components)
        sortedness = self.timelines_per_entity.setdefault(chunk.entity_path, {})
        for name in chunk.timelines:
            sortedness[name] = sortedness.get(name, True) and time_column_sorted(chunk, name)
