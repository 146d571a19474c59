"""Component descriptors: which archetype field a column holds, and of which component type."""

from __future__ import annotations

from dataclasses import dataclass

from rerun_core import sorbet

__all__ = ["ComponentDescriptor"]


@dataclass(frozen=True, order=True)
class ComponentDescriptor:
    """Names one component column, e.g. ``Points3D:positions`` of type ``rerun.components.Position3D``.

    ``archetype`` and ``component_type`` are absent for untyped data such as ``AnyValues``.
    """

    component: str
    archetype: str | None = None
    component_type: str | None = None

    @classmethod
    def from_field_metadata(cls, metadata: dict[str, str], column_name: str) -> ComponentDescriptor:
        """Read a descriptor back from a data column; old files without ``rerun:component`` use the name."""
        return cls(
            component=metadata.get(sorbet.COMPONENT, column_name),
            archetype=metadata.get(sorbet.ARCHETYPE),
            component_type=metadata.get(sorbet.COMPONENT_TYPE),
        )

    def field_metadata(self) -> dict[str, str]:
        """The metadata a chunk column of this component carries (keys in the order 0.41 writes them)."""
        metadata = {sorbet.KIND: sorbet.KIND_DATA}
        if self.archetype is not None:
            metadata[sorbet.ARCHETYPE] = self.archetype
        metadata[sorbet.COMPONENT] = self.component
        if self.component_type is not None:
            metadata[sorbet.COMPONENT_TYPE] = self.component_type
        return metadata

    @property
    def archetype_short_name(self) -> str | None:
        return None if self.archetype is None else self.archetype.rsplit(".", 1)[-1]

    def __str__(self) -> str:
        return self.component
