"""Turn what users pass (numpy arrays, lists, tuples, scalars, enums, strings) into Arrow arrays.

Each converter takes the user's data and the component's Arrow type and returns an array with one
element per instance. The generator picks a converter per component from its Arrow type; the few
components with richer inputs (colors, enums, blobs) name theirs in ``tools/codegen/types.toml``.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

__all__ = [
    "Converter",
    "annotation_context",
    "blob",
    "color",
    "empty_array",
    "enum_of",
    "enum_value",
    "fixed_matrix",
    "fixed_vector",
    "list_of_vectors",
    "primitive",
    "structured",
    "tensor_data",
    "utf8",
]

Converter = Callable[[Any, pa.DataType], pa.Array]

_NUMPY_DTYPES = {
    pa.float16(): np.float16,
    pa.float32(): np.float32,
    pa.float64(): np.float64,
    pa.int8(): np.int8,
    pa.int16(): np.int16,
    pa.int32(): np.int32,
    pa.int64(): np.int64,
    pa.uint8(): np.uint8,
    pa.uint16(): np.uint16,
    pa.uint32(): np.uint32,
    pa.uint64(): np.uint64,
    pa.bool_(): np.bool_,
}


def _as_numpy(data: Any, arrow_type: pa.DataType) -> np.ndarray:
    if isinstance(data, pa.Array | pa.ChunkedArray):
        data = data.to_numpy(zero_copy_only=False)
    elif isinstance(data, bytes | bytearray | memoryview):  # raw bytes (uuids) are uint8 values
        data = np.frombuffer(data, dtype=np.uint8)
    dtype = _NUMPY_DTYPES[arrow_type]
    array = np.asarray(data)
    if array.dtype == object:
        array = np.asarray([np.asarray(x, dtype=dtype) for x in data]) if len(array) else array
    whole = dtype is not np.bool_ and np.issubdtype(dtype, np.integer)
    if whole and array.dtype.kind == "f" and not np.all(np.isfinite(array) & (array == np.round(array))):
        raise ValueError(f"expected whole numbers for {arrow_type}, got {array.ravel()[:4]}")
    return array.astype(dtype, copy=False)


def primitive(data: Any, arrow_type: pa.DataType) -> pa.Array:
    """Numbers or booleans: a scalar, a sequence, or an array of any shape (flattened)."""
    return pa.array(_as_numpy(data, arrow_type).ravel(), type=arrow_type)


def utf8(data: Any, arrow_type: pa.DataType) -> pa.Array:
    """Text: one string (or text value such as ``Utf8``), or a sequence of them."""
    if isinstance(data, str) or not isinstance(data, Iterable):
        data = [data]
    elif isinstance(data, np.ndarray):
        data = data.ravel().tolist()
    return pa.array([str(x) for x in data], type=arrow_type)


def fixed_vector(data: Any, arrow_type: pa.FixedSizeListType) -> pa.Array:
    """Fixed-size vectors (positions, quaternions, matrices): one vector or many, any nesting."""
    if isinstance(data, pa.Array) and data.type == arrow_type:
        return data
    width = arrow_type.list_size
    flat = _as_numpy(_vector_values(data), arrow_type.value_type).ravel()
    if flat.size % width:
        raise ValueError(f"expected a multiple of {width} values for {arrow_type}, got {flat.size}")
    values = pa.array(flat, type=arrow_type.value_type)
    return pa.FixedSizeListArray.from_arrays(values, type=arrow_type)


def _vector_values(data: Any) -> Any:
    """Objects such as ``Quaternion`` hold their own vector."""
    if hasattr(data, "__array__") or isinstance(data, int | float):
        return data
    if isinstance(data, Sequence) and data and hasattr(data[0], "as_vector"):
        return [item.as_vector() for item in data]
    if hasattr(data, "as_vector"):
        return data.as_vector()
    return data


def fixed_matrix(data: Any, arrow_type: pa.FixedSizeListType) -> pa.Array:
    """Fixed-size lists of fixed-size vectors (15 RGB coefficients): one or many, nested or flat."""
    if isinstance(data, pa.Array) and data.type == arrow_type:
        return data
    inner = arrow_type.value_type
    size = arrow_type.list_size * inner.list_size
    flat = _as_numpy(_vector_values(data), inner.value_type).ravel()
    if flat.size % size:
        raise ValueError(f"expected a multiple of {size} values for {arrow_type}, got {flat.size}")
    rows = pa.FixedSizeListArray.from_arrays(pa.array(flat, type=inner.value_type), type=inner)
    return pa.FixedSizeListArray.from_arrays(rows, type=arrow_type)


def list_of_vectors(data: Any, arrow_type: pa.ListType) -> pa.Array:
    """A batch of variable-length lists of fixed-size vectors (line strips): one strip or many."""
    if isinstance(data, pa.Array) and data.type == arrow_type:
        return data
    if hasattr(data, "as_arrow_value"):  # one strip value (``LineStrip3D``)
        data = [np.asarray(data)]
    item_type = arrow_type.value_type
    width = item_type.list_size
    strips = [data] if _is_single_strip(data, width) else list(data)
    arrays = [_as_numpy(strip, item_type.value_type).reshape(-1, width) for strip in strips]
    offsets = np.concatenate([[0], np.cumsum([len(a) for a in arrays])]).astype(np.int32)
    flat = np.concatenate(arrays).ravel() if arrays else np.empty(0, _NUMPY_DTYPES[item_type.value_type])
    values = pa.FixedSizeListArray.from_arrays(pa.array(flat, type=item_type.value_type), type=item_type)
    return pa.ListArray.from_arrays(pa.array(offsets), values, type=arrow_type)


def _is_single_strip(data: Any, width: int) -> bool:
    if isinstance(data, np.ndarray):
        return data.ndim == 2 and data.shape[1] == width
    if isinstance(data, Sequence) and data:
        first = data[0]
        return (
            isinstance(first, Sequence | np.ndarray)
            and len(first) == width
            and np.isscalar(np.asarray(first)[0])
        )
    return False


def blob(data: Any, arrow_type: pa.ListType) -> pa.Array:
    """One binary blob per instance (bytes, a numpy buffer of any dtype, or a list of those)."""
    if isinstance(data, pa.Array) and data.type == arrow_type:
        return data
    items = [data] if _is_one_blob(data) else list(data)
    items = [np.asarray(item) if hasattr(item, "as_arrow_value") else item for item in items]
    if len(items) == 1 and isinstance(items[0], np.ndarray):  # one image or file: no copy at all
        flat = np.ascontiguousarray(items[0]).reshape(-1).view(np.uint8)
        values = pa.array(flat, type=arrow_type.value_type)
        return pa.ListArray.from_arrays(pa.array([0, len(flat)], pa.int32()), values, type=arrow_type)
    buffers = [_blob_bytes(item) for item in items]
    offsets = np.concatenate([[0], np.cumsum([len(b) for b in buffers])]).astype(np.int32)
    values = pa.array(np.frombuffer(b"".join(buffers), dtype=np.uint8), type=arrow_type.value_type)
    return pa.ListArray.from_arrays(pa.array(offsets), values, type=arrow_type)


def _is_one_blob(data: Any) -> bool:
    if hasattr(data, "as_arrow_value"):  # a ``Blob`` value
        return True
    if isinstance(data, bytes | bytearray | memoryview | np.ndarray):
        return not (isinstance(data, np.ndarray) and data.dtype == object)
    return bool(data) and isinstance(data, Sequence) and isinstance(data[0], int)


def _blob_bytes(item: Any) -> bytes:
    if isinstance(item, np.ndarray):
        return np.ascontiguousarray(item).tobytes()
    if isinstance(item, Sequence) and not isinstance(item, bytes | bytearray):
        return bytes(np.asarray(item, dtype=np.uint8))
    return bytes(item)


def color(data: Any, arrow_type: pa.DataType) -> pa.Array:
    """Colors as packed ``0xRRGGBBAA`` u32: from RGB/RGBA channels (ints 0-255, floats 0-1) or packed u32s.

    One list/tuple of 3 or 4 numbers is one color; a 1-D ``uint32`` array or a list of other lengths
    holds packed colors, except longer flat ``uint8``/float channels, which are RGBA quadruples.
    Float channels are scaled by 255 and rounded half-to-even, as 0.41 does.
    """
    if isinstance(data, pa.Array) and data.type == arrow_type:
        return data
    if isinstance(data, int | np.integer):
        return pa.array([int(data)], type=pa.uint32())
    array = np.asarray(data)
    if array.dtype == object:
        array = np.asarray([np.asarray(c) for c in data])
    if array.ndim <= 1 and array.size > 4 and array.dtype in (np.uint8, np.float32, np.float64):
        array = array.reshape(-1, 4)  # flat RGBA channels, as 0.41 reads them
    one_color = array.ndim == 1 and array.size in (3, 4) and array.dtype != np.uint32
    if array.ndim <= 1 and not one_color:
        return pa.array(array.astype(np.int64).ravel() & 0xFFFFFFFF, type=pa.uint32())
    channels = array.reshape(-1, array.shape[-1])
    if channels.shape[1] not in (3, 4):
        raise ValueError(f"colors need 3 (RGB) or 4 (RGBA) channels, got shape {array.shape}")
    if channels.dtype.kind == "f":
        channels = np.round(channels * 255.0)
    channels = channels.astype(np.int64) & 0xFF
    if channels.shape[1] == 3:
        channels = np.concatenate([channels, np.full((len(channels), 1), 255, np.int64)], axis=1)
    packed = (channels[:, 0] << 24) | (channels[:, 1] << 16) | (channels[:, 2] << 8) | channels[:, 3]
    return pa.array(packed.astype(np.uint32), type=pa.uint32())


def enum_of(enum_type: type[enum.Enum]) -> Converter:
    """Enum members, their names (case-insensitive) or their numbers."""

    def convert(data: Any, arrow_type: pa.DataType) -> pa.Array:
        items = [data] if isinstance(data, str | int | enum.Enum) else list(data)
        return pa.array([enum_value(enum_type, item) for item in items], type=arrow_type)

    return convert


def enum_value(enum_type: type[enum.Enum], item: Any) -> int:
    if isinstance(item, enum_type):
        return int(item.value)
    if isinstance(item, str):
        for member in enum_type:
            if member.name.lower() == item.lower():
                return int(member.value)
        names = ", ".join(m.name for m in enum_type)
        raise ValueError(f"{item!r} is not a {enum_type.__name__} (one of: {names})")
    value = int(item)
    enum_type(value)  # raises for unknown numbers
    return value


def structured(data: Any, arrow_type: pa.DataType) -> pa.Array:
    """Anything else: objects that know their Arrow form (``as_arrow_value``), dicts, or tuples."""
    if isinstance(data, pa.Array) and data.type == arrow_type:
        return data
    items = [data] if _is_single_value(data, arrow_type) else list(data)
    values = [_arrow_value(item) for item in items]
    return _nested(values, arrow_type) if _has_union(arrow_type) else pa.array(values, type=arrow_type)


def _is_single_value(data: Any, arrow_type: pa.DataType) -> bool:
    if hasattr(data, "as_arrow_value") or isinstance(data, dict | str | bytes):
        return True
    if pa.types.is_struct(arrow_type) and isinstance(data, tuple):
        return len(data) == arrow_type.num_fields and not isinstance(data[0], tuple | dict)
    return not isinstance(data, Iterable)


def _arrow_value(item: Any) -> Any:
    return item.as_arrow_value() if hasattr(item, "as_arrow_value") else item


def _has_union(arrow_type: pa.DataType) -> bool:
    if pa.types.is_union(arrow_type):
        return True
    return pa.types.is_struct(arrow_type) and any(_has_union(f.type) for f in arrow_type)


def _nested(values: list[Any], arrow_type: pa.DataType) -> pa.Array:
    """Structs holding dense unions, built child by child: ``pa.array`` cannot build unions from values."""
    if pa.types.is_union(arrow_type):
        return _union_of(values, arrow_type)
    if not _has_union(arrow_type):
        return pa.array(values, type=arrow_type)
    fields = list(arrow_type)
    children = [_nested([_member(v, i, f.name) for v in values], f.type) for i, f in enumerate(fields)]
    mask = pa.array([v is None for v in values]) if any(v is None for v in values) else None
    return pa.StructArray.from_arrays(children, fields=fields, mask=mask)


def _member(value: Any, index: int, name: str) -> Any:
    """One field of a struct value given as an object, a dict or a tuple."""
    value = _arrow_value(value)
    if value is None:
        return None
    return _arrow_value(value.get(name) if isinstance(value, dict) else value[index])


def _union_of(values: list[Any], union_type: pa.DataType) -> pa.Array:
    """A dense union from ``{member: value}`` dicts; ``None`` selects the first (null-marker) member."""
    names = [f.name for f in union_type]
    members: list[list[Any]] = [[] for _ in names]
    type_ids, offsets = [], []
    for value in values:
        name, inner = next(iter(value.items())) if value is not None else (names[0], None)
        if name not in names:
            raise ValueError(f"{name!r} is not a member of {union_type} (one of: {', '.join(names)})")
        index = names.index(name)
        type_ids.append(union_type.type_codes[index])
        offsets.append(len(members[index]))
        members[index].append(inner)
    children = [_nested(items, f.type) for items, f in zip(members, union_type, strict=True)]
    return _dense_union(union_type, type_ids, offsets, children)


@functools.cache
def empty_array(arrow_type: pa.DataType) -> pa.Array:
    """A zero-length array of any type (pyarrow cannot build empty unions from Python lists)."""
    if pa.types.is_union(arrow_type):
        return _dense_union(arrow_type, [], [], [empty_array(f.type) for f in arrow_type])
    if pa.types.is_struct(arrow_type):
        return pa.StructArray.from_arrays([empty_array(f.type) for f in arrow_type], fields=list(arrow_type))
    return pa.array([], type=arrow_type)


def tensor_data(data: Any, arrow_type: pa.DataType) -> pa.Array:
    """An n-d array (or ``TensorData``) as one struct of shape, dimension names and a typed buffer."""
    if isinstance(data, pa.Array) and data.type == arrow_type:
        return data
    array = np.asarray(getattr(data, "array", data))
    names = getattr(data, "names", None)
    buffer_type = arrow_type.field("buffer").type
    member = _TENSOR_MEMBERS.get(array.dtype)
    if member is None:
        raise ValueError(f"unsupported tensor dtype {array.dtype}")
    index = [f.name for f in buffer_type].index(member)
    children = [empty_array(f.type) for f in buffer_type]
    item_type = buffer_type.field(index).type
    children[index] = pa.ListArray.from_arrays(
        pa.array([0, array.size], pa.int32()),
        pa.array(array.ravel(), type=item_type.value_type),
        type=item_type,
    )
    union = _dense_union(buffer_type, [buffer_type.type_codes[index]], [0], children)
    shape = pa.array([list(array.shape)], type=arrow_type.field("shape").type)
    names_array = pa.array([None if names is None else list(names)], type=arrow_type.field("names").type)
    return pa.StructArray.from_arrays([shape, names_array, union], fields=list(arrow_type))


def _dense_union(
    union_type: pa.DataType, type_ids: list[int], offsets: list[int], children: list[pa.Array]
) -> pa.Array:
    """A dense union of exactly ``union_type`` (``from_dense`` would drop the fields' nullability)."""
    ids = pa.array(type_ids, pa.int8()).buffers()[1]
    offsets_buffer = pa.array(offsets, pa.int32()).buffers()[1]
    return pa.UnionArray.from_buffers(
        union_type, len(type_ids), [None, ids, offsets_buffer], children=children
    )


_TENSOR_MEMBERS = {
    np.dtype(np.uint8): "U8", np.dtype(np.uint16): "U16", np.dtype(np.uint32): "U32", np.dtype(np.uint64): "U64",
    np.dtype(np.int8): "I8", np.dtype(np.int16): "I16", np.dtype(np.int32): "I32", np.dtype(np.int64): "I64",
    np.dtype(np.float16): "F16", np.dtype(np.float32): "F32", np.dtype(np.float64): "F64",
}  # fmt: skip


def annotation_context(data: Any, arrow_type: pa.DataType) -> pa.Array:
    """One annotation context: class descriptions given as objects, ``(id, label, color)`` tuples or ids."""
    from rerun.encodings import ClassDescription, ClassDescriptionMapElem

    if isinstance(data, pa.Array) and data.type == arrow_type:
        return data
    if hasattr(data, "class_map"):  # an ``AnnotationContext`` component value
        data = data.class_map
    one = isinstance(data, ClassDescription | ClassDescriptionMapElem | tuple | int)
    entries = [ClassDescriptionMapElem._coerce(item).as_arrow_value() for item in ([data] if one else data)]
    return pa.array([entries], type=arrow_type)
