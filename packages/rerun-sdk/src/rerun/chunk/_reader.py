"""``ChunkStore.reader()``: the dataframe view of a store as a lazy DataFusion DataFrame.

DataFusion's Python API has no table provider written in Python, so the frame is a
``datafusion.DataFrame`` subclass that knows how to build itself: nothing is computed until a result
is asked for. ``filter`` calls are recorded; comparisons of the index column with literals (ANDed,
``BETWEEN`` too) become the query's ``index_range``, so only that part of the store is read, and
every predicate is still applied exactly by DataFusion on top. Reading the unfiltered frame as an
Arrow stream (``pa.RecordBatchReader.from_stream(df)``, ``Chunk.from_dataframe(df)``) streams the
query's batches without DataFusion. Every other method builds the DataFusion plan once (from the
query's batches, in memory) and runs it.

This module imports ``datafusion``: load it only when a reader is asked for.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import datafusion
import pyarrow as pa
from datafusion import Expr

from rerun.chunk._selection import content_expressions
from rerun_core import TimeType
from rerun_core.query import DataframeQuery, index_values_array
from rerun_core.store import ChunkStore as CoreStore

__all__ = ["ReaderFrame", "index_range", "reader_frame"]

IndexRange = tuple[int | None, int | None]

_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}


@dataclass(frozen=True)
class _Source:
    """What a reader frame is built from: the store, the query's options and the session."""

    store: CoreStore
    index: str | None
    options: dict[str, Any]
    ctx: datafusion.SessionContext
    schema: pa.Schema

    def query(self, index_range: IndexRange | None = None) -> DataframeQuery:
        return DataframeQuery(self.store, self.index, index_range=index_range, **self.options)

    def time_type(self) -> TimeType | None:
        return None if self.index is None else self.store.timelines()[self.index].typ

    def build(self, predicates: tuple[Expr, ...]) -> Any:
        """The DataFusion frame (its engine object): the query's batches, filtered by every predicate."""
        lo, hi = index_range(predicates, self.index, self.time_type())
        batches: list[pa.RecordBatch] = []
        if lo is None or hi is None or lo <= hi:
            batches = list(self.query((lo, hi)).batches())
        frame = self.ctx.read_batches(batches or [pa.RecordBatch.from_pylist([], schema=self.schema)])
        for predicate in predicates:
            frame = frame.filter(predicate)
        return frame.df

    def checked(self, predicates: tuple[Expr | str, ...]) -> tuple[Expr, ...]:
        """The predicates as expressions, planned on an empty frame so that mistakes fail now, as usual."""
        empty = self.ctx.read_batches([pa.RecordBatch.from_pylist([], schema=self.schema)])
        exprs = tuple(empty.parse_sql_expr(p) if isinstance(p, str) else p for p in predicates)
        empty.filter(*exprs)
        return exprs


class ReaderFrame(datafusion.DataFrame):
    """A DataFusion DataFrame over a store's dataframe view, built on first use (see the module docstring)."""

    def __init__(self, source: _Source, predicates: tuple[Expr, ...] = ()) -> None:
        # No super().__init__(): the engine frame (``df``) is built on first use.
        self._source = source
        self._predicates = predicates
        self._built: Any = None

    @property
    def df(self) -> Any:
        if self._built is None:
            self._built = self._source.build(self._predicates)
        return self._built

    def filter(self, *predicates: Expr | str) -> datafusion.DataFrame:
        return ReaderFrame(self._source, self._predicates + self._source.checked(predicates))

    def schema(self) -> pa.Schema:
        return self._source.schema

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        if self._predicates or requested_schema is not None:
            return super().__arrow_c_stream__(requested_schema)
        batches: Iterator[pa.RecordBatch] = self._source.query().batches()
        return pa.RecordBatchReader.from_batches(self._source.schema, batches).__arrow_c_stream__()


