"""Arrow types named the way 0.41 (Rust's arrow-rs) prints them: ``Int64``, ``List(non-null UInt8)``.

``rerun rrd print``, ``Chunk.format()`` and the viewer's recording schema all show types this way.
"""

from __future__ import annotations

import pyarrow as pa

__all__ = ["rust_type_name"]

_PRIMITIVES = {
    "int8": "Int8", "int16": "Int16", "int32": "Int32", "int64": "Int64",
    "uint8": "UInt8", "uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64",
    "halffloat": "Float16", "float": "Float32", "double": "Float64", "bool": "Boolean",
    "string": "Utf8", "large_string": "LargeUtf8", "binary": "Binary", "large_binary": "LargeBinary",
    "null": "Null",
}  # fmt: skip


def rust_type_name(arrow_type: pa.DataType) -> str:
    """An Arrow type as 0.41 prints it: ``Int64``, ``List(non-null UInt8)``, ``Timestamp(ns)``, ..."""
    if pa.types.is_timestamp(arrow_type) or pa.types.is_duration(arrow_type):
        kind = "Timestamp" if pa.types.is_timestamp(arrow_type) else "Duration"
        tz = getattr(arrow_type, "tz", None)
        return f'{kind}({arrow_type.unit}, "{tz}")' if tz else f"{kind}({arrow_type.unit})"
    if pa.types.is_fixed_size_list(arrow_type):
        return f"FixedSizeList({arrow_type.list_size} x {_field_type(arrow_type.value_field)})"
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        kind = "List" if pa.types.is_list(arrow_type) else "LargeList"
        return f"{kind}({_field_type(arrow_type.value_field)})"
    if pa.types.is_struct(arrow_type):
        fields = ", ".join(f'"{f.name}": {_field_type(f)}' for f in arrow_type)
        return f"Struct({fields})"
    if pa.types.is_fixed_size_binary(arrow_type):
        return f"FixedSizeBinary({arrow_type.byte_width})"
    return _PRIMITIVES.get(str(arrow_type), str(arrow_type))


def _field_type(field: pa.Field) -> str:
    return ("" if field.nullable else "non-null ") + rust_type_name(field.type)
