"""``Tensor(data, dim_names=)``: an n-d array with optional dimension names."""

from __future__ import annotations

from typing import Any

from rerun._ext._common import warn_on_error
from rerun.encodings import TensorData


def init(self: Any, data: Any = None, *, dim_names: Any = None, value_range: Any = None) -> None:
    value = None
    with warn_on_error("Tensor"):
        value = data if isinstance(data, TensorData) else TensorData(array=data, dim_names=dim_names)
    self._set(data=value, value_range=value_range)