def reader_frame(
    store: CoreStore,
    index: str | None,
    *,
    contents: Any,
    include_semantically_empty_columns: bool,
    include_tombstone_columns: bool,
    fill_latest_at: bool,
    using_index_values: Any,
    ctx: datafusion.SessionContext | None,
) -> ReaderFrame:
    if index is not None and index not in store.timelines():
        raise ValueError(
            "DataFusion query error: Error during planning: "
            f"Index {index!r} does not exist in the chunk store."
        )
    if using_index_values is not None:
        try:
            using_index_values = index_values_array(using_index_values)
        except ValueError as err:
            if "unique" in str(err):
                raise ValueError("Index values must be unique.") from None
            raise
    options = {
        "contents": content_expressions(contents),
        "include_semantically_empty_columns": include_semantically_empty_columns,
        "include_tombstone_columns": include_tombstone_columns,
        "fill_latest_at": fill_latest_at,
        "using_index_values": using_index_values,
    }
    schema = DataframeQuery(store, index, **options).schema
    session = datafusion.SessionContext.global_ctx() if ctx is None else ctx
    return ReaderFrame(_Source(store, index, options, session, schema))


# ---- pushdown: the index range a conjunction of predicates implies -----------------------------


def index_range(predicates: tuple[Expr, ...], index: str | None, time_type: TimeType | None) -> IndexRange:
    """The tightest ``[lo, hi]`` (either end ``None``) on the index that the ANDed predicates imply;
    predicates it cannot read imply nothing (they are applied exactly anyway)."""
    lo: int | None = None
    hi: int | None = None
    if index is None or time_type is None:
        return lo, hi
    for predicate in predicates:
        for low, high in _bounds(predicate, index, time_type):
            lo = low if lo is None or (low is not None and low > lo) else lo
            hi = high if hi is None or (high is not None and high < hi) else hi
    return lo, hi


def _bounds(expr: Expr, index: str, time_type: TimeType) -> Iterator[IndexRange]:
    variant = expr.to_variant()
    kind = type(variant).__name__
    if kind == "BinaryExpr":
        op = variant.op()
        if op == "AND":
            yield from _bounds(variant.left(), index, time_type)
            yield from _bounds(variant.right(), index, time_type)
            return
        if op not in _FLIPPED:
            return
        left, right = variant.left(), variant.right()
        if _is_index(right, index):
            left, right, op = right, left, _FLIPPED[op]
        value = _literal_value(right, time_type) if _is_index(left, index) else None
        if value is not None:
            yield _comparison_range(op, value)
    elif kind == "Between" and not variant.negated() and _is_index(variant.expr(), index):
        low, high = _literal_value(variant.low(), time_type), _literal_value(variant.high(), time_type)
        if low is not None and high is not None:
            yield low, high


def _comparison_range(op: str, value: int) -> IndexRange:
    ranges: dict[str, Callable[[int], IndexRange]] = {
        "=": lambda v: (v, v),
        ">": lambda v: (v + 1, None),
        ">=": lambda v: (v, None),
        "<": lambda v: (None, v - 1),
        "<=": lambda v: (None, v),
    }
    return ranges[op](value)


def _is_index(expr: Expr, index: str) -> bool:
    variant = expr.to_variant()
    return type(variant).__name__ == "Column" and variant.name() == index


def _literal_value(expr: Expr, time_type: TimeType) -> int | None:
    """A literal as the index's int64 (ns for times), when its type is the index's kind; else ``None``."""
    if type(expr.to_variant()).__name__ != "Literal":
        return None
    scalar = expr.python_value()
    if not isinstance(scalar, pa.Scalar) or not scalar.is_valid:
        return None
    arrow_type = scalar.type
    try:
        if time_type == TimeType.SEQUENCE and pa.types.is_integer(arrow_type):
            return operator.index(scalar.as_py())
        if time_type == TimeType.TIMESTAMP_NS and pa.types.is_timestamp(arrow_type):
            return scalar.cast(pa.timestamp("ns", tz=arrow_type.tz)).value
        if time_type == TimeType.DURATION_NS and pa.types.is_duration(arrow_type):
            return scalar.cast(pa.duration("ns")).value
    except (pa.ArrowInvalid, OverflowError):
        return None
    return None
