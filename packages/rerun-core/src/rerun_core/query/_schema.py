"""The dataframe ("sorbet") schema of a store: index columns, then component columns, as 0.41 orders them.

Index columns are every timeline of the store, by name. Component columns are ordered by entity path
(``EntityPath`` order), then component name, with the recording properties last; each carries the
field metadata 0.41 writes (entity path, archetype, component, type, and the static / tombstone /
semantically-empty flags when true).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from functools import lru_cache

import pyarrow as pa

from rerun_core import sorbet
from rerun_core.entity_path import EntityPath, EntityPathWarning, dataframe_column_name
from rerun_core.query._contents import PROPERTIES, ContentsLike, resolve_contents
from rerun_core.store import ChunkStore, ColumnInfo
from rerun_core.timeline import Timeline
from rerun_core.tuid import TUID_ARROW_TYPE

__all__ = [
    "ROW_ID_FIELD",
    "column_name",
    "component_field",
    "dataframe_schema",
    "index_field",
    "parse_entity_path",
    "select_columns",
    "sort_columns",
]

ROW_ID_FIELD = pa.field(
    sorbet.ROW_ID_COLUMN,
    TUID_ARROW_TYPE,
    nullable=False,
    metadata={
        sorbet.KIND: sorbet.KIND_CONTROL,
        sorbet.EXTENSION_NAME: sorbet.ROW_ID_FIELD_METADATA[sorbet.EXTENSION_NAME],
        sorbet.EXTENSION_METADATA: sorbet.ROW_ID_FIELD_METADATA[sorbet.EXTENSION_METADATA],
    },
)


@lru_cache(maxsize=65536)
def parse_entity_path(text: str) -> EntityPath:
    """A stored chunk's entity path (already canonical text, so parsing never needs to warn)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EntityPathWarning)
        return EntityPath.parse(text)


def column_name(column: ColumnInfo) -> str:
    """``/entity:Archetype:field``, or ``property:...`` for recording properties."""
    return dataframe_column_name(parse_entity_path(column.entity_path), column.component)


def _sort_key(column: ColumnInfo) -> tuple[bool, EntityPath, str]:
    path = parse_entity_path(column.entity_path)
    return path.starts_with(PROPERTIES), path, column.component


def sort_columns(columns: Iterable[ColumnInfo]) -> list[ColumnInfo]:
    return sorted(columns, key=_sort_key)


def index_field(timeline: Timeline) -> pa.Field:
    metadata = {sorbet.KIND: sorbet.KIND_INDEX, sorbet.INDEX_NAME: timeline.name}
    return pa.field(timeline.name, timeline.arrow_type, nullable=True, metadata=metadata)


def component_field(column: ColumnInfo) -> pa.Field:
    descriptor = column.descriptor
    metadata = {sorbet.KIND: sorbet.KIND_DATA, sorbet.ENTITY_PATH: column.entity_path}
    if descriptor.archetype is not None:
        metadata[sorbet.ARCHETYPE] = descriptor.archetype
    metadata[sorbet.COMPONENT] = descriptor.component
    if descriptor.component_type is not None:
        metadata[sorbet.COMPONENT_TYPE] = descriptor.component_type
    for key, flag in (
        (sorbet.IS_STATIC, column.is_static),
        (sorbet.IS_TOMBSTONE, column.is_tombstone),
        (sorbet.IS_SEMANTICALLY_EMPTY, column.is_semantically_empty),
    ):
        if flag:
            metadata[key] = "true"
    return pa.field(column_name(column), column.datatype, nullable=True, metadata=metadata)


def dataframe_schema(store: ChunkStore) -> pa.Schema:
    """Every column of the store in dataframe form (row id, indexes, all components incl. properties)."""
    fields = [ROW_ID_FIELD]
    fields += [index_field(timeline) for timeline in store.timelines().values()]
    fields += [component_field(column) for column in sort_columns(store.columns())]
    return pa.schema(fields)


def select_columns(
    store: ChunkStore,
    contents: ContentsLike = None,
    *,
    include_semantically_empty_columns: bool = False,
    include_tombstone_columns: bool = False,
    static_only: bool = False,
) -> list[ColumnInfo]:
    """The component columns a dataframe query returns, in output order."""
    selected = resolve_contents(contents, store.entity_paths())
    columns = []
    for column in store.columns():
        if column.entity_path not in selected:
            continue
        wanted = selected[column.entity_path]
        if wanted is not None and column.component not in wanted:
            continue
        if column.is_semantically_empty and not include_semantically_empty_columns:
            continue
        if column.is_tombstone and not include_tombstone_columns:
            continue
        if static_only and not column.is_static:
            continue
        columns.append(column)
    return sort_columns(columns)
