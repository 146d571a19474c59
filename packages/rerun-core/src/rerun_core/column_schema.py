"""The column schema of a store as 0.41 shows it (``rerun.chunk.Schema`` / ``rerun.catalog.Schema``).

Shared by the SDK's chunk module and the catalog client; see :class:`Schema`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa

from rerun_core import sorbet
from rerun_core.query._contents import PROPERTIES
from rerun_core.query._schema import parse_entity_path

__all__ = ["ComponentColumnDescriptor", "IndexColumnDescriptor", "Schema", "schema_from_manifest"]


class IndexColumnDescriptor:
    """One index column (a timeline) of a schema; read-only."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    @property
    def is_static(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"Index(timeline:{self._name})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IndexColumnDescriptor) and other._name == self._name

    def __hash__(self) -> int:
        return hash(("index", self._name))


class ComponentColumnDescriptor:
    """One component column (an entity's component) of a schema; read-only."""

    __slots__ = ("_archetype", "_component", "_component_type", "_entity_path", "_is_static", "_name")

    def __init__(self, field: pa.Field) -> None:
        metadata = sorbet.decode_metadata(field.metadata)
        self._name = field.name
        self._entity_path = metadata.get(sorbet.ENTITY_PATH, "/")
        self._archetype = metadata.get(sorbet.ARCHETYPE)
        self._component = metadata.get(sorbet.COMPONENT, field.name)
        self._component_type = metadata.get(sorbet.COMPONENT_TYPE)
        self._is_static = metadata.get(sorbet.IS_STATIC) == "true"

    name = property(lambda self: self._name, doc="The column's name in dataframes.")
    entity_path = property(lambda self: self._entity_path, doc="The entity path the column belongs to.")
    archetype = property(lambda self: self._archetype, doc="The archetype, if any.")
    component = property(lambda self: self._component, doc="The component, e.g. ``Points3D:positions``.")
    component_type = property(lambda self: self._component_type, doc="The component type, if any.")
    is_static = property(lambda self: self._is_static, doc="Whether the column holds static data.")

    @property
    def is_property(self) -> bool:
        """Whether the column is a recording property (under ``/__properties``)."""
        return parse_entity_path(self._entity_path).starts_with(PROPERTIES)

    def _key(self) -> tuple[Any, ...]:
        return (self._entity_path, self._archetype, self._component, self._component_type, self._is_static)

    def __repr__(self) -> str:
        lines = [
            f"Column name: {self._name}",
            f"\tEntity path: {self._entity_path}",
            f"\tArchetype: {self._archetype}",
            f"\tComponent type: {self._component_type or ''}",
            f"\tComponent: {self._component}",
        ]
        if self._is_static:
            lines.append("\tStatic: true")
        return "\n".join(lines)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ComponentColumnDescriptor) and other._key() == self._key()

    def __hash__(self) -> int:
        return hash(self._key())


