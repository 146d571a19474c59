"""Text-log views: a table of every row on the active timeline, sorted by time then logging order, with a
line at the time cursor, scrolled to it when the cursor moves (as 0.41 shows them).

The time columns are the active timeline's, or those a blueprint's ``TextLogColumns`` lists, in its
order (each row's time on each, blank where it has none; the cursor line only with the active one
among them); ``TextLogColumns`` also picks the other columns, ``TextLogRows`` the levels shown and
``TextLogFormat`` a monospace body.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import re
from collections.abc import Iterable
from typing import Any

from imgui_bundle import imgui

from rerun_core.entity_path import EntityPath
from rerun_core.timeline import Timeline, TimeType
from rerun_viewer._colors import LEVEL_COLORS
from rerun_viewer._primitives import LogRow
from rerun_viewer._theme import THEME
from rerun_viewer._time import format_time
from rerun_viewer._ui import Fonts, Rect, UiFrame, col32, vec4
from rerun_viewer._view_core import ViewContents

__all__ = ["paint_text_log", "time_label"]

_TABLE_FLAGS = (
    imgui.TableFlags_.borders_inner_h | imgui.TableFlags_.borders_inner_v | imgui.TableFlags_.pad_outer_x
    | imgui.TableFlags_.sizing_fixed_fit | imgui.TableFlags_.scroll_y
)  # fmt: skip


_DEFAULT_COLUMNS = ("entity", "level", "body")
_DIGITS = re.compile(r"([0-9]+)")
_ROW_HEIGHT = THEME.row_height - 4  # the rows' least height
_HEADER_HEIGHT = 31.0  # 0.41's header row is taller than its rows
_CELL_PADDING = 8.0  # left and right of every cell's text, as 0.41's
_ICON_WIDTH = 18.0  # the entity path's diamond and the gap after it
_MEASURED = 16  # columns are as wide as the widest of this many longest texts (and their heading)
_HEADINGS = {"entity": "Entity path", "level": "Level", "body": "Body"}


def _highlighted_text(
    text: str, color: tuple[int, int, int, int], background: tuple[int, int, int, int], rounding: float = 3.0
) -> None:
    """Text on a background just around it, as 0.41 marks the cursor's time and CRITICAL."""
    x, y = imgui.get_cursor_screen_pos()
    size = imgui.calc_text_size(text)
    imgui.get_window_draw_list().add_rect_filled(
        imgui.ImVec2(x - 2, y), imgui.ImVec2(x + size.x + 2, y + size.y), col32(background), rounding
    )
    imgui.text_colored(vec4(color), text)


def _cell(text: str, color: tuple[int, int, int, int]) -> None:
    imgui.table_next_column()
    imgui.text_colored(vec4(color), text)


def time_label(timeline: Timeline, value: int) -> str:
    """A time as the reference's log table shows it: durations without trailing zeros (``+10s``)."""
    text = format_time(timeline, value)
    if timeline.typ == TimeType.DURATION_NS and "." in text:
        text = text[:-1].rstrip("0").rstrip(".") + "s"
    return text


def _time_text(row: LogRow, timeline: str) -> str:
    time = row.times.get(timeline)
    return "" if time is None else time_label(*time)


def _time_cell(row: LogRow, timeline: str, contents: ViewContents) -> None:
    """The row's time on ``timeline`` (blank without one); on the active one, highlighted at the cursor."""
    imgui.table_next_column()
    label = _time_text(row, timeline)
    if timeline == contents.cursor.timeline_name and row.time == contents.cursor.at:
        _highlighted_text(label, THEME.text_strong, THEME.selection)
    else:
        imgui.text_colored(vec4(THEME.text), label)


