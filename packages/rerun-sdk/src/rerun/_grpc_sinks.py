"""Live sinks: ``GrpcSink`` streams to a viewer or proxy, ``GrpcServerSink`` hosts a proxy in this process.

grpcio is optional (``pip install rerun-sdk[grpc]``), so it is imported only when such a sink is
actually used: ``import rerun`` and file-only scripts never load it. Network trouble never raises
from logging calls: it is logged (``logging.getLogger("rerun")``) and retried; only an explicit
``flush(timeout_sec=...)`` reports, like 0.41, a ``RuntimeError`` when not everything went out.
"""

from __future__ import annotations

import atexit
import ipaddress
import logging
import threading
from typing import TYPE_CHECKING, Any

from rerun_core import LogMsg
from rerun_core.grpc.url import DEFAULT_PORT, ProxyUrl, parse_proxy_url

if TYPE_CHECKING:
    from rerun._recording_stream import RecordingStream
    from rerun_core.grpc.client import GrpcWriter
    from rerun_core.grpc.server import MessageProxyServer

__all__ = ["GrpcServerSink", "GrpcSink", "connect_grpc", "require_grpc", "serve_grpc", "spawn"]

_log = logging.getLogger("rerun")
_SERVERS: dict[tuple[str, int], MessageProxyServer] = {}
_SERVERS_LOCK = threading.Lock()


def require_grpc(what: str) -> None:
    """Fail with an install hint, instead of a bare ImportError, when grpcio is missing."""
    try:
        import grpc  # noqa: F401
    except ImportError:
        raise ImportError(
            f"{what} streams over gRPC, which needs the grpcio package: pip install 'rerun-sdk[grpc]'"
        ) from None


class GrpcSink:
    """``rr.GrpcSink(url)``: stream to the message proxy at ``url`` (default ``rerun+http://127.0.0.1:9876/proxy``).

    The URL is checked here; the connection starts with the first message, in the background.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url: ProxyUrl = parse_proxy_url(url) if url is not None else ProxyUrl()
        self._writer: GrpcWriter | None = None
        self._lock = threading.Lock()

    def send(self, msg: LogMsg) -> None:
        self._ensure_writer().send(msg)

    def flush(self, timeout_sec: float | None = None) -> None:
        """Wait until everything sent so far is on its way; ``RuntimeError`` when that fails, as in 0.41."""
        writer = self._writer
        if writer is None:
            return
        problem = writer.flush(float("inf") if timeout_sec is None else timeout_sec)
        if problem is not None:
            raise RuntimeError(problem)

    def close(self) -> None:
        """Send what can still be sent, within a bounded time, then disconnect (never raises)."""
        with self._lock:
            writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()

    def _ensure_writer(self) -> GrpcWriter:
        writer = self._writer
        if writer is None:
            with self._lock:
                if self._writer is None:
                    require_grpc("rr.GrpcSink")
                    from rerun_core import Compression
                    from rerun_core.grpc.client import GrpcWriter

                    # On this machine LZ4 would only cost CPU on both ends; across a network it saves bytes.
                    compression = Compression.NONE if _is_loopback(self.url.host) else Compression.LZ4
                    self._writer = GrpcWriter(self.url, compression=compression)
                writer = self._writer
        return writer

    def __repr__(self) -> str:
        return f"GrpcSink({str(self.url)!r})"


class GrpcServerSink:
    """``rr.GrpcServerSink(...)``: host a message proxy in this process and log into it.

    Viewers connect to :attr:`uri`. The proxy keeps serving (its history bounded by
    ``server_memory_limit``) until the process exits; sinks on the same address share one proxy.
    """

    def __init__(
        self,
        bind_ip: str = "0.0.0.0",
        port: int = DEFAULT_PORT,
        *,
        server_memory_limit: str = "1GiB",
        newest_first: bool = False,
        cors_allow_origin: list[str] | None = None,
    ) -> None:
        from rerun_core.memory_limit import parse_memory_limit

        require_grpc("rr.GrpcServerSink")
        self.cors_allow_origin = cors_allow_origin  # browsers are not served (no gRPC-web yet)
        self._server = _server_for(bind_ip, port, parse_memory_limit(server_memory_limit), newest_first)
        self._port = port if self._server is None else self._server.port

    @property
    def uri(self) -> str:
        host = "127.0.0.1" if self._server is None else self._server.url.host
        return str(ProxyUrl(host, self._port))

    def send(self, msg: LogMsg) -> None:
        if self._server is not None:
            from rerun_core.grpc.wire import encode_log_msg, parse_write_request

            self._server.publish(parse_write_request(encode_log_msg(msg)))

    def flush(self, timeout_sec: float | None = None) -> None:
        pass  # messages are in the proxy as soon as they are sent

    def close(self) -> None:
        pass  # the proxy outlives the recording: readers may still be catching up

    def __repr__(self) -> str:
        return f"GrpcServerSink({self.uri!r})"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _server_for(bind_ip: str, port: int, memory_limit: int, newest_first: bool) -> MessageProxyServer | None:
    """The proxy on ``bind_ip:port``, started on first use; ``None`` (logged) when the port is taken."""
    from rerun_core.grpc.server import MessageProxyServer

    with _SERVERS_LOCK:
        server = _SERVERS.get((bind_ip, port))
        if server is None:
            try:
                server = MessageProxyServer(
                    bind=bind_ip, port=port, memory_limit=memory_limit, newest_first=newest_first
                ).start()
            except OSError as err:
                _log.error("Failed to listen on %s:%d: %s", bind_ip, port, err.strerror or err)
                return None
            if not _SERVERS:
                atexit.register(_stop_servers)
            _SERVERS[(bind_ip, port)] = _SERVERS[(bind_ip, server.port)] = server
        return server


def _stop_servers() -> None:
    """At exit: end every reader's stream cleanly, so viewers see the end rather than a reset."""
    from rerun._recording_stream import _shutdown_all

    _shutdown_all()  # the recordings' last batches first (atexit runs this hook before theirs)
    with _SERVERS_LOCK:
        servers = set(_SERVERS.values())
        _SERVERS.clear()
    for server in servers:
        server.stop(grace_secs=0.5)


