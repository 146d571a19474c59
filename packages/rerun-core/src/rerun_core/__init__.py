"""Foundation shared by every Rerun package.

Layers, bottom up: ``tuid``, ``timeline``, ``descriptor``, ``entity_path`` and ``sorbet`` (the data
model's vocabulary) -> ``chunk`` (a record batch of one entity's rows) -> ``log_msg`` (the messages
that carry chunks) -> ``rrd`` (the file/stream codec); ``store`` (chunks in memory, indexed) -> ``query``
(latest-at, range, the dataframe view). ``proto`` holds the generated wire stubs.
"""

from rerun_core.chunk import Chunk
from rerun_core.descriptor import ComponentDescriptor
from rerun_core.entity_path import EntityPath, EntityPathWarning
from rerun_core.errors import ChunkError, RerunError, RrdDecodeError, RrdError, RrdVersionError
from rerun_core.log_msg import (
    ArrowMsg,
    BlueprintActivationCommand,
    Compression,
    LogMsg,
    SetStoreInfo,
    StoreId,
    StoreKind,
    StoreSourceKind,
)
from rerun_core.timeline import Timeline, TimeType
from rerun_core.tuid import Tuid, new_tuid, new_tuids

__version__ = "0.41.0"

__all__ = [
    "ArrowMsg",
    "BlueprintActivationCommand",
    "Chunk",
    "ChunkError",
    "ComponentDescriptor",
    "Compression",
    "EntityPath",
    "EntityPathWarning",
    "LogMsg",
    "RerunError",
    "RrdDecodeError",
    "RrdError",
    "RrdVersionError",
    "SetStoreInfo",
    "StoreId",
    "StoreKind",
    "StoreSourceKind",
    "TimeType",
    "Timeline",
    "Tuid",
    "new_tuid",
    "new_tuids",
]