def _entity_cell(entity: str, mono: Any) -> None:
    """The entity's diamond, then its path in the monospace font, as 0.41 writes entity paths."""
    imgui.table_next_column()
    x, y = imgui.get_cursor_screen_pos()
    center, half, color = imgui.ImVec2(x + 6, y + 8), 5.0, col32(THEME.text)
    imgui.get_window_draw_list().add_quad(
        imgui.ImVec2(center.x, center.y - half), imgui.ImVec2(center.x + half, center.y),
        imgui.ImVec2(center.x, center.y + half), imgui.ImVec2(center.x - half, center.y), color, 1.1,
    )  # fmt: skip
    imgui.get_window_draw_list().add_circle_filled(center, 1.3, color)
    imgui.set_cursor_screen_pos(imgui.ImVec2(x + _ICON_WIDTH, y))
    imgui.push_font(mono, 0.0)  # 0: the current size
    imgui.text_colored(vec4(THEME.text), entity)
    imgui.pop_font()


def _level_cell(row: LogRow) -> None:
    level = row.level.upper()
    imgui.table_next_column()
    color = LEVEL_COLORS.get(level, THEME.text)
    if level == "CRITICAL":
        _highlighted_text(row.level, THEME.text_strong, THEME.critical_background, rounding=0.0)
    else:
        imgui.text_colored(vec4(color), row.level or "-")  # "-": no level logged


def _row(
    row: LogRow, contents: ViewContents, timelines: tuple[str, ...], columns: tuple[str, ...], fonts: Fonts,
    body_font: Any,
) -> None:  # fmt: skip
    imgui.table_next_row(0, _ROW_HEIGHT)
    for timeline in timelines:
        _time_cell(row, timeline, contents)
    for column in columns:
        if column == "entity":
            _entity_cell(row.entity, fonts.mono or fonts.regular)
        elif column == "level":
            _level_cell(row)
        elif body_font is not None:
            imgui.push_font(body_font, 0.0)
            _cell(row.text, row.color or THEME.text)
            imgui.pop_font()
        else:
            _cell(row.text, row.color or THEME.text)


def _headers(labels: list[str], active: int | None) -> None:
    """The header row, its labels centered in its height, the active timeline's highlighted as in 0.41."""
    imgui.table_next_row(imgui.TableRowFlags_.headers, _HEADER_HEIGHT)
    for index, label in enumerate(labels):
        imgui.table_set_column_index(index)
        padding = imgui.get_style().cell_padding.y
        top = imgui.get_cursor_pos_y() + (_HEADER_HEIGHT - imgui.get_text_line_height()) / 2 - padding
        imgui.set_cursor_pos_y(top)
        if index == active:
            _highlighted_text(label, THEME.text_strong, THEME.selection)
        else:
            imgui.text_colored(vec4(THEME.text_strong), label)


def _widest(texts: Iterable[str], font: Any) -> float:
    """The width of the widest text in ``font``, measuring only the longest few (rows may be many)."""
    longest = heapq.nlargest(_MEASURED, set(texts), key=len)
    imgui.push_font(font, 0.0)
    width = max((imgui.calc_text_size(text).x for text in longest), default=0.0)
    imgui.pop_font()
    return float(width)


def _column_widths(
    rows: list[LogRow], timelines: tuple[str, ...], columns: tuple[str, ...], fonts: Fonts, body_font: Any
) -> list[float]:
    """Each column as wide as its heading or its widest text (0.41 sizes its columns to what they hold)."""
    contents: list[tuple[str, Iterable[str], Any, float]] = [
        (timeline, (_time_text(row, timeline) for row in rows), fonts.regular, 0.0) for timeline in timelines
    ]
    for column in columns:
        if column == "entity":
            contents.append(
                (_HEADINGS[column], (row.entity for row in rows), fonts.mono or fonts.regular, _ICON_WIDTH)
            )
        elif column == "level":
            contents.append((_HEADINGS[column], (row.level or "-" for row in rows), fonts.regular, 0.0))
        else:
            contents.append((_HEADINGS[column], (row.text for row in rows), body_font or fonts.regular, 0.0))
    return [
        max(_widest([heading], fonts.regular), _widest(texts, font) + extra)
        for heading, texts, font, extra in contents
    ]


