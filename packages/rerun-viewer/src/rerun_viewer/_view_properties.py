"""A view's properties from its blueprint (``/view/<uuid>/<Archetype>`` entities), as the painters use them.

Read: ``Background`` (a solid color, or the bright gradient drawn as one light color),
``LineGrid3D:visible``, ``EyeControls3D`` (the 3D eye's position, target and up), ``VisualBounds2D``
(the 2D region shown), ``ScalarAxis:range`` (the plot's y range), ``TimeAxis`` (the plot's time range,
around the cursor or absolute, or linked to the other linked plots), ``VisibleTimeRanges`` (the data
a plot or a spatial view shows; also overridden per entity, which widens a plot's axis too), ``PlotLegend`` (shown, corner),
and a text log's ``TextLogColumns`` (which columns, in which order) and ``TextLogRows`` (the levels
shown) and ``TextLogFormat`` (a monospace body). Unset fields keep the viewer's defaults.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa

__all__ = [
    "BRIGHT_BACKGROUND",
    "LOG_COLUMNS",
    "Corner",
    "TimeRange",
    "ViewProperties",
    "hex_color",
    "view_properties",
]

RGBA = tuple[int, int, int, int]
Vec3 = tuple[float, float, float]
Properties = Mapping[str, Mapping[str, pa.Array]]  # archetype -> field -> values, as a blueprint holds them
BRIGHT_BACKGROUND: RGBA = (214, 214, 214, 255)  # the reference's bright gradient, as one color
_GRADIENT_BRIGHT, _SOLID_COLOR = 2, 3  # BackgroundKind values
LOG_COLUMNS = {1: "entity", 2: "level", 3: "body"}  # TextLogColumnKind values, as the painter names them


class Corner(enum.IntEnum):
    """Where a plot's legend sits (the values of the ``Corner2D`` component)."""

    LEFT_TOP = 1
    RIGHT_TOP = 2
    LEFT_BOTTOM = 3
    RIGHT_BOTTOM = 4


@dataclass(frozen=True)
class TimeRange:
    """A blueprint's time range: each end relative to the cursor, absolute, or open (``None``)."""

    start: tuple[bool, int] | None  # (relative to the cursor, time or offset)
    end: tuple[bool, int] | None

    def resolve(self, cursor: int, bounds: tuple[int, int]) -> tuple[int, int]:
        """The range at ``cursor``; open ends are the data's ``bounds``."""

        def end(boundary: tuple[bool, int] | None, default: int) -> int:
            if boundary is None:
                return default
            relative, value = boundary
            return cursor + value if relative else value

        return end(self.start, bounds[0]), end(self.end, bounds[1])


_CURSOR_RELATIVE, _ABSOLUTE = 1, 2  # the TimeRangeBoundary union's type codes (3: infinite)
_LINK_TO_GLOBAL = 2  # LinkAxis values: 1 independent


def _boundary(scalar: pa.UnionScalar) -> tuple[bool, int] | None:
    if scalar.type_code not in (_CURSOR_RELATIVE, _ABSOLUTE) or scalar.value is None:
        return None
    return scalar.type_code == _CURSOR_RELATIVE, int(scalar.value.as_py())


def _time_range(properties: Properties, archetype: str, field: str) -> TimeRange | None:
    value = properties.get(archetype, {}).get(field)
    if value is None or not len(value) or not value[0].is_valid:
        return None
    return TimeRange(_boundary(value[0]["start"]), _boundary(value[0]["end"]))


_OPEN = (-(2**63), 2**63 - 1)  # an open end of a time window: every int64 time


def _visible_ranges(properties: Properties) -> tuple[tuple[str, TimeRange], ...]:
    """``VisibleTimeRanges:ranges``: a range per timeline."""
    value = properties.get("VisibleTimeRanges", {}).get("ranges")
    if value is None:
        return ()
    return tuple(
        (
            str(entry["timeline"].as_py()),
            TimeRange(_boundary(entry["range"]["start"]), _boundary(entry["range"]["end"])),
        )
        for entry in value
        if entry.is_valid
    )


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
    time_axis_range: TimeRange | None = None
    time_axis_linked: bool = False  # TimeAxis:link to the global range: shared zoom, no view range
    visible_ranges: tuple[tuple[str, TimeRange], ...] = ()  # per timeline: the data a view shows
    entity_ranges: tuple[tuple[str, str, TimeRange], ...] = ()  # (entity, timeline, range) overrides
    legend: bool = True
    legend_corner: Corner | None = None
    log_columns: tuple[str, ...] | None = None  # a text log's visible columns in order ("entity"...)
    log_timelines: tuple[str, ...] | None = None  # a text log's visible timeline columns
    log_levels: frozenset[str] | None = None  # a text log's shown levels (upper case)
    log_monospace: bool = False  # a text log's body in a monospace font

    def visible_range(self, timeline: str) -> TimeRange | None:
        """The blueprint's visible time range on ``timeline`` (``None``: the view's default)."""
        return next((r for name, r in self.visible_ranges if name == timeline), None)

    def entity_range(self, entity: str, timeline: str) -> TimeRange | None:
        """``entity``'s visible time range on ``timeline``: its own override, else the view's."""
        override = next((r for e, t, r in self.entity_ranges if (e, t) == (entity, timeline)), None)
        return override or self.visible_range(timeline)

    def time_window(self, entity: str, timeline: str, cursor: int) -> tuple[int, int] | None:
        """The times of ``entity``'s data that a view draws at ``cursor`` (both ends included; open
        ends: every time); ``None`` where no range is set (a spatial view: only the latest data)."""
        chosen = self.entity_range(entity, timeline)
        return None if chosen is None else chosen.resolve(cursor, _OPEN)

    def plot_extent(
        self, entities: tuple[str, ...], timeline: str, cursor: int, bounds: tuple[int, int]
    ) -> tuple[int, int]:
        """The times a plot spans: every entity's window together (open ends and entities without
        one: the data's ``bounds``), no earlier than the data's start; as 0.41 (an entity's override
        widens the axis too)."""
        ranges = [self.entity_range(entity, timeline) for entity in entities] or [None]
        windows = [bounds if r is None else r.resolve(cursor, bounds) for r in ranges]
        return max(min(start for start, _ in windows), bounds[0]), max(end for _, end in windows)

    def time_windows(self, timeline: str, cursor: int) -> tuple[tuple[int, int] | None, ...]:
        """Every window :meth:`time_window` can give at ``cursor`` (the view's, then the overrides'):
        what a spatial view's data depends on besides the store."""
        ranges = [self.visible_range(timeline), *(r for _, t, r in self.entity_ranges if t == timeline)]
        return tuple(None if r is None else r.resolve(cursor, _OPEN) for r in ranges)


