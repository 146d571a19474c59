"""``Chunk.format()``: a chunk as a boxed text table, laid out like 0.41's (the exact wrapping may differ).

An outer box holds the batch metadata, then an inner table: per column a header (name, ``---``,
``type: ...`` and the field metadata) and one cell per row. Columns share ``width``: narrow ones keep
their natural width, the others split the rest evenly, and cells wrap (long values end in ``…``).
"""

from __future__ import annotations

import textwrap

import numpy as np
import pyarrow as pa

from rerun_core import sorbet
from rerun_core.arrow_names import rust_type_name
from rerun_core.tuid import Tuid

__all__ = ["format_batch", "rust_type_name"]

_REDACTED = "[**REDACTED**]"
_CELL_CHARS = 100  # a cell shows at most this many characters of its value
_SHORTENED_VALUES = (sorbet.ARCHETYPE, sorbet.COMPONENT_TYPE, sorbet.EXTENSION_NAME)


def _field_type(field: pa.Field) -> str:
    return ("" if field.nullable else "non-null ") + rust_type_name(field.type)


def format_batch(batch: pa.RecordBatch, *, width: int, redact: bool, trim_metadata_keys: bool) -> str:
    metadata = sorbet.decode_metadata(batch.schema.metadata)
    meta_lines = ["METADATA:"] + [
        f"* {_key(key, trim_metadata_keys)}: {_meta_value(key, value, redact)}"
        for key, value in sorted(metadata.items(), key=lambda kv: _key(kv[0], trim_metadata_keys))
    ]
    headers = [_header(field, trim_metadata_keys) for field in batch.schema]
    rows = [
        [_cell(batch.column(c), r, batch.schema.field(c), redact) for c in range(batch.num_columns)]
        for r in range(batch.num_rows)
    ]
    inner = _table(headers, rows, max(width - 2, 3 * len(headers) + 1))
    box_width = max([len(line) for line in inner] + [len(line) for line in meta_lines])
    out = ["┌" + "─" * (box_width + 2) + "┐"]
    out += [f"│ {line.ljust(box_width)} │" for line in meta_lines]
    out.append("├" + "╌" * (box_width + 2) + "┤")
    out += [f"│ {line.ljust(box_width)} │" for line in inner]
    out.append("└" + "─" * (box_width + 2) + "┘")
    return "\n".join(out)


def _key(key: str, trim: bool) -> str:
    if trim:
        for prefix in ("rerun:", "sorbet:"):
            if key.startswith(prefix):
                return key[len(prefix) :]
    return key


def _meta_value(key: str, value: str, redact: bool) -> str:
    return _REDACTED if redact and key in (sorbet.ID, sorbet.VERSION) else value


def _header(field: pa.Field, trim: bool) -> str:
    name = "RowId" if field.name == sorbet.ROW_ID_COLUMN else field.name
    lines = [name, "---", f"type: {_field_type(field)}"]
    for key, value in sorted(sorbet.decode_metadata(field.metadata).items()):
        if trim and key in _SHORTENED_VALUES:
            value = value.rsplit(".", 1)[-1]
        lines.append(f"{_key(key, trim)}: {value}")
    return "\n".join(lines)


def _cell(column: pa.Array, row: int, field: pa.Field, redact: bool) -> str:
    if not column.is_valid()[row].as_py():
        return "null"
    if field.name == sorbet.ROW_ID_COLUMN:
        return "row_" + (_REDACTED if redact else str(Tuid.from_bytes(column[row].as_py())))
    text = _value(column.slice(row, 1))
    return text if len(text) <= _CELL_CHARS else text[: _CELL_CHARS - 1] + "…"


