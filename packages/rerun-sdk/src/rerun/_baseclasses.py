"""What archetypes and component batches are, independent of any particular type.

Generated classes (``rerun/_generated``) only declare their fields; converting, describing and
columnar slicing all happen here, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable

import numpy as np
import pyarrow as pa

from rerun._converters import Converter, empty_array
from rerun._errors import catch_and_warn
from rerun_core import ComponentDescriptor

__all__ = [
    "Archetype",
    "AsComponents",
    "ComponentBatchMixin",
    "ComponentColumn",
    "ComponentColumnList",
    "ComponentDescriptor",
    "ComponentType",
    "DescribedComponentBatch",
    "FieldSpec",
]


class ComponentType:
    """A component type: its Rerun name, Arrow type and how to convert user data into it.

    Most component classes are also value classes (``Color([255, 0, 0])``): they derive from their
    datatype in ``rerun.encodings`` too, and one value is a batch of one (``as_arrow_array``).
    """

    _TYPE_NAME: ClassVar[str]
    _ARROW_TYPE: ClassVar[pa.DataType]
    _CONVERT: ClassVar[Converter]

    @classmethod
    def arrow_type(cls) -> pa.DataType:
        return cls._ARROW_TYPE

    @classmethod
    def component_type(cls) -> str:
        return cls._TYPE_NAME

    @classmethod
    def to_arrow(cls, data: Any) -> pa.Array:
        return cls._CONVERT(data, cls._ARROW_TYPE)

    def as_arrow_array(self) -> pa.Array:
        return type(self).to_arrow(self)


class ComponentBatchMixin:
    """A batch of instances of one component type (e.g. ``ColorBatch([...])``)."""

    _COMPONENT_TYPE: ClassVar[type[ComponentType]]

    def __init__(self, data: Any, *, strict: bool | None = None) -> None:
        component = self._COMPONENT_TYPE
        self._array: pa.Array = empty_array(component._ARROW_TYPE)
        if data is None:
            return
        with catch_and_warn(type(self).__name__, strict=strict):
            self._array = component.to_arrow(data)

    def as_arrow_array(self) -> pa.Array:
        return self._array

    def __len__(self) -> int:
        return len(self._array)

    def described(self, descriptor: ComponentDescriptor) -> DescribedComponentBatch:
        return DescribedComponentBatch(self._array, descriptor)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._array.to_pylist()!r})"


@dataclass(frozen=True)
class DescribedComponentBatch:
    """A batch of instances together with the descriptor saying which archetype field it fills."""

    batch: pa.Array
    descriptor: ComponentDescriptor

    def as_arrow_array(self) -> pa.Array:
        return self.batch

    def component_descriptor(self) -> ComponentDescriptor:
        return self.descriptor

    def partition(self, lengths: Iterable[int] | None = None) -> ComponentColumn:
        return ComponentColumn(self.descriptor, self.batch, lengths=lengths)


class ComponentColumn:
    """One component over many rows (for ``send_columns``): a batch of instances cut into rows."""

    def __init__(
        self,
        descriptor: ComponentDescriptor | str,
        batch: Any,
        *,
        lengths: Iterable[int] | None = None,
        offsets: Iterable[int] | None = None,
    ) -> None:
        if isinstance(descriptor, str):
            descriptor = ComponentDescriptor(descriptor)
        self.descriptor = descriptor
        self.batch: pa.Array = batch.as_arrow_array() if hasattr(batch, "as_arrow_array") else batch
        if lengths is not None and offsets is not None:
            raise ValueError("give either lengths or offsets, not both")
        if offsets is None:
            counts = (
                np.ones(len(self.batch), np.int64) if lengths is None else np.asarray(list(lengths), np.int64)
            )
            offsets = np.concatenate([[0], np.cumsum(counts)])
        self.offsets = np.asarray(list(offsets) if not isinstance(offsets, np.ndarray) else offsets, np.int32)
        if self.offsets[-1] != len(self.batch):
            raise ValueError(
                f"row lengths add up to {self.offsets[-1]} but the batch has {len(self.batch)} instances"
            )

    def partition(self, lengths: Iterable[int]) -> ComponentColumn:
        return ComponentColumn(self.descriptor, self.batch, lengths=lengths)

    def component_descriptor(self) -> ComponentDescriptor:
        return self.descriptor

    def as_arrow_array(self) -> pa.ListArray:
        item = pa.field("item", self.batch.type, nullable=True)
        return pa.ListArray.from_arrays(pa.array(self.offsets), self.batch, type=pa.list_(item))

    def __len__(self) -> int:
        return len(self.offsets) - 1


class ComponentColumnList(list[ComponentColumn]):
    """The columns of an archetype, as returned by ``Archetype.columns(...)``."""

    def partition(self, lengths: Sequence[int]) -> ComponentColumnList:
        return ComponentColumnList(column.partition(lengths) for column in self)


@runtime_checkable
class AsComponents(Protocol):
    """Anything ``rr.log`` accepts: it knows its described component batches."""

    def as_component_batches(self) -> list[DescribedComponentBatch]: ...


@dataclass(frozen=True)
class FieldSpec:
    """One archetype field as the registry describes it."""

    name: str
    component_type: type[ComponentType]


class Archetype:
    """A bundle of component batches that together mean something (``Points3D``, ``Image``, ...).

    Only fields that were given are logged: leaving one out is a partial update, not a clear.
    """

    _ARCHETYPE_NAME: ClassVar[str]
    _FIELDS: ClassVar[tuple[FieldSpec, ...]]

    def __init__(self) -> None:
        self._batches: dict[str, pa.Array] = {}

    def _set(self, **fields: Any) -> None:
        """Convert and store the given fields; a field that fails to convert is kept empty (and warned about)."""
        specs = self._field_specs()
        for name, value in fields.items():
            if value is None:
                continue
            component = specs[name].component_type
            try:
                array = (
                    value.as_arrow_array()
                    if isinstance(value, ComponentBatchMixin)
                    else component.to_arrow(value)
                )
            except Exception as err:
                array = empty_array(component._ARROW_TYPE)
                with catch_and_warn(f"{component.__name__}Batch"):
                    raise err from None
            self._batches[name] = array

    @classmethod
    def _field_specs(cls) -> dict[str, FieldSpec]:
        specs = cls.__dict__.get("_SPECS_BY_NAME")
        if specs is None:
            specs = {spec.name: spec for spec in cls._FIELDS}
            cls._SPECS_BY_NAME = specs  # type: ignore[attr-defined]
        return specs

    @classmethod
    def archetype(cls) -> str:
        return cls._ARCHETYPE_NAME

    @classmethod
    def _descriptor(cls, name: str) -> ComponentDescriptor:
        cache = cls.__dict__.get("_DESCRIPTORS")
        if cache is None:
            short = cls._ARCHETYPE_NAME.rsplit(".", 1)[-1]
            cache = {
                s.name: ComponentDescriptor(
                    f"{short}:{s.name}", cls._ARCHETYPE_NAME, s.component_type._TYPE_NAME
                )
                for s in cls._FIELDS
            }
            cls._DESCRIPTORS = cache  # type: ignore[attr-defined]
        return cache[name]

    def as_component_batches(self) -> list[DescribedComponentBatch]:
        return [
            DescribedComponentBatch(self._batches[spec.name], self._descriptor(spec.name))
            for spec in self._FIELDS
            if spec.name in self._batches
        ]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if any(spec.name == name for spec in type(self)._FIELDS):
            return self.__dict__.get("_batches", {}).get(name)
        raise AttributeError(f"{type(self).__name__} has no field {name!r}")

    @classmethod
    def from_fields(cls, *, clear_unset: bool = False, **fields: Any) -> Archetype:
        """Only the given fields (a partial update); ``clear_unset`` empties every other field."""
        unknown = set(fields) - {spec.name for spec in cls._FIELDS}
        if unknown:
            raise TypeError(f"{cls.__name__}.from_fields() got unknown fields: {sorted(unknown)}")
        instance = cls.__new__(cls)
        Archetype.__init__(instance)
        instance._set(**fields)
        if clear_unset:
            for spec in cls._FIELDS:
                instance._batches.setdefault(spec.name, empty_array(spec.component_type._ARROW_TYPE))
        return instance

    @classmethod
    def cleared(cls) -> Archetype:
        """Every field present and empty: logging this clears the archetype's data."""
        return cls.from_fields(clear_unset=True)

    @classmethod
    def columns(cls, **fields: Any) -> ComponentColumnList:
        """Columnar data for ``send_columns``: each field's instances, one instance per row by default."""
        instance = cls.from_fields(**fields)
        return ComponentColumnList(batch.partition() for batch in instance.as_component_batches())

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={array.to_pylist()!r}" for name, array in self._batches.items())
        return f"{type(self).__name__}({inner})"
