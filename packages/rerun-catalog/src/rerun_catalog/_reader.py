"""``reader()``: a dataset's dataframe view, computed client-side as 0.41 does.

FindChunks names the candidate chunks per segment, FetchChunks brings them, each segment's chunks go
into a local ``ChunkStore`` and ``rerun_core``'s ``DataframeQuery`` makes its rows (latest-at never
crosses segments); the segments' rows are concatenated behind a ``rerun_segment_id`` column, in the
columns the dataset schema implies. The ``DataFrame`` returned is built on first use; filters on
``rerun_segment_id`` (``=``, ``IN``) and on the index (comparisons, ANDed) narrow what is fetched and
are always re-applied exactly by DataFusion.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import datafusion
import numpy as np
import pyarrow as pa
from datafusion import Expr
from google.protobuf import empty_pb2

from rerun_catalog._wire import SORBET_METADATA, Connection, encode_part, parts_table
from rerun_core import sorbet
from rerun_core.log_msg import ArrowMsg
from rerun_core.proto import cloud_pb2, common_pb2
from rerun_core.query import DataframeQuery, index_values_array, resolve_contents
from rerun_core.store import ChunkStore

__all__ = ["ReadRequest", "reader_frame"]

SEGMENT_COLUMN = "rerun_segment_id"
_SEGMENT_FIELD = pa.field(SEGMENT_COLUMN, pa.utf8(), nullable=False)
_FETCH_BATCH = 256
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}
IndexRange = tuple[int | None, int | None]


@dataclass(frozen=True)
class ReadRequest:
    """Everything one read needs: where, which segments and contents, and the query's options."""

    conn: Connection
    entry_id: str
    dataset_schema: pa.Schema
    index: str | None
    segments: tuple[str, ...] | None = None
    contents: Any = None
    fill_latest_at: bool = False
    include_semantically_empty_columns: bool = False
    include_tombstone_columns: bool = False
    using_index_values: dict[str, np.ndarray] | np.ndarray | None = None
    index_range: IndexRange = (None, None)

    def output_schema(self) -> pa.Schema:
        """``rerun_segment_id``, every index column, then the selected component columns."""
        fields = [_SEGMENT_FIELD]
        components = []
        paths = []
        for f in self.dataset_schema:
            meta = sorbet.decode_metadata(f.metadata)
            if meta.get(sorbet.KIND) == sorbet.KIND_INDEX:
                fields.append(f)
            elif meta.get(sorbet.KIND) == sorbet.KIND_DATA:
                components.append((f, meta))
                paths.append(meta.get(sorbet.ENTITY_PATH, ""))
        selected = resolve_contents(self.contents, sorted(set(paths)))
        for f, meta in components:
            if self._keeps(meta, selected):
                fields.append(f)
        return pa.schema(fields, metadata=SORBET_METADATA)

    def _keeps(self, meta: dict[str, str], selected: dict[str, Any]) -> bool:
        path = meta.get(sorbet.ENTITY_PATH, "")
        if path not in selected:
            return False
        wanted = selected[path]
        if wanted is not None and meta.get(sorbet.COMPONENT) not in wanted:
            return False
        if meta.get(sorbet.IS_SEMANTICALLY_EMPTY) == "true" and not self.include_semantically_empty_columns:
            return False
        if meta.get(sorbet.IS_TOMBSTONE) == "true" and not self.include_tombstone_columns:
            return False
        return not (self.index is None and meta.get(sorbet.IS_STATIC) != "true")


# ---- fetching -----------------------------------------------------------------------------------


def _segment_selection(segments: tuple[str, ...] | None) -> cloud_pb2.SegmentSelection:
    if segments is None:
        return cloud_pb2.SegmentSelection(all=empty_pb2.Empty())
    ids = [common_pb2.SegmentId(id=s) for s in segments]
    return cloud_pb2.SegmentSelection(explicit=cloud_pb2.SegmentIds(ids=ids))


