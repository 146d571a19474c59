"""TextLog rows over the whole active timeline (the view marks the cursor among them), and TextDocuments."""

from __future__ import annotations

import numpy as np

from rerun_core.query import range_query
from rerun_core.timeline import Timeline
from rerun_viewer import _arrow
from rerun_viewer._colors import unpack_colors
from rerun_viewer._entity_query import EntityQuery
from rerun_viewer._primitives import Document, LogRow, Primitive
from rerun_viewer._registry import ViewKind, visualizer
from rerun_viewer._store_tracker import tracker_for

__all__: list[str] = []

_TEXT = "TextLog:text"


def _by_row_id(query: EntityQuery, name: str) -> dict[bytes, object]:
    rows = query.range(name)
    if rows is None:
        return {}
    return {
        row_id: (cell[0] if cell else None)
        for row_id, cell in zip(rows.row_ids.to_pylist(), rows.values.to_pylist(), strict=True)
    }


def _times(query: EntityQuery) -> dict[bytes, dict[str, tuple[Timeline, int]]]:
    """Each row's time on every timeline it has, by row id (for TextLogColumns' timeline columns)."""
    times: dict[bytes, dict[str, tuple[Timeline, int]]] = {}
    for name, timeline in query.store.timelines().items():
        rows = range_query(query.store, query.entity, name, None, None, [_TEXT]).get(_TEXT)
        if rows is None:
            continue
        values = rows.times.view("int64").to_numpy(zero_copy_only=False).tolist()
        for row_id, time in zip(rows.row_ids.to_pylist(), values, strict=True):
            times.setdefault(row_id, {})[name] = (timeline, time)
    return times


def _log_rows(query: EntityQuery) -> list[Primitive]:
    texts = query.range("text")
    if texts is None:
        return []
    levels, colors, all_times = _by_row_id(query, "level"), _by_row_id(query, "color"), _times(query)
    times = texts.times.view("int64").to_numpy(zero_copy_only=False)
    rows: list[Primitive] = []
    for time, row_id, cell in zip(times, texts.row_ids.to_pylist(), texts.values.to_pylist(), strict=True):
        packed = colors.get(row_id)
        color = None if packed is None else tuple(int(c) for c in unpack_colors(np.array([packed]))[0])
        level = str(levels.get(row_id) or "")
        for text in cell or []:
            rows.append(
                LogRow(query.entity, int(time), level, text or "", color, row_id, all_times.get(row_id, {}))  # type: ignore[arg-type]
            )
    return rows


@visualizer("TextLog", ViewKind.TEXT_LOG)
def text_log(query: EntityQuery) -> list[Primitive]:
    """Every row, also those after the cursor, as the reference lists them: read again only when the
    entity's data or the timeline changes, not when the cursor moves."""
    tracker = tracker_for(query.store)
    key = (tracker.version(query.entity), query.cursor.timeline_name)
    return tracker.remember(("text log rows", query.entity), key, lambda: _log_rows(query))


@visualizer("TextDocument", ViewKind.TEXT_DOCUMENT)
def text_document(query: EntityQuery) -> list[Primitive]:
    cells = query.latest("text", "media_type")
    texts = _arrow.strings(cells.get("text"))
    if not texts:
        return []
    media = _arrow.strings(cells.get("media_type"))
    return [Document(query.entity, texts[0], media[0] if media else "text/plain")]
