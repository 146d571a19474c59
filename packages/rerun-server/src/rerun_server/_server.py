"""``Server``: the catalog server in this process (what ``rerun server`` and ``rr.server.Server`` run)."""

from __future__ import annotations

import importlib
import os
import sys
import threading
import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

import grpc

from rerun_server._catalog import Catalog, rrd_files
from rerun_server._service import build_handler

__all__ = ["DEFAULT_PORT", "Server"]

DEFAULT_PORT = 51234
_WORKERS = 16
_OPTIONS = [
    ("grpc.max_receive_message_length", 1 << 30),
    ("grpc.max_send_message_length", -1),
    ("grpc.so_reuseport", 0),  # a taken port must fail loudly, not be shared
]
PathLike = str | os.PathLike[str]


def _bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


class Server:
    """A Rerun catalog server (the redap gRPC service) running in this process.

    ``datasets`` maps a name to a folder (every ``.rrd`` in it) or to a list of ``.rrd`` files;
    ``tables`` maps a name to a Parquet file or folder. ``port=None`` (or 0) picks a free port.
    ``storage`` (a folder) makes the catalog persistent: restarted on the same folder, the server
    has the same datasets, registrations and tables. ``latency_ms`` and ``bandwidth_limit_bytes_per_s``
    simulate a remote server: a delay before every call, and responses paced to that rate.
    """

    def __init__(
        self,
        *,
        host: str = "0.0.0.0",
        port: int | None = None,
        datasets: Mapping[str, PathLike | Sequence[PathLike]] | None = None,
        tables: Mapping[str, PathLike] | None = None,
        addr: str = "0.0.0.0",
        storage: PathLike | None = None,
        latency_ms: float = 0.0,
        bandwidth_limit_bytes_per_s: float | None = None,
    ) -> None:
        if addr != "0.0.0.0":
            warnings.warn("`addr` is deprecated: renamed to `host`", DeprecationWarning, stacklevel=2)
            host = addr
        self._host = host
        self._catalog = Catalog(None if storage is None else Path(storage))
        self._stopped = threading.Event()
        try:
            for name, source in (datasets or {}).items():
                self._catalog.load_dataset(name, _dataset_files(source))
            for name, path in (tables or {}).items():
                self._catalog.load_table(name, Path(path))
            self._grpc = grpc.server(ThreadPoolExecutor(max_workers=_WORKERS), options=_OPTIONS)
            handler = build_handler(
                self._catalog, latency_s=latency_ms / 1000, bandwidth_bytes_per_s=bandwidth_limit_bytes_per_s
            )
            self._grpc.add_generic_rpc_handlers([handler])
            wanted = port or 0
            try:
                self._port = self._grpc.add_insecure_port(_bind_address(host, wanted))
            except RuntimeError:  # grpc's way of saying the bind failed
                self._port = 0
            if not self._port:
                raise OSError(
                    f"cannot listen on {_bind_address(host, wanted)} (port taken or address invalid)"
                )
            self._grpc.start()
        except BaseException:
            self._catalog.close()
            raise
        self._running = True

    @property
    def port(self) -> int:
        return self._port

    @property
    def catalog(self) -> Catalog:
        return self._catalog

    def host(self) -> str:
        return self._host

    def url(self) -> str:
        """Where clients connect, e.g. ``rerun+http://127.0.0.1:51234``."""
        host = "127.0.0.1" if self._host in ("0.0.0.0", "") else self._host
        host = "[::1]" if host in ("::", "[::]") else host
        return f"rerun+http://{_bind_address(host, self._port)}"

    def address(self) -> str:
        warnings.warn("Renamed to `url`", DeprecationWarning, stacklevel=2)
        return self.url()

    def is_running(self) -> bool:
        return self._running

    def client(self) -> Any:
        """A ``rerun.catalog.CatalogClient`` connected to this server."""
        if not self._running:
            raise RuntimeError("The server is not running")
        try:
            catalog = importlib.import_module("rerun_catalog")  # a sibling package: never a static import
            client_class = catalog.CatalogClient
        except (ImportError, AttributeError):
            raise RuntimeError(
                "Server.client() needs the catalog client (rerun.catalog.CatalogClient, from the "
                f"rerun-catalog package), which is not available here; connect any 0.41 client to {self.url()}"
            ) from None
        return client_class(self.url())

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the server stops (or ``timeout_s`` passes); True when it has stopped."""
        return self._stopped.wait(timeout_s)

    def shutdown(self) -> None:
        if not self._running:
            raise RuntimeError("The server is not running")
        self._running = False
        self._grpc.stop(grace=1.0).wait()
        self._catalog.close()
        self._stopped.set()

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._running:
            self.shutdown()

    def __del__(self) -> None:
        # At interpreter exit gRPC can no longer start the thread its stop needs (that would hang
        # forever); the process is ending anyway.
        if getattr(self, "_running", False) and not sys.is_finalizing():
            self.shutdown()


def _dataset_files(source: PathLike | Sequence[PathLike]) -> list[Path]:
    """A folder's ``.rrd`` files, or the given list of files."""
    if isinstance(source, (str, os.PathLike)):
        return rrd_files(Path(source))
    return [Path(path) for path in source]
