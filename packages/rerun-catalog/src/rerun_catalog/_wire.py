"""Talking to a redap server: the channel, 0.41's request headers, Arrow payloads, and error mapping.

The ``DataframePart`` / ``Schema`` codecs mirror the server package's (``rerun_server._arrow``); the
two packages sit side by side above ``rerun_core`` and may not import each other.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import grpc
import grpc.experimental
import pyarrow as pa
import pyarrow.ipc as ipc

from rerun_catalog._chunk_stream import ChunkPayload, fetch_chunks_payloads
from rerun_catalog.errors import (
    AlreadyExistsError,
    CatalogConnectionError,
    CatalogError,
    NotFoundError,
    UnimplementedError,
)
from rerun_core import sorbet
from rerun_core.proto import cloud_pb2, cloud_pb2_grpc, common_pb2
from rerun_core.tuid import new_tuid

__all__ = [
    "Connection",
    "decode_part",
    "decode_schema",
    "encode_part",
    "encode_schema",
    "normalize_url",
    "parts_table",
    "with_sorbet_version",
]

CLIENT_VERSION = "rerun-py/0.41.0"
_LZ4 = pa.Codec("lz4_raw")
SORBET_METADATA = {sorbet.VERSION.encode(): sorbet.SORBET_VERSION.encode()}
_SCHEMES = ("rerun+http://", "rerun+https://", "rerun://")
_FETCH_CHUNKS = "/rerun.cloud.v1alpha1.RerunCloudService/FetchChunks"


def normalize_url(url: str) -> tuple[str, str, bool]:
    """``(canonical url, host:port, tls)``; ``http://`` is accepted with a warning, as in 0.41."""
    if not isinstance(url, str):
        raise TypeError(f"url must be a str, got {type(url).__name__}")
    for plain in ("http://", "https://"):
        if url.startswith(plain):
            warnings.warn(
                f"Use `rerun+{url}` instead of `{url}`. The `rerun+` prefix marks a Rerun data protocol URL.",
                UserWarning,
                stacklevel=4,  # the user's CatalogClient(...) call
            )
            url = "rerun+" + url
    scheme = next((s for s in _SCHEMES if url.startswith(s)), None)
    if scheme is None:
        raise ValueError(
            f"invalid url {url!r}: expected rerun+http://host:port (or rerun+https://, rerun://)"
        )
    authority = url[len(scheme) :].split("/", 1)[0]
    if not authority:
        raise ValueError(f"invalid url {url!r}: no host")
    if ":" not in authority.rsplit("]", 1)[-1]:
        authority += ":443" if scheme != "rerun+http://" else ":51234"
    return url.rstrip("/"), authority, scheme != "rerun+http://"