class Schema:
    """The columns of a store: :meth:`index_columns` (timelines) and :meth:`component_columns`."""

    def __init__(self, arrow_schema: pa.Schema) -> None:
        self._arrow = arrow_schema
        self._indexes: list[IndexColumnDescriptor] = []
        self._components: list[ComponentColumnDescriptor] = []
        for field in arrow_schema:
            kind = sorbet.decode_metadata(field.metadata).get(sorbet.KIND)
            if kind == sorbet.KIND_INDEX:
                self._indexes.append(IndexColumnDescriptor(field.name))
            elif kind == sorbet.KIND_DATA:
                self._components.append(ComponentColumnDescriptor(field))

    def __iter__(self) -> Iterator[IndexColumnDescriptor | ComponentColumnDescriptor]:
        yield from self._indexes
        yield from self._components

    def index_columns(self) -> Sequence[IndexColumnDescriptor]:
        return list(self._indexes)

    def component_columns(self) -> Sequence[ComponentColumnDescriptor]:
        return list(self._components)

    def _visible(self, include_properties: bool) -> list[ComponentColumnDescriptor]:
        return [c for c in self._components if include_properties or not c.is_property]

    def archetypes(self, *, include_properties: bool = False) -> list[str]:
        return sorted({c.archetype for c in self._visible(include_properties) if c.archetype is not None})

    def component_types(self, *, include_properties: bool = False) -> list[str]:
        found = {c.component_type for c in self._visible(include_properties)}
        return sorted(t for t in found if t is not None)

    def entity_paths(self, *, include_properties: bool = False) -> list[str]:
        return sorted({c.entity_path for c in self._visible(include_properties)})

    def column_for(self, entity_path: str, component: str) -> ComponentColumnDescriptor | None:
        for column in self._components:
            if column.entity_path == entity_path and column.component == component:
                return column
        return None

    def column_for_selector(self, selector: Any) -> ComponentColumnDescriptor:
        """A column by ``"<entity_path>:<component>"`` (or an object with those two attributes)."""
        if isinstance(selector, ComponentColumnDescriptor):
            return selector
        if isinstance(selector, str):
            entity_path, colon, component = selector.partition(":")
            if not colon:
                raise ValueError(
                    f"Expected string in the form of `entity_path:component_type`, got: {selector}"
                )
        else:
            entity_path, component = selector.entity_path, selector.component
        found = self.column_for(entity_path, component)
        if found is None:
            raise LookupError(f"Could not find column for selector {entity_path}:{component}")
        return found

    def columns_for(
        self,
        *,
        entity_path: str | None = None,
        archetype: str | type | None = None,
        component_type: str | None = None,
        include_properties: bool = False,
    ) -> list[ComponentColumnDescriptor]:
        """Component columns matching every given criterion (an archetype may be short, full or a class)."""
        wanted = _archetype_name(archetype)
        return [
            c
            for c in self._visible(include_properties)
            if (entity_path is None or c.entity_path == entity_path)
            and (wanted is None or _archetype_matches(c.archetype, wanted))
            and (component_type is None or c.component_type == component_type)
        ]

    def column_names_for(
        self,
        *,
        entity_path: str | None = None,
        archetype: str | type | None = None,
        component_type: str | None = None,
        include_properties: bool = False,
    ) -> list[str]:
        columns = self.columns_for(
            entity_path=entity_path,
            archetype=archetype,
            component_type=component_type,
            include_properties=include_properties,
        )
        return [c.name for c in columns]

    def column_names(self) -> list[str]:
        return [c.name for c in self]

    def to_arrow(self) -> pa.Schema:
        """The schema as Arrow, with the row id column and every field's metadata."""
        return self._arrow

    def __arrow_c_schema__(self) -> Any:
        return self._arrow.__arrow_c_schema__()

    def __repr__(self) -> str:
        return "\n".join(repr(column) for column in self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schema):
            return NotImplemented
        return self._arrow.equals(other._arrow, check_metadata=True)

    __hash__ = None  # type: ignore[assignment]


def _archetype_name(archetype: str | type | None) -> str | None:
    """An archetype class (``rr.Points3D``) as its name; names as they are."""
    if isinstance(archetype, type):
        return str(archetype.archetype())  # type: ignore[attr-defined]
    return archetype


def _archetype_matches(column_archetype: str | None, wanted: str) -> bool:
    if column_archetype is None:
        return False
    if "." in wanted:
        return column_archetype == wanted
    return column_archetype.rsplit(".", 1)[-1] == wanted


def schema_from_manifest(sorbet_schema: pa.Schema) -> Schema:
    """A manifest's schema (columns by name) in the order a store's schema has: properties last,
    then by entity path and component."""
    control: list[pa.Field] = []
    indexes: list[pa.Field] = []
    components: list[pa.Field] = []
    for field in sorbet_schema:
        kind = sorbet.decode_metadata(field.metadata).get(sorbet.KIND)
        (
            indexes if kind == sorbet.KIND_INDEX else components if kind == sorbet.KIND_DATA else control
        ).append(field)
    indexes.sort(key=lambda f: f.name)
    components.sort(key=_component_sort_key)
    return Schema(pa.schema(control + indexes + components))


def _component_sort_key(field: pa.Field) -> tuple[bool, Any, str]:
    descriptor = ComponentColumnDescriptor(field)
    path = parse_entity_path(descriptor.entity_path)
    return path.starts_with(PROPERTIES), path, descriptor.component
