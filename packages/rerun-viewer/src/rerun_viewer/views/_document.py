"""Text-document views: markdown blocks (``_markdown``) laid out word by word and wrapped to the view."""

from __future__ import annotations

import functools
from typing import Any

from imgui_bundle import imgui

from rerun_viewer._primitives import Document
from rerun_viewer._theme import THEME
from rerun_viewer._ui import Fonts, Rect, UiFrame, col32, text_at
from rerun_viewer._view_core import ViewContents
from rerun_viewer.views._markdown import Block, Run, parse_document

__all__ = ["paint_document"]

HEADING_SCALE = {1: 1.8, 2: 1.5, 3: 1.25}
_MARGIN, _INDENT, _LINE = 12.0, 20.0, 1.45
_CODE_BACKGROUND = (35, 35, 35, 255)


def _width(fonts: Fonts, text: str, *, bold: bool, size: float) -> float:
    imgui.push_font(fonts.bold if bold else fonts.regular, size)
    width = imgui.calc_text_size(text).x
    imgui.pop_font()
    return float(width)


class _Writer:
    """Places words left to right, wrapping at the view's right edge; ``y`` is the next line's top."""

    def __init__(self, frame: UiFrame, rect: Rect) -> None:
        self.draw: Any = imgui.get_window_draw_list()
        self.fonts = frame.fonts
        self.rect = rect
        self.y = rect.y + _MARGIN

    def block(self, block: Block) -> None:
        size = self.fonts.size * HEADING_SCALE.get(block.level, 1.1 if block.level else 1.0)
        left = self.rect.x + _MARGIN + _INDENT * block.depth
        if block.quote:
            bar = left - _INDENT / 2
            self.draw.add_line(
                imgui.ImVec2(bar, self.y),
                imgui.ImVec2(bar, self.y + size * _LINE),
                col32(THEME.separator),
                2.0,
            )
        if block.kind == "rule":
            middle = self.y + size / 2
            self.draw.add_line(
                imgui.ImVec2(left, middle),
                imgui.ImVec2(self.rect.right - _MARGIN, middle),
                col32(THEME.separator),
            )
        elif block.kind == "code":
            self._code(block, left, size)
        elif block.kind == "row":
            self._row(block, left, size)
        else:
            if block.marker:
                text_at(
                    self.draw, self.fonts, left - _INDENT + 4, self.y, block.marker, THEME.text, size=size
                )
            self._words(block.runs, left, size, heading=block.kind == "heading")
        self.y += size * (_LINE + (0.4 if block.kind == "heading" else 0.25))

    def _code(self, block: Block, left: float, size: float) -> None:
        lines = block.text.splitlines() or [""]
        bottom = self.y + len(lines) * size * _LINE + 8
        self.draw.add_rect_filled(
            imgui.ImVec2(left, self.y),
            imgui.ImVec2(self.rect.right - _MARGIN, bottom),
            col32(_CODE_BACKGROUND),
            4.0,
        )
        for line in lines:
            text_at(self.draw, self.fonts, left + 8, self.y + 4, line, THEME.text, size=size)
            self.y += size * _LINE
        self.y += 8

    def _row(self, block: Block, left: float, size: float) -> None:
        """Cells in equal columns; the header bold and underlined."""
        width = (self.rect.right - _MARGIN - left) / max(len(block.cells), 1)
        top, bottom = self.y, self.y
        for index, runs in enumerate(block.cells):
            self.y = top
            header_runs = [Run(run.text, bold=True) for run in runs] if block.header else runs
            self._words(
                header_runs, left + index * width, size, heading=False, right=left + (index + 1) * width
            )
            bottom = max(bottom, self.y)
        self.y = bottom
        line_y = self.y + size * _LINE - 2
        self.draw.add_line(
            imgui.ImVec2(left, line_y),
            imgui.ImVec2(self.rect.right - _MARGIN, line_y),
            col32(THEME.separator),
        )

    def _words(
        self, runs: list[Run], left: float, size: float, *, heading: bool, right: float | None = None
    ) -> None:
        x, right = left, self.rect.right - _MARGIN if right is None else right - 8
        for run in runs:
            bold = heading or run.bold
            color = THEME.text_strong if bold or run.italic else THEME.text
            for index, word in enumerate(run.text.split(" ")):
                x += _width(self.fonts, " ", bold=bold, size=size) if index else 0.0
                if not word:
                    continue
                width = _width(self.fonts, word, bold=bold, size=size)
                if x + width > right and x > left:
                    x, self.y = left, self.y + size * _LINE
                if run.code:
                    self.draw.add_rect_filled(
                        imgui.ImVec2(x - 2, self.y - 1),
                        imgui.ImVec2(x + width + 2, self.y + size + 1),
                        col32(_CODE_BACKGROUND),
                        3.0,
                    )
                text_at(self.draw, self.fonts, x, self.y, word, color, bold=bold, size=size)
                x += width


_parsed = functools.lru_cache(maxsize=32)(parse_document)  # a document is parsed once, not every frame


def paint_document(frame: UiFrame, contents: ViewContents, rect: Rect, key: str) -> None:
    """Every document of the view, top to bottom, clipped to ``rect``."""
    writer = _Writer(frame, rect)
    writer.draw.push_clip_rect(imgui.ImVec2(rect.x, rect.y), imgui.ImVec2(rect.right, rect.bottom), True)
    for document in (p for p in contents.primitives if isinstance(p, Document)):
        for block in _parsed(document.text, document.media_type):
            writer.block(block)
    writer.draw.pop_clip_rect()
