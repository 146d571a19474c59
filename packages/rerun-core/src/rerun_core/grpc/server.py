"""``MessageProxyService`` on grpcio: what ``rerun --serve-grpc``, ``--save`` and ``rr.serve_grpc`` host.

Requests and responses stay raw bytes (see :mod:`rerun_core.grpc.wire`), so relaying a chunk costs a
scan of its envelope, not a decode. A malformed request ends only its own rpc, with
``INVALID_ARGUMENT``; messages over ``max_message_bytes`` get grpc's ``RESOURCE_EXHAUSTED``. Every
other writer and reader carries on.
"""

from __future__ import annotations

import errno
import ipaddress
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any

import grpc

from rerun_core.errors import WireError
from rerun_core.grpc._pool import DaemonThreadPool
from rerun_core.grpc.hub import MessageHub, Subscription
from rerun_core.grpc.url import DEFAULT_PORT, ProxyUrl
from rerun_core.grpc.wire import ProxyMessage, parse_table_request, parse_write_request
from rerun_core.proto import sdk_comms_pb2

__all__ = ["MAX_MESSAGE_BYTES", "SERVICE", "MessageProxyServer"]

SERVICE = "rerun.sdk_comms.v1alpha1.MessageProxyService"
# 0.41 accepts messages up to u32::MAX; grpc's limits are int32, so this is as close as it gets.
MAX_MESSAGE_BYTES = 2**31 - 1
_KEEPALIVE_MS = 10_000  # 0.41 pings idle clients every 10 s and gives up after 20 s
_KEEPALIVE_TIMEOUT_MS = 20_000


class MessageProxyServer:
    """A message proxy listening on ``bind:port`` (``port=0``: any free port; see :attr:`port`)."""

    def __init__(
        self,
        *,
        bind: str = "0.0.0.0",
        port: int = DEFAULT_PORT,
        memory_limit: int | None = 1024**3,
        newest_first: bool = False,
        max_message_bytes: int = MAX_MESSAGE_BYTES,
        max_workers: int = 128,
        services: Sequence[grpc.GenericRpcHandler] = (),
    ) -> None:
        """``services``: more gRPC services served on the same port (the viewer's ViewerControlService)."""
        self.hub = MessageHub(memory_limit=memory_limit, newest_first=newest_first)
        self.bind = bind
        options = [
            ("grpc.max_receive_message_length", max_message_bytes),
            ("grpc.max_send_message_length", -1),
            ("grpc.so_reuseport", 0),  # one endpoint per port, as the reference
            ("grpc.keepalive_time_ms", _KEEPALIVE_MS),
            ("grpc.keepalive_timeout_ms", _KEEPALIVE_TIMEOUT_MS),
            ("grpc.http2.min_ping_interval_without_data_ms", 1000),
        ]
        self._server = grpc.server(
            DaemonThreadPool(max_workers, thread_name_prefix="rerun-proxy"),
            options=options,
            handlers=[self._handler(), *services],
        )
        self.port = self._listen(bind, port)
        self._started = False

    @property
    def url(self) -> ProxyUrl:
        """How clients on this machine reach the proxy (``127.0.0.1`` when bound to every interface)."""
        host = self.bind.strip("[]")
        try:
            if ipaddress.ip_address(host).is_unspecified:
                host = "127.0.0.1"
        except ValueError:
            pass
        return ProxyUrl(host, self.port)

    def start(self) -> MessageProxyServer:
        if not self._started:
            self._server.start()
            self._started = True
        return self

    def publish(self, message: ProxyMessage) -> None:
        """Relay a message that comes from this very process (``rr.serve_grpc``)."""
        self.hub.publish(message)

    def subscribe(self, *, tables: bool = False) -> Subscription:
        """Read like a ``ReadMessages`` client would, without a connection (``rerun --save``)."""
        return self.hub.subscribe(tables=tables)

    def stop(self, grace_secs: float | None = 1.0) -> None:
        """Stop listening, give rpcs ``grace_secs`` to finish, then end every reader's stream.

        Local readers (:meth:`subscribe`) still get everything received before the stop.
        """
        self._server.stop(grace_secs).wait(None if grace_secs is None else grace_secs + 5)
        self.hub.close()

    def wait(self, timeout_secs: float | None = None) -> bool:
        """Block until the server stops (or ``timeout_secs`` passes); True if it stopped."""
        return bool(self._server.wait_for_termination(timeout_secs))

    def __enter__(self) -> MessageProxyServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ---- rpcs --------------------------------------------------------------------------------

    def _handler(self) -> grpc.GenericRpcHandler:
        return grpc.method_handlers_generic_handler(
            SERVICE,
            {
                "WriteMessages": grpc.stream_unary_rpc_method_handler(self._write_messages),
                "ReadMessages": grpc.unary_stream_rpc_method_handler(self._read_messages),
                "WriteTable": grpc.unary_unary_rpc_method_handler(self._write_table),
                "ReadTables": grpc.unary_stream_rpc_method_handler(self._read_tables),
            },
        )

    def _write_messages(self, requests: Iterator[bytes], context: grpc.ServicerContext) -> bytes:
        for raw in requests:
            try:
                message = parse_write_request(raw)
            except WireError as err:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"invalid WriteMessagesRequest: {err}")
            self.hub.publish(message)
        return b""  # an empty WriteMessagesResponse

    def _write_table(self, raw: bytes, context: grpc.ServicerContext) -> bytes:
        try:
            message = parse_table_request(raw)
        except WireError as err:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"invalid WriteTableRequest: {err}")
        self.hub.publish(message)
        return b""

    def _read_messages(self, raw: bytes, context: grpc.ServicerContext) -> Iterator[bytes]:
        return self._read(raw, context, sdk_comms_pb2.ReadMessagesRequest, tables=False)

    def _read_tables(self, raw: bytes, context: grpc.ServicerContext) -> Iterator[bytes]:
        return self._read(raw, context, sdk_comms_pb2.ReadTablesRequest, tables=True)

    def _read(
        self, raw: bytes, context: grpc.ServicerContext, request: Any, *, tables: bool
    ) -> Iterator[bytes]:
        try:
            request.FromString(raw)
        except Exception as err:  # protobuf raises its own DecodeError
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"invalid {request.__name__}: {err}")
        subscription = self.hub.subscribe(tables=tables)
        context.add_callback(subscription.close)  # the client went away: stop waiting for messages
        for message in subscription:
            yield message.raw  # a ReadMessagesResponse/ReadTablesResponse has the request's layout
        if subscription.error and context.is_active():
            context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, subscription.error)

    def _listen(self, bind: str, port: int) -> int:
        host = f"[{bind}]" if ":" in bind and not bind.startswith("[") else bind
        try:
            bound = self._server.add_insecure_port(f"{host}:{port}")
        except RuntimeError:
            bound = 0
        if not bound:
            raise OSError(errno.EADDRINUSE, f"cannot listen on {host}:{port}: Address already in use")
        return bound
