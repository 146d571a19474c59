"""The Rerun catalog client (``rerun.catalog``): datasets and tables of a catalog server, read as
DataFusion DataFrames computed client-side by ``rerun_core``'s query engine."""

from rerun_catalog._client import CatalogClient, VersionInfo
from rerun_catalog._dataset import DatasetEntry, DatasetSelection
from rerun_catalog._entry import Entry, EntryId, EntryKind
from rerun_catalog._registration import (
    OnDuplicateSegmentLayer,
    RegistrationOperation,
    RegistrationResult,
    SegmentRegistrationResult,
)
from rerun_catalog._table import TableEntry
from rerun_catalog.errors import AlreadyExistsError, CatalogConnectionError, CatalogError, NotFoundError
from rerun_core.column_schema import ComponentColumnDescriptor, IndexColumnDescriptor, Schema

__version__ = "0.41.0"

__all__ = [
    "AlreadyExistsError",
    "CatalogClient",
    "CatalogConnectionError",
    "CatalogError",
    "ComponentColumnDescriptor",
    "DatasetEntry",
    "DatasetSelection",
    "Entry",
    "EntryId",
    "EntryKind",
    "IndexColumnDescriptor",
    "NotFoundError",
    "OnDuplicateSegmentLayer",
    "RegistrationOperation",
    "RegistrationResult",
    "Schema",
    "SegmentRegistrationResult",
    "TableEntry",
    "VersionInfo",
]
