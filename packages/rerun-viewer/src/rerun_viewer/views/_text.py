"""Text-log views: a table of rows up to the time cursor.

A blueprint's ``TextLogColumns`` picks the columns and their order (the time column shows when the
active timeline is among its timeline columns), ``TextLogRows`` the levels shown and
``TextLogFormat`` a monospace body.
"""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from rerun_viewer._colors import LEVEL_COLORS
from rerun_viewer._primitives import LogRow
from rerun_viewer._theme import THEME
from rerun_viewer._time import format_time
from rerun_viewer._ui import Rect, UiFrame, col32, vec4
from rerun_viewer._view_core import ViewContents

__all__ = ["paint_text_log"]

_TABLE_FLAGS = (
    imgui.TableFlags_.borders_inner_h | imgui.TableFlags_.sizing_fixed_fit
    | imgui.TableFlags_.scroll_y
)  # fmt: skip


_DEFAULT_COLUMNS = ("entity", "level", "body")
_HEADINGS = {"entity": "Entity path", "level": "Level", "body": "Body"}


def _cell(text: str, color: tuple[int, int, int, int]) -> None:
    imgui.table_next_column()
    imgui.text_colored(vec4(color), text)


def _time_cell(row: LogRow, contents: ViewContents) -> None:
    imgui.table_next_column()
    if row.time == contents.cursor.at:  # rows at the cursor are highlighted, as in the reference
        imgui.table_set_bg_color(imgui.TableBgTarget_.cell_bg, col32(THEME.selection))
    imgui.text_colored(vec4(THEME.text_strong if row.time == contents.cursor.at else THEME.text),
                       format_time(contents.cursor.timeline, row.time))  # fmt: skip


def _level_cell(row: LogRow) -> None:
    level = row.level.upper()
    imgui.table_next_column()
    if level == "CRITICAL":
        imgui.table_set_bg_color(imgui.TableBgTarget_.cell_bg, col32(THEME.critical_background))
    imgui.text_colored(vec4(LEVEL_COLORS.get(level, THEME.text)), row.level)


def _row(row: LogRow, contents: ViewContents, timed: bool, columns: tuple[str, ...], body_font: Any) -> None:
    imgui.table_next_row(0, THEME.row_height - 4)
    if timed:
        _time_cell(row, contents)
    for column in columns:
        if column == "entity":
            _cell(row.entity, THEME.text)
        elif column == "level":
            _level_cell(row)
        elif body_font is not None:
            imgui.push_font(body_font, 0.0)  # 0: the current size
            _cell(row.text, row.color or THEME.text)
            imgui.pop_font()
        else:
            _cell(row.text, row.color or THEME.text)


def paint_text_log(frame: UiFrame, contents: ViewContents, rect: Rect, key: str) -> None:
    """Rows sorted by time (stable, so same-time rows keep their logging order)."""
    properties = contents.spec.properties
    levels = properties.log_levels
    rows = sorted(
        (
            p
            for p in contents.primitives
            if isinstance(p, LogRow) and (levels is None or p.level.upper() in levels)
        ),
        key=lambda row: (row.time, row.row_id),
    )
    timeline = contents.cursor.timeline_name
    timed = properties.log_timelines is None or timeline in properties.log_timelines
    columns = properties.log_columns if properties.log_columns is not None else _DEFAULT_COLUMNS
    if not (timed or columns):
        return
    area = rect.inset(12, 10, 12, 4)
    imgui.set_cursor_screen_pos(imgui.ImVec2(area.x, area.y))
    imgui.push_style_color(imgui.Col_.table_header_bg, vec4(THEME.header_background))
    imgui.push_style_color(imgui.Col_.table_border_light, vec4(THEME.separator))
    if imgui.begin_table(
        f"##log{key}", int(timed) + len(columns), _TABLE_FLAGS, imgui.ImVec2(area.w, area.h)
    ):
        imgui.table_setup_scroll_freeze(0, 1)
        for label in ([timeline or "time"] if timed else []) + [_HEADINGS[c] for c in columns]:
            imgui.table_setup_column(label)
        imgui.table_headers_row()
        body_font = frame.fonts.mono if properties.log_monospace else None
        for row in rows:
            _row(row, contents, timed, columns, body_font)
        imgui.end_table()
    imgui.pop_style_color(2)
