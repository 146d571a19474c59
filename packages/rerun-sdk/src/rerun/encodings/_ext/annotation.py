"""Annotation contexts: class descriptions from bare ids, ``(id, label, color)`` tuples or objects."""

from __future__ import annotations

from typing import Any

__all__ = ["ClassDescriptionExt", "ClassDescriptionMapElemExt", "convert_class_map"]


class ClassDescriptionExt:
    """Extension of ``ClassDescription``: it can be logged on its own, as an ``AnnotationContext``."""

    @classmethod
    def _coerce(cls, value: Any) -> Any:
        """Anything else describes the class's ``info`` (an id, a tuple, an ``AnnotationInfo``)."""
        return value if isinstance(value, cls) else cls(info=value)  # type: ignore[call-arg]

    def as_component_batches(self) -> list[Any]:
        from rerun._generated.archetypes import AnnotationContext

        return AnnotationContext(self).as_component_batches()


class ClassDescriptionMapElemExt:
    """Extension of ``ClassDescriptionMapElem``: the class id is the id of the description's info."""

    @classmethod
    def _coerce(cls, value: Any) -> Any:
        from rerun._generated.encodings import ClassDescription

        if isinstance(value, cls):
            return value
        description = ClassDescription._coerce(value)
        return cls(description.info.id, description)  # type: ignore[call-arg]


def convert_class_map(value: Any) -> list[Any]:
    """One class description or map entry, or a sequence of them (or of what describes them)."""
    from rerun._generated.encodings import ClassDescription, ClassDescriptionMapElem

    items = [value] if isinstance(value, ClassDescription | ClassDescriptionMapElem) else list(value)
    return [ClassDescriptionMapElem._coerce(item) for item in items]
