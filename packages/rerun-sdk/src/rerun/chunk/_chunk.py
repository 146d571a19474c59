"""``rr.chunk.Chunk``: the public face of one chunk (``rerun_core.Chunk`` does the work)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from rerun._send_dataframe import AUTO_INDEX
from rerun_core import Chunk as CoreChunk
from rerun_core import sorbet
from rerun_core.tuid import new_tuid

if TYPE_CHECKING:
    from rerun._baseclasses import ComponentColumn

__all__ = ["Chunk", "unwrap_chunk"]


class Chunk:
    """One chunk: rows of a single entity, with their timelines and component columns.

    Build one with :meth:`from_columns`, :meth:`from_record_batch`, :meth:`from_dataframe` or
    :meth:`from_property`; chunks also come out of readers and streams.
    """

    __slots__ = ("_internal",)

    def __init__(self, internal: CoreChunk) -> None:
        self._internal = internal

    # ---- construction -------------------------------------------------------------------------

    @classmethod
    def from_record_batch(
        cls, record_batch: pa.RecordBatch, *, index: Any = AUTO_INDEX, entity_path: str | None = None
    ) -> list[Chunk]:
        """Interpret a record batch as chunks, one per entity path, in first-seen column order.

        ``index`` picks the timeline columns: omitted, the columns marked as indexes in the
        ``rerun:kind`` metadata; a name or list of names, exactly those; ``None``, none (static data).
        A batch that is already a whole chunk (row ids and chunk id) keeps both when ``index`` and
        ``entity_path`` are omitted. ``entity_path`` is the default for columns that name none.
        """
        from rerun.chunk._from_batch import chunks_from_record_batch

        return [cls(chunk) for chunk in chunks_from_record_batch(record_batch, index, entity_path)]

    @classmethod
    def from_dataframe(
        cls, dataframe: Any, *, index: Any = AUTO_INDEX, entity_path: str | None = None
    ) -> Iterator[Chunk]:
        """Lazily turn a table, record batch, reader, or any Arrow stream (e.g. a DataFusion
        DataFrame) into chunks, batch by batch (see :meth:`from_record_batch`)."""
        from rerun.chunk._from_batch import record_batch_reader

        reader = record_batch_reader(dataframe)  # now, so that a bad argument fails at the call

        def chunks() -> Iterator[Chunk]:
            for batch in reader:
                yield from cls.from_record_batch(batch, index=index, entity_path=entity_path)

        return chunks()

    @classmethod
    def from_columns(
        cls, entity_path: str, indexes: Iterable[Any], columns: Iterable[ComponentColumn]
    ) -> Chunk:
        """A chunk from time columns and component columns, as ``rr.send_columns`` takes them."""
        from rerun.chunk._from_batch import chunk_from_columns

        return cls(chunk_from_columns(entity_path, indexes, columns))

    @classmethod
    def from_property(cls, name: str, values: Any) -> Chunk:
        """The static chunk ``rr.send_property(name, values)`` would send."""
        from rerun.chunk._from_batch import chunk_from_property

        return cls(chunk_from_property(name, values))

    # ---- identity -----------------------------------------------------------------------------

    @property
    def id(self) -> str:
        return f"chunk_{self._internal.id}"

    @property
    def entity_path(self) -> str:
        return self._internal.entity_path

    @property
    def num_rows(self) -> int:
        return self._internal.num_rows

    @property
    def num_columns(self) -> int:
        """Every column, row ids and timelines included."""
        return self._internal.to_record_batch().num_columns

    @property
    def is_static(self) -> bool:
        return self._internal.is_static

    @property
    def is_empty(self) -> bool:
        return self._internal.num_rows == 0

    @property
    def timeline_names(self) -> list[str]:
        return list(self._internal.timelines)

    def to_record_batch(self) -> pa.RecordBatch:
        """The chunk as its sorbet record batch (no copy)."""
        return self._internal.to_record_batch()

    def with_entity_path(self, entity_path: str) -> Chunk:
        """The same rows (row ids kept) under another entity path, as a chunk with a fresh id."""
        from rerun._log import entity_path_of

        path = entity_path_of(entity_path)
        batch = self._internal.to_record_batch()
        chunk_id = new_tuid()
        metadata = sorbet.decode_metadata(batch.schema.metadata)
        metadata.update({sorbet.ENTITY_PATH: path, sorbet.ID: f"chunk_{chunk_id}"})
        return Chunk(CoreChunk(batch.replace_schema_metadata(sorbet.encode_metadata(metadata)), chunk_id))

    def format(self, *, width: int = 240, redact: bool = False, trim_metadata_keys: bool = True) -> str:
        """The chunk as a text table: its metadata, then one column per field."""
        from rerun.chunk._format import format_batch

        return format_batch(
            self._internal.to_record_batch(),
            width=width,
            redact=redact,
            trim_metadata_keys=trim_metadata_keys,
        )

    def __repr__(self) -> str:
        return (
            f"Chunk(id={self.id}, entity_path={self.entity_path}, "
            f"num_rows={self.num_rows}, num_columns={self.num_columns})"
        )

    def __str__(self) -> str:
        return self.format()

    def __len__(self) -> int:
        return self._internal.num_rows


def unwrap_chunk(chunk: object, what: str) -> CoreChunk:
    """The engine chunk of a public one; anything else is a ``TypeError`` naming ``what`` expected it."""
    if not isinstance(chunk, Chunk):
        raise TypeError(f"{what} expects Chunk objects, got {type(chunk).__name__!r}")
    return chunk._internal
