"""How ``reader()`` narrows what it fetches: segment and index filters go into the request."""

from __future__ import annotations

from dataclasses import replace

import pytest
from datafusion import Expr, col, functions, lit

from rerun_catalog._reader import ReadRequest, _pushed_down, _segment_ids


@pytest.mark.parametrize(
    "predicate",
    [
        col("rerun_segment_id") == lit("rec_1"),  # DataFusion makes the literal a string_view
        lit("rec_1") == col("rerun_segment_id"),
        functions.in_list(col("rerun_segment_id"), [lit("rec_1")]),
    ],
)
def test_segment_filters_name_the_segments_to_fetch(predicate: Expr) -> None:
    assert _segment_ids(predicate) == ("rec_1",)


def test_segment_filter_and_index_range_combine() -> None:
    request = ReadRequest(conn=None, entry_id="x", dataset_schema=None, index="frame")
    predicate = (
        (col("rerun_segment_id") == lit("rec_2")) & (col("frame") >= lit(10)) & (col("frame") < lit(20))
    )
    pushed = _pushed_down(request, [predicate])
    assert pushed == replace(request, segments=("rec_2",), index_range=(10, 19))
