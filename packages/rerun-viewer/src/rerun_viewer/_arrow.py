"""Component cells (Arrow arrays) to numpy, in the shapes visualizers want.

Every helper takes the ``value`` of a latest-at cell (the instances of one row) or ``None`` and
returns ``None`` for a missing or empty component, so visualizers read like the archetype docs.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

__all__ = ["floats", "ints", "strings", "structs", "vectors"]


def _present(value: pa.Array | None) -> bool:
    return value is not None and len(value) > 0


def vectors(value: pa.Array | None, width: int) -> np.ndarray | None:
    """A list of fixed-size float vectors, as ``(n, width)`` float32."""
    if not _present(value):
        return None
    assert value is not None
    flat = value.flatten() if pa.types.is_fixed_size_list(value.type) else value
    array = flat.to_numpy(zero_copy_only=False).astype(np.float32, copy=False)
    return array.reshape(-1, width)


def floats(value: pa.Array | None) -> np.ndarray | None:
    """A list of scalars, as a float64 array (nulls as NaN)."""
    if not _present(value):
        return None
    assert value is not None
    return value.to_numpy(zero_copy_only=False).astype(np.float64, copy=False)


def ints(value: pa.Array | None) -> np.ndarray | None:
    """A list of integers (class ids, enums, packed colors), as int64."""
    if not _present(value):
        return None
    assert value is not None
    return value.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)


def strings(value: pa.Array | None) -> list[str] | None:
    if not _present(value):
        return None
    assert value is not None
    return [text or "" for text in value.to_pylist()]


def structs(value: pa.Array | None) -> list[dict[str, object]] | None:
    """A list of structs (ImageFormat, RotationAxisAngle…) as dicts."""
    if not _present(value):
        return None
    assert value is not None
    return value.to_pylist()
