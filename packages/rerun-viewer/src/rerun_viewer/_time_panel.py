"""The time panel: playback controls, the timeline ruler, per-entity data ticks and the time cursor."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from rerun_core.entity_path import EntityPath
from rerun_core.store import ChunkStore
from rerun_viewer._theme import THEME
from rerun_viewer._time import TimeCursor, format_time
from rerun_viewer._ui import Fonts, Rect, col32, text_at

__all__ = ["StreamRow", "entity_times", "paint_time_panel", "stream_rows"]

_TREE_WIDTH = 175.0
_MERGE_PX = 4.0  # ticks closer than this draw as one bar


@dataclass(frozen=True)
class StreamRow:
    """One row of the streams tree: an entity (``/`` root), its depth, and whether it is expanded."""

    path: str
    label: str
    depth: int
    expanded: bool


def stream_rows(entity_paths: list[str]) -> list[StreamRow]:
    """The root, then each entity with child entities expanded down to depth 1; properties last."""
    paths = {EntityPath.parse(p).parts for p in entity_paths if p != "/"}
    every = {parts[:depth] for parts in paths for depth in range(1, len(parts) + 1)}

    def children(parent: tuple[str, ...]) -> list[tuple[str, ...]]:
        kids = [p for p in every if len(p) == len(parent) + 1 and p[: len(parent)] == parent]
        return sorted(kids, key=lambda p: (p[-1].startswith("__"), p[-1]))

    rows = [StreamRow("/", "/", 0, True)]

    def visit(node: tuple[str, ...]) -> None:
        kids = children(node)
        expanded = bool(kids) and len(node) <= 1
        rows.append(StreamRow(str(EntityPath(node)), node[-1] + ("/" if kids else ""), len(node), expanded))
        if expanded:
            for kid in kids:
                visit(kid)

    for top in children(()):
        visit(top)
    return rows


def entity_times(store: ChunkStore, timeline: str) -> dict[str, np.ndarray]:
    """Each entity's distinct times on ``timeline``."""
    per_entity: dict[str, list[np.ndarray]] = {}
    for chunk in store.chunks():
        if timeline in chunk.timelines:
            times = chunk.index_column(timeline).view("int64").to_numpy(zero_copy_only=False)
            per_entity.setdefault(chunk.entity_path, []).append(times)
    return {entity: np.unique(np.concatenate(parts)) for entity, parts in per_entity.items()}


def _nice_step(span: float, count: int) -> float:
    raw = max(span / count, 1e-12)
    power = 10 ** math.floor(math.log10(raw))
    return next(power * f for f in (1, 2, 5, 10) if power * f >= raw)


@dataclass(frozen=True)
class _Axis:
    lo: int
    hi: int
    x0: float
    x1: float

    def x(self, time: float) -> float:
        span = self.hi - self.lo
        return self.x0 + (self.x1 - self.x0) * (0.0 if span == 0 else (time - self.lo) / span)


def _paint_controls(draw: Any, fonts: Fonts, rect: Rect, cursor: TimeCursor) -> None:
    y = rect.y + 8
    draw.add_triangle_filled((22, y + 1), (22, y + 13), (32, y + 7), col32(THEME.text))
    draw.add_triangle_filled((49, y + 1), (49, y + 13), (57, y + 7), col32(THEME.text))
    draw.add_line((59, y + 1), (59, y + 13), col32(THEME.text), 1.5)
    text_at(draw, fonts, 152, y - 1, cursor.timeline_name or "(static)", THEME.text)
    text_at(draw, fonts, 224, y - 1, "1.00x", THEME.text)
    text_at(draw, fonts, 281, y - 1, "30 FPS", THEME.text)
    draw.add_rect((346, y - 5), (545, y + 17), col32(THEME.separator), 3.0)
    text_at(
        draw,
        fonts,
        351,
        y - 1,
        format_time(cursor.timeline, cursor.at) if cursor.timeline else "",
        THEME.text,
    )
    draw.add_line((rect.x, rect.y + 30), (rect.right, rect.y + 30), col32(THEME.separator))


def _paint_ruler(draw: Any, fonts: Fonts, axis: _Axis, top: float, cursor: TimeCursor) -> None:
    step = max(_nice_step(axis.hi - axis.lo, 10), 1.0)
    tick = math.ceil(axis.lo / step) * step
    while tick <= axis.hi:
        x = axis.x(tick)
        draw.add_line((x, top + 6), (x, top + 26), col32(THEME.row_line))
        label = format_time(cursor.timeline, int(tick))
        text_at(
            draw,
            fonts,
            x + 3,
            top + 6,
            label,
            THEME.text if tick == axis.lo else THEME.text_weak,
            size=fonts.size * 0.85,
        )
        tick += step
    draw.add_line((axis.x0 - 8, top + 27), (axis.x1 + 8, top + 27), col32(THEME.separator))


def _paint_ticks(draw: Any, axis: _Axis, y: float, times: np.ndarray) -> None:
    xs = np.unique(np.round([axis.x(t) for t in times]))
    if not len(xs):
        return
    breaks = np.flatnonzero(np.diff(xs) > _MERGE_PX)
    for start, end in zip(np.r_[0, breaks + 1], np.r_[breaks, len(xs) - 1], strict=True):
        x_start, x_end = float(xs[start]), float(xs[end])
        if x_end - x_start < 1:
            draw.add_quad_filled(
                (x_start, y - 5), (x_start + 3, y), (x_start, y + 5), (x_start - 3, y), col32(THEME.tick)
            )
        else:
            draw.add_rect_filled((x_start - 2, y - 4), (x_end + 2, y + 4), col32(THEME.tick), 3.0)


def _subtree_times(times: dict[str, np.ndarray], row: StreamRow) -> np.ndarray:
    if row.expanded:
        own = times.get(row.path)
        return own if own is not None else np.zeros(0, np.int64)
    prefix = row.path.rstrip("/") + "/"
    parts = [t for entity, t in times.items() if entity == row.path or entity.startswith(prefix)]
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.int64)


def paint_time_panel(
    draw: Any, fonts: Fonts, rect: Rect, store: ChunkStore, cursor: TimeCursor, bounds: tuple[int, int] | None
) -> None:
    """Controls row, then the streams tree beside the ruler, data ticks and the cursor."""
    _paint_controls(draw, fonts, rect, cursor)
    top = rect.y + 31
    text_at(draw, fonts, 17, top + 10, "STREAMS", THEME.text_strong, bold=True, size=fonts.size * 0.9)
    draw.add_line((_TREE_WIDTH, top), (_TREE_WIDTH, rect.bottom), col32(THEME.separator))
    rows = stream_rows(store.entity_paths())
    times = entity_times(store, cursor.timeline_name) if cursor.timeline is not None else {}
    axis = _Axis(*(bounds or (0, 1)), _TREE_WIDTH + 26, rect.right - 30)
    if cursor.timeline is not None:
        _paint_ruler(draw, fonts, axis, top, cursor)
    for index, row in enumerate(rows):
        y = top + 36 + index * THEME.row_height
        if y + THEME.row_height > rect.bottom:
            break
        text_at(draw, fonts, 30 + 18 * row.depth, y, row.label, THEME.text)
        _paint_ticks(draw, axis, y + fonts.size / 2 + 1, _subtree_times(times, row))
    if cursor.timeline is not None and bounds is not None:
        x = axis.x(cursor.at)
        draw.add_line((x, top + 2), (x, rect.bottom), col32(THEME.cursor), 1.0)
        draw.add_triangle_filled((x - 5, top + 1), (x + 5, top + 1), (x, top + 9), col32(THEME.cursor))
