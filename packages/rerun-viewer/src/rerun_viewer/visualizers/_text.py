"""TextLog rows up to the time cursor, and TextDocuments."""

from __future__ import annotations

import numpy as np

from rerun_viewer import _arrow
from rerun_viewer._colors import unpack_colors
from rerun_viewer._entity_query import EntityQuery
from rerun_viewer._primitives import Document, LogRow, Primitive
from rerun_viewer._registry import ViewKind, visualizer

__all__: list[str] = []


def _by_row_id(query: EntityQuery, name: str) -> dict[bytes, object]:
    rows = query.range(name, until_cursor=True)
    if rows is None:
        return {}
    return {
        row_id: (cell[0] if cell else None)
        for row_id, cell in zip(rows.row_ids.to_pylist(), rows.values.to_pylist(), strict=True)
    }


@visualizer("TextLog", ViewKind.TEXT_LOG)
def text_log(query: EntityQuery) -> list[Primitive]:
    texts = query.range("text", until_cursor=True)
    if texts is None:
        return []
    levels, colors = _by_row_id(query, "level"), _by_row_id(query, "color")
    times = texts.times.view("int64").to_numpy(zero_copy_only=False)
    rows: list[Primitive] = []
    for time, row_id, cell in zip(times, texts.row_ids.to_pylist(), texts.values.to_pylist(), strict=True):
        packed = colors.get(row_id)
        color = None if packed is None else tuple(int(c) for c in unpack_colors(np.array([packed]))[0])
        for text in cell or []:
            level = str(levels.get(row_id) or "")
            rows.append(LogRow(query.entity, int(time), level, text or "", color, row_id))  # type: ignore[arg-type]
    return rows


@visualizer("TextDocument", ViewKind.TEXT_DOCUMENT)
def text_document(query: EntityQuery) -> list[Primitive]:
    cells = query.latest("text", "media_type")
    texts = _arrow.strings(cells.get("text"))
    if not texts:
        return []
    media = _arrow.strings(cells.get("media_type"))
    return [Document(query.entity, texts[0], media[0] if media else "text/plain")]
