"""Column selectors: name one index column, or one component column of one entity."""

from __future__ import annotations

from dataclasses import dataclass

from rerun_core.entity_path import EntityPath

__all__ = ["ComponentColumnSelector", "IndexColumnSelector"]


@dataclass(frozen=True)
class IndexColumnSelector:
    """The index column of one timeline."""

    name: str

    def __init__(self, index: str) -> None:
        if not isinstance(index, str):
            raise TypeError(f"index must be a str, got {type(index).__name__}")
        object.__setattr__(self, "name", index)

    def __repr__(self) -> str:
        return f"Index(timeline:{self.name})"


@dataclass(frozen=True)
class ComponentColumnSelector:
    """The column of ``component`` (e.g. ``Points3D:positions``) of the entity at ``entity_path``."""

    entity_path: str
    component: str

    def __init__(self, entity_path: str, component: str) -> None:
        if not isinstance(entity_path, str) or not isinstance(component, str):
            raise TypeError("entity_path and component must be strings")
        object.__setattr__(self, "entity_path", str(EntityPath.parse(entity_path)))
        object.__setattr__(self, "component", component)

    def __str__(self) -> str:
        return f"{self.entity_path}:{self.component}"

    def __repr__(self) -> str:
        return str(self)
