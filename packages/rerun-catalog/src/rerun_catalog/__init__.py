"""The Rerun catalog client (``rerun.catalog``): datasets and tables of a catalog server, read as
DataFusion DataFrames computed client-side by ``rerun_core``'s query engine."""

from rerun_catalog._client import CatalogClient, VersionInfo
from rerun_catalog._content_filter import ContentFilter
from rerun_catalog._dataset import DatasetEntry, DatasetSelection
from rerun_catalog._dataset_info import DatasetInfo, LayerInfo, TimelineInfo
from rerun_catalog._entry import Entry, EntryId, EntryKind
from rerun_catalog._registration import (
    OnDuplicateSegmentLayer,
    RegistrationOperation,
    RegistrationResult,
    SegmentRegistrationResult,
    UnregistrationHandle,
)
from rerun_catalog._renamed import renamed_attribute as __getattr__  # noqa: F401 (old names, with a warning)
from rerun_catalog._segment import Layer, Segment
from rerun_catalog._selectors import ComponentColumnSelector, IndexColumnSelector
from rerun_catalog._table import TableEntry
from rerun_catalog.errors import (
    AlreadyExistsError,
    CatalogConnectionError,
    CatalogError,
    NotFoundError,
    UnimplementedError,
)
from rerun_core.column_schema import ComponentColumnDescriptor, IndexColumnDescriptor, Schema

__version__ = "0.41.0"

__all__ = [
    "AlreadyExistsError",
    "CatalogClient",
    "CatalogConnectionError",
    "CatalogError",
    "ComponentColumnDescriptor",
    "ComponentColumnSelector",
    "ContentFilter",
    "DatasetEntry",
    "DatasetInfo",
    "DatasetSelection",
    "Entry",
    "EntryId",
    "EntryKind",
    "IndexColumnDescriptor",
    "IndexColumnSelector",
    "Layer",
    "LayerInfo",
    "NotFoundError",
    "OnDuplicateSegmentLayer",
    "RegistrationOperation",
    "RegistrationResult",
    "Schema",
    "Segment",
    "SegmentRegistrationResult",
    "TableEntry",
    "TimelineInfo",
    "UnimplementedError",
    "UnregistrationHandle",
    "VersionInfo",
]
