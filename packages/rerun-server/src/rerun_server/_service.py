"""The gRPC plumbing of ``rerun.cloud.v1alpha1.RerunCloudService``: one handler per rpc.

Every call gets the 0.41 initial metadata (``x-rerun-server-version``, echoes of the client's
version and entry headers), has its entry resolved from ``x-rerun-entry-id`` or
``x-rerun-entry-name-bin`` on demand, and has :class:`~rerun_server.errors.ServerError` turned into
the matching gRPC status. Rpcs register themselves with :func:`rpc`; the others answer
UNIMPLEMENTED, naming the rpc. Handlers may return serialized bytes instead of a message.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import grpc
from google.protobuf import message_factory

from rerun_core.proto import cloud_pb2
from rerun_core.tuid import Tuid
from rerun_server._catalog import Catalog
from rerun_server._entries import Entry
from rerun_server.errors import InvalidArgumentError, ServerError, UnimplementedError

__all__ = ["SERVER_VERSION", "SERVICE", "Call", "Pacer", "build_handler", "rpc"]

SERVICE = "rerun.cloud.v1alpha1.RerunCloudService"
SERVER_VERSION = "rerun-oss/0.41.0"
ENTRY_ID_HEADER = "x-rerun-entry-id"
ENTRY_NAME_HEADER = "x-rerun-entry-name-bin"
_HEX32 = re.compile(r"^[0-9a-fA-F]{32}$")
_LOG = logging.getLogger("rerun_server")

Handler = Callable[["Call", Any], Any]
RPCS: dict[str, Handler] = {}
# Server-streaming rpcs whose implementation returns its one response instead of yielding it: served
# as a unary call (the same frames on the wire), the response and the status leave together, which
# saves a gRPC client a round of waiting per call.
ONE_RESPONSE: set[str] = set()


def rpc(name: str, *, one_response: bool = False) -> Callable[[Handler], Handler]:
    """Register the implementation of one rpc of the service (by its proto name)."""

    def register(function: Handler) -> Handler:
        RPCS[name] = function
        if one_response:
            ONE_RESPONSE.add(name)
        return function

    return register


@dataclass
class Call:
    """One incoming call: the catalog, the gRPC context and the request headers."""

    catalog: Catalog
    context: grpc.ServicerContext
    headers: dict[str, str | bytes]

    def entry_id(self) -> Tuid:
        """The entry the call is about, from its headers."""
        value = self.headers.get(ENTRY_ID_HEADER)
        if value is not None:
            text = value.decode(errors="replace") if isinstance(value, bytes) else value
            if not _HEX32.match(text):
                raise InvalidArgumentError(
                    f"'\"{text}\"' is not a valid value for '{ENTRY_ID_HEADER}': expected exactly 32 hex "
                    f"characters, got {len(text.encode())} bytes"
                )
            return Tuid.parse(text)
        name = self.headers.get(ENTRY_NAME_HEADER)
        if name is not None:
            text = name.decode("utf-8", errors="replace") if isinstance(name, bytes) else name
            return self.catalog.entries.by_name(text).id
        raise InvalidArgumentError(
            f'missing mandatory ["{ENTRY_ID_HEADER}", "{ENTRY_NAME_HEADER}"] HTTP headers'
        )

    def dataset(self) -> Entry:
        return self.catalog.dataset(self.entry_id())


def _initial_metadata(headers: dict[str, str | bytes]) -> list[tuple[str, str | bytes]]:
    metadata: list[tuple[str, str | bytes]] = [("x-rerun-server-version", SERVER_VERSION)]
    for key in ("x-rerun-client-version", ENTRY_ID_HEADER):
        if key in headers:
            metadata.append((key, headers[key]))
    return metadata


def _serialize(message: Any) -> bytes:
    return message if isinstance(message, bytes) else message.SerializeToString()


class Pacer:
    """An artificial bandwidth limit shared by every response of the server (``--bandwidth-limit``).

    Responses leave one after another as over a link of ``bytes_per_s``: each waits until the
    link has carried the ones before it, then for its own transmission time.
    """

    def __init__(self, bytes_per_s: float) -> None:
        if not bytes_per_s > 0:
            raise ValueError(f"bandwidth limit must be positive, got {bytes_per_s} bytes/s")
        self.bytes_per_s = bytes_per_s
        self._busy_until = 0.0
        self._lock = threading.Lock()

    def send(self, num_bytes: int) -> None:
        """Block until a response of ``num_bytes`` has had its share of the link."""
        with self._lock:
            now = time.monotonic()
            self._busy_until = max(now, self._busy_until) + num_bytes / self.bytes_per_s
            delay = self._busy_until - now
        time.sleep(delay)


def _size(message: Any) -> int:
    return len(message) if isinstance(message, bytes) else int(message.ByteSize())


class _Wrapper:
    """Runs one rpc: headers and initial metadata, latency, bandwidth, and errors mapped to statuses."""

    def __init__(
        self, name: str, handler: Handler, catalog: Catalog, latency_s: float, pacer: Pacer | None
    ) -> None:
        self.name, self.handler, self.catalog, self.latency_s = name, handler, catalog, latency_s
        self.pacer = pacer

    def _begin(self, context: grpc.ServicerContext) -> Call:
        if self.latency_s:
            time.sleep(self.latency_s)
        headers = {key: value for key, value in context.invocation_metadata()}
        context.send_initial_metadata(_initial_metadata(headers))
        return Call(self.catalog, context, headers)

    def _fail(self, context: grpc.ServicerContext, error: Exception) -> None:
        if isinstance(error, ServerError):
            context.abort(error.code, str(error))
        _LOG.exception("%s failed", self.name)
        context.abort(grpc.StatusCode.INTERNAL, f"{self.name} failed: {type(error).__name__}: {error}")

    def unary(self, request: Any, context: grpc.ServicerContext) -> Any:
        try:
            response = self.handler(self._begin(context), request)
            if self.pacer is not None:
                self.pacer.send(_size(response))
            return response
        except Exception as error:
            self._fail(context, error)

    def streaming(self, request: Any, context: grpc.ServicerContext) -> Iterator[Any]:
        try:
            for response in self.handler(self._begin(context), request):
                if self.pacer is not None:
                    self.pacer.send(_size(response))
                yield response
        except Exception as error:
            self._fail(context, error)


def _unimplemented(name: str) -> Handler:
    def handler(call: Call, request: Any) -> Any:
        raise UnimplementedError(f"{name} is not implemented by this server (rerun-server, pure Python)")

    return handler


def build_handler(
    catalog: Catalog, *, latency_s: float = 0.0, bandwidth_bytes_per_s: float | None = None
) -> grpc.GenericRpcHandler:
    """The service with every rpc of the 0.41 descriptor: ours where implemented, UNIMPLEMENTED otherwise.

    ``latency_s`` delays the start of every call; ``bandwidth_bytes_per_s`` paces all responses.
    """
    pacer = None if bandwidth_bytes_per_s is None else Pacer(bandwidth_bytes_per_s)
    from rerun_server import _rpc_catalog, _rpc_chunks, _rpc_datasets, _rpc_tables  # noqa: F401 (they register)

    descriptor = cloud_pb2.DESCRIPTOR.services_by_name["RerunCloudService"]
    handlers = {}
    for method in descriptor.methods:
        wrapper = _Wrapper(
            method.name, RPCS.get(method.name) or _unimplemented(method.name), catalog, latency_s, pacer
        )
        parse = message_factory.GetMessageClass(method.input_type).FromString
        if method.client_streaming:  # WriteTable: the handler gets the request iterator
            handlers[method.name] = grpc.stream_unary_rpc_method_handler(
                wrapper.unary, request_deserializer=parse, response_serializer=_serialize
            )
        elif method.server_streaming and method.name not in ONE_RESPONSE:
            handlers[method.name] = grpc.unary_stream_rpc_method_handler(
                wrapper.streaming, request_deserializer=parse, response_serializer=_serialize
            )
        else:
            handlers[method.name] = grpc.unary_unary_rpc_method_handler(
                wrapper.unary, request_deserializer=parse, response_serializer=_serialize
            )
    return grpc.method_handlers_generic_handler(SERVICE, handlers)
