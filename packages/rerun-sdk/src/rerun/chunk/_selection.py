"""What ``LazyChunkStream.filter`` / ``drop`` / ``split`` match: whole chunks, then component columns.

Chunk-level criteria (entity path filter, a timeline, static or not) keep or reject a chunk whole;
``components`` then cuts a matching chunk in two by columns: the listed components (a new chunk)
and the rest (the same chunk when nothing was cut off, else a new one). Row ids are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rerun_core import Chunk as CoreChunk
from rerun_core import ComponentDescriptor, sorbet
from rerun_core.query._contents import EntityPathFilter
from rerun_core.tuid import new_tuid

__all__ = ["ChunkSelector", "content_expressions"]


def content_expressions(content: Any) -> list[str] | None:
    """``None``, one expression, a list of them, or a ``ContentFilter``-like object (``to_exprs()``)."""
    if content is None:
        return None
    if isinstance(content, str):
        return [content]
    if hasattr(content, "to_exprs"):
        return list(content.to_exprs())
    return list(content)


def _component_names(components: Any) -> frozenset[str] | None:
    if components is None:
        return None
    if isinstance(components, str | ComponentDescriptor):
        components = [components]
    return frozenset(c if isinstance(c, str) else c.component for c in components)


@dataclass(frozen=True)
class ChunkSelector:
    """The criteria of one ``filter``/``drop``/``split`` call, all of which must hold (AND)."""

    content: EntityPathFilter | None
    has_timeline: str | None
    is_static: bool | None
    components: frozenset[str] | None

    @classmethod
    def parse(cls, *, content: Any, has_timeline: Any, is_static: Any, components: Any) -> ChunkSelector:
        expressions = content_expressions(content)
        if is_static is not None and not isinstance(is_static, bool):
            raise TypeError(
                f"argument 'is_static': {type(is_static).__name__!r} object is not an instance of 'bool'"
            )
        if has_timeline is not None and not isinstance(has_timeline, str):
            raise TypeError(
                f"argument 'has_timeline': {type(has_timeline).__name__!r} object is not an instance of 'str'"
            )
        return cls(
            None if expressions is None else EntityPathFilter.parse(expressions),
            has_timeline,
            is_static,
            _component_names(components),
        )

    def matches_chunk(self, chunk: CoreChunk) -> bool:
        return (
            (self.content is None or self.content.matches(chunk.entity_path))
            and (self.has_timeline is None or self.has_timeline in chunk.timelines)
            and (self.is_static is None or self.is_static == chunk.is_static)
        )

    def partition(self, chunk: CoreChunk) -> tuple[CoreChunk | None, CoreChunk | None]:
        """(what ``filter`` keeps, what ``drop`` keeps) of one chunk; either may be ``None``."""
        if not self.matches_chunk(chunk):
            return None, chunk
        if self.components is None:
            return chunk, None
        names = [d.component for d in chunk.components]
        matched = [n for n in names if n in self.components]
        if not matched:
            return None, chunk
        rest = [n for n in names if n not in self.components]
        return _with_components(chunk, matched), (_with_components(chunk, rest) if rest else None)


def _with_components(chunk: CoreChunk, keep: Sequence[str]) -> CoreChunk:
    """A new chunk (fresh id, same row ids and timelines) holding only some component columns."""
    batch = chunk.to_record_batch()
    wanted = set(keep)
    first = batch.num_columns - len(chunk.components)
    columns = list(range(first)) + [
        first + i for i, d in enumerate(chunk.components) if d.component in wanted
    ]
    chunk_id = new_tuid()
    metadata = sorbet.decode_metadata(batch.schema.metadata)
    metadata[sorbet.ID] = f"chunk_{chunk_id}"
    selected = batch.select(columns)
    return CoreChunk(selected.replace_schema_metadata(sorbet.encode_metadata(metadata)), chunk_id)
