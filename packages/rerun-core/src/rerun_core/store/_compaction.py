"""Chunk sizing on insertion, following 0.41: oversized chunks are split, small ones merged.

A chunk over the thresholds is cut into consecutive pieces of equal row count (pieces are never
merged again). A small temporal chunk is merged into its best neighbour: each stored chunk that would sit right before or right after the new one in some (timeline,
component) index earns points (twice as many when both start at the same time), weighted by its row
count; the highest-scoring chunk that can be concatenated and stays within the thresholds wins.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rerun_core.store._config import ChunkStoreConfig
from rerun_core.store._index import TimeIndex
from rerun_core.store._stored import StoredChunk, concatenable, concatenate_chunks, slice_chunk
from rerun_core.tuid import Tuid

__all__ = ["elect_compaction_candidate", "merge", "split_if_needed"]


def _within_thresholds(config: ChunkStoreConfig, rows: int, nbytes: int, *, sorted_rows: bool) -> bool:
    max_rows = config.max_rows if sorted_rows else config.max_rows_if_unsorted
    return nbytes <= config.max_bytes and rows <= max_rows


def _merge_weight(chunk: StoredChunk, candidate: StoredChunk, config: ChunkStoreConfig) -> int:
    """The candidate's row count if the two can be merged within the thresholds, else 0."""
    fits = concatenable(chunk, candidate) and _within_thresholds(
        config,
        chunk.num_rows + candidate.num_rows,
        chunk.nbytes + candidate.nbytes,
        sorted_rows=candidate.all_timelines_sorted,
    )
    return candidate.num_rows if fits else 0


def elect_compaction_candidate(
    chunk: StoredChunk,
    indexes: Mapping[str, Mapping[str, TimeIndex]],
    lookup: Callable[[Tuid], StoredChunk | None],
    config: ChunkStoreConfig,
    split_pieces: set[Tuid],
) -> StoredChunk | None:
    """The stored chunk ``chunk`` should be merged into, or ``None``.

    ``indexes`` are the per-timeline, per-component indexes of the chunk's entity; chunks in
    ``split_pieces`` (cut from bigger ones) never take part in a merge.
    """
    if chunk.id in split_pieces:
        return None
    if not config.compaction_enabled or not _within_thresholds(
        config, chunk.num_rows, chunk.nbytes, sorted_rows=chunk.all_timelines_sorted
    ):
        return None
    weights: dict[Tuid, int] = {}

    def weight(chunk_id: Tuid) -> int:
        if chunk_id not in weights:
            candidate = None if chunk_id in split_pieces else lookup(chunk_id)
            weights[chunk_id] = 0 if candidate is None else _merge_weight(chunk, candidate, config)
        return weights[chunk_id]

    points: dict[Tuid, int] = {}
    for timeline, ranges in chunk.component_time_ranges.items():
        per_component = indexes.get(timeline, {})
        for component, time_range in ranges.items():
            index = per_component.get(component)
            if not index:
                continue
            before, after, same_start = index.neighbours(time_range)
            for chunk_id in (*before, *after):
                points[chunk_id] = points.get(chunk_id, 0) + weight(chunk_id)
            for chunk_id in same_start:
                points[chunk_id] = points.get(chunk_id, 0) + 2 * weight(chunk_id)
    scored = [(score, chunk_id) for chunk_id, score in points.items() if score > 0]
    return lookup(max(scored)[1]) if scored else None


def merge(chunk: StoredChunk, elected: StoredChunk) -> StoredChunk:
    """One chunk with the rows of both, older rows (by row id) first, sorted by row id."""
    first, second = (elected, chunk) if elected.row_id_min < chunk.row_id_min else (chunk, elected)
    return StoredChunk(concatenate_chunks(first.chunk, second.chunk))


def split_if_needed(chunk: StoredChunk, config: ChunkStoreConfig) -> list[StoredChunk] | None:
    """Pieces (copies, with new ids) of a chunk over the thresholds, or ``None`` if it fits."""
    rows = chunk.num_rows
    if rows <= 1:
        return None
    too_big = 0 < config.max_bytes < chunk.nbytes
    too_long = 0 < config.max_rows < rows
    too_long_unsorted = 0 < config.max_rows_if_unsorted < rows and not chunk.all_timelines_sorted
    if too_long_unsorted:
        target = config.max_rows_if_unsorted
    elif too_long:
        target = config.max_rows
    elif too_big:
        target = config.max_bytes // max(chunk.nbytes // rows, 1)
    else:
        return None
    target = max(target, 1)
    return [
        StoredChunk(slice_chunk(chunk.chunk, start, min(target, rows - start)))
        for start in range(0, rows, target)
    ]
