"""The shell's static panels: top bar, sources and blueprint tree (left), selection (right)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rerun_viewer._heuristics import ViewSpec
from rerun_viewer._recording import Recording
from rerun_viewer._theme import THEME
from rerun_viewer._ui import Fonts, Rect, col32, text_at

__all__ = ["RecordingSummary", "paint_left_panel", "paint_right_panel", "paint_top_bar", "summarize"]


@dataclass(frozen=True)
class RecordingSummary:
    """The figures the selection panel shows for a recording."""

    entities: int
    timelines: int
    data_columns: int
    rows: int
    nbytes: int


def summarize(recording: Recording) -> RecordingSummary:
    store = recording.store
    return RecordingSummary(
        entities=len(store.entity_paths()),
        timelines=len(store.timelines()),
        data_columns=len(store.columns()),
        rows=sum(chunk.num_rows for chunk in store.chunks()),
        nbytes=store.nbytes,
    )


def _size(nbytes: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if nbytes < 1024 or unit == "GiB":
            return f"{nbytes:.0f} {unit}" if unit == "B" else f"{nbytes:.1f} {unit}"
        nbytes /= 1024  # type: ignore[assignment]
    return ""


def _header(draw: Any, fonts: Fonts, x: float, y: float, text: str) -> None:
    text_at(draw, fonts, x, y, text, THEME.text_strong, bold=True, size=fonts.size * 0.9)


def paint_top_bar(draw: Any, fonts: Fonts, rect: Rect, title: str) -> None:
    text_at(draw, fonts, rect.x + 11, rect.y + 10, "Menu", THEME.text_strong)
    width = fonts.size * 0.55 * len(title)
    text_at(draw, fonts, rect.x + (rect.w - width) / 2, rect.y + 10, title, THEME.text_weak)


def _selected_row(draw: Any, fonts: Fonts, rect: Rect, y: float, text: str) -> None:
    draw.add_rect_filled((rect.x + 9, y - 3), (rect.right - 9, y + 21), col32(THEME.selection), 4.0)
    text_at(draw, fonts, rect.x + 89, y + 1, text, THEME.text_strong)


def paint_left_panel(
    draw: Any, fonts: Fonts, rect: Rect, recording: Recording, views: list[ViewSpec]
) -> None:
    x, y = rect.x + 17, rect.y + 10
    _header(draw, fonts, x, y, "SOURCES")
    text_at(draw, fonts, x + 18, y + 23, "Welcome to rerun", THEME.text)
    text_at(draw, fonts, x + 18, y + 47, "Viewer catalog", THEME.text, size=fonts.size * 0.9)
    text_at(draw, fonts, x + 54, y + 70, recording.store_id.application_id, THEME.text)
    _selected_row(draw, fonts, rect, y + 94, recording.name)
    y = rect.y + 170
    _header(draw, fonts, x, y, "BLUEPRINT")
    container = "Tab container" if len(views) == 1 else "Grid container"
    text_at(draw, fonts, x + 18, y + 24, f"Viewport ({container})", THEME.text)
    for index, view in enumerate(views):
        row_y = y + 48 + index * THEME.row_height
        if row_y + THEME.row_height > rect.bottom:
            break
        text_at(draw, fonts, x + 4, row_y, ">", THEME.text_weak, size=fonts.size * 0.8)
        text_at(draw, fonts, x + 36, row_y, view.title, THEME.text)


def paint_right_panel(
    draw: Any, fonts: Fonts, rect: Rect, recording: Recording, summary: RecordingSummary
) -> None:
    x, y = rect.x + 16, rect.y + 10
    _header(draw, fonts, x, y, "SELECTION")
    chip_width = fonts.size * 0.55 * len(recording.name) + 34
    draw.add_rect_filled((x, y + 23), (x + chip_width, y + 45), col32(THEME.selection), 11.0)
    text_at(draw, fonts, x + 22, y + 26, recording.name, THEME.text_strong)
    draw.add_line((rect.x, y + 53), (rect.right, y + 53), col32(THEME.separator))
    _header(draw, fonts, x, y + 67, "DATA")
    rows = [
        ("Recording ID", recording.name),
        ("Application ID", recording.store_id.application_id),
        ("Kind", "Blueprint" if recording.is_blueprint else "Recording"),
        ("Entities", str(summary.entities)),
        ("Timeline columns", str(summary.timelines)),
        ("Data columns", str(summary.data_columns)),
        ("Rows", f"{summary.rows:,}".replace(",", " ")),
        ("Size", _size(summary.nbytes)),
    ]
    for index, (key, value) in enumerate(rows):
        row_y = y + 90 + index * 23
        if row_y + 20 > rect.bottom:
            break
        text_at(draw, fonts, x, row_y, key, THEME.text)
        text_at(draw, fonts, x + 120, row_y, value, THEME.text)
