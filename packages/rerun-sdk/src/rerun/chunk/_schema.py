"""The schema of a store as 0.41 shows it; it lives in the foundation, shared with the catalog client."""

from __future__ import annotations

from rerun_core.column_schema import (
    ComponentColumnDescriptor,
    IndexColumnDescriptor,
    Schema,
    schema_from_manifest,
)

__all__ = ["ComponentColumnDescriptor", "IndexColumnDescriptor", "Schema", "schema_from_manifest"]
