"""When two chunks count as "the same data" for ``rerun rrd compare``, as rerun 0.41 decides it.

Measured against the reference (and its published source): chunk ids and row ids never matter;
the ``log_time`` (and ``sim_time``) timeline must be present on both sides but its values may
differ; other timelines must match exactly, including whether they are flagged sorted; component
columns must match by name and descriptor and by Arrow type, with float values compared with a
relative tolerance (1e-8 for f64, 1e-3 for f32 and f16) and everything else exactly. On the
``/__properties`` entity the recording's start time is ignored.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from rerun_cli.rrd._chunks import time_column_sorted
from rerun_core.chunk import Chunk

__all__ = ["Mismatch", "ensure_similar"]

_TIME_INSENSITIVE = frozenset({"log_time", "sim_time"})
_PROPERTIES = "/__properties"
_START_TIME = "RecordingInfo:start_time"
_FLOAT_EPSILON = {pa.float16(): 1e-3, pa.float32(): 1e-3, pa.float64(): 1e-8}


class Mismatch(Exception):
    """Why two chunks (or two arrays) are not similar."""


def ensure_similar(left: Chunk, right: Chunk) -> None:
    """Raise :class:`Mismatch` naming the first difference; return quietly when similar."""
    _check(left.num_rows == right.num_rows, f"row counts differ: {left.num_rows} vs {right.num_rows}")
    _check(
        left.entity_path == right.entity_path,
        f"entity paths differ: {left.entity_path} vs {right.entity_path}",
    )
    names = sorted(left.timelines), sorted(right.timelines)
    _check(names[0] == names[1], f"timelines differ: {names[0]} vs {names[1]}")
    for name in names[0]:
        if name not in _TIME_INSENSITIVE:
            _check(_time_column(left, name) == _time_column(right, name), f"timeline differs: {name!r}")
    _check(len(left.components) == len(right.components), "component counts differ")
    if left.entity_path == _PROPERTIES:
        _ensure_properties_equal(left, right)
        return
    right_columns = {
        descriptor.component: (descriptor, column) for descriptor, column in right.components.items()
    }
    for descriptor, column in left.components.items():
        other = right_columns.get(descriptor.component)
        _check(other is not None, f"right side is missing component {descriptor.component!r}")
        assert other is not None
        _check(descriptor == other[0], f"descriptors differ for {descriptor.component!r}")
        try:
            ensure_arrays_similar(_widen_binary(column), _widen_binary(other[1]))
        except Mismatch as err:
            raise Mismatch(f"component {descriptor.component!r}: {err}") from None


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise Mismatch(message)


def _time_column(chunk: Chunk, name: str) -> tuple[object, ...]:
    """What the reference compares for a time column: type, values, and the (trusted) sorted flag."""
    values = chunk.index_column(name).view(pa.int64()).to_numpy(zero_copy_only=False)
    return chunk.timelines[name].typ, values.tobytes(), time_column_sorted(chunk, name)


def _ensure_properties_equal(left: Chunk, right: Chunk) -> None:
    def columns(chunk: Chunk) -> dict[str, tuple[object, pa.Array]]:
        return {d.component: (d, c) for d, c in chunk.components.items() if d.component != _START_TIME}

    ours, theirs = columns(left), columns(right)
    _check(ours.keys() == theirs.keys(), "property components differ")
    for name, (descriptor, column) in ours.items():
        _check(descriptor == theirs[name][0] and column.equals(theirs[name][1]), f"property {name!r} differs")


def _widen_binary(column: pa.Array) -> pa.Array:
    """Binary and large binary lists compare alike (writers differ in which they use)."""
    if pa.types.is_list(column.type) and pa.types.is_binary(column.type.value_type):
        return column.cast(pa.list_(pa.field(column.type.value_field.name, pa.large_binary())))
    return column


def ensure_arrays_similar(left: pa.Array, right: pa.Array) -> None:
    """Structural comparison of two Arrow arrays, tolerant to small float differences."""
    _check(left.type.equals(right.type), f"data type mismatch: {left.type} != {right.type}")
    if pa.types.is_union(left.type):
        _check(left.equals(right), "union arrays differ")
        return
    _check(len(left) == len(right), f"length mismatch: {len(left)} != {len(right)}")
    _check(
        left.null_count == right.null_count, f"null count mismatch: {left.null_count} != {right.null_count}"
    )
    if left.null_count:
        _check(left.is_valid().equals(right.is_valid()), "null bitmaps differ")
    arrow_type = left.type
    if arrow_type in _FLOAT_EPSILON:
        _ensure_floats_close(left, right, _FLOAT_EPSILON[arrow_type])
    elif pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type) or pa.types.is_map(arrow_type):
        _check(_offsets(left) == _offsets(right), "list offsets differ")
        ensure_arrays_similar(_list_values(left), _list_values(right))
    elif pa.types.is_fixed_size_list(arrow_type):
        _fixed_children(left, right)
    elif pa.types.is_struct(arrow_type):
        for i in range(arrow_type.num_fields):
            try:
                ensure_arrays_similar(_struct_child(left, i), _struct_child(right, i))
            except Mismatch as err:
                raise Mismatch(f"child {i}: {err}") from None
    else:
        _check(_raw_equal(left, right), "buffer contents differ")


def _ensure_floats_close(left: pa.Array, right: pa.Array, epsilon: float) -> None:
    """The reference's ``almost_equal``: equal, or both tiny, or relatively close (NaN only near 0)."""
    a = _raw_values(left).astype(np.float64)
    b = _raw_values(right).astype(np.float64)
    with np.errstate(all="ignore"):
        abs_max = np.fmax(np.abs(a), np.abs(b))
        close = (a == b) | (abs_max <= epsilon) | (np.abs(a - b) / abs_max <= epsilon)
    bad = np.flatnonzero(~close)
    if len(bad):
        i = bad[0]
        raise Mismatch(f"significant {left.type} difference: {float(a[i])!r} vs {float(b[i])!r}")


def _raw_values(array: pa.Array) -> np.ndarray:
    """Values including those under null slots (the reference compares whole buffers)."""
    dtype = array.type.to_pandas_dtype()
    buffer = array.buffers()[1]
    return np.frombuffer(buffer, dtype=dtype, count=array.offset + len(array))[array.offset :]


def _raw_equal(left: pa.Array, right: pa.Array) -> bool:
    if (
        pa.types.is_primitive(left.type)
        and not pa.types.is_boolean(left.type)
        and left.type.bit_width % 8 == 0
    ):
        return bool(np.array_equal(_raw_bytes(left), _raw_bytes(right)))
    return left.equals(right)


def _raw_bytes(array: pa.Array) -> np.ndarray:
    width = array.type.bit_width // 8
    data = np.frombuffer(array.buffers()[1], dtype=np.uint8, count=(array.offset + len(array)) * width)
    return data[array.offset * width :]


def _offsets(array: pa.Array) -> list[int]:
    offsets = array.offsets.to_numpy(zero_copy_only=False)
    return (offsets - offsets[0]).tolist() if len(offsets) else []


def _list_values(array: pa.Array) -> pa.Array:
    """The child values a list array's offsets actually reach."""
    offsets = array.offsets
    start, end = offsets[0].as_py(), offsets[len(offsets) - 1].as_py()
    return array.values.slice(start, end - start)


def _fixed_children(left: pa.Array, right: pa.Array) -> None:
    size = left.type.list_size
    ensure_arrays_similar(
        left.values.slice(left.offset * size, len(left) * size),
        right.values.slice(right.offset * size, len(right) * size),
    )


def _struct_child(array: pa.StructArray, index: int) -> pa.Array:
    return array.field(index)
