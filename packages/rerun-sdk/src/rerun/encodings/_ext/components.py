"""Conveniences of component classes beyond their datatype's (``Scale3D(2.0)``, ``ViewCoordinates.RDF``)."""

from __future__ import annotations

from itertools import permutations, product
from typing import Any

import pyarrow as pa

_CODES = {"U": 1, "D": 2, "R": 3, "L": 4, "F": 5, "B": 6}
_NAMED = {
    "LEFT_HAND_X_DOWN": "DRF", "LEFT_HAND_X_UP": "URB", "LEFT_HAND_Y_DOWN": "RDB", "LEFT_HAND_Y_UP": "RUF",
    "LEFT_HAND_Z_DOWN": "RFD", "LEFT_HAND_Z_UP": "RBU", "RIGHT_HAND_X_DOWN": "DRB", "RIGHT_HAND_X_UP": "URF",
    "RIGHT_HAND_Y_DOWN": "RDF", "RIGHT_HAND_Y_UP": "RUB", "RIGHT_HAND_Z_DOWN": "RBD", "RIGHT_HAND_Z_UP": "RFU",
}  # fmt: skip
VIEW_COORDINATES_CONSTANTS = [
    "".join(letters) for pairs in product("UD", "RL", "FB") for letters in permutations(pairs)
] + list(_NAMED)

__all__ = [
    "VIEW_COORDINATES_CONSTANTS",
    "ClearIsRecursiveExt",
    "Scale3DExt",
    "VideoTimestampExt",
    "convert_pairs",
    "extend",
    "key_value_pairs_to_arrow",
]


class Scale3DExt:
    """Extension of ``Scale3D``: one number scales every axis alike."""

    def __init__(self: Any, uniform_or_per_axis: Any = True) -> None:
        if not hasattr(uniform_or_per_axis, "__len__") or len(uniform_or_per_axis) == 1:
            self._set_fields(xyz=[uniform_or_per_axis] * 3)
        else:
            self._set_fields(xyz=uniform_or_per_axis)


class ClearIsRecursiveExt:
    """Extension of ``ClearIsRecursive``."""

    def __init__(self: Any, recursive: bool = True) -> None:
        self._set_fields(value=recursive)


class VideoTimestampExt:
    """Extension of the ``VideoTimestamp`` component: ``nanoseconds=`` or ``seconds=``."""

    def __init__(self: Any, *, nanoseconds: int | None = None, seconds: float | None = None) -> None:
        if seconds is not None:
            if nanoseconds is not None:
                raise ValueError("Cannot specify both `seconds` and `nanoseconds`.")
            nanoseconds = int(seconds * 1e9 + 0.5)
        elif nanoseconds is None:
            raise ValueError("Either `seconds` or `nanoseconds` must be specified.")
        self._set_fields(timestamp_ns=nanoseconds)


def convert_pairs(value: Any) -> list[Any]:
    """Key-value pairs from a dict, or from a sequence of pairs and dicts."""
    from rerun._generated.encodings import Utf8Pair

    if isinstance(value, dict):
        return [Utf8Pair(key, item) for key, item in value.items()]
    pairs: list[Any] = []
    for item in value:
        pairs.extend(convert_pairs(item) if isinstance(item, dict) else [Utf8Pair._coerce(item)])
    return pairs


def key_value_pairs_to_arrow(data: Any, arrow_type: pa.DataType) -> pa.Array:
    """Batches of key-value lists: dicts (one per instance) or ``KeyValuePairs`` values, or plain pairs."""
    from rerun._converters import structured
    from rerun._generated.components import KeyValuePairs

    if isinstance(data, dict | KeyValuePairs):
        data = [data]
    if isinstance(data, list | tuple) and any(isinstance(item, dict | KeyValuePairs) for item in data):
        rows = [item if isinstance(item, KeyValuePairs) else KeyValuePairs(item) for item in data]
        return pa.array([[pair.as_arrow_value() for pair in row.pairs] for row in rows], type=arrow_type)
    return structured(data, arrow_type)


def extend(cls: Any) -> None:
    """``ViewCoordinates``: the 48 axis conventions by letters (``RDF``) and the 12 by handedness.

    A bare value also logs on its own, as the ``ViewCoordinates`` archetype's one field (as in 0.41,
    where ``rr.ViewCoordinates.RDF`` *is* this component value).
    """
    for code in VIEW_COORDINATES_CONSTANTS:
        setattr(cls, code, cls([_CODES[c] for c in _NAMED.get(code, code)]))
    cls.as_component_batches = _view_coordinates_batches


def _view_coordinates_batches(self: Any) -> list[Any]:
    from rerun._generated.archetypes import ViewCoordinates

    return ViewCoordinates(xyz=self).as_component_batches()
