"""Parse Arrow type strings as pyarrow prints them into Python source that rebuilds the type.

The registry (types.toml) records each component's Arrow type in pyarrow's own notation, e.g.
``fixed_size_list<item: float not null>[3]``; generated code must construct it without parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["arrow_type_source", "parse_arrow_type"]

_PRIMITIVES = {
    "null": "pa.null()",
    "bool": "pa.bool_()",
    "int8": "pa.int8()",
    "int16": "pa.int16()",
    "int32": "pa.int32()",
    "int64": "pa.int64()",
    "uint8": "pa.uint8()",
    "uint16": "pa.uint16()",
    "uint32": "pa.uint32()",
    "uint64": "pa.uint64()",
    "halffloat": "pa.float16()",
    "float": "pa.float32()",
    "double": "pa.float64()",
    "string": "pa.utf8()",
    "large_string": "pa.large_utf8()",
    "binary": "pa.binary()",
}
_TOKEN = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*|<|>|\[|\]|:|,|=|\d+)")


@dataclass
class _Parser:
    tokens: list[str]
    pos: int = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.tokens[self.pos]
        if expected is not None and token != expected:
            raise ValueError(f"expected {expected!r}, got {token!r} at token {self.pos}: {self.tokens}")
        self.pos += 1
        return token

    def field(self) -> str:
        name = self.take()
        self.take(":")
        typ = self.type_()
        nullable = True
        if self.peek() == "not":
            self.take("not")
            self.take("null")
            nullable = False
        if self.peek() == "=":  # union type code, e.g. `U8: list<...>=1`
            self.take("=")
            code = self.take()
            return f"pa.field({name!r}, {typ}, nullable={nullable}), {code}"
        return f"pa.field({name!r}, {typ}, nullable={nullable})"

    def type_(self) -> str:
        name = self.take()
        if name in _PRIMITIVES:
            return _PRIMITIVES[name]
        if name in ("list", "fixed_size_list", "large_list"):
            self.take("<")
            item = self.field()
            self.take(">")
            if name == "fixed_size_list":
                self.take("[")
                size = self.take()
                self.take("]")
                return f"pa.list_({item}, {size})"
            return f"pa.{'large_list' if name == 'large_list' else 'list_'}({item})"
        if name == "struct":
            return f"pa.struct([{', '.join(self._fields())}])"
        if name in ("dense_union", "sparse_union"):
            members = self._fields()
            fields = ", ".join(m.rsplit(", ", 1)[0] for m in members)
            codes = ", ".join(m.rsplit(", ", 1)[1] for m in members)
            mode = "dense" if name == "dense_union" else "sparse"
            return f"pa.union([{fields}], mode={mode!r}, type_codes=[{codes}])"
        raise ValueError(f"unsupported Arrow type {name!r}")

    def _fields(self) -> list[str]:
        self.take("<")
        fields = [self.field()]
        while self.peek() == ",":
            self.take(",")
            fields.append(self.field())
        self.take(">")
        return fields


def arrow_type_source(text: str) -> str:
    """Python source (using ``pa``) that constructs the Arrow type written as ``text``."""
    parser = _Parser(_TOKEN.findall(text))
    source = parser.type_()
    if parser.pos != len(parser.tokens):
        raise ValueError(f"trailing tokens in Arrow type {text!r}")
    return source


def parse_arrow_type(text: str) -> object:
    """The pyarrow type itself (for checks in the generator and its tests)."""
    import pyarrow as pa

    return eval(arrow_type_source(text), {"pa": pa})
