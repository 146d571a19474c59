"""``reader()``: a dataset's dataframe view, computed client-side as 0.41 does.

FindChunks names the candidate chunks per segment, FetchChunks brings them, each segment's chunks go
into a local ``ChunkStore`` and ``rerun_core``'s ``DataframeQuery`` makes its rows (latest-at never
crosses segments); the segments' rows are concatenated behind a ``rerun_segment_id`` column, in the
columns the dataset schema implies. The ``DataFrame`` returned is built on first use; filters on
``rerun_segment_id`` (``=``, ``IN``) and on the index (comparisons, ANDed) narrow what is fetched;
DataFusion applies every filter the read does not answer exactly itself. As in 0.41, ``select()``
reaches the read too (unless ``fill_latest_at``): rows then come only where a component column the
projection (or a filter) uses has data.

Chunks are decoded straight from the received bytes (``_chunk_stream``) into a store without
compaction: the query copies the rows it returns anyway, so merging chunks first would copy twice.
A read planned on a remembered dataset schema asks for the current one alongside FindChunks, and
starts over with it if it changed (a registration through another client).
"""

from __future__ import annotations

import operator
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import datafusion
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from datafusion import Expr
from google.protobuf import empty_pb2

from rerun_catalog._chunk_stream import ChunkPayload
from rerun_catalog._wire import SORBET_METADATA, Connection, decode_schema, encode_part, parts_table
from rerun_core import sorbet
from rerun_core.chunk import Chunk
from rerun_core.errors import ChunkError
from rerun_core.log_msg import decode_chunk_payload
from rerun_core.proto import cloud_pb2, common_pb2, log_msg_pb2
from rerun_core.query import DataframeQuery, index_values_array, resolve_contents
from rerun_core.store import ChunkStore, ChunkStoreConfig, concatenate_runs

__all__ = ["ReadRequest", "fetch_chunks", "reader_frame"]

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
    # Set when ``dataset_schema`` is the one last seen, not asked for now: the read then asks again
    # (alongside its other calls), remembers the answer here and starts over if it differs.
    seen_schemas: dict[str, pa.Schema] | None = None

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


def _content_selection(request: ReadRequest) -> cloud_pb2.ContentSelection:
    """Only the chunks of the selected entities and components, as 0.41 asks: so a clear logged on an
    entity left out of the contents does not empty a selected column. Everything without contents."""
    if request.contents is None:
        return cloud_pb2.ContentSelection(all=empty_pb2.Empty())
    known: dict[str, set[str]] = {}
    for _, path, component in _data_columns(request.dataset_schema):
        known.setdefault(path, set()).add(component)
    entities = [
        # Component names the schema lacks: the whole entity, so that no other spelling of them is missed.
        _entity_selection(path, None if components is None or not components <= known[path] else components)
        for path, components in resolve_contents(request.contents, sorted(known)).items()
    ]
    return cloud_pb2.ContentSelection(explicit=cloud_pb2.EntitySelections(entities=entities))


def _data_columns(schema: pa.Schema) -> Iterator[tuple[str, str, str]]:
    """``(column name, entity path, component)`` of each component column."""
    for f in schema:
        meta = sorbet.decode_metadata(f.metadata)
        if meta.get(sorbet.KIND) == sorbet.KIND_DATA:
            yield f.name, meta.get(sorbet.ENTITY_PATH, ""), meta.get(sorbet.COMPONENT, "")


def _entity_selection(path: str, components: frozenset[str] | None) -> cloud_pb2.EntitySelection:
    entity = common_pb2.EntityPath(path=path)
    if components is None:
        return cloud_pb2.EntitySelection(entity_path=entity, all=empty_pb2.Empty())
    ids = cloud_pb2.ComponentIds(ids=sorted(components))
    return cloud_pb2.EntitySelection(entity_path=entity, explicit=ids)


def _find_request(request: ReadRequest) -> cloud_pb2.FindChunksRequest:
    contents = _content_selection(request)
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