def _find_request(request: ReadRequest) -> cloud_pb2.FindChunksRequest:
    contents = cloud_pb2.ContentSelection(all=empty_pb2.Empty())
    segments = _segment_selection(request.segments)
    if request.index is None:
        return cloud_pb2.FindChunksRequest(
            contents=contents, static=cloud_pb2.StaticSelection(segments=segments)
        )
    low, high = (None, None) if request.using_index_values is not None else request.index_range
    # 0.41 servers want a start with LATEST_AT; without one, everything up to `high` is fetched anyway.
    filling = request.fill_latest_at and low is not None
    selection = cloud_pb2.RangeSelection(
        timeline=request.index,
        start_inclusive=low,
        end_inclusive=high,
        fill_mode=cloud_pb2.FILL_MODE_LATEST_AT if filling else cloud_pb2.FILL_MODE_NONE,
        segments=segments,
    )
    return cloud_pb2.FindChunksRequest(
        contents=contents, range=selection, direct_url_mode=cloud_pb2.DIRECT_URL_MODE_OMIT
    )


def fetch_segment_stores(request: ReadRequest) -> dict[str, ChunkStore]:
    """Each segment's candidate chunks, in a local store per segment (in server order)."""
    responses = request.conn.stream("FindChunks", _find_request(request), entry_id=request.entry_id)
    candidates = parts_table(r.data for r in responses)
    if candidates.num_rows == 0:
        return {}
    stores: dict[str, ChunkStore] = {}
    segment_ids = candidates[
        SEGMENT_COLUMN if SEGMENT_COLUMN in candidates.column_names else "chunk_segment_id"
    ]
    keys = pa.table({"segment": segment_ids, "chunk_key": candidates["chunk_key"]})
    for segment in dict.fromkeys(keys["segment"].to_pylist()):
        rows = keys.filter(pa.compute.equal(keys["segment"], segment))
        stores[segment] = _fetch(request.conn, rows.select(["chunk_key"]))
    return stores


def _fetch(conn: Connection, keys: pa.Table) -> ChunkStore:
    parts = [encode_part(batch) for batch in keys.to_batches(max_chunksize=_FETCH_BATCH)]
    store = ChunkStore()
    for response in conn.stream("FetchChunks", cloud_pb2.FetchChunksRequest(chunk_infos=parts)):
        store.insert_many(ArrowMsg.from_proto(msg).chunk for msg in response.chunks)
    return store


# ---- rows ---------------------------------------------------------------------------------------


def read_batches(request: ReadRequest) -> Iterator[pa.RecordBatch]:
    schema = request.output_schema()
    for segment, store in fetch_segment_stores(request).items():
        if request.segments is not None and segment not in request.segments:
            continue
        if request.index is not None and request.index not in store.timelines():
            continue
        values = request.using_index_values
        if isinstance(values, dict):
            values = values.get(segment)
            if values is None:
                continue
        query = DataframeQuery(
            store,
            request.index,
            contents=request.contents,
            include_semantically_empty_columns=request.include_semantically_empty_columns,
            include_tombstone_columns=request.include_tombstone_columns,
            fill_latest_at=request.fill_latest_at,
            using_index_values=values,
            index_range=None if values is not None else request.index_range,
        )
        for batch in query.batches():
            yield _conform(batch, segment, schema)


def _conform(batch: pa.RecordBatch, segment: str, schema: pa.Schema) -> pa.RecordBatch:
    """One segment's rows in the dataset's columns: its id in front, columns it lacks as nulls."""
    columns = []
    for f in schema:
        if f.name == SEGMENT_COLUMN:
            columns.append(pa.array([segment] * batch.num_rows, pa.utf8()))
        elif f.name in batch.schema.names:
            column = batch.column(f.name)
            columns.append(column if column.type == f.type else column.cast(f.type))
        else:
            columns.append(pa.nulls(batch.num_rows, f.type))
    return pa.RecordBatch.from_arrays(columns, schema=schema)


# ---- the lazy DataFrame ---------------------------------------------------------------------------


class CatalogFrame(datafusion.DataFrame):
    """A ``datafusion.DataFrame`` over a dataset read, built on first use (see the module docstring)."""

    def __init__(
        self, request: ReadRequest, ctx: datafusion.SessionContext, predicates: tuple[Expr, ...] = ()
    ) -> None:
        # No super().__init__(): the engine frame (``df``) is built on first use.
        self._request = request
        self._ctx = ctx
        self._predicates = predicates
        self._built: Any = None

    @property
    def df(self) -> Any:
        if self._built is None:
            request = _pushed_down(self._request, self._predicates)
            schema = request.output_schema()
            batches = list(read_batches(request)) or [_empty(schema)]
            frame = self._ctx.from_arrow(pa.Table.from_batches(batches, schema=schema))
            for predicate in self._predicates:
                frame = frame.filter(predicate)
            self._built = frame.df
        return self._built

    def filter(self, *predicates: Expr | str) -> datafusion.DataFrame:
        empty = self._ctx.from_arrow(self._request.output_schema().empty_table())
        exprs = tuple(empty.parse_sql_expr(p) if isinstance(p, str) else p for p in predicates)
        empty.filter(*exprs)  # mistakes fail now, as usual
        return CatalogFrame(self._request, self._ctx, self._predicates + exprs)

    def schema(self) -> pa.Schema:
        return self._request.output_schema()


