"""The three log messages that make up a recording stream, shared by RRD files and gRPC.

``SetStoreInfo`` opens a store (recording or blueprint), ``ArrowMsg`` carries one chunk, and
``BlueprintActivationCommand`` asks a viewer to show a blueprint. Each converts to and from its
protobuf form; chunk payloads are Arrow IPC streams, optionally one raw LZ4 block.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from enum import IntEnum

import pyarrow as pa
import pyarrow.ipc as ipc

from rerun_core.chunk import Chunk
from rerun_core.errors import ChunkError
from rerun_core.proto import common_pb2, log_msg_pb2
from rerun_core.tuid import Tuid, new_tuid
from rerun_core.version import CRATE_VERSION, crate_version_bits

__all__ = [
    "ArrowMsg",
    "BlueprintActivationCommand",
    "Compression",
    "LogMsg",
    "SetStoreInfo",
    "StoreId",
    "StoreKind",
    "StoreSourceKind",
    "decode_chunk_payload",
    "encode_chunk_payload",
    "tuid_from_proto",
    "tuid_to_proto",
]


class StoreKind(IntEnum):
    RECORDING = 1
    BLUEPRINT = 2


class Compression(IntEnum):
    """Payload compression; numbers match ``rerun.common.v1alpha1.Compression``."""

    NONE = 1
    LZ4 = 2


class StoreSourceKind(IntEnum):
    UNSPECIFIED = 0
    C_SDK = 1
    PYTHON_SDK = 2
    RUST_SDK = 3
    FILE = 4
    VIEWER = 5
    OTHER = 6


@dataclass(frozen=True, order=True)
class StoreId:
    """Identifies one store: a recording or a blueprint of an application."""

    kind: StoreKind
    application_id: str
    recording_id: str

    @classmethod
    def from_proto(cls, proto: common_pb2.StoreId) -> StoreId:
        kind = StoreKind(proto.kind) if proto.kind in (1, 2) else StoreKind.RECORDING
        return cls(kind, proto.application_id.id, proto.recording_id)

    def to_proto(self) -> common_pb2.StoreId:
        return common_pb2.StoreId(
            kind=self.kind.value,  # type: ignore[arg-type]
            recording_id=self.recording_id,
            application_id=common_pb2.ApplicationId(id=self.application_id),
        )


def tuid_to_proto(tuid: Tuid) -> common_pb2.Tuid:
    return common_pb2.Tuid(time_ns=tuid.time_ns, inc=tuid.inc)


def tuid_from_proto(proto: common_pb2.Tuid) -> Tuid:
    return Tuid(proto.time_ns, proto.inc)


def _python_version_payload() -> bytes:
    info = sys.version_info
    suffix = "" if info.releaselevel == "final" else f"{info.releaselevel[0]}{info.serial}"
    return log_msg_pb2.PythonVersion(
        major=info.major, minor=info.minor, patch=info.micro, suffix=suffix
    ).SerializeToString()


@dataclass(frozen=True)
class SetStoreInfo:
    """Announces a store and where its data comes from."""

    store_id: StoreId
    source_kind: StoreSourceKind = StoreSourceKind.PYTHON_SDK
    source_extra: bytes = field(default_factory=_python_version_payload)
    version_bits: int = crate_version_bits(CRATE_VERSION)
    row_id: Tuid = field(default_factory=new_tuid)

    @classmethod
    def from_proto(cls, proto: log_msg_pb2.SetStoreInfo) -> SetStoreInfo:
        info = proto.info
        store_id = StoreId.from_proto(info.store_id)
        if not store_id.application_id and info.HasField("application_id"):
            store_id = StoreId(store_id.kind, info.application_id.id, store_id.recording_id)
        kind = info.store_source.kind
        return cls(
            store_id=store_id,
            source_kind=StoreSourceKind(kind)
            if kind in StoreSourceKind._value2member_map_
            else StoreSourceKind.OTHER,
            source_extra=info.store_source.extra.payload,
            version_bits=info.store_version.crate_version_bits,
            row_id=tuid_from_proto(proto.row_id),
        )

    def to_proto(self) -> log_msg_pb2.SetStoreInfo:
        return log_msg_pb2.SetStoreInfo(
            row_id=tuid_to_proto(self.row_id),
            info=log_msg_pb2.StoreInfo(
                store_id=self.store_id.to_proto(),
                store_source=log_msg_pb2.StoreSource(
                    kind=self.source_kind.value,  # type: ignore[arg-type]
                    extra=log_msg_pb2.StoreSourceExtra(payload=self.source_extra),
                ),
                store_version=log_msg_pb2.StoreVersion(crate_version_bits=self.version_bits),
            ),
        )


@dataclass(frozen=True)
class ArrowMsg:
    """One chunk of one store."""

    store_id: StoreId
    chunk: Chunk

    @classmethod
    def from_proto(cls, proto: log_msg_pb2.ArrowMsg) -> ArrowMsg:
        if proto.encoding not in (0, log_msg_pb2.ENCODING_ARROW_IPC):
            raise ChunkError(f"unknown ArrowMsg encoding {proto.encoding}")
        chunk = decode_chunk_payload(proto.payload, proto.compression, proto.uncompressed_size)
        return cls(StoreId.from_proto(proto.store_id), chunk)

    def to_proto(self, compression: Compression = Compression.LZ4) -> log_msg_pb2.ArrowMsg:
        payload, uncompressed_size = encode_chunk_payload(self.chunk, compression)
        return log_msg_pb2.ArrowMsg(
            store_id=self.store_id.to_proto(),
            chunk_id=tuid_to_proto(self.chunk.id),
            compression=compression.value,  # type: ignore[arg-type]
            uncompressed_size=uncompressed_size,
            encoding=log_msg_pb2.ENCODING_ARROW_IPC,
            payload=payload.to_pybytes(),
            is_static=self.chunk.is_static,
        )


@dataclass(frozen=True)
class BlueprintActivationCommand:
    """Asks a viewer to make a blueprint active and/or the application's default."""

    blueprint_id: StoreId
    make_active: bool = True
    make_default: bool = True

    @classmethod
    def from_proto(cls, proto: log_msg_pb2.BlueprintActivationCommand) -> BlueprintActivationCommand:
        return cls(StoreId.from_proto(proto.blueprint_id), proto.make_active, proto.make_default)

    def to_proto(self) -> log_msg_pb2.BlueprintActivationCommand:
        return log_msg_pb2.BlueprintActivationCommand(
            blueprint_id=self.blueprint_id.to_proto(),
            make_active=self.make_active,
            make_default=self.make_default,
        )