class Connection:
    """One gRPC channel to ``RerunCloudService`` plus the headers 0.41 sends."""

    def __init__(self, url: str, *, token: str | None = None, timeout_secs: float = 10.0) -> None:
        self.url, target, tls = normalize_url(url)
        credentials = grpc.ssl_channel_credentials() if tls else None
        options = [
            ("grpc.max_receive_message_length", -1),
            ("grpc.max_send_message_length", -1),
            # Server-streaming calls driven by the thread that reads them, not handed over by grpc's
            # polling thread: a short stream (``segment_ids()``) then answers in half the time.
            (grpc.experimental.ChannelOptions.SingleThreadedUnaryStream, 1),
        ]
        self._channel = (
            grpc.secure_channel(target, credentials, options)
            if credentials is not None
            else grpc.insecure_channel(target, options)
        )
        self._stub = cloud_pb2_grpc.RerunCloudServiceStub(self._channel)
        self._fetch_chunks_raw = self._channel.unary_stream(  # no deserializer: the response's bytes
            _FETCH_CHUNKS,
            request_serializer=cloud_pb2.FetchChunksRequest.SerializeToString,
            _registered_method=True,  # as the generated stubs: the call path is resolved once
        )
        self._headers: list[tuple[str, str]] = [
            ("x-rerun-client-id", str(new_tuid())),
            ("x-rerun-client-version", CLIENT_VERSION),
        ]
        if token is not None:
            self._headers.append(("authorization", f"Bearer {token}"))
        self.timeout_secs = timeout_secs

    def close(self) -> None:
        self._channel.close()

    def _metadata(self, entry_id: str | None) -> list[tuple[str, str]]:
        if entry_id is None:
            return self._headers
        return [*self._headers, ("x-rerun-entry-id", entry_id)]

    def unary(self, rpc: str, request: Any, *, entry_id: str | None = None) -> Any:
        try:
            return getattr(self._stub, rpc)(request, metadata=self._metadata(entry_id))
        except grpc.RpcError as err:
            raise self._error(rpc, err) from None

    def unary_started(self, rpc: str, request: Any, *, entry_id: str | None = None) -> Callable[[], Any]:
        """Start a unary call now and go on meanwhile; the function returned waits for the answer
        (errors mapped as in :meth:`unary`)."""
        future = getattr(self._stub, rpc).future(request, metadata=self._metadata(entry_id))

        def answer() -> Any:
            try:
                return future.result()
            except grpc.RpcError as err:
                raise self._error(rpc, err) from None

        return answer

    def stream(self, rpc: str, request: Any, *, entry_id: str | None = None) -> list[Any]:
        """A server-streaming call, drained (errors surface here, not half-way through a read)."""
        try:
            return list(getattr(self._stub, rpc)(request, metadata=self._metadata(entry_id)))
        except grpc.RpcError as err:
            raise self._error(rpc, err) from None

    def iterate(self, rpc: str, request: Any, *, entry_id: str | None = None) -> Iterator[Any]:
        """A server-streaming call, message by message as they arrive (for big reads: the caller
        works on what came while gRPC receives the rest); errors are mapped as in :meth:`stream`."""
        try:
            yield from getattr(self._stub, rpc)(request, metadata=self._metadata(entry_id))
        except grpc.RpcError as err:
            raise self._error(rpc, err) from None

    def fetch_chunks(self, request: cloud_pb2.FetchChunksRequest) -> Iterator[ChunkPayload]:
        """FetchChunks' chunks as they arrive, their payloads views of the received bytes (no copy, see
        ``_chunk_stream``); errors are mapped as in :meth:`stream`."""
        try:
            for response in self._fetch_chunks_raw(request, metadata=self._headers):
                yield from fetch_chunks_payloads(response)
        except grpc.RpcError as err:
            raise self._error("FetchChunks", err) from None

    def client_stream(self, rpc: str, requests: Iterable[Any], *, entry_id: str | None = None) -> Any:
        try:
            return getattr(self._stub, rpc)(iter(requests), metadata=self._metadata(entry_id))
        except grpc.RpcError as err:
            raise self._error(rpc, err) from None

    def _error(self, rpc: str, err: grpc.RpcError) -> CatalogError:
        code = err.code() if isinstance(err, grpc.Call) else None
        details = (err.details() if isinstance(err, grpc.Call) else None) or str(err)
        if code == grpc.StatusCode.NOT_FOUND:
            return NotFoundError(details)
        if code == grpc.StatusCode.ALREADY_EXISTS:
            return AlreadyExistsError(details)
        if code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
            return CatalogConnectionError(
                f"failed to reach the catalog server at {self.url} ({rpc}): {details}"
            )
        if code == grpc.StatusCode.INVALID_ARGUMENT:
            return CatalogError(f"invalid argument: {details}")
        if code == grpc.StatusCode.UNIMPLEMENTED:
            return UnimplementedError(f"{rpc} is not implemented by the server at {self.url}: {details}")
        return CatalogError(f"{rpc} failed ({code.name if code else 'unknown'}): {details}")

    def check_reachable(self) -> None:
        """Ask who we are (as 0.41 does on connect), failing fast when nothing listens."""
        try:
            self._stub.WhoAmI(cloud_pb2.WhoAmIRequest(), metadata=self._headers, timeout=self.timeout_secs)
        except grpc.RpcError as err:
            details = err.details() if isinstance(err, grpc.Call) else str(err)
            self.close()
            raise CatalogConnectionError(f"failed to connect to server '{self.url}': {details}") from None


def encode_part(batch: pa.RecordBatch) -> common_pb2.DataframePart:
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return common_pb2.DataframePart(
        encoder_version=common_pb2.ENCODER_VERSION_V0,
        payload=sink.getvalue().to_pybytes(),
        compression=common_pb2.COMPRESSION_NONE,
    )


def decode_part(part: common_pb2.DataframePart) -> pa.Table:
    payload = pa.py_buffer(part.payload)
    if part.compression == common_pb2.COMPRESSION_LZ4:
        payload = _LZ4.decompress(payload, decompressed_size=part.uncompressed_size)
    elif part.compression not in (common_pb2.COMPRESSION_UNSPECIFIED, common_pb2.COMPRESSION_NONE):
        raise CatalogError(f"the server sent a DataframePart with unknown compression {part.compression}")
    return ipc.open_stream(payload).read_all()


def parts_table(parts: Iterable[common_pb2.DataframePart], schema: pa.Schema | None = None) -> pa.Table:
    """The rows of several parts as one table (``schema`` when there are none)."""
    tables = [decode_part(part) for part in parts if part.payload]
    if not tables:
        return (schema or pa.schema([])).empty_table()
    if len(tables) == 1:
        return tables[0]
    metadata = tables[0].schema.metadata
    return pa.concat_tables(tables, promote_options="permissive").replace_schema_metadata(metadata)


def with_sorbet_version(table: pa.Table) -> pa.Table:
    """``table`` with the schema metadata 0.41's client puts on everything it returns."""
    return table.replace_schema_metadata({**(table.schema.metadata or {}), **SORBET_METADATA})


def encode_schema(schema: pa.Schema) -> common_pb2.Schema:
    sink = pa.BufferOutputStream()
    ipc.new_stream(sink, schema).close()
    return common_pb2.Schema(arrow_schema=sink.getvalue().to_pybytes())


def decode_schema(message: common_pb2.Schema) -> pa.Schema:
    return ipc.open_stream(pa.py_buffer(message.arrow_schema)).schema
