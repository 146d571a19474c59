"""Queries over a ``rerun_core.store.ChunkStore``: latest-at, range, and 0.41's dataframe view.

All of them are vectorised over the store's numpy indexes; results are Arrow arrays and lazily
produced record batches, ready to be wrapped by a DataFusion table (done by the SDK, not here).
"""

from rerun_core.query._contents import ContentsLike, EntityPathFilter, EntityPathRule, resolve_contents
from rerun_core.query._dataframe import (
    DEFAULT_BATCH_ROWS,
    DataframeQuery,
    IndexValuesLike,
    index_values_array,
)
from rerun_core.query._latest_at import LatestAtCell, latest_at
from rerun_core.query._range import RangeResult, range_query
from rerun_core.query._schema import dataframe_schema, select_columns

__all__ = [
    "DEFAULT_BATCH_ROWS",
    "ContentsLike",
    "DataframeQuery",
    "EntityPathFilter",
    "EntityPathRule",
    "IndexValuesLike",
    "LatestAtCell",
    "RangeResult",
    "dataframe_schema",
    "index_values_array",
    "latest_at",
    "range_query",
    "resolve_contents",
    "select_columns",
]
