"""The entity rows under a view in the blueprint tree, as 0.41 lists and opens them.

A view lists the entities it draws and, for a text-log view, every entity its query reaches that
holds text (0.41's text-log view lists a markdown document too, and counts it), with their
ancestors below the view's origin. The origin comes first ("/ (root)" for ``/``); entities outside
it follow, one row each beside it. A row with two or three children starts open, as do 0.41's; entities
holding data of their own show a dotted diamond, mere groups a hollow one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyarrow as pa

from rerun_core.entity_path import RECORDING_PROPERTIES_PATH, EntityPath
from rerun_core.query import EntityPathFilter
from rerun_core.store import ChunkStore
from rerun_viewer._heuristics import ViewSpec
from rerun_viewer._registry import ViewKind
from rerun_viewer._store_tracker import tracker_for
from rerun_viewer._transforms import is_under

__all__ = ["TreeRow", "entity_tree", "listed_entities", "shown_rows", "view_rows"]


@dataclass(frozen=True)
class TreeRow:
    """One entity row under a view: its path, depth below the view's origin, label, how many rows it
    holds directly, and whether the entity holds data itself (else it only groups others)."""

    path: str
    depth: int
    label: str
    children: int = 0
    holds_data: bool = False

    @property
    def opens_by_default(self) -> bool:
        """0.41 opens a row (and a view, by its origin's row) holding two or three children."""
        return 2 <= self.children <= 3


def _holds_text(datatype: pa.DataType) -> bool:
    while pa.types.is_list(datatype) or pa.types.is_large_list(datatype):
        datatype = datatype.value_type
    return bool(pa.types.is_string(datatype) or pa.types.is_large_string(datatype))


def listed_entities(store: ChunkStore, view: ViewSpec, query: tuple[str, ...]) -> tuple[str, ...]:
    """What the view lists: what it draws, and for a text log every entity its query reaches holding
    text (recording properties left out)."""
    if view.kind != ViewKind.TEXT_LOG:
        return view.entities
    matches = EntityPathFilter.parse([line.replace("$origin", view.origin) for line in query]).matches
    texts = {
        column.entity_path
        for column in store.columns()
        if _holds_text(column.datatype)
        and matches(column.entity_path)
        and not is_under(column.entity_path, RECORDING_PROPERTIES_PATH)
    }
    return tuple(sorted(texts.union(view.entities)))


def entity_tree(
    entities: tuple[str, ...], origin: str, with_data: frozenset[str] | None = None
) -> tuple[TreeRow, ...]:
    """The origin's row, the entities below it and their ancestors (depth first), then the entities
    outside it; ``with_data``: the entities holding data (default: ``entities``)."""
    with_data = frozenset(entities) if with_data is None else with_data
    base = EntityPath.parse(origin).parts
    nodes: set[tuple[str, ...]] = set()
    outside: list[tuple[str, ...]] = []
    for entity in entities:
        parts = EntityPath.parse(entity).parts
        if parts[: len(base)] == base:
            nodes.update(parts[:depth] for depth in range(len(base) + 1, len(parts) + 1))
        else:
            outside.append(parts)
    children: dict[tuple[str, ...], int] = {}
    for node in nodes:
        children[node[:-1]] = children.get(node[:-1], 0) + 1

    def row(parts: tuple[str, ...], depth: int, label: str) -> TreeRow:
        path = str(EntityPath(parts))
        return TreeRow(path, depth, label, children.get(parts, 0), path in with_data)

    origin_row = row(base, 0, base[-1] if base else "/ (root)")
    below = (row(node, len(node) - len(base), node[-1]) for node in sorted(nodes))
    beyond = (TreeRow(str(EntityPath(p)), 0, str(EntityPath(p)), 0, True) for p in sorted(outside))
    return (origin_row, *below, *beyond)


def view_rows(store: ChunkStore, key: str, view: ViewSpec, query: tuple[str, ...]) -> tuple[TreeRow, ...]:
    """The rows of a view (``key`` names it), computed again only when the store or the view changes."""
    memo = (store.generation, view.kind, view.origin, view.entities, query)

    def compute() -> tuple[TreeRow, ...]:
        return entity_tree(listed_entities(store, view, query), view.origin, frozenset(store.entity_paths()))

    return tracker_for(store).remember(("view tree", key), memo, compute)


def shown_rows(rows: tuple[TreeRow, ...], is_open: Callable[[TreeRow], bool]) -> Iterator[TreeRow]:
    """The rows not inside a closed one (a row's subtree is the rows after it that are deeper)."""
    closed_at: int | None = None
    for row in rows:
        if closed_at is not None and row.depth > closed_at:
            continue
        closed_at = None if row.children == 0 or is_open(row) else row.depth
        yield row