# ---- the module-level API (rr.connect_grpc, rr.serve_grpc, rr.spawn) ------------------------------

_SERVE_BIND_IP = "0.0.0.0"  # what rr.serve_grpc listens on, like 0.41
_NO_RECORDING = (
    "No application id found. You must call rerun.init before connecting to a viewer, or provide a recording."
)


def connect_grpc(
    url: str | None = None, *, default_blueprint: Any = None, recording: RecordingStream | None = None
) -> None:
    """Stream the recording to a viewer or proxy at ``url`` (default ``rerun+http://127.0.0.1:9876/proxy``)."""
    stream = _stream_for("connect_grpc", recording)
    if stream is not None:
        stream.connect_grpc(url, default_blueprint=default_blueprint)


def serve_grpc(
    *,
    grpc_port: int | None = None,
    default_blueprint: Any = None,
    recording: RecordingStream | None = None,
    server_memory_limit: str = "1GiB",
    newest_first: bool = False,
    cors_allow_origin: list[str] | None = None,
) -> str:
    """Host a message proxy in this process (port 9876 by default) and return the URL to connect to."""
    stream = _stream_for("serve_grpc", recording)
    if stream is None:
        return "[rerun is disabled]"
    return stream.serve_grpc(
        grpc_port=grpc_port,
        default_blueprint=default_blueprint,
        server_memory_limit=server_memory_limit,
        newest_first=newest_first,
        cors_allow_origin=cors_allow_origin,
    )


def spawn(
    *,
    port: int = DEFAULT_PORT,
    connect: bool = True,
    memory_limit: str = "75%",
    server_memory_limit: str = "1GiB",
    hide_welcome_screen: bool = False,
    detach_process: bool = True,
    executable_name: str = "rerun",
    executable_path: str | None = None,
    default_blueprint: Any = None,
    recording: RecordingStream | None = None,
) -> None:
    """Start ``rerun`` (from PATH, or ``executable_path``) listening on ``port``, then stream to it."""
    stream = _stream_for("spawn", recording)
    if stream is not None:
        spawn_for(
            stream,
            port=port,
            connect=connect,
            memory_limit=memory_limit,
            server_memory_limit=server_memory_limit,
            hide_welcome_screen=hide_welcome_screen,
            detach_process=detach_process,
            executable_name=executable_name,
            executable_path=executable_path,
            default_blueprint=default_blueprint,
        )


def serve_grpc_for(
    stream: RecordingStream, grpc_port: int | None, default_blueprint: Any, server_memory_limit: str,
    newest_first: bool, cors_allow_origin: list[str] | None,
) -> str:  # fmt: skip
    sink = GrpcServerSink(
        _SERVE_BIND_IP,
        DEFAULT_PORT if grpc_port is None else grpc_port,
        server_memory_limit=server_memory_limit,
        newest_first=newest_first,
        cors_allow_origin=cors_allow_origin,
    )
    stream.set_sinks(sink, default_blueprint=default_blueprint)
    return sink.uri


def spawn_for(
    stream: RecordingStream,
    *,
    port: int,
    connect: bool,
    memory_limit: str,
    server_memory_limit: str,
    hide_welcome_screen: bool,
    detach_process: bool,
    executable_name: str = "rerun",
    executable_path: str | None = None,
    default_blueprint: Any = None,
) -> None:
    from rerun._spawn import spawn_viewer

    if not stream.is_enabled():
        logging.warning("Rerun is disabled - spawn() call ignored.")
        return
    spawn_viewer(
        port=port,
        memory_limit=memory_limit,
        server_memory_limit=server_memory_limit,
        hide_welcome_screen=hide_welcome_screen,
        detach_process=detach_process,
        executable_name=executable_name,
        executable_path=executable_path,
    )
    if connect:
        stream.connect_grpc(f"rerun+http://127.0.0.1:{port}/proxy", default_blueprint=default_blueprint)


def _stream_for(call: str, recording: RecordingStream | None) -> RecordingStream | None:
    """The recording a call acts on; ``None`` (with 0.41's warning) when it is disabled."""
    from rerun._global import get_data_recording

    stream = get_data_recording(recording)
    if stream is None:
        raise ValueError(_NO_RECORDING)
    if not stream.is_enabled():
        logging.warning("Rerun is disabled - %s() call ignored", call)
        return None
    return stream
