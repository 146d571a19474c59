"""``rerun [URL_OR_PATHS]``: the viewer, in a window or headless, with its gRPC endpoint for SDKs.

It wraps the headless gRPC modes of :mod:`rerun_cli.live` (``--serve-grpc``, ``--save``), which keep
running without the viewer, and the hand-over to a viewer already listening on ``--port``. Everything
else runs :func:`rerun_viewer.run_app`: ``--screenshot-to`` renders one frame once the inputs are in
(without inputs: once SDK data arrived, giving up after ``RERUN_SCREENSHOT_WAIT_SECS``, 60 s by
default) and exits, ``--headless`` receives and answers remote control (``ViewerControlService``,
screenshots rendered on request) without a window, and otherwise a window opens. The viewer package
loads only here (it imports pygfx).
"""

from __future__ import annotations

import argparse
import math
import os
import threading
from pathlib import Path
from typing import Any

from rerun_cli._command import DefaultMode
from rerun_cli._signals import stop_on_signals
from rerun_cli._streams import Streams
from rerun_cli.errors import CliError, UsageError

__all__ = ["with_viewer"]

_DEFAULT_PORT = 9876
_WAIT_ENV = "RERUN_SCREENSHOT_WAIT_SECS"  # how long a screenshot without inputs waits for SDK data


def _add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--screenshot-to", help="Render one frame of the viewer to this PNG once the data is in, and exit"
    )
    parser.add_argument("--window-size", help="Size of the viewer window, e.g. 1280x720")
    parser.add_argument(
        "--memory-limit", help="Drop the oldest data when the viewer holds more than this, e.g. 16GB or 50%%"
    )
    parser.add_argument(
        "--headless",
        action="store_true",
        help="Run the viewer without a window: it receives data and answers remote control "
        "(rerun.experimental.ViewerClient), rendering screenshots on request",
    )
    parser.add_argument("--new", action="store_true", help="Alias for --port auto: always start a new viewer")


def _not_the_viewer(args: argparse.Namespace) -> bool:
    """The modes that never show anything (a proxy, recording to a file) and the web viewer, which
    :mod:`rerun_cli.live` runs or reports as not built."""
    names = ("serve_grpc", "save", "serve_web", "web_viewer", "test_receive")
    return any(getattr(args, name, None) for name in names)


def _port(args: argparse.Namespace) -> int:
    text = "auto" if getattr(args, "new", False) else str(getattr(args, "port", _DEFAULT_PORT))
    if text == "auto":
        return 0
    if not text.isdigit() or int(text) > 65535:
        raise UsageError(f"--port: expected a port number or 'auto', got {text!r}")
    return int(text)


def _options(args: argparse.Namespace) -> Any:
    from rerun_core.memory_limit import parse_memory_limit
    from rerun_viewer import AppOptions, parse_window_size

    inputs = list(getattr(args, "url_or_paths", None) or [])
    if getattr(args, "connect", None) is not None:
        inputs.append(args.connect or "rerun+http://127.0.0.1:9876/proxy")
    try:
        size = parse_window_size(args.window_size) if args.window_size else None
    except ValueError as err:
        raise UsageError(f"--window-size: {err}") from None
    limits = {}
    for name in ("memory_limit", "server_memory_limit"):
        text = getattr(args, name, None)
        try:
            limits[name] = None if text is None else parse_memory_limit(text)
        except ValueError as err:
            raise UsageError(f"--{name.replace('_', '-')}: {err}") from None
    return AppOptions(
        inputs=[_connect_url(item) for item in inputs],
        bind=getattr(args, "bind", "0.0.0.0"),
        port=_port(args),
        memory_limit_bytes=limits["memory_limit"],
        server_memory_limit_bytes=limits["server_memory_limit"] or 1024**3,
        window_size=size,
        screenshot_to=Path(args.screenshot_to) if args.screenshot_to else None,
        screenshot_wait_secs=_screenshot_wait_secs(),
        headless=bool(getattr(args, "headless", False)),
    )


def _screenshot_wait_secs() -> float:
    """``RERUN_SCREENSHOT_WAIT_SECS``, else the viewer's default."""
    from rerun_viewer import SCREENSHOT_WAIT_SECS

    text = os.environ.get(_WAIT_ENV)
    if text is None:
        return SCREENSHOT_WAIT_SECS
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise UsageError(f"{_WAIT_ENV}: expected a positive number of seconds, got {text!r}")
    return seconds


def _connect_url(item: str) -> str:
    """``--connect 9877`` means the proxy on that local port."""
    return f"rerun+http://127.0.0.1:{item}/proxy" if item.isdigit() else item


def _viewer_listening(args: argparse.Namespace, port: int) -> bool:
    from rerun_core.grpc.url import is_listening

    bind = getattr(args, "bind", "0.0.0.0")
    host = "127.0.0.1" if bind in ("0.0.0.0", "::", "[::]") else bind
    return port != 0 and is_listening(host, port)


def _run_viewer(args: argparse.Namespace, streams: Streams) -> int:
    from rerun_viewer import NoGpuAdapterError, ViewerError, run_app

    options = _options(args)
    stop = threading.Event()
    try:
        with stop_on_signals(stop):
            return int(run_app(options, say=streams.error, stop=stop))
    except (NoGpuAdapterError, ViewerError, ValueError) as err:  # before OSError: a missing file is both
        raise CliError(str(err)) from None
    except OSError as err:
        raise CliError(f"cannot listen on {options.bind}:{options.port}: {err.strerror or err}") from None


def with_viewer(mode: DefaultMode) -> DefaultMode:
    """``mode`` (the headless gRPC modes), with the viewer for everything that shows data."""

    def configure(parser: argparse.ArgumentParser) -> None:
        mode.configure(parser)
        _add_options(parser)

    def run(args: argparse.Namespace, streams: Streams) -> int:
        if _not_the_viewer(args) and not args.screenshot_to:
            return mode.run(args, streams)
        if not args.screenshot_to and _viewer_listening(args, _port(args)):
            return mode.run(args, streams)  # hands the files to the viewer already there
        return _run_viewer(args, streams)

    return DefaultMode(configure=configure, run=run)
