"""Conveniences of the blueprint datatypes (``rerun.blueprint.encodings``).

Columns are named the way users write them: ``"/entity/path:Component"`` selects a component column,
any other string a timeline, and a column kind is its enum name (``"loglevel"``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from rerun._converters import Converter, structured

__all__ = [
    "ComponentColumnSelectorExt",
    "FilterIsNotNullExt",
    "SelectedColumnsExt",
    "coercing",
    "selected_columns_to_arrow",
]


class ComponentColumnSelectorExt:
    """Extension of ``ComponentColumnSelector``: ``"/entity/path:Component"`` or both parts."""

    def __init__(
        self: Any, spec: str | None = None, *, entity_path: Any = None, component: Any = None
    ) -> None:
        if spec is not None:
            if entity_path is not None or component is not None:
                raise ValueError("Either `spec` or both `entity_path` and `component` must be provided.")
            if not _is_selector_spec(spec):
                raise ValueError(f"Invalid component column specifier: {spec}")
            entity_path, component = spec.split(":")
        elif entity_path is None or component is None:
            raise ValueError("Both `entity_path` and `component` must be provided.")
        self._set_fields(entity_path=entity_path, component=component)


def _is_selector_spec(value: Any) -> bool:
    return isinstance(value, str) and value.count(":") == 1


class SelectedColumnsExt:
    """Extension of ``SelectedColumns``: one list of columns, split into timelines and component columns."""

    def __init__(self: Any, columns: Iterable[Any]) -> None:
        if isinstance(columns, str):
            raise TypeError(f"SelectedColumns takes a list of columns, not the string {columns!r}")
        time_columns, component_columns = [], []
        for column in columns:
            if _is_component_column(column):
                component_columns.append(column)
            elif isinstance(column, str) or _is_utf8(column):
                time_columns.append(column)
            else:
                raise ValueError(f"Unexpected column type: {column!r}")
        self._set_fields(time_columns=time_columns, component_columns=component_columns)


def _is_component_column(column: Any) -> bool:
    return isinstance(column, ComponentColumnSelectorExt) or _is_selector_spec(column)


def _is_utf8(column: Any) -> bool:
    from rerun._generated.encodings import Utf8

    return isinstance(column, Utf8)


def selected_columns_to_arrow(data: Any, arrow_type: pa.DataType) -> pa.Array:
    """Batches of ``SelectedColumns``: values, or column lists (a flat list of columns is one value)."""
    from rerun._generated.encodings import SelectedColumns

    if isinstance(data, SelectedColumns) or _is_column_list(data):
        data = [data]
    return structured(
        [item if isinstance(item, SelectedColumns) else SelectedColumns(item) for item in data], arrow_type
    )


def _is_column_list(data: Any) -> bool:
    items = list(data) if isinstance(data, list | tuple) else None
    return bool(items) and all(
        isinstance(item, str) or _is_component_column(item) or _is_utf8(item) for item in items or []
    )


def coercing(cls: Any) -> Converter:
    """The converter of a component whose datatype is ``cls``: every item becomes a ``cls`` value first."""

    def convert(data: Any, arrow_type: pa.DataType) -> pa.Array:
        if isinstance(data, pa.Array):
            return structured(data, arrow_type)
        single = isinstance(data, cls | dict | str) or not isinstance(data, Iterable) or _is_fields(cls, data)
        return structured([cls._coerce(item) for item in ([data] if single else data)], arrow_type)

    return convert


def _is_fields(cls: Any, data: Any) -> bool:
    """A tuple of one value's fields (``(1, 5)`` for a ``FilterByRange``) rather than of values."""
    plain = (
        not any(isinstance(item, tuple | list | dict | cls) for item in data)
        if isinstance(data, tuple)
        else False
    )
    return plain and len(data) == len(cls._FIELDS) > 1


class FilterIsNotNullExt:
    """Extension of ``FilterIsNotNull``: a column on its own is an active filter on that column."""

    @classmethod
    def _coerce(cls, value: Any) -> Any:
        if isinstance(value, str | ComponentColumnSelectorExt):
            return cls(True, value)  # type: ignore[call-arg]  # the generated subclass takes the fields
        return super()._coerce(value)  # type: ignore[misc]  # the generated class derives from a Datatype