LogMsg = SetStoreInfo | ArrowMsg | BlueprintActivationCommand

_LZ4_RAW = pa.Codec("lz4_raw")


def encode_chunk_payload(chunk: Chunk, compression: Compression) -> tuple[pa.Buffer, int]:
    """The ``ArrowMsg.payload`` bytes for a chunk and the size of its uncompressed IPC stream."""
    batch = chunk.to_record_batch()
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    ipc_bytes = sink.getvalue()
    if compression == Compression.LZ4:
        return _LZ4_RAW.compress(ipc_bytes), ipc_bytes.size  # one raw LZ4 block, as lz4_flex writes
    return ipc_bytes, ipc_bytes.size


def decode_chunk_payload(payload: bytes | pa.Buffer, compression: int, uncompressed_size: int) -> Chunk:
    """Inverse of :func:`encode_chunk_payload`; zero-copy over ``payload`` when uncompressed.

    LZ4 blocks are decompressed into Arrow's memory pool (no fresh Python allocation per chunk).
    """
    buffer = payload if isinstance(payload, pa.Buffer) else pa.py_buffer(payload)
    if compression == Compression.LZ4:
        try:
            buffer = _LZ4_RAW.decompress(buffer, decompressed_size=uncompressed_size)
        except (pa.ArrowException, OSError) as err:
            raise ChunkError(f"LZ4 payload does not decompress to {uncompressed_size} bytes: {err}") from None
    elif compression not in (0, Compression.NONE):
        raise ChunkError(f"unknown payload compression {compression}")
    try:
        batches = list(ipc.open_stream(buffer))
        if len(batches) != 1:
            raise ChunkError(f"an ArrowMsg payload holds exactly one record batch, found {len(batches)}")
        batches[0].validate(full=True)  # damaged offsets must fail here, not crash a later reader
    except (pa.ArrowException, OSError) as err:
        raise ChunkError(f"payload is not a valid Arrow IPC stream: {err}") from None
    return Chunk.from_record_batch(batches[0])
