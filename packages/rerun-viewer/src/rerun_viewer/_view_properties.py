"""A view's properties from its blueprint (``/view/<uuid>/<Archetype>`` entities), as the painters use them.

Read: ``Background`` (a solid color, or the bright gradient drawn as one light color),
``LineGrid3D:visible``, ``EyeControls3D`` (the 3D eye's position, target and up), ``VisualBounds2D``
(the 2D region shown), ``ScalarAxis:range`` (the plot's y range) and ``PlotLegend:visible``. Unset
fields keep the viewer's defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa

__all__ = ["BRIGHT_BACKGROUND", "ViewProperties", "hex_color", "view_properties"]

RGBA = tuple[int, int, int, int]
Vec3 = tuple[float, float, float]
BRIGHT_BACKGROUND: RGBA = (214, 214, 214, 255)  # the reference's bright gradient, as one color
_GRADIENT_BRIGHT, _SOLID_COLOR = 2, 3  # BackgroundKind values


@dataclass(frozen=True)
class ViewProperties:
    """What a blueprint changes about how a view draws; ``None`` and ``True`` are the defaults."""

    background: RGBA | None = None
    grid: bool = True
    eye_position: Vec3 | None = None
    eye_target: Vec3 | None = None
    eye_up: Vec3 | None = None
    visual_bounds: tuple[tuple[float, float], tuple[float, float]] | None = None  # (x range, y range)
    scalar_range: tuple[float, float] | None = None
    legend: bool = True


def _first(properties: Mapping[str, Mapping[str, pa.Array]], archetype: str, field: str) -> object | None:
    value = properties.get(archetype, {}).get(field)
    return None if value is None or not len(value) else value[0].as_py()


def _rgba(packed: int) -> RGBA:
    """A ``Color`` component (``0xRRGGBBAA``) as a tuple."""
    return (packed >> 24) & 0xFF, (packed >> 16) & 0xFF, (packed >> 8) & 0xFF, packed & 0xFF


def hex_color(rgba: RGBA) -> str:
    """``#rrggbbaa``, as pygfx takes colors."""
    return "#" + "".join(f"{channel:02x}" for channel in rgba)


def _pair(value: object) -> tuple[float, float] | None:
    """A ``Range1D`` (two floats) or ``None``."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    return float(value[0]), float(value[1])


def _vec3(value: object) -> Vec3 | None:
    if not isinstance(value, list | tuple) or len(value) != 3:
        return None
    return float(value[0]), float(value[1]), float(value[2])


def _background(properties: Mapping[str, Mapping[str, pa.Array]]) -> RGBA | None:
    kind, color = _first(properties, "Background", "kind"), _first(properties, "Background", "color")
    if isinstance(color, int) and kind in (None, _SOLID_COLOR):
        return _rgba(color)
    return BRIGHT_BACKGROUND if kind == _GRADIENT_BRIGHT else None


def _bounds(value: object) -> tuple[tuple[float, float], tuple[float, float]] | None:
    if not isinstance(value, dict):
        return None
    x_range, y_range = _pair(value.get("x_range")), _pair(value.get("y_range"))
    return None if x_range is None or y_range is None else (x_range, y_range)


def view_properties(properties: Mapping[str, Mapping[str, pa.Array]]) -> ViewProperties:
    """The properties a blueprint view holds (by archetype, field by field) as :class:`ViewProperties`."""
    return ViewProperties(
        background=_background(properties),
        grid=_first(properties, "LineGrid3D", "visible") is not False,
        eye_position=_vec3(_first(properties, "EyeControls3D", "position")),
        eye_target=_vec3(_first(properties, "EyeControls3D", "look_target")),
        eye_up=_vec3(_first(properties, "EyeControls3D", "eye_up")),
        visual_bounds=_bounds(_first(properties, "VisualBounds2D", "range")),
        scalar_range=_pair(_first(properties, "ScalarAxis", "range")),
        legend=_first(properties, "PlotLegend", "visible") is not False,
    )
