"""What a datatype value is (``Vec3D``, ``Rgba32``, ``TimeRange``, ...), independent of any one of them.

Generated classes (``rerun/_generated/encodings.py``) only declare their fields; storing, comparing,
printing and turning values into Arrow happen here, once. Constructor conveniences live in the
extension modules ``rerun.encodings._ext.<name>`` that the registry names.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from rerun._converters import Converter, empty_array
from rerun._errors import catch_and_warn

__all__ = [
    "ArrayValue",
    "BaseBatch",
    "BoolValue",
    "Datatype",
    "Field",
    "FloatValue",
    "IntValue",
    "ListValue",
    "StrValue",
    "array",
    "datatype",
    "datatype_list",
    "enum_list",
    "enum_of",
    "raw",
    "scalar",
]


@dataclass(frozen=True)
class Field:
    """One stored field: how constructor input becomes the stored value, and that value its Arrow form."""

    name: str
    convert: Callable[[Any], Any]
    arrow_value: Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


def _optional(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else convert(value)


def _pick(convert: Callable[[Any], Any] | None, default: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return default if convert is None else convert


def as_array(value: Any, dtype: Any = None) -> np.ndarray:
    """A numpy array of ``dtype``; ``bytes`` count as ``uint8`` values."""
    if isinstance(value, bytes | bytearray | memoryview):
        value = np.frombuffer(value, dtype=np.uint8)
    return np.asarray(value, dtype=dtype)


def array(
    name: str,
    dtype: Any = None,
    *,
    shape: tuple[int, ...] | None = None,
    convert: Callable[[Any], Any] | None = None,
) -> Field:
    """A numpy array (vectors, matrices, buffers); its Arrow form is flat unless ``shape`` nests it."""

    def arrow_value(value: np.ndarray) -> list[Any]:
        return np.asarray(value).reshape(shape or -1).tolist()

    return Field(name, _pick(convert, lambda value: as_array(value, dtype)), arrow_value)


def scalar(
    name: str, kind: type, *, optional: bool = False, convert: Callable[[Any], Any] | None = None
) -> Field:
    """A ``float``, ``int``, ``bool`` or ``str``."""
    plain = _pick(convert, kind)
    return Field(name, _optional(plain) if optional else plain, _same)


def raw(name: str, *, convert: Callable[[Any], Any] | None = None) -> Field:
    """Kept as given (the extension module gives it meaning)."""
    return Field(name, _pick(convert, _same), _same)


def datatype(
    name: str, cls: type[Datatype], *, optional: bool = False, convert: Callable[[Any], Any] | None = None
) -> Field:
    """Another datatype; anything else is converted with that datatype's ``_coerce``."""
    plain = _pick(convert, cls._coerce)
    return Field(
        name,
        _optional(plain) if optional else plain,
        lambda value: None if value is None else value.as_arrow_value(),
    )


def datatype_list(name: str, cls: type[Datatype], *, convert: Callable[[Any], Any] | None = None) -> Field:
    """A list of another datatype (``None`` is an empty list)."""

    def plain(value: Any) -> list[Any]:
        return [] if value is None else [cls._coerce(item) for item in value]

    return Field(name, _pick(convert, plain), lambda value: [item.as_arrow_value() for item in value])


def enum_of(
    name: str, cls: type[enum.Enum], *, optional: bool = False, convert: Callable[[Any], Any] | None = None
) -> Field:
    """A member of an enum, from a member, its name or its number."""
    plain = _pick(convert, cls.auto)  # type: ignore[attr-defined]
    return Field(
        name, _optional(plain) if optional else plain, lambda value: None if value is None else value.value
    )


def enum_list(name: str, cls: type[enum.Enum], *, convert: Callable[[Any], Any] | None = None) -> Field:
    """A list of enum members."""

    def plain(value: Any) -> list[Any]:
        return [cls.auto(item) for item in np.asarray(value).ravel().tolist()]  # type: ignore[attr-defined]

    return Field(name, _pick(convert, plain), lambda value: [item.value for item in value])


