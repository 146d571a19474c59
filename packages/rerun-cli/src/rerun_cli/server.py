"""``rerun server``: host datasets of RRD files and tables over the 0.41 catalog (redap) gRPC protocol.

Flags follow 0.41 (``--host``, ``-p/--port``, ``-d/--dataset [NAME=]DIR``, ``-t/--table [NAME=]PATH``,
``--latency-ms``, ``--bandwidth-limit``); ``--storage DIR`` is ours: it keeps the catalog (datasets,
registrations, tables) in DIR across restarts. Runs until interrupted (Ctrl-C / SIGTERM). Not built:
``--cors-allow-origin`` (it matters to browser clients over gRPC-web, which this server does not serve).
"""

from __future__ import annotations

import argparse
import importlib
import re
import signal
import threading
from pathlib import Path
from types import FrameType

from rerun_cli._command import Command
from rerun_cli._streams import Streams
from rerun_cli.errors import CliError, UsageError

__all__ = ["COMMAND", "parse_bandwidth"]

DEFAULT_PORT = 51234


def _named_path(value: str) -> tuple[str | None, Path]:
    name, sep, path = value.partition("=")
    return (name, Path(path)) if sep and name else (None, Path(value))


_BANDWIDTH = re.compile(r"^(\d+(?:\.\d+)?)\s*(B|kB|MB|GB|TB|KiB|MiB|GiB|TiB)$")
_BANDWIDTH_UNITS = {
    "B": 1, "kB": 1000, "MB": 1000**2, "GB": 1000**3, "TB": 1000**4,
    "KiB": 1024, "MiB": 1024**2, "GiB": 1024**3, "TiB": 1024**4,
}  # fmt: skip


def parse_bandwidth(text: str) -> float | None:
    """Bytes per second for ``10MB``, ``1.5GiB``, ``500 kB`` (units as 0.41 spells them); ``0``: no limit."""
    if text.strip() == "0":
        return None
    match = _BANDWIDTH.match(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"expected a bandwidth like '10MB' or '1GiB', got {text!r}")
    return float(match.group(1)) * _BANDWIDTH_UNITS[match.group(2)] or None


def _latency_ms(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of milliseconds, got {text!r}")
    return int(text)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="0.0.0.0", help="IP address to listen on (default: 0.0.0.0)")
    parser.add_argument(
        "-p", "--port", type=int, default=DEFAULT_PORT, help=f"port to bind to (default: {DEFAULT_PORT})"
    )
    parser.add_argument(
        "-d", "--dataset", action="append", default=[], metavar="[NAME=]DIR_PATH", type=_named_path,
        help="load a directory of RRD files as a dataset (repeatable); NAME defaults to the directory name",
    )  # fmt: skip
    parser.add_argument(
        "-t", "--table", action="append", default=[], metavar="[NAME=]TABLE_PATH", type=_named_path,
        help="load a Parquet file or folder as a table (repeatable); NAME defaults to the file name",
    )  # fmt: skip
    parser.add_argument(
        "--latency-ms",
        type=_latency_ms,
        default=0,
        help="artificial latency added to each request (default: 0)",
    )
    parser.add_argument(
        "--bandwidth-limit", type=parse_bandwidth, default=None, metavar="BANDWIDTH_LIMIT",
        help="artificial bandwidth limit for responses, e.g. '10MB' (10 megabytes per second) or '1GiB'",
    )  # fmt: skip
    parser.add_argument(
        "--storage", type=Path, default=None, metavar="DIR",
        help="keep the catalog in DIR (SQLite + Parquet tables) so it survives restarts (default: in memory)",
    )  # fmt: skip


def run(args: argparse.Namespace, streams: Streams) -> int:
    try:
        rerun_server = importlib.import_module("rerun_server")
    except ImportError:
        raise CliError("`rerun server` needs the rerun-server package (pip install rerun-server)") from None
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, got {args.port}")
    datasets = {name or path.resolve().name: path for name, path in args.dataset}
    tables = {name or path.stem: path for name, path in args.table}
    if len(datasets) != len(args.dataset) or len(tables) != len(args.table):
        raise UsageError("each dataset and table needs a distinct name")
    try:
        server = rerun_server.Server(
            host=args.host, port=args.port, datasets=datasets, tables=tables,
            storage=args.storage, latency_ms=args.latency_ms, bandwidth_limit_bytes_per_s=args.bandwidth_limit,
        )  # fmt: skip
    except (rerun_server.ServerError, OSError) as err:
        raise CliError(str(err)) from None
    address = server.url().removeprefix("rerun+http://")
    streams.error(
        f"Listening on {address}. To connect the Rerun Viewer, use the following address: {server.url()}"
    )
    streams.error("Ready for connections.")
    _stop_on_signals(server)
    try:
        while not server.wait(0.5):
            pass
    except KeyboardInterrupt:
        server.shutdown()
    streams.error("Server stopped.")
    return 0


def _stop_on_signals(server: object) -> None:
    if threading.current_thread() is not threading.main_thread():
        return  # signal handlers can only be installed from the main thread (in-process tests)

    def stop(signum: int, frame: FrameType | None) -> None:
        if server.is_running():  # type: ignore[attr-defined]
            threading.Thread(target=server.shutdown, daemon=True).start()  # type: ignore[attr-defined]

    signal.signal(signal.SIGTERM, stop)


COMMAND = Command(
    name="server",
    summary="Local Rerun catalog server",
    description=(
        "Host datasets of RRD files and tables over the Rerun 0.41 catalog gRPC protocol, until interrupted.\n"
        "--storage DIR (not in 0.41) keeps datasets, registrations and tables in DIR across restarts."
    ),
    configure=configure,
    run=run,
)