def _first(properties: Properties, archetype: str, field: str) -> object | None:
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


def _background(properties: Properties) -> RGBA | None:
    kind, color = _first(properties, "Background", "kind"), _first(properties, "Background", "color")
    if isinstance(color, int) and kind in (None, _SOLID_COLOR):
        return _rgba(color)
    return BRIGHT_BACKGROUND if kind == _GRADIENT_BRIGHT else None


def _bounds(value: object) -> tuple[tuple[float, float], tuple[float, float]] | None:
    if not isinstance(value, dict):
        return None
    x_range, y_range = _pair(value.get("x_range")), _pair(value.get("y_range"))
    return None if x_range is None or y_range is None else (x_range, y_range)


def _all(properties: Properties, archetype: str, field: str) -> list[object] | None:
    value = properties.get(archetype, {}).get(field)
    return None if value is None else value.to_pylist()


def _visible_columns(entries: list[object] | None, key: str) -> list[object] | None:
    """The ``key`` of each visible column entry (``{visible, <key>}`` structs), in order."""
    if entries is None:
        return None
    return [e[key] for e in entries if isinstance(e, dict) and e.get("visible") is not False and key in e]


def _log_columns(properties: Properties) -> tuple[str, ...] | None:
    kinds = _visible_columns(_all(properties, "TextLogColumns", "text_log_columns"), "kind")
    return (
        None
        if kinds is None
        else tuple(LOG_COLUMNS[k] for k in kinds if isinstance(k, int) and k in LOG_COLUMNS)
    )


def _corner(value: object) -> Corner | None:
    return Corner(value) if isinstance(value, int) and value in set(Corner) else None


def _entity_ranges(overrides: Mapping[str, Properties]) -> tuple[tuple[str, str, TimeRange], ...]:
    """Each entity's ``VisibleTimeRanges`` override, per timeline."""
    return tuple(
        (entity, timeline, time_range)
        for entity, archetypes in sorted(overrides.items())
        for timeline, time_range in _visible_ranges(archetypes)
    )


def view_properties(
    properties: Properties, overrides: Mapping[str, Properties] | None = None
) -> ViewProperties:
    """The properties a blueprint view holds (by archetype, field by field) as :class:`ViewProperties`;
    ``overrides`` are its per-entity ones (entity path -> archetype -> field)."""
    linked = _first(properties, "TimeAxis", "link") == _LINK_TO_GLOBAL  # replaces the view range
    return ViewProperties(
        background=_background(properties),
        grid=_first(properties, "LineGrid3D", "visible") is not False,
        eye_position=_vec3(_first(properties, "EyeControls3D", "position")),
        eye_target=_vec3(_first(properties, "EyeControls3D", "look_target")),
        eye_up=_vec3(_first(properties, "EyeControls3D", "eye_up")),
        visual_bounds=_bounds(_first(properties, "VisualBounds2D", "range")),
        scalar_range=_pair(_first(properties, "ScalarAxis", "range")),
        time_axis_range=None if linked else _time_range(properties, "TimeAxis", "view_range"),
        time_axis_linked=linked,
        visible_ranges=_visible_ranges(properties),
        entity_ranges=_entity_ranges(overrides or {}),
        legend=_first(properties, "PlotLegend", "visible") is not False,
        legend_corner=_corner(_first(properties, "PlotLegend", "corner")),
        log_columns=_log_columns(properties),
        log_timelines=_optional_strings(
            _visible_columns(_all(properties, "TextLogColumns", "timeline_columns"), "timeline")
        ),
        log_levels=_levels(_all(properties, "TextLogRows", "filter_by_log_level")),
        log_monospace=_first(properties, "TextLogFormat", "monospace_body") is True,
    )


def _optional_strings(values: list[object] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(str(v) for v in values)


def _levels(values: list[object] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(str(v).upper() for v in values)