def _value(array: pa.Array) -> str:
    """The single value of ``array``, as the reference's table cells show it."""
    arrow_type = array.type
    if not array.is_valid()[0].as_py():
        return "null"
    if (
        pa.types.is_list(arrow_type)
        or pa.types.is_large_list(arrow_type)
        or pa.types.is_fixed_size_list(arrow_type)
    ):
        values = array.flatten()
        return "[" + ", ".join(_value(values.slice(i, 1)) for i in range(len(values))) + "]"
    if pa.types.is_struct(arrow_type):
        parts = [f"{f.name}: {_value(array.field(i))}" for i, f in enumerate(arrow_type)]
        return "{" + ", ".join(parts) + "}"
    if pa.types.is_timestamp(arrow_type):
        return _timestamp(array.cast(pa.int64())[0].as_py(), arrow_type.unit)
    if pa.types.is_duration(arrow_type):
        return _duration(array.cast(pa.int64())[0].as_py(), arrow_type.unit)
    value = array[0].as_py()
    if isinstance(value, float):
        return repr(value) if np.isfinite(value) else str(value).lower()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _timestamp(value: int, unit: str) -> str:
    text = str(np.array([value], dtype=f"datetime64[{unit}]")[0])
    head, dot, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    while fraction and len(fraction) % 3:
        fraction += "0"
    return head + (dot + fraction if fraction else "")


def _duration(value: int, unit: str) -> str:
    """ISO 8601, as 0.41 prints durations: ``P0D``, ``PT5S``, ``PT0.5S``."""
    ns = int(np.array([value], dtype=f"timedelta64[{unit}]").astype("timedelta64[ns]").astype(np.int64)[0])
    if ns == 0:
        return "P0D"
    sign, ns = ("-", -ns) if ns < 0 else ("", ns)
    seconds, fraction = divmod(ns, 1_000_000_000)
    text = str(seconds) + (f".{fraction:09d}".rstrip("0") if fraction else "")
    return f"{sign}PT{text}S"


def _table(headers: list[str], rows: list[list[str]], total_width: int) -> list[str]:
    widths = _column_widths(headers, rows, total_width)
    header_cells = [_wrap(text, w - 2) for text, w in zip(headers, widths, strict=True)]
    body = [[_wrap(text, w - 2) for text, w in zip(row, widths, strict=True)] for row in rows]
    lines = ["┌" + "┬".join("─" * w for w in widths) + "┐"]
    lines += _row_lines(header_cells, widths)
    lines.append("╞" + "╪".join("═" * w for w in widths) + "╡")
    for i, cells in enumerate(body):
        if i:
            lines.append("├" + "┼".join("╌" * w for w in widths) + "┤")
        lines += _row_lines(cells, widths)
    lines.append("└" + "┴".join("─" * w for w in widths) + "┘")
    return lines


def _row_lines(cells: list[list[str]], widths: list[int]) -> list[str]:
    height = max((len(cell) for cell in cells), default=0)
    return [
        "│"
        + "┆".join(
            f" {(cell[i] if i < len(cell) else '').ljust(w - 2)} "
            for cell, w in zip(cells, widths, strict=True)
        )
        + "│"
        for i in range(height)
    ]


def _column_widths(headers: list[str], rows: list[list[str]], total_width: int) -> list[int]:
    """Natural widths (plus padding) where they fit the average share, the rest split evenly."""
    natural = [
        max(len(line) for text in [header, *(row[c] for row in rows)] for line in text.split("\n")) + 2
        for c, header in enumerate(headers)
    ]
    available = total_width - (len(headers) + 1)
    widths: list[int | None] = [None] * len(headers)
    while True:
        open_columns = [c for c, w in enumerate(widths) if w is None]
        if not open_columns:
            return [int(w) for w in widths]  # type: ignore[arg-type]
        remaining = available - sum(w for w in widths if w is not None)
        share = remaining // len(open_columns)
        fitting = [c for c in open_columns if natural[c] <= share]
        if not fitting:
            extra = remaining - share * len(open_columns)
            for i, c in enumerate(open_columns):
                widths[c] = max(3, share + (1 if i < extra else 0))
            return [int(w) for w in widths]  # type: ignore[arg-type]
        for c in fitting:
            widths[c] = natural[c]


def _wrap(text: str, width: int) -> list[str]:
    width = max(width, 1)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        wrapped = textwrap.wrap(paragraph, width, break_long_words=True, break_on_hyphens=False)
        lines += wrapped or [""]
    return lines