def fetch_segment_stores(request: ReadRequest) -> Iterator[tuple[str, ChunkStore]]:
    """Each segment's candidate chunks in a local store, in server order.

    One FetchChunks stream brings every segment's chunks, segment after segment (a chunk's store id
    names its segment); a segment is handed over as soon as its last chunk arrived, so the caller
    queries it while gRPC receives the next ones and the server reads them.
    """
    responses = request.conn.stream("FindChunks", _find_request(request), entry_id=request.entry_id)
    candidates = parts_table(r.data for r in responses)
    if candidates.num_rows == 0:
        return
    segment_ids = candidates[
        SEGMENT_COLUMN if SEGMENT_COLUMN in candidates.column_names else "chunk_segment_id"
    ]
    keys = pa.table({"segment": segment_ids, "chunk_key": candidates["chunk_key"]})
    if request.segments is not None:
        keys = keys.filter(pc.is_in(keys["segment"], pa.array(request.segments, pa.utf8())))
    order = list(dict.fromkeys(keys["segment"].to_pylist()))
    ranks = pa.array(range(len(order)), pa.int64())
    keys = keys.append_column("rank", pc.take(ranks, pc.index_in(keys["segment"], pa.array(order))))
    keys = keys.sort_by([("rank", "ascending")])  # stable: each segment's chunks stay in server order
    yield from _fetch(request.conn, keys.select(["chunk_key"]), order)


def fetch_chunks(conn: Connection, keys: pa.Table) -> Iterator[tuple[str, Chunk]]:
    """The chunks named by ``keys`` (a ``chunk_key`` column), in request order, with their recording ids."""
    parts = [encode_part(batch) for batch in keys.to_batches(max_chunksize=_FETCH_BATCH)]
    for msg in conn.fetch_chunks(cloud_pb2.FetchChunksRequest(chunk_infos=parts)):
        yield msg.recording_id, _chunk(msg)


def _fetch(conn: Connection, keys: pa.Table, order: list[str]) -> Iterator[tuple[str, ChunkStore]]:
    arrived: dict[str, list[Chunk]] = {segment: [] for segment in order}
    handed = 0
    for segment, chunk in fetch_chunks(conn, keys):
        if segment not in arrived:  # a store id that names no pending segment: the current one's
            segment = order[handed]
        while order[handed] != segment:  # chunks come in request order: the earlier segments are done
            yield order[handed], _store(arrived.pop(order[handed]))
            handed += 1
        arrived[segment].append(chunk)
    for segment in order[handed:]:
        yield segment, _store(arrived.pop(segment))


def _chunk(msg: ChunkPayload) -> Chunk:
    if msg.encoding not in (0, log_msg_pb2.ENCODING_ARROW_IPC):
        raise ChunkError(f"unknown ArrowMsg encoding {msg.encoding}")
    return decode_chunk_payload(pa.py_buffer(msg.payload), msg.compression, msg.uncompressed_size)


def _store(chunks: list[Chunk]) -> ChunkStore:
    """A store for one query. Its chunks are joined up front (one copy of the rows, which the query
    then slices without copying them again) rather than compacted as they come (which copies a row
    each time its chunk grows): a big read is then a few chunks to index instead of many."""
    store = ChunkStore(config=ChunkStoreConfig.without_compaction())
    store.insert_many(concatenate_runs(chunks, pa.default_memory_pool()))
    return store


# ---- rows ---------------------------------------------------------------------------------------


def read_batches(request: ReadRequest) -> Iterator[pa.RecordBatch]:
    schema = request.output_schema()
    for segment, store in fetch_segment_stores(request):
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
            columns.append(_repeated(segment, batch.num_rows))
        elif f.name in batch.schema.names:
            column = batch.column(f.name)
            columns.append(column if column.type == f.type else column.cast(f.type))
        else:
            columns.append(pa.nulls(batch.num_rows, f.type))
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def _repeated(text: str, count: int) -> pa.Array:
    """``count`` times ``text`` as a utf8 array, its buffers made by numpy (several times faster than
    ``pa.repeat``, which matters for a column as long as the whole read)."""
    data = text.encode()
    if count * len(data) >= 2**31:  # past utf8's 32-bit offsets: let Arrow say so
        return pa.repeat(pa.scalar(text, pa.utf8()), count)
    offsets = np.arange(count + 1, dtype=np.int32)
    offsets *= len(data)  # in place: one array, in range (checked above)
    return pa.StringArray.from_buffers(count, pa.py_buffer(offsets), pa.py_buffer(data * count))


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
            table = _checked_read(request)
            frame = self._ctx.from_arrow(table)
            for predicate in _unanswered(request, self._predicates):
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

    def select(self, *exprs: Expr | str) -> datafusion.DataFrame:
        request = _projected(self._request, self._ctx, self._predicates, exprs)
        return datafusion.DataFrame.select(CatalogFrame(request, self._ctx, self._predicates), *exprs)

    def select_columns(self, *names: str) -> datafusion.DataFrame:
        return self.select(*names)


