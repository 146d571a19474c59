"""Text-log views: a table of rows up to the time cursor."""

from __future__ import annotations

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


def _cell(text: str, color: tuple[int, int, int, int]) -> None:
    imgui.table_next_column()
    imgui.text_colored(vec4(color), text)


def _row(row: LogRow, contents: ViewContents) -> None:
    imgui.table_next_row(0, THEME.row_height - 4)
    imgui.table_next_column()
    if row.time == contents.cursor.at:  # rows at the cursor are highlighted, as in the reference
        imgui.table_set_bg_color(imgui.TableBgTarget_.cell_bg, col32(THEME.selection))
    imgui.text_colored(vec4(THEME.text_strong if row.time == contents.cursor.at else THEME.text),
                       format_time(contents.cursor.timeline, row.time))  # fmt: skip
    _cell(row.entity, THEME.text)
    level = row.level.upper()
    imgui.table_next_column()
    if level == "CRITICAL":
        imgui.table_set_bg_color(imgui.TableBgTarget_.cell_bg, col32(THEME.critical_background))
    imgui.text_colored(vec4(LEVEL_COLORS.get(level, THEME.text)), row.level)
    _cell(row.text, row.color or THEME.text)


def paint_text_log(frame: UiFrame, contents: ViewContents, rect: Rect, key: str) -> None:
    """Rows sorted by time (stable, so same-time rows keep their logging order)."""
    rows = sorted(
        (p for p in contents.primitives if isinstance(p, LogRow)), key=lambda row: (row.time, row.row_id)
    )
    area = rect.inset(12, 10, 12, 4)
    imgui.set_cursor_screen_pos(imgui.ImVec2(area.x, area.y))
    imgui.push_style_color(imgui.Col_.table_header_bg, vec4(THEME.header_background))
    imgui.push_style_color(imgui.Col_.table_border_light, vec4(THEME.separator))
    if imgui.begin_table(f"##log{key}", 4, _TABLE_FLAGS, imgui.ImVec2(area.w, area.h)):
        imgui.table_setup_scroll_freeze(0, 1)
        for label in (contents.cursor.timeline_name or "time", "Entity path", "Level", "Body"):
            imgui.table_setup_column(label)
        imgui.table_headers_row()
        for row in rows:
            _row(row, contents)
        imgui.end_table()
    imgui.pop_style_color(2)