def _last_row_span() -> tuple[float, float]:
    """The top and bottom of the row just drawn (its last cell's text, padded, at least a row high)."""
    padding = imgui.get_style().cell_padding.y
    top = imgui.get_item_rect_min().y - padding
    return top, max(top + _ROW_HEIGHT, imgui.get_item_rect_max().y + padding)


def _cursor_line(rows_top: float, y: float) -> None:
    """The time cursor: a line at ``y`` across the table (not clipped to a column), below the header."""
    window_x, window_y = imgui.get_window_pos()
    width, height = imgui.get_window_size()
    if imgui.get_scroll_max_y() > 0:  # not over the scrollbar
        width -= imgui.get_style().scrollbar_size
    y = int(y) + 0.5  # on a pixel row: crisp
    imgui.push_clip_rect(
        imgui.ImVec2(window_x, rows_top), imgui.ImVec2(window_x + width, window_y + height), False
    )
    imgui.get_window_draw_list().add_line(
        imgui.ImVec2(window_x, y), imgui.ImVec2(window_x + width, y), col32(THEME.text_strong), 1.0
    )
    imgui.pop_clip_rect()


def _cursor_moved(frame: UiFrame, contents: ViewContents, key: str) -> bool:
    """Whether the cursor differs from this view's last frame (the table then scrolls to it)."""
    cursor = (contents.cursor.timeline_name, contents.cursor.at)
    moved = frame.cache.get(f"text log cursor {key}") != cursor
    frame.cache[f"text log cursor {key}"] = cursor
    return moved


def _natural(text: str) -> tuple[tuple[int, int, str], ...]:
    """A name's natural sort key, as the reference orders siblings: case aside, numbers by value."""
    chunks = (chunk for chunk in _DIGITS.split(text) if chunk)
    key = tuple((0, int(c), "") if c.isdigit() else (1, 0, c.lower()) for c in chunks)
    return (*key, (2, 0, text))  # the name itself breaks ties


@functools.lru_cache(maxsize=4096)
def _tree_order(entity: str) -> tuple[tuple[object, ...], ...]:
    """Where an entity comes in the reference's walk of the entity tree: siblings in natural order,
    children before their parent."""
    return (*((0, _natural(part)) for part in EntityPath.parse(entity).parts), (1,))


def _shown_rows(frame: UiFrame, contents: ViewContents, key: str) -> tuple[list[LogRow], list[int]]:
    """Rows of the shown levels by time, then (as the reference gathers them entity after entity) by
    :func:`_tree_order`, then in logging order, and their times; sorted again only when the rows change."""
    levels = contents.spec.properties.log_levels
    kept = frame.cache.get(f"text log rows {key}")
    if kept is not None and kept[0] is contents.primitives and kept[1] == levels:
        return kept[2], kept[3]
    rows = sorted(
        (
            p
            for p in contents.primitives
            if isinstance(p, LogRow) and (levels is None or p.level.upper() in levels)
        ),
        key=lambda row: (row.time, _tree_order(row.entity), row.row_id),
    )
    times = [row.time for row in rows]
    frame.cache[f"text log rows {key}"] = (contents.primitives, levels, rows, times)
    return rows, times


def _time_columns(contents: ViewContents) -> tuple[str, ...]:
    """The blueprint's timeline columns, else the active timeline's."""
    listed, active = contents.spec.properties.log_timelines, contents.cursor.timeline_name
    return listed if listed is not None else (active,) if active else ()


