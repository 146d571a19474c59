"""Markdown to blocks of styled runs (markdown-it-py parses; this only flattens), for text-document views.

Kept to what documents logged to Rerun use: headings, paragraphs with bold / italic / inline code,
bullet and numbered lists (nested), code blocks, block quotes, rules and tables (one block per row).
Plain-text documents become one paragraph per line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = ["Block", "Run", "parse_document"]

_PARSER = MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class Run:
    """Text in one style."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False


@dataclass
class Block:
    """One laid-out block: ``kind`` is heading, paragraph, item, code, rule or row (of a table)."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    level: int = 0  # heading level (1–6)
    depth: int = 0  # list / quote nesting, for the indent
    marker: str = ""  # "•" or "3." before a list item's first line
    quote: bool = False
    cells: list[list[Run]] = field(default_factory=list)  # a table row's cells
    header: bool = False  # a table's header row

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def _runs(inline: Token) -> list[Run]:
    runs: list[Run] = []
    bold = italic = False
    for child in inline.children or []:
        if child.type in ("strong_open", "strong_close"):
            bold = child.type == "strong_open"
        elif child.type in ("em_open", "em_close"):
            italic = child.type == "em_open"
        elif child.type == "code_inline":
            runs.append(Run(child.content, code=True))
        elif child.type in ("softbreak", "hardbreak"):
            runs.append(Run(" "))
        elif child.content:
            runs.append(Run(child.content, bold, italic))
    return runs


class _Flattener:
    """Walks markdown-it's token stream, tracking list nesting and numbering."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.lists: list[list[int]] = []  # per open list: [next number] (0 for bullets)
        self.quotes = 0
        self.pending_marker = ""
        self.pending_heading = 0
        self.row: list[list[Run]] | None = None
        self.in_header = False

    def visit(self, token: Token) -> None:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            self.lists.append([int(token.attrs.get("start", 1) or 1) if kind == "ordered_list_open" else 0])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            number = self.lists[-1]
            self.pending_marker = f"{number[0]}." if number[0] else "•"
            number[0] += 1 if number[0] else 0
        elif kind in ("blockquote_open", "blockquote_close"):
            self.quotes += 1 if kind == "blockquote_open" else -1
        elif kind == "heading_open":
            self.pending_heading = int(token.tag[1:])
        elif kind in ("thead_open", "thead_close"):
            self.in_header = kind == "thead_open"
        elif kind == "tr_open":
            self.row = []
        elif kind == "tr_close" and self.row is not None:
            self._add(Block("row", cells=self.row, header=self.in_header))
            self.row = None
        elif kind == "inline" and self.row is not None:
            self.row.append(_runs(token))
        elif kind == "inline":
            self._inline(token)
        elif kind in ("fence", "code_block"):
            self._add(Block("code", [Run(token.content.rstrip("\n"), code=True)]))
        elif kind == "hr":
            self._add(Block("rule"))

    def _inline(self, token: Token) -> None:
        if self.pending_heading:
            self._add(Block("heading", _runs(token), level=self.pending_heading))
            self.pending_heading = 0
        elif self.pending_marker:
            self._add(Block("item", _runs(token), marker=self.pending_marker))
            self.pending_marker = ""
        else:
            self._add(Block("paragraph", _runs(token)))

    def _add(self, block: Block) -> None:
        block.depth = len(self.lists) + self.quotes
        block.quote = self.quotes > 0
        self.blocks.append(block)


def parse_document(text: str, media_type: str) -> list[Block]:
    """Blocks of a ``text/markdown`` document; other media types are plain text, one paragraph per line."""
    if media_type != "text/markdown":
        return [Block("paragraph", [Run(line)]) for line in text.splitlines()]
    flattener = _Flattener()
    for token in _PARSER.parse(text):
        flattener.visit(token)
    return flattener.blocks