class Datatype:
    """A value of the data model: its fields, and its Arrow form (``as_arrow_value``)."""

    _FIELDS: ClassVar[tuple[Field, ...]]
    _ARROW_TYPE: ClassVar[pa.DataType]
    _CONVERT: ClassVar[Converter]

    def _set_fields(self, **values: Any) -> None:
        """Store every field, each converted from what was given (missing ones from ``None``)."""
        for field in self._FIELDS:
            setattr(self, field.name, field.convert(values.get(field.name)))

    def _only(self) -> Any:
        """The value of the single field of a one-field datatype."""
        return getattr(self, self._FIELDS[0].name)

    @classmethod
    def _coerce(cls, value: Any) -> Any:
        """``value`` as an instance: itself, a dict of fields, a tuple of fields, or the first argument."""
        if isinstance(value, cls):
            return value
        make: Any = cls  # generated subclasses define the parameters
        if isinstance(value, dict):
            return make(**value)
        if isinstance(value, tuple | list) and len(cls._FIELDS) > 1:
            return make(*value)
        return make(value)

    @classmethod
    def arrow_type(cls) -> pa.DataType:
        return cls._ARROW_TYPE

    @classmethod
    def to_arrow(cls, data: Any) -> pa.Array:
        return cls._CONVERT(data, cls._ARROW_TYPE)

    def as_arrow_value(self) -> Any:
        """The Python value ``pa.array`` turns into one element of ``_ARROW_TYPE``."""
        if not pa.types.is_struct(self._ARROW_TYPE):
            return self._FIELDS[0].arrow_value(self._only())
        return {field.name: field.arrow_value(getattr(self, field.name)) for field in self._FIELDS}

    def as_vector(self) -> Any:
        """The Arrow form of a fixed-size vector (what the vector converters read)."""
        return self.as_arrow_value()

    def __repr__(self) -> str:
        fields = ", ".join(f"{field.name}={getattr(self, field.name)!r}" for field in self._FIELDS)
        return f"{type(self).__name__}({fields})"

    def __eq__(self, other: object) -> Any:  # defining it leaves values unhashable, as in 0.41
        if other.__class__ is not self.__class__:
            return NotImplemented
        if len(self._FIELDS) == 1:  # like 0.41: vectors compare element-wise
            return self._only() == other._only()
        names = [field.name for field in self._FIELDS]
        return [getattr(self, n) for n in names] == [getattr(other, n) for n in names]


class FloatValue(Datatype):
    """A datatype holding one float (``Float32``, ``Angle``)."""

    def __float__(self) -> float:
        return float(self._only())

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        return np.asarray(self._only(), dtype=dtype)

    def __hash__(self) -> int:
        return hash(self._only())


class IntValue(Datatype):
    """A datatype holding one integer (``UInt32``, ``Rgba32``, ``TimeInt``)."""

    def __int__(self) -> int:
        return int(self._only())

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        return np.asarray(self._only(), dtype=dtype)

    def __hash__(self) -> int:
        return hash(self._only())


class BoolValue(Datatype):
    """A datatype holding one boolean."""

    def __bool__(self) -> bool:
        return bool(self._only())

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        return np.asarray(self._only(), dtype=dtype)


class StrValue(Datatype):
    """A datatype holding one string (``Utf8``, ``EntityPath``)."""

    def __str__(self) -> str:
        return str(self._only())

    def __hash__(self) -> int:
        return hash(self._only())


class ArrayValue(Datatype):
    """A datatype holding one numpy array (vectors, matrices, blobs)."""

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        return np.asarray(self._only(), dtype=dtype)

    def __len__(self) -> int:
        return len(self._only())


class ListValue(Datatype):
    """A datatype holding one list (``ViewCoordinates``)."""

    def __len__(self) -> int:
        return len(self._only())


class BaseBatch:
    """A batch of values of one datatype (``Vec3DBatch([...])``), as one Arrow array."""

    _ARROW_TYPE: ClassVar[pa.DataType]
    _CONVERT: ClassVar[Converter]
    _COERCE_TO: ClassVar[type[Datatype] | None] = None

    def __init__(self, data: Any, strict: bool | None = None) -> None:
        self._array: pa.Array = empty_array(self._ARROW_TYPE)
        if data is None:
            return
        with catch_and_warn(type(self).__name__, strict=strict):
            self._array = self._to_arrow(data)

    @classmethod
    def _to_arrow(cls, data: Any) -> pa.Array:
        if isinstance(data, pa.Array) and data.type == cls._ARROW_TYPE:
            return data
        if cls._COERCE_TO is not None:  # structs: each item becomes a value first
            data = _coerce_all(cls._COERCE_TO, data)
        return cls._CONVERT(data, cls._ARROW_TYPE)

    def as_arrow_array(self) -> pa.Array:
        return self._array

    def __len__(self) -> int:
        return len(self._array)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BaseBatch):
            return NotImplemented
        return bool(self._array == other._array)


def _coerce_all(cls: type[Datatype], data: Any) -> list[Any]:
    single = isinstance(data, cls | dict | str) or not isinstance(data, Iterable)
    return [cls._coerce(item) for item in ([data] if single else data)]
