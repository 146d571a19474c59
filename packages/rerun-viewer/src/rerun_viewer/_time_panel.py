"""The time panel: playback controls, the timeline ruler, per-entity data ticks and the time cursor.

Every control acts on the app state: play/pause, step forward/back to the next time with data,
loop, timeline selector, speed; pressing or dragging on the axis scrubs; a stream row selects its entity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from imgui_bundle import imgui

from rerun_core.entity_path import EntityPath
from rerun_core.store import ChunkStore
from rerun_viewer import _playback
from rerun_viewer._state import PLAYBACK_SPEEDS, LoopMode
from rerun_viewer._store_tracker import tracker_for
from rerun_viewer._theme import THEME
from rerun_viewer._time import TimeCursor, distinct_times, format_time
from rerun_viewer._ui import Fonts, Rect, UiFrame, chevron, clicked, col32, entity_icon, row_clicked, text_at

__all__ = ["StreamRow", "data_times", "entity_times", "paint_time_panel", "ruler_ticks", "stream_rows"]

_TREE_WIDTH = 175.0
_MERGE_PX = 4.0  # ticks closer than this draw as one bar
_OFF_AXIS = 10.0  # how far (in axis widths) off the axis a time may be drawn
_LABEL_GAP = 16.0  # pixels between ruler labels
_CHAR_WIDTH = 0.56  # a label character's width in font sizes (digits of the UI font)


@dataclass(frozen=True)
class StreamRow:
    """One row of the streams tree: an entity (``/`` root), its depth, whether it is expanded, whether
    it holds child entities and data of its own."""

    path: str
    label: str
    depth: int
    expanded: bool
    has_children: bool = False
    holds_data: bool = False


def stream_rows(entity_paths: list[str]) -> list[StreamRow]:
    """The root, then each entity with child entities expanded down to depth 1; properties last."""
    paths = {EntityPath.parse(p).parts for p in entity_paths if p != "/"}
    every = {parts[:depth] for parts in paths for depth in range(1, len(parts) + 1)}
    by_parent: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for node in every:
        by_parent.setdefault(node[:-1], []).append(node)

    def children(parent: tuple[str, ...]) -> list[tuple[str, ...]]:
        return sorted(by_parent.get(parent, []), key=lambda p: (p[-1].startswith("__"), p[-1]))

    rows = [StreamRow("/", "/", 0, True, has_children=bool(every), holds_data="/" in entity_paths)]
    with_data = set(entity_paths)

    def visit(node: tuple[str, ...]) -> None:
        kids = children(node)
        expanded = bool(kids) and len(node) <= 1
        path = str(EntityPath(node))
        label = node[-1] + ("/" if kids else "")
        rows.append(StreamRow(path, label, len(node), expanded, bool(kids), path in with_data))
        if expanded:
            for kid in kids:
                visit(kid)

    for top in children(()):
        visit(top)
    return rows


def entity_times(store: ChunkStore, timeline: str) -> dict[str, np.ndarray]:
    """Each entity's distinct times on ``timeline`` (computed once per store state)."""
    return tracker_for(store).remember(
        ("entity times", timeline), store.generation, lambda: _entity_times(store, timeline)
    )


def _entity_times(store: ChunkStore, timeline: str) -> dict[str, np.ndarray]:
    per_entity: dict[str, list[np.ndarray]] = {}
    for chunk in store.chunks():
        if timeline in chunk.timelines:
            times = chunk.index_column(timeline).view("int64").to_numpy(zero_copy_only=False)
            per_entity.setdefault(chunk.entity_path, []).append(times)
    return {entity: distinct_times(np.concatenate(parts)) for entity, parts in per_entity.items()}


def data_times(store: ChunkStore, timeline: str) -> np.ndarray:
    """Every distinct time of any entity on ``timeline``: where stepping stops."""
    parts = list(entity_times(store, timeline).values())
    return distinct_times(np.concatenate(parts)) if parts else np.zeros(0, np.int64)


