"""Data flowing into a running viewer: the gRPC endpoint SDKs log to, and files or URLs streamed in.

Every source gets its own daemon thread that decodes messages and files them in a
:class:`~rerun_viewer._recording.RecordingSet`, one message at a time, so recordings grow while the
UI thread draws them. The endpoint is 0.41's ``MessageProxyService``: SDKs write to it, and other
viewers (``rerun --connect``) can read what it received, within ``server_memory_limit``.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rerun_core.errors import InvalidEndpointError, RrdError, WireError
from rerun_core.grpc.url import ProxyUrl, parse_proxy_url
from rerun_core.log_msg import LogMsg
from rerun_core.rrd import RrdDecoder
from rerun_viewer._recording import RecordingSet
from rerun_viewer.errors import RecordingLoadError

__all__ = ["LiveSources", "is_proxy_url"]

_log = logging.getLogger("rerun")
_PROXY_SCHEMES = ("rerun://", "rerun+http://", "rerun+https://")
_HTTP_SCHEMES = ("http://", "https://")
_HTTP_TIMEOUT_SECS = 30.0


def is_proxy_url(location: str) -> bool:
    """Whether ``location`` names a message proxy (a stream with no end) rather than a file."""
    return location.startswith(_PROXY_SCHEMES)


class LiveSources:
    """Background readers feeding ``recordings``: :meth:`open` files and URLs, :meth:`serve` the endpoint."""

    def __init__(self, recordings: RecordingSet) -> None:
        self.recordings = recordings
        self.errors: list[str] = []
        self.num_messages = 0
        self.last_message_time = 0.0  # time.monotonic() of the newest message, 0 before any
        self.server: Any = None  # the MessageProxyServer, once serving
        self._loaders: dict[threading.Thread, str] = {}  # files and downloads (they end), by source name
        self._streams: dict[threading.Thread, str] = {}  # the endpoint and proxies: they run until closed
        self._stop = threading.Event()
        self._dropped: set[threading.Thread] = set()  # readers told to stop (their recordings were closed)
        self._cancels: list[Callable[[], None]] = []

    # ---- sources ------------------------------------------------------------------------------

    def open(self, location: str) -> None:
        """Start streaming a file (.rrd, .rbl), an ``http(s)://`` file or a ``rerun+http://…/proxy``."""
        name = self.source_name(location)
        if is_proxy_url(location):
            url = _proxy_url(location)
            self._start(name, lambda: self._read_proxy(url), finite=False)
        elif location.startswith(_HTTP_SCHEMES):
            self._start(name, lambda: self._read_http(location), finite=True)
        else:
            path = Path(location)
            if not path.is_file():
                raise RecordingLoadError(f"no such file: {location!r}")
            self._start(name, lambda: self._read_file(path), finite=True)

    @staticmethod
    def source_name(location: str) -> str:
        """How the recordings read from ``location`` name their source (:attr:`Recording.sources`)."""
        if is_proxy_url(location):
            return str(_proxy_url(location))
        return location if location.startswith(_HTTP_SCHEMES) else str(Path(location))

    def serve(
        self,
        *,
        bind: str = "0.0.0.0",
        port: int = 9876,
        server_memory_limit: int | None = 1024**3,
        services: Sequence[Any] = (),
    ) -> ProxyUrl:
        """Listen for SDKs on ``bind:port`` (0: any free port); what they send appears in the recordings.
        ``services``: more gRPC services on the same port (the viewer's remote control).

        Raises :class:`OSError` when the port is taken.
        """
        from rerun_core.grpc.server import MessageProxyServer

        self.server = MessageProxyServer(
            bind=bind, port=port, memory_limit=server_memory_limit, services=services
        )
        subscription = self.server.subscribe()
        self.server.start()
        name = str(self.server.url)
        self._start(name, lambda: self._add_all(_decoded(iter(subscription)), name), finite=False)
        return self.server.url

    # ---- progress -----------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """Whether a file or HTTP download is still being read."""
        return bool(self.loading_names())

    def loading_names(self) -> list[str]:
        """The files and downloads still being read, by source name."""
        return [name for thread, name in list(self._loaders.items()) if thread.is_alive()]

    def stop_reading(self, name: str) -> None:
        """Stop the readers of source ``name`` (not the endpoint): what they delivered stays; opening
        the source again starts a new reader."""
        readers = {**self._loaders, **self._streams}
        endpoint = None if self.server is None else str(self.server.url)
        self._dropped.update(thread for thread, source in readers.items() if source == name != endpoint)

    def settled(self, quiet_secs: float) -> bool:
        """Files are read, some data is in, and nothing arrived for ``quiet_secs``: time for a screenshot."""
        quiet = time.monotonic() - self.last_message_time >= quiet_secs
        return not self.loading and self.num_messages > 0 and quiet

    def close(self) -> None:
        """Stop the endpoint and every reader (readers are daemons; they stop with the process anyway)."""
        self._stop.set()
        for cancel in self._cancels:
            cancel()
        if self.server is not None:
            self.server.stop(grace_secs=0.5)
        for thread in [*self._loaders, *self._streams]:
            thread.join(timeout=2.0)

    # ---- readers ------------------------------------------------------------------------------

    def _start(self, name: str, read: Callable[[], object], *, finite: bool) -> None:
        def run() -> None:
            try:
                read()
            except (OSError, RrdError, WireError, RecordingLoadError, ValueError) as err:
                self.errors.append(f"{name}: {err}")
                _log.error("Failed to load %s: %s", name, err)

        thread = threading.Thread(target=run, name=f"rerun-viewer {name}", daemon=True)
        if finite:
            self._loaders[thread] = name
        else:
            self._streams[thread] = name
        thread.start()

    def _add_all(self, messages: Iterable[LogMsg], source: str) -> None:
        """File ``source``'s messages as they come, until it is dropped or everything stops."""
        for msg in messages:
            if self._stop.is_set() or threading.current_thread() in self._dropped:
                return
            self.recordings.add(msg, source)
            self.num_messages += 1
            self.last_message_time = time.monotonic()

    def _read_file(self, path: Path) -> None:
        with path.open("rb", buffering=1 << 20) as source:
            self._add_all(RrdDecoder(source), str(path))

    def _read_http(self, url: str) -> None:
        with urllib.request.urlopen(url, timeout=_HTTP_TIMEOUT_SECS) as response:
            self._add_all(RrdDecoder(response), url)

    def _read_proxy(self, url: ProxyUrl) -> None:
        import grpc

        from rerun_core.grpc.client import read_messages

        reader = read_messages(url)
        self._cancels.append(reader.cancel)
        try:
            self._add_all(_decoded(iter(reader)), str(url))
        except grpc.RpcError as err:  # the proxy went away or refused us
            raise OSError(f"reading {url} failed: {err.code().name}") from None


def _decoded(messages: Iterator[Any]) -> Iterator[LogMsg]:
    """Proxy messages decoded to log messages (tables are not shown by this viewer)."""
    from rerun_core.grpc.wire import decode_log_msg

    for message in messages:
        if not message.is_table:
            yield decode_log_msg(message)


def _proxy_url(location: str) -> ProxyUrl:
    try:
        return parse_proxy_url(location)
    except InvalidEndpointError as err:
        raise RecordingLoadError(
            f"{err} (the viewer reads message proxies; catalog URLs are not supported)"
        ) from None
