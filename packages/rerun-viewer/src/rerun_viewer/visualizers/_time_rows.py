"""Visualizers that draw every row of a visible time range.

Under a blueprint's ``VisibleTimeRanges`` an entity shows each of its rows inside the window
(:meth:`~rerun_viewer._entity_query.EntityQuery.rows`), each as its own batch: the default eye frames
each row's points on their own (a trail of single points is framed by its bounding box), as 0.41
does; the scene still merges the batches into one GPU object per draw order.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pyarrow as pa

from rerun_viewer._entity_query import EntityQuery
from rerun_viewer._primitives import Primitive

__all__ = ["Cells", "per_row"]

Cells = dict[str, pa.Array]  # field name -> the cell's values
Draw = Callable[[EntityQuery, Cells], list[Primitive]]  # what one row of an entity's fields shows


def per_row(*names: str) -> Callable[[Draw], Callable[[EntityQuery], list[Primitive]]]:
    """Makes ``draw`` a visualizer that draws each of :meth:`EntityQuery.rows` of ``names`` (the
    first the field whose rows count), so that it honours visible time ranges."""

    def decorate(draw: Draw) -> Callable[[EntityQuery], list[Primitive]]:
        @functools.wraps(draw)
        def visualize(query: EntityQuery) -> list[Primitive]:
            return [primitive for cells in query.rows(*names) for primitive in draw(query, cells)]

        return visualize

    return decorate
