"""Untyped data: ``AnyValues`` (bare component names) and ``DynamicArchetype`` (``Name:field``).

The Arrow type is whatever pyarrow infers from the value; there is no component type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from rerun._baseclasses import ComponentColumn, ComponentColumnList, DescribedComponentBatch
from rerun._errors import catch_and_warn
from rerun_core import ComponentDescriptor

__all__ = ["AnyBatchValue", "AnyValues", "DynamicArchetype"]


def _to_arrow(value: Any) -> pa.Array:
    if isinstance(value, pa.Array):
        return value
    if hasattr(value, "as_arrow_array"):
        return value.as_arrow_array()
    if isinstance(value, np.ndarray):
        return pa.array(value.ravel() if value.ndim > 1 else value)
    if isinstance(value, str | bytes | int | float | bool | np.generic) or value is None:
        return pa.array([value])
    return pa.array(list(value))


class AnyBatchValue(DescribedComponentBatch):
    """One named batch of untyped values."""

    def __init__(
        self, descriptor: ComponentDescriptor | str, value: Any, *, drop_untyped_nones: bool = True
    ) -> None:
        if isinstance(descriptor, str):
            descriptor = ComponentDescriptor(descriptor)
        object.__setattr__(self, "descriptor", descriptor)
        object.__setattr__(self, "batch", _to_arrow(value))


class _AnyComponents:
    _ARCHETYPE: str | None = None

    def __init__(self, drop_untyped_nones: bool = True, **components: Any) -> None:
        self._batches: list[DescribedComponentBatch] = []
        self._drop_untyped_nones = drop_untyped_nones
        for name, value in components.items():
            self._add(name, value)

    def _descriptor(self, name: str) -> ComponentDescriptor:
        if self._ARCHETYPE is None:
            return ComponentDescriptor(name)
        return ComponentDescriptor(f"{self._ARCHETYPE}:{name}", self._ARCHETYPE)

    def _add(self, name: str, value: Any) -> None:
        if value is None and self._drop_untyped_nones:
            return
        with catch_and_warn(f"{type(self).__name__}({name})"):
            self._batches.append(DescribedComponentBatch(_to_arrow(value), self._descriptor(name)))

    def with_component_from_data(self, descriptor: ComponentDescriptor | str, value: Any) -> _AnyComponents:
        if isinstance(descriptor, str):
            descriptor = self._descriptor(descriptor)
        if value is not None or not self._drop_untyped_nones:
            self._batches.append(DescribedComponentBatch(_to_arrow(value), descriptor))
        return self

    def with_component_override(self, field: str, component_type: str, value: Any) -> _AnyComponents:
        base = self._descriptor(field)
        descriptor = ComponentDescriptor(base.component, base.archetype, component_type)
        return self.with_component_from_data(descriptor, value)

    def as_component_batches(self) -> list[DescribedComponentBatch]:
        return list(self._batches)


class AnyValues(_AnyComponents):
    """``rr.AnyValues(confidence=[...], flag=True)``: each keyword is one component named after it."""

    @classmethod
    def columns(cls, drop_untyped_nones: bool = True, **components: Any) -> ComponentColumnList:
        values = cls(drop_untyped_nones, **components)
        return ComponentColumnList(
            ComponentColumn(b.descriptor, b.batch) for b in values.as_component_batches()
        )


class DynamicArchetype(_AnyComponents):
    """``rr.DynamicArchetype("MyArchetype", components={...})``: components named ``MyArchetype:<field>``."""

    def __init__(
        self, archetype: str, drop_untyped_nones: bool = True, components: Mapping[str, Any] | None = None
    ) -> None:
        self._ARCHETYPE = archetype
        super().__init__(drop_untyped_nones, **dict(components or {}))

    @classmethod
    def columns(cls, archetype: str, drop_untyped_nones: bool = True, components: Mapping[str, Any] | None = None) -> ComponentColumnList:  # fmt: skip
        values = cls(archetype, drop_untyped_nones, components)
        return ComponentColumnList(
            ComponentColumn(b.descriptor, b.batch) for b in values.as_component_batches()
        )
