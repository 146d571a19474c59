"""Chunks and other record batches as rich tables: a metadata header, one column per field.

Used by ``print -vv``/``-vvv``, ``print --footers`` and ``compare --full-dump``. Like the
reference, metadata keys lose their ``rerun:`` prefix and type names their namespace unless
``--full-metadata`` is asked for.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pyarrow as pa
from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rerun_cli.rrd._cells import format_cell
from rerun_core import sorbet
from rerun_core.arrow_names import rust_type_name as type_name

__all__ = ["TableStyle", "batch_table", "render_text"]

_MAX_WIDTH = 100_000
_PREFIXES = ("rerun:", "sorbet:")


@dataclass(frozen=True)
class TableStyle:
    with_data: bool = True
    full_metadata: bool = False
    transposed: bool = False
    max_cell_width: int = 100


def render_text(renderable: RenderableType, *, width: int | None = None) -> str:
    """Render to plain text (no colour codes) — wide enough that tables are never wrapped."""
    sink = io.StringIO()
    console = Console(file=sink, width=width or _MAX_WIDTH, color_system=None, highlight=False, emoji=False)
    console.print(renderable, crop=False)
    return "\n".join(line.rstrip() for line in sink.getvalue().splitlines())


def batch_table(
    batch: pa.RecordBatch, style: TableStyle, *, extra_metadata: dict[str, str] | None = None
) -> RenderableType:
    """A record batch with its schema metadata on top; rows only with ``style.with_data``."""
    metadata = dict(extra_metadata or {})
    metadata.update(sorbet.decode_metadata(batch.schema.metadata))
    lines = ["METADATA:"] + [f"* {_key(k, style)}: {_value(v, style)}" for k, v in sorted(metadata.items())]
    table = _transposed(batch, style) if style.transposed else _columns(batch, style)
    return Panel(Group(Text("\n".join(lines)), table), box=box.SQUARE, expand=False, padding=(0, 1))


def _columns(batch: pa.RecordBatch, style: TableStyle) -> Table:
    table = Table(box=box.SQUARE, expand=False)
    headers = [_header(field, style) for field in batch.schema]
    height = max((header.count("\n") for header in headers), default=0)
    for header in headers:
        table.add_column(Text(header + "\n" * (height - header.count("\n"))), no_wrap=True)
    if style.with_data:
        for row in range(batch.num_rows):
            table.add_row(*(_cell(batch, column, row, style) for column in range(batch.num_columns)))
    return table


def _transposed(batch: pa.RecordBatch, style: TableStyle) -> Table:
    table = Table(box=box.SQUARE, show_lines=True, expand=False)
    table.add_column(Text("field"), no_wrap=True)
    for row in range(batch.num_rows if style.with_data else 0):
        table.add_column(Text(f"row {row}"), no_wrap=True)
    for column, field in enumerate(batch.schema):
        cells = [_cell(batch, column, row, style) for row in range(batch.num_rows if style.with_data else 0)]
        table.add_row(Text(_header(field, style)), *cells)
    return table


def _header(field: pa.Field, style: TableStyle) -> str:
    name = field.name
    if not style.full_metadata and name == sorbet.ROW_ID_COLUMN:
        name = "RowId"
    nullable = "" if field.nullable else "non-null "
    metadata = sorbet.decode_metadata(field.metadata)
    lines = [name, "---", f"type: {nullable}{type_name(field.type)}"]
    lines += [
        f"{_key(k, style)}: {_value(v, style)}"
        for k, v in sorted(metadata.items(), key=lambda kv: _key(kv[0], style))
    ]
    return "\n".join(lines)


def _cell(batch: pa.RecordBatch, column: int, row: int, style: TableStyle) -> Text:
    """A cell as plain text: values like ``[info]`` must never be read as rich markup."""
    is_row_id = batch.schema.field(column).name == sorbet.ROW_ID_COLUMN
    return Text(format_cell(batch.column(column), row, style.max_cell_width, row_ids=is_row_id))


def _key(key: str, style: TableStyle) -> str:
    if style.full_metadata:
        return key
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _value(value: str, style: TableStyle) -> str:
    """``rerun.components.Color`` reads as ``Color`` unless full metadata is wanted."""
    if style.full_metadata or not value.startswith("rerun.") or " " in value:
        return value
    return value.rsplit(".", 1)[-1]
