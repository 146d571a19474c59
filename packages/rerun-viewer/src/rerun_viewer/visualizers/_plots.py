"""Scalars in time-series views, styled by the entity's SeriesLines or SeriesPoints.

Under a visible time range (the view's, or the entity's override) a series keeps the samples inside
its window and the one just outside each end, so that its line runs to the window's edges, as 0.41's.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from rerun_core.entity_path import EntityPath
from rerun_viewer import _arrow
from rerun_viewer._colors import rgba_u8, series_color
from rerun_viewer._entity_query import EntityQuery
from rerun_viewer._primitives import Primitive, Series
from rerun_viewer._registry import ViewKind, visualizer
from rerun_viewer._store_tracker import tracker_for

__all__: list[str] = []

_STYLE_FIELDS = ("colors", "widths", "names", "visible_series", "markers", "marker_sizes")


def _style(query: EntityQuery) -> tuple[dict, bool]:
    """The series' styling fields and whether they ask for points (SeriesPoints) rather than lines."""
    lines = dataclasses.replace(query, archetype="SeriesLines").latest(*_STYLE_FIELDS)
    if lines:
        return lines, False
    points = dataclasses.replace(query, archetype="SeriesPoints").latest(*_STYLE_FIELDS)
    return points, bool(points)


def _pick(values: list[Any] | np.ndarray | None, index: int) -> Any:
    """The ``index``-th value, the last one for indexes past the end (Rerun's splat), or ``None``."""
    if values is None or len(values) == 0:
        return None
    return values[min(index, len(values) - 1)]


def _color(query: EntityQuery, packed: Any, column: int) -> tuple[int, int, int, int]:
    """The logged color, else the reference's automatic color of the entity's ``column``-th series."""
    rgba = rgba_u8(None if packed is None else np.array([packed]), 1, series_color(query.entity, column))[0]
    return int(rgba[0]), int(rgba[1]), int(rgba[2]), int(rgba[3])


def _columns(query: EntityQuery) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each scalar column's (times, values) over the whole timeline; empty when there are none."""
    rows = query.range("scalars")
    if rows is None or rows.times.null_count == len(rows.times):
        return []
    times = rows.times.view("int64").to_numpy(zero_copy_only=False).astype(np.float64) - query.time_origin
    lengths = rows.values.value_lengths().to_numpy(zero_copy_only=False)
    flat = rows.values.flatten().to_numpy(zero_copy_only=False).astype(np.float64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])[:-1]
    width = int(lengths.max()) if len(lengths) else 0
    if width == 1 and len(flat) == len(times):
        return [(times, flat)]
    return [(times[lengths > column], flat[offsets[lengths > column] + column]) for column in range(width)]


def _cached_columns(query: EntityQuery) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`_columns`, read again only when the entity's data changed: it does not depend on the cursor,
    and the same arrays coming back let the plot keep its decimated copies."""
    tracker = tracker_for(query.store)
    key = (tracker.version(query.entity), query.cursor.timeline_name, query.time_origin)
    return tracker.remember(("scalar columns", query.entity), key, lambda: _columns(query))


def _in_window(query: EntityQuery, times: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The samples of the query's time window and their neighbors outside it (all without a window)."""
    if query.time_window is None:
        return times, values
    start, end = (float(t) - query.time_origin for t in query.time_window)
    first = max(int(np.searchsorted(times, start, "left")) - 1, 0)
    stop = int(np.searchsorted(times, end, "right")) + 1
    return times[first:stop], values[first:stop]


@visualizer("Scalars", ViewKind.TIME_SERIES)
def scalars(query: EntityQuery) -> list[Primitive]:
    """One series per scalar column, over the whole timeline (the plot shows it all, cursor included)
    or its visible time range."""
    columns = [_in_window(query, times, values) for times, values in _cached_columns(query)]
    if not columns:
        return []
    style, as_points = _style(query)
    names, colors = _arrow.strings(style.get("names")), _arrow.ints(style.get("colors"))
    widths, visible = _arrow.floats(style.get("widths")), _arrow.ints(style.get("visible_series"))
    sizes = _arrow.floats(style.get("marker_sizes"))
    base = EntityPath.parse(query.entity).parts[-1] if query.entity != "/" else "/"
    width = len(columns)
    series: list[Primitive] = []
    for column, (times, values) in enumerate(columns):
        if visible is not None and not _pick(visible, column):
            continue
        name = names[column] if names and column < len(names) else base if width == 1 else f"{base}[{column}]"
        series.append(
            Series(
                query.entity, name, times, values, _color(query, _pick(colors, column), column),
                float(_pick(widths, column) or 0.75), as_points, float(_pick(sizes, column) or 1.5),
            )
        )  # fmt: skip
    return series
