"""Time ranges for views (``VisibleTimeRange``), whose ends are cursor-relative, absolute or open.

These are the datatypes of ``rerun.encodings`` themselves (``rrb.TimeRange is rr.encodings.TimeRange``,
as in 0.41); each knows its Arrow form (``as_arrow_value``), a dense-union member per boundary.
"""

from __future__ import annotations

from rerun._generated.encodings import TimeRange, TimeRangeBoundary, VisibleTimeRange

__all__ = ["TimeRange", "TimeRangeBoundary", "VisibleTimeRange"]