def _empty(schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist([], schema=schema)


def reader_frame(request: ReadRequest, ctx: datafusion.SessionContext) -> CatalogFrame:
    if request.index is not None:
        timelines = {
            f.name
            for f in request.dataset_schema
            if sorbet.decode_metadata(f.metadata).get(sorbet.KIND) == sorbet.KIND_INDEX
        }
        if request.index not in timelines:
            raise ValueError(f"Index {request.index!r} does not exist in the dataset.")
    values = request.using_index_values
    if values is not None:
        if isinstance(values, dict):
            values = {str(k): index_values_array(v) for k, v in values.items()}
        else:
            values = index_values_array(values)
        request = replace(request, using_index_values=values)
    return CatalogFrame(request, ctx)


# ---- pushdown -----------------------------------------------------------------------------------


def _pushed_down(request: ReadRequest, predicates: Sequence[Expr]) -> ReadRequest:
    lo, hi = request.index_range
    segments = request.segments
    for predicate in predicates:
        for conjunct in _conjuncts(predicate):
            found = _segment_ids(conjunct)
            if found is not None:
                segments = tuple(s for s in (segments or found) if s in found)
            if request.index is not None:
                for low, high in _bounds(conjunct, request.index):
                    lo = low if lo is None or (low is not None and low > lo) else lo
                    hi = high if hi is None or (high is not None and high < hi) else hi
    return replace(request, segments=segments, index_range=(lo, hi))


def _conjuncts(expr: Expr) -> Iterator[Expr]:
    variant = expr.to_variant()
    if type(variant).__name__ == "BinaryExpr" and variant.op() == "AND":
        yield from _conjuncts(variant.left())
        yield from _conjuncts(variant.right())
    else:
        yield expr


def _column_name(expr: Expr) -> str | None:
    variant = expr.to_variant()
    return variant.name() if type(variant).__name__ == "Column" else None


def _literal(expr: Expr) -> Any:
    if type(expr.to_variant()).__name__ != "Literal":
        return None
    scalar = expr.python_value()
    return scalar if isinstance(scalar, pa.Scalar) and scalar.is_valid else None


def _segment_ids(expr: Expr) -> tuple[str, ...] | None:
    """The segments an ``rerun_segment_id = 'x'`` / ``IN (...)`` conjunct allows; None for others."""
    variant = expr.to_variant()
    kind = type(variant).__name__
    if kind == "BinaryExpr" and variant.op() == "=":
        for column, value in ((variant.left(), variant.right()), (variant.right(), variant.left())):
            scalar = _literal(value)
            if (
                _column_name(column) == SEGMENT_COLUMN
                and scalar is not None
                and pa.types.is_string(scalar.type)
            ):
                return (scalar.as_py(),)
    if kind == "InList" and not variant.negated() and _column_name(variant.expr()) == SEGMENT_COLUMN:
        scalars = [_literal(item) for item in variant.list()]
        if all(s is not None and pa.types.is_string(s.type) for s in scalars):
            return tuple(s.as_py() for s in scalars)
    return None


def _bounds(expr: Expr, index: str) -> Iterator[IndexRange]:
    variant = expr.to_variant()
    if type(variant).__name__ != "BinaryExpr" or variant.op() not in _FLIPPED:
        return
    op, left, right = variant.op(), variant.left(), variant.right()
    if _column_name(right) == index:
        left, right, op = right, left, _FLIPPED[op]
    scalar = _literal(right) if _column_name(left) == index else None
    if scalar is None or not pa.types.is_integer(scalar.type):
        return  # times are re-filtered exactly anyway; only sequence bounds are pushed down
    value = operator.index(scalar.as_py())
    yield {
        "=": (value, value),
        ">": (value + 1, None),
        ">=": (value, None),
        "<": (None, value - 1),
        "<=": (None, value),
    }[op]