def _checked_read(request: ReadRequest) -> pa.Table:
    """The read's rows; planned on a remembered schema, it is checked against the server's now."""
    if request.seen_schemas is None:
        return _read_table(request)
    asked = request.conn.unary_started(
        "GetDatasetSchema", cloud_pb2.GetDatasetSchemaRequest(), entry_id=request.entry_id
    )
    table = _read_table(request)
    current = decode_schema(asked().schema)
    request.seen_schemas[request.entry_id] = current
    if current.equals(request.dataset_schema, check_metadata=True):
        return table
    return _read_table(replace(request, dataset_schema=current))


def _read_table(request: ReadRequest) -> pa.Table:
    schema = request.output_schema()
    return pa.Table.from_batches(list(read_batches(request)) or [_empty(schema)], schema=schema)


def _projected(
    request: ReadRequest,
    ctx: datafusion.SessionContext,
    predicates: tuple[Expr, ...],
    exprs: Sequence[Expr | str],
) -> ReadRequest:
    """``request`` narrowed to the component columns DataFusion would scan for this projection.

    DataFusion's own optimizer names them: the same filters and projection planned over an empty
    table of the read's columns leave exactly the scanned columns in the table scan.
    """
    if request.index is None or request.fill_latest_at:
        return request
    schema = request.output_schema()
    probe = ctx.from_arrow(schema.empty_table())
    if predicates:
        probe = probe.filter(*predicates)
    scanned = {
        name for scan in _table_scans(probe.select(*exprs).optimized_logical_plan()) for _, name in scan
    }
    contents: dict[str, list[str]] = {}
    for name, path, component in _data_columns(schema):
        if name in scanned:
            contents.setdefault(path, []).append(component)
    return replace(request, contents=contents) if contents else request


def _table_scans(plan: Any) -> Iterator[list[tuple[int, str]]]:
    variant = plan.to_variant()
    if type(variant).__name__ == "TableScan":
        yield variant.projection()
    for child in plan.inputs():
        yield from _table_scans(child)


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


def _unanswered(request: ReadRequest, predicates: Sequence[Expr]) -> list[Expr]:
    """The conjuncts the read itself does not answer exactly, which DataFusion then applies.

    Segment ids always are answered; bounds on a sequence index too, unless index values are asked
    for (those ignore the range). Bounds on times stay: DataFusion's literal coercion decides them.
    """
    exact_bounds = (
        request.index is not None
        and request.using_index_values is None
        and pa.types.is_integer(request.dataset_schema.field(request.index).type)
    )
    return [
        conjunct
        for predicate in predicates
        for conjunct in _conjuncts(predicate)
        if _segment_ids(conjunct) is None
        and not (exact_bounds and any(True for _ in _bounds(conjunct, request.index or "")))
    ]


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
            if _column_name(column) == SEGMENT_COLUMN and scalar is not None and _is_text(scalar.type):
                return (scalar.as_py(),)
    if kind == "InList" and not variant.negated() and _column_name(variant.expr()) == SEGMENT_COLUMN:
        scalars = [_literal(item) for item in variant.list()]
        if all(s is not None and _is_text(s.type) for s in scalars):
            return tuple(s.as_py() for s in scalars)
    return None


def _is_text(arrow_type: pa.DataType) -> bool:
    """String literals: DataFusion makes ``lit("x")`` a ``string_view``."""
    return (
        pa.types.is_string(arrow_type)
        or pa.types.is_large_string(arrow_type)
        or pa.types.is_string_view(arrow_type)
    )


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
