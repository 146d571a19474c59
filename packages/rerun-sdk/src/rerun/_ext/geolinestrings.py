"""``GeoLineStrings(lat_lon=...)``."""

from __future__ import annotations

from typing import Any


def init(self: Any, *, lat_lon: Any, **fields: Any) -> None:
    self._set(line_strings=lat_lon, **fields)
