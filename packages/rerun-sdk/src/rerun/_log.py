"""Turning ``rr.log``'s arguments into an entity path and described component batches."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from rerun._baseclasses import Archetype, AsComponents, DescribedComponentBatch
from rerun._errors import catch_and_warn
from rerun_core import ComponentDescriptor
from rerun_core.entity_path import EntityPath

__all__ = ["component_batches", "entity_path_of"]


def entity_path_of(path: str | Iterable[Any]) -> str:
    """The canonical text of a path given as text or as a list of (unescaped) parts."""
    if isinstance(path, str):
        return _parsed(path)
    return str(EntityPath.from_parts(path))


@functools.lru_cache(maxsize=4096)
def _parsed(path: str) -> str:
    """Paths repeat from call to call; parse each one once (parse warnings are shown once, too)."""
    return str(EntityPath.parse(path))


def component_batches(
    entity: Any, extra: Iterable[Any], *, strict: bool | None = None
) -> dict[ComponentDescriptor, pa.Array]:
    """All described batches of an archetype (or batch list) plus the extra ones, later ones winning."""
    result: dict[ComponentDescriptor, pa.Array] = {}
    for item in (entity, *extra):
        with catch_and_warn("log", strict=strict):
            for batch in _described(item):
                result[batch.component_descriptor()] = batch.as_arrow_array()
    return result


def _described(item: Any) -> list[DescribedComponentBatch]:
    if isinstance(item, Archetype):  # the common case, checked first: Protocol checks are slow
        return item.as_component_batches()
    if isinstance(item, AsComponents):
        return list(item.as_component_batches())
    if isinstance(item, DescribedComponentBatch):
        return [item]
    if isinstance(item, Iterable) and not isinstance(item, str | bytes):
        return [batch for sub in item for batch in _described(sub)]
    raise TypeError(f"expected an archetype or component batches, got {type(item).__name__}")