def ruler_ticks(lo: int, hi: int, max_ticks: int) -> list[int]:
    """Round times (1, 2 or 5 × 10ⁿ apart) from ``lo`` to ``hi``, at most ``max_ticks`` of them.

    Integer arithmetic throughout: nanosecond timestamps (~1e18) are beyond a float's precision, where
    stepping a float tick forward is a no-op (an endless loop, once).
    """
    if hi < lo:
        raise ValueError(f"ruler range must not be reversed, got {lo}..{hi}")
    max_ticks = max(int(max_ticks), 1)
    wanted = -(-(hi - lo) // max(max_ticks - 1, 1))  # the smallest step that fits, rounded up
    power = 10 ** (len(str(max(wanted, 1))) - 1)
    step = next(power * factor for factor in (1, 2, 5, 10) if power * factor >= wanted)
    first = -(-lo // step) * step
    count = min((hi - first) // step + 1, max_ticks)
    return [first + index * step for index in range(max(count, 0))]


@dataclass(frozen=True)
class _Axis:
    lo: int
    hi: int
    x0: float
    x1: float

    def x(self, time: int) -> float:
        """The screen column of ``time``; times far off the axis land just off it (always finite)."""
        span = self.hi - self.lo
        fraction = 0.0 if span == 0 else (time - self.lo) / span  # exact integer difference first
        return self.x0 + (self.x1 - self.x0) * min(max(fraction, -_OFF_AXIS), 1.0 + _OFF_AXIS)

    def time(self, x: float) -> int:
        """The time under screen column ``x``, within the axis."""
        fraction = min(max((x - self.x0) / max(self.x1 - self.x0, 1.0), 0.0), 1.0)
        return self.lo + round(fraction * (self.hi - self.lo))


def _button(item_id: str, x: float, y: float, *, on: bool = False) -> bool:
    """A 20×20 icon button at (x, y): hover and "on" backgrounds; whether it was clicked."""
    pressed = clicked(item_id, Rect(x, y, 20, 20))
    if on or imgui.is_item_hovered():
        color = THEME.selection if on else THEME.separator
        imgui.get_window_draw_list().add_rect_filled((x, y), (x + 20, y + 20), col32(color), 3.0)
    return pressed


def _play_button(frame: UiFrame, draw: Any, bounds: tuple[int, int] | None, y: float) -> None:
    state, white = frame.state, col32(THEME.text)
    if _button("##play", 17, y - 3):
        state.cursor = _playback.toggle(state.cursor, bounds, state.playback)
    if state.playback.playing:
        draw.add_rect_filled((22, y + 1), (25, y + 13), white)
        draw.add_rect_filled((29, y + 1), (32, y + 13), white)
    else:
        draw.add_triangle_filled((22, y + 1), (22, y + 13), (32, y + 7), white)


def _step_buttons(frame: UiFrame, draw: Any, store: ChunkStore, y: float) -> None:
    state, white = frame.state, col32(THEME.text)
    for forward, x in ((True, 43.0), (False, 75.0)):
        if _button(f"##step{forward}", x, y - 3):
            times = data_times(store, state.cursor.timeline_name) if state.cursor.timeline else np.zeros(0)
            state.cursor = _playback.step(state.cursor, times, state.playback, forward=forward)
        tip, base = (x + 14, x + 6) if forward else (x + 6, x + 14)
        draw.add_triangle_filled((base, y + 1), (base, y + 13), (tip, y + 7), white)
        draw.add_line(
            (tip + (2 if forward else -2), y + 1), (tip + (2 if forward else -2), y + 13), white, 1.5
        )


def _loop_button(frame: UiFrame, draw: Any, y: float) -> None:
    playback = frame.state.playback
    if _button("##loop", 109, y - 3, on=playback.loop == LoopMode.ALL):
        playback.loop = LoopMode.OFF if playback.loop == LoopMode.ALL else LoopMode.ALL
    draw.add_circle((119, y + 7), 5.5, col32(THEME.text), 0, 1.5)
    draw.add_triangle_filled((121, y - 1), (121, y + 5), (125, y + 2), col32(THEME.text))


def _timeline_selector(frame: UiFrame, draw: Any, store: ChunkStore, y: float) -> None:
    state = frame.state
    name = state.cursor.timeline_name or "(static)"
    text_at(draw, frame.fonts, 152, y - 1, name, THEME.text)
    if clicked("##timeline", Rect(148, y - 4, 68, 22)) and store.timelines():
        imgui.open_popup("timelines")
    imgui.push_style_var(imgui.StyleVar_.window_padding, imgui.ImVec2(8, 6))  # the shell zeroes it
    opened = imgui.begin_popup("timelines")
    imgui.pop_style_var()
    if opened:
        for timeline in sorted(store.timelines()):
            if imgui.selectable(timeline, timeline == state.cursor.timeline_name)[0]:
                state.cursor = _playback.on_timeline(store, timeline)
        imgui.end_popup()


def _speed_selector(frame: UiFrame, draw: Any, y: float) -> None:
    playback = frame.state.playback
    text_at(draw, frame.fonts, 224, y - 1, f"{playback.speed:.2f}x", THEME.text)
    if clicked("##speed", Rect(220, y - 4, 50, 22)):
        faster = [speed for speed in PLAYBACK_SPEEDS if speed > playback.speed]
        playback.speed = faster[0] if faster else PLAYBACK_SPEEDS[0]


def _paint_controls(
    frame: UiFrame, draw: Any, rect: Rect, store: ChunkStore, bounds: tuple[int, int] | None
) -> None:
    y, cursor, fonts = rect.y + 8, frame.state.cursor, frame.fonts
    _play_button(frame, draw, bounds, y)
    _step_buttons(frame, draw, store, y)
    _loop_button(frame, draw, y)
    _timeline_selector(frame, draw, store, y)
    _speed_selector(frame, draw, y)
    text_at(draw, fonts, 281, y - 1, f"{frame.state.playback.fps:.0f} FPS", THEME.text)
    field_x, field_w = _time_field(rect)
    draw.add_rect((field_x, y - 5), (field_x + field_w, y + 17), col32(THEME.separator), 3.0)
    text_at(
        draw,
        fonts,
        field_x + 5,
        y - 1,
        format_time(cursor.timeline, cursor.at) if cursor.timeline else "",
        THEME.text,
    )
    draw.add_line((rect.x, rect.y + 30), (rect.right, rect.y + 30), col32(THEME.separator))


def _collapsed(rect: Rect) -> bool:
    return rect.h <= THEME.time_controls_height


def _time_field(rect: Rect) -> tuple[float, float]:
    """The time field's left edge and width: after the FPS, or at the row's right end when collapsed (0.41)."""
    return (rect.right - 89, 80) if _collapsed(rect) else (346, 199)


def _paint_collapsed_timeline(
    frame: UiFrame, draw: Any, rect: Rect, store: ChunkStore, bounds: tuple[int, int] | None
) -> None:
    """A collapsed panel's one-line timeline, as 0.41 draws it between the FPS and the time field: a
    line with a mark at each time with data, and the cursor (press or drag to scrub)."""
    cursor = frame.state.cursor
    if cursor.timeline is None or bounds is None:
        return
    axis, y = _Axis(*bounds, 343, _time_field(rect)[0] - 19), rect.y + 15.5
    _scrub(frame, axis, Rect(axis.x0 - 8, rect.y, axis.x1 - axis.x0 + 16, rect.h))
    draw.add_line((axis.x0, y), (axis.x1, y), col32(THEME.text), 1.0)
    for x in _tick_columns(axis, data_times(store, cursor.timeline_name)):
        draw.add_line((float(x), y - 1.5), (float(x), y + 1.5), col32(THEME.text), 1.0)
    x = int(axis.x(frame.state.cursor.at)) + 0.5  # on a pixel's centre: one crisp column
    draw.add_line((x, rect.y + 2), (x, rect.bottom), col32(THEME.cursor), 1.0)
    draw.add_triangle_filled((x - 5, rect.y + 1), (x + 5, rect.y + 1), (x, rect.y + 9), col32(THEME.cursor))


def _paint_ruler(draw: Any, fonts: Fonts, axis: _Axis, top: float, cursor: TimeCursor) -> None:
    """Labelled ticks as many as fit without overlapping labels."""
    size = fonts.size * 0.85
    widest = max(len(format_time(cursor.timeline, time)) for time in (axis.lo, axis.hi))
    max_ticks = int((axis.x1 - axis.x0) // (widest * size * _CHAR_WIDTH + _LABEL_GAP))
    for tick in ruler_ticks(axis.lo, axis.hi, max_ticks):
        x = axis.x(tick)
        draw.add_line((x, top + 6), (x, top + 26), col32(THEME.row_line))
        color = THEME.text if tick == axis.lo else THEME.text_weak
        label = format_time(cursor.timeline, tick)
        if x + 3 + len(label) * size * _CHAR_WIDTH <= axis.x1 + 28:  # not cut off by the panel's edge
            text_at(draw, fonts, x + 3, top + 6, label, color, size=size)
    draw.add_line((axis.x0 - 8, top + 27), (axis.x1 + 8, top + 27), col32(THEME.separator))


_TICK_COLUMNS: dict[tuple[int, _Axis], tuple[np.ndarray, np.ndarray]] = {}  # (id(times), axis) -> (times, xs)


def _tick_columns(axis: _Axis, times: np.ndarray) -> np.ndarray:
    """The distinct pixel columns of sorted ``times``, kept for the same array and axis (1M times cost ~10 ms)."""
    cached = _TICK_COLUMNS.get((id(times), axis))
    if cached is not None and cached[0] is times:
        return cached[1]
    span = max(axis.hi - axis.lo, 1)
    xs = np.round(axis.x0 + (axis.x1 - axis.x0) * ((np.asarray(times, np.float64) - axis.lo) / span))
    xs = xs[np.r_[True, np.diff(xs) != 0]] if len(xs) else xs  # times are sorted: drop repeated columns
    if len(_TICK_COLUMNS) > 256:
        _TICK_COLUMNS.clear()
    _TICK_COLUMNS[(id(times), axis)] = (times, xs)
    return xs


def _paint_ticks(draw: Any, axis: _Axis, y: float, times: np.ndarray) -> None:
    xs = _tick_columns(axis, times)
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
    return distinct_times(np.concatenate(parts)) if parts else np.zeros(0, np.int64)


def _scrub(frame: UiFrame, axis: _Axis, area: Rect) -> None:
    """Pressing or dragging on the time axis moves the cursor there."""
    clicked("##scrub", area)
    if imgui.is_item_active() and frame.state.cursor.timeline is not None:
        at = axis.time(imgui.get_mouse_pos().x)
        frame.state.cursor = TimeCursor(frame.state.cursor.timeline, at)
        frame.state.playback.carry = 0.0


@dataclass
class _Streams:
    """The streams tree and the entities' times for one store state and timeline; each row's ticks
    are gathered the first time the row shows."""

    rows: list[StreamRow]
    times: dict[str, np.ndarray]
    row_times: dict[StreamRow, np.ndarray]

    def ticks(self, row: StreamRow) -> np.ndarray:
        if row not in self.row_times:
            self.row_times[row] = _subtree_times(self.times, row)
        return self.row_times[row]


def _streams(frame: UiFrame, store: ChunkStore, timeline: str) -> _Streams:
    """Recomputed only when the store or the timeline changed."""
    key = (id(store), store.generation, timeline)
    cached = frame.cache.get("streams")
    if cached is None or cached[0] != key:
        times = entity_times(store, timeline) if timeline else {}
        cached = frame.cache["streams"] = (key, _Streams(stream_rows(store.entity_paths()), times, {}))
    return cached[1]


def _paint_streams(frame: UiFrame, draw: Any, rect: Rect, store: ChunkStore, axis: _Axis, top: float) -> None:
    """The streams tree (click a row to select its entity) beside each entity's data ticks."""
    state, fonts = frame.state, frame.fonts
    streams = _streams(frame, store, state.cursor.timeline_name)
    for index, row in enumerate(streams.rows):
        y = top + 36 + index * THEME.row_height
        if y + THEME.row_height > rect.bottom:
            break
        if (
            row_clicked(draw, f"##stream{row.path}", Rect(8, y - 4, _TREE_WIDTH - 16, THEME.row_height))
            and row.path != "/"
        ):
            state.select(row.path)
        selected = state.selection is not None and state.selection.entity == row.path
        if selected:
            draw.add_rect_filled((8, y - 4), (_TREE_WIDTH - 8, y + 20), col32(THEME.selection), 4.0)
        draw.push_clip_rect((8, y - 4), (_TREE_WIDTH - 4, y + 20), True)  # long names end at the tree's edge
        color = THEME.text_strong if selected else THEME.text
        text_x = 53 + 18 * row.depth  # as 0.41's: an arrow, the entity's icon, its name
        if row.has_children:
            chevron(draw, text_x - 29.5, y + 8, row.expanded)
        entity_icon(
            draw, text_x - 11, y + 8, color, holds_data=row.holds_data, properties=row.label == "__properties"
        )
        text_at(draw, fonts, text_x, y, row.label, color)
        draw.pop_clip_rect()
        _paint_ticks(draw, axis, y + fonts.size / 2 + 1, streams.ticks(row))


def paint_time_panel(
    frame: UiFrame, draw: Any, rect: Rect, store: ChunkStore, bounds: tuple[int, int] | None
) -> None:
    """Controls row, then the streams tree beside the ruler, data ticks and the cursor."""
    _paint_controls(frame, draw, rect, store, bounds)
    if _collapsed(rect):  # the controls row only, with a one-line timeline
        _paint_collapsed_timeline(frame, draw, rect, store, bounds)
        return
    cursor, top = frame.state.cursor, rect.y + 31
    text_at(
        draw, frame.fonts, 17, top + 10, "STREAMS", THEME.text_strong, bold=True, size=frame.fonts.size * 0.9
    )
    draw.add_line((_TREE_WIDTH, top), (_TREE_WIDTH, rect.bottom), col32(THEME.separator))
    axis = _Axis(*(bounds or (0, 1)), _TREE_WIDTH + 26, rect.right - 30)
    if cursor.timeline is not None:
        _scrub(frame, axis, Rect(axis.x0 - 8, top, axis.x1 - axis.x0 + 16, rect.bottom - top))
        _paint_ruler(draw, frame.fonts, axis, top, cursor)
    _paint_streams(frame, draw, rect, store, axis, top)
    cursor = frame.state.cursor  # scrubbing may have moved it
    if cursor.timeline is not None and bounds is not None:
        x = axis.x(cursor.at)
        draw.add_line((x, top + 2), (x, rect.bottom), col32(THEME.cursor), 1.0)
        draw.add_triangle_filled((x - 5, top + 1), (x + 5, top + 1), (x, top + 9), col32(THEME.cursor))
