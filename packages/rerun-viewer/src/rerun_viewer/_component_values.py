"""An entity's (or one instance's) component values at the time cursor, as short text for tables.

The selection panel and hover tooltips show these: one row per component, grouped by archetype,
the value of the selected instance (splatted single values apply to every instance) or, for a
whole batch, the value when there is one and the count when there are many.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from rerun_core.query import latest_at
from rerun_core.store import ChunkStore
from rerun_viewer._enum_names import FIELD_ENUMS, enum_name
from rerun_viewer._state import Selection
from rerun_viewer._time import TimeCursor

__all__ = ["ComponentRow", "component_rows", "format_value"]

_MAX_CHARS = 40
_COLOR_TYPE = "rerun.components.Color"


@dataclass(frozen=True)
class ComponentRow:
    """One table row: the archetype it belongs to (``""`` for untyped data), its field, the value as text."""

    archetype: str
    name: str
    text: str


def _number(value: float | int) -> str:
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.4g}"
    return str(value)


def format_value(value: Any, component_type: str | None = None) -> str:
    """One instance (a Python value from Arrow) as the reference shows it: short, colors as hex, enums by
    name; a struct shows one ``field: value`` line per field that has a value."""
    if component_type == _COLOR_TYPE and isinstance(value, int):
        return "#" + f"{value & 0xFFFFFFFF:08X}"
    name = enum_name(component_type, value)
    if name is not None:
        return name
    if isinstance(value, dict):
        return "\n".join(
            _short(f"{key}: {_field_text(key, item)}") for key, item in value.items() if item is not None
        )
    return _short(_inline(value))


def _field_text(field: str, value: Any) -> str:
    return enum_name(FIELD_ENUMS.get(field), value) or _inline(value)


def _inline(value: Any) -> str:
    """A value on one line (structs inside lists too)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, bytes):
        return f"{len(value)} bytes"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{key}: {_field_text(key, item)}" for key, item in value.items() if item is not None)
            + "}"
        )
    if isinstance(value, list | tuple):
        return (
            f"{len(value)} items"
            if len(value) > 8
            else "[" + ", ".join(_inline(item) for item in value) + "]"
        )
    return str(value)


def _short(text: str) -> str:
    return text if len(text) <= _MAX_CHARS else text[: _MAX_CHARS - 1] + "…"


def _cell_text(values: pa.Array, instance: int | None, component_type: str | None) -> str:
    if len(values) == 0:
        return "(empty)"
    if instance is not None and len(values) > 1:
        if instance >= len(values):
            return "(none)"
        return format_value(values[instance].as_py(), component_type)
    if len(values) == 1:
        return format_value(values[0].as_py(), component_type)
    return f"{len(values)} items"


def component_rows(store: ChunkStore, cursor: TimeCursor, selection: Selection) -> list[ComponentRow]:
    """Every component of the selected entity that has a value at the cursor, sorted by archetype and field."""
    cells = latest_at(store, selection.entity, cursor.timeline_name, cursor.at)
    rows = []
    for component, cell in cells.items():
        descriptor = cell.descriptor
        archetype = descriptor.archetype_short_name or ""
        name = component.split(":", 1)[1] if archetype and ":" in component else component
        rows.append(
            ComponentRow(
                archetype, name, _cell_text(cell.value, selection.instance, descriptor.component_type)
            )
        )
    return sorted(rows, key=lambda row: (row.archetype, row.name))
