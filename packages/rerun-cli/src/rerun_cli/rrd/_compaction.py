"""Chunk compaction for ``rerun rrd optimize``: merge small chunks of an entity into bigger ones.

A stand-in local to the CLI until the shared chunk store (``rerun_core.store``) offers compaction;
:func:`compact` is the one entry point to swap for it. The rules follow what rerun 0.41 does:

* only temporal chunks of the same entity *and* the same timelines (names and types) merge;
  differing component sets are fine — missing cells become nulls — but a component whose type
  or descriptor differs keeps chunks apart; static chunks are never merged;
* a merged chunk stays within ``max_rows`` rows and ``max_bytes`` bytes, and also within
  ``max_rows_if_unsorted`` rows when its time columns would not be sorted;
* a temporal chunk over ``max_rows`` or ``max_bytes`` is first cut into consecutive slices that fit
  (the last one takes the remainder); static chunks are never cut;
* rows of a merged chunk are in row-id order (as the reference's concatenation leaves them).

Candidates are taken in row-id order and packed greedily, which is stable after one pass (the
reference iterates towards the same fixpoint over several passes). Sizes are our own estimate
(Arrow buffer bytes), not the reference's in-memory size, so size-bound results can differ a little.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rerun_cli.rrd._chunks import concat_chunks, index_sorted, rebuild, row_id_keys
from rerun_core.chunk import Chunk
from rerun_core.timeline import index_bounds

__all__ = ["CompactionLimits", "compact"]


@dataclass(frozen=True)
class CompactionLimits:
    max_bytes: int
    max_rows: int
    max_rows_if_unsorted: int


@dataclass
class _Bucket:
    """Chunks that will become one: running totals and what the next candidate must agree with."""

    chunks: list[Chunk] = field(default_factory=list)
    rows: int = 0
    num_bytes: int = 0
    sorted_times: bool = True
    last_times: dict[str, int] = field(default_factory=dict)
    columns: dict[str, object] = field(default_factory=dict)


def compact(chunks: Iterable[Chunk], limits: CompactionLimits) -> list[Chunk]:
    """The chunks, with small temporal ones merged; statics and lone chunks come back unchanged."""
    statics: list[Chunk] = []
    groups: dict[tuple[object, ...], list[Chunk]] = {}
    for chunk in chunks:
        if chunk.is_static:
            statics.append(chunk)
        else:
            groups.setdefault(_group_key(chunk), []).extend(_cut(chunk, limits))
    result = list(statics)
    for members in groups.values():
        members.sort(key=_first_row_id)
        result += _pack(members, limits)
    return result


def _cut(chunk: Chunk, limits: CompactionLimits) -> list[Chunk]:
    """Consecutive slices of ``chunk``, each within the row and byte limits."""
    rows_by_size = chunk.num_rows * limits.max_bytes // max(chunk.nbytes, 1)
    per_slice = max(1, min(limits.max_rows, rows_by_size))
    if chunk.num_rows <= per_slice:
        return [chunk]
    batch = chunk.to_record_batch()
    return [rebuild(batch.slice(start, per_slice)) for start in range(0, chunk.num_rows, per_slice)]


def _group_key(chunk: Chunk) -> tuple[object, ...]:
    timelines = tuple(sorted((name, int(timeline.typ)) for name, timeline in chunk.timelines.items()))
    return chunk.entity_path, timelines


def _first_row_id(chunk: Chunk) -> tuple[int, int]:
    keys = row_id_keys(chunk.row_ids)
    first = keys.min(axis=0) if len(keys) else (0, 0)
    return int(first[0]), int(first[1])


def _pack(members: list[Chunk], limits: CompactionLimits) -> list[Chunk]:
    result: list[Chunk] = []
    bucket = _Bucket()
    for chunk in members:
        if bucket.chunks and not _fits(bucket, chunk, limits):
            result.append(_flush(bucket))
            bucket = _Bucket()
        _add(bucket, chunk)
    if bucket.chunks:
        result.append(_flush(bucket))
    return result


def _columns(chunk: Chunk) -> dict[str, object]:
    return {d.component: (d, column.type) for d, column in chunk.components.items()}


def _fits(bucket: _Bucket, chunk: Chunk, limits: CompactionLimits) -> bool:
    columns = _columns(chunk)
    if any(bucket.columns.get(name, spec) != spec for name, spec in columns.items()):
        return False
    sorted_times = bucket.sorted_times and _continues_sorted(bucket, chunk)
    max_rows = limits.max_rows if sorted_times else min(limits.max_rows, limits.max_rows_if_unsorted)
    return bucket.rows + chunk.num_rows <= max_rows and bucket.num_bytes + chunk.nbytes <= limits.max_bytes


def _continues_sorted(bucket: _Bucket, chunk: Chunk) -> bool:
    """Would appending ``chunk`` keep every time column of the bucket sorted?"""
    for name in chunk.timelines:
        times = chunk.index_column(name)
        if not index_sorted(times):
            return False
        bounds = index_bounds(times)
        if bounds is not None and name in bucket.last_times and bounds[0] < bucket.last_times[name]:
            return False
    return True


def _add(bucket: _Bucket, chunk: Chunk) -> None:
    if bucket.chunks:
        bucket.sorted_times = bucket.sorted_times and _continues_sorted(bucket, chunk)
    else:
        bucket.sorted_times = all(index_sorted(chunk.index_column(name)) for name in chunk.timelines)
    bucket.chunks.append(chunk)
    bucket.rows += chunk.num_rows
    bucket.num_bytes += chunk.nbytes
    bucket.columns.update(_columns(chunk))
    for name in chunk.timelines:
        bounds = index_bounds(chunk.index_column(name))
        if bounds is not None:
            bucket.last_times[name] = max(bounds[1], bucket.last_times.get(name, bounds[1]))


def _flush(bucket: _Bucket) -> Chunk:
    return bucket.chunks[0] if len(bucket.chunks) == 1 else concat_chunks(bucket.chunks)
