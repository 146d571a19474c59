"""The "sorbet" conventions: Arrow metadata keys and values that turn a record batch into a chunk.

Every constant here is a fact of the 0.41 wire format (see ``shared/spec/wire-spec.md`` section 2);
nothing else in the code base spells these strings.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "ARCHETYPE",
    "COMPONENT",
    "COMPONENT_TYPE",
    "ENTITY_PATH",
    "EXTENSION_METADATA",
    "EXTENSION_NAME",
    "ID",
    "INDEX_NAME",
    "IS_SEMANTICALLY_EMPTY",
    "IS_SORTED",
    "IS_STATIC",
    "IS_TABLE_INDEX",
    "IS_TOMBSTONE",
    "KIND",
    "KIND_CONTROL",
    "KIND_DATA",
    "KIND_INDEX",
    "ROW_ID_COLUMN",
    "ROW_ID_FIELD_METADATA",
    "SEGMENT_ID",
    "SORBET_VERSION",
    "VERSION",
    "decode_metadata",
    "encode_metadata",
]

# Schema-level keys.
ID = "rerun:id"
ENTITY_PATH = "rerun:entity_path"
VERSION = "sorbet:version"
SEGMENT_ID = "rerun:segment_id"
SORBET_VERSION = "0.1.4"

# Field-level keys.
KIND = "rerun:kind"
KIND_CONTROL = "control"
KIND_INDEX = "index"
KIND_DATA = "data"
INDEX_NAME = "rerun:index_name"
IS_SORTED = "rerun:is_sorted"
ARCHETYPE = "rerun:archetype"
COMPONENT = "rerun:component"
COMPONENT_TYPE = "rerun:component_type"
IS_STATIC = "rerun:is_static"
IS_TOMBSTONE = "rerun:is_tombstone"
IS_SEMANTICALLY_EMPTY = "rerun:is_semantically_empty"
IS_TABLE_INDEX = "rerun:is_table_index"
EXTENSION_NAME = "ARROW:extension:name"
EXTENSION_METADATA = "ARROW:extension:metadata"

ROW_ID_COLUMN = "rerun.controls.RowId"
ROW_ID_FIELD_METADATA = {
    KIND: KIND_CONTROL,
    IS_SORTED: "true",
    EXTENSION_NAME: "rerun.datatypes.TUID",
    EXTENSION_METADATA: '{"namespace":"row"}',
}


def encode_metadata(metadata: Mapping[str, str]) -> dict[bytes, bytes]:
    return {key.encode(): value.encode() for key, value in metadata.items()}


def decode_metadata(metadata: Mapping[bytes, bytes] | None) -> dict[str, str]:
    if not metadata:
        return {}
    return {key.decode(): value.decode() for key, value in metadata.items()}