def _table_width(frame: UiFrame, key: str, rows: list[LogRow], timelines: tuple[str, ...],
                 columns: tuple[str, ...], body_font: Any) -> tuple[list[float], float]:  # fmt: skip
    """The columns' widths and the table's, measured again only when the rows or columns change."""
    memo = (id(rows), timelines, columns, body_font is not None)
    kept = frame.cache.get(f"text log widths {key}")
    if kept is None or kept[0] != memo:
        widths = _column_widths(rows, timelines, columns, frame.fonts, body_font)
        kept = (memo, widths, sum(widths) + len(widths) * (2 * _CELL_PADDING + 1))
        frame.cache[f"text log widths {key}"] = kept
    return kept[1], kept[2]


def paint_text_log(frame: UiFrame, contents: ViewContents, rect: Rect, key: str) -> None:
    """The table: as wide as its columns (at most the view's), its header kept at the top."""
    properties = contents.spec.properties
    rows, times = _shown_rows(frame, contents, key)
    timelines = _time_columns(contents)
    columns = properties.log_columns if properties.log_columns is not None else _DEFAULT_COLUMNS
    if not (timelines or columns):
        return
    active, at = contents.cursor.timeline_name, contents.cursor.at
    after = bisect.bisect_right(times, at)  # the first row after the cursor
    # As the reference: the line goes under the last row at the cursor, else over the first row after
    # it (-1: over the first row), and nowhere past the last row; the table centers the first row at
    # or after the cursor.
    at_cursor = after > 0 and times[after - 1] == at
    line_under = after - 1 if at_cursor or after < len(rows) else None
    line_under = line_under if active in timelines else None  # only with the active timeline's column
    scroll_to = min(bisect.bisect_left(times, at), len(rows) - 1)
    scroll = _cursor_moved(frame, contents, key)
    area = rect.inset(12, 13, 12, 4)
    body_font = frame.fonts.mono if properties.log_monospace else None
    widths, width = _table_width(frame, key, rows, timelines, columns, body_font)
    height = _HEADER_HEIGHT + len(rows) * _ROW_HEIGHT + 2  # as tall as its rows, at most the view
    if height > area.h:
        width += imgui.get_style().scrollbar_size
    imgui.set_cursor_screen_pos(imgui.ImVec2(area.x, area.y))
    imgui.push_style_color(imgui.Col_.table_header_bg, vec4(THEME.header_background))
    imgui.push_style_color(imgui.Col_.table_border_light, vec4(THEME.row_line))
    imgui.push_style_color(imgui.Col_.table_border_strong, vec4(THEME.header_line))
    imgui.push_style_var(imgui.StyleVar_.cell_padding, imgui.ImVec2(_CELL_PADDING, 2.0))
    if imgui.begin_table(
        f"##log{key}", len(widths), _TABLE_FLAGS, imgui.ImVec2(min(width, area.w), min(height, area.h))
    ):
        imgui.table_setup_scroll_freeze(0, 1)
        labels = [*timelines, *(_HEADINGS[c] for c in columns)]
        for label, column_width in zip(labels, widths, strict=True):
            imgui.table_setup_column(label, imgui.TableColumnFlags_.width_fixed, column_width)
        _headers(labels, timelines.index(active) if active in timelines else None)
        rows_top = area.y + _HEADER_HEIGHT  # the header's bottom: the first row's top
        clipper = imgui.ListClipper()  # only the rows in view are drawn
        clipper.begin(len(rows))
        if scroll and scroll_to >= 0:
            clipper.include_item_by_index(scroll_to)  # drawn, to scroll to it
        while clipper.step():
            for index in range(clipper.display_start, clipper.display_end):
                _row(rows[index], contents, timelines, columns, frame.fonts, body_font)
                if index == line_under or (index == 0 and line_under == -1):
                    top, bottom = _last_row_span()
                    _cursor_line(rows_top, top if line_under == -1 else bottom)
                if index == scroll_to and scroll:
                    imgui.set_scroll_here_y(0.5)
        clipper.end()
        imgui.end_table()
    imgui.pop_style_var()
    imgui.pop_style_color(3)
