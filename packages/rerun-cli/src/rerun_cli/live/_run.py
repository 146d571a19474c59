"""Running the headless modes of :mod:`rerun_cli.live` (imports grpcio; loaded only when one runs)."""

from __future__ import annotations

import argparse
import threading
from collections.abc import Iterator
from pathlib import Path

from rerun_cli._signals import stop_on_signals
from rerun_cli._streams import Streams
from rerun_cli.errors import CliError, NotBuiltError, UsageError
from rerun_cli.live import GUI_ONLY
from rerun_cli.live._save import RrdSaver
from rerun_core.errors import InvalidEndpointError, RrdError, WireError
from rerun_core.grpc.url import ProxyUrl, parse_connect_target
from rerun_core.grpc.wire import ProxyMessage, message_from_frame
from rerun_core.rrd import MessageKind, RrdDecoder

__all__ = ["run_live"]


def run_live(args: argparse.Namespace, streams: Streams, stop: threading.Event | None = None) -> int:
    """Run the mode ``args`` asks for until it is done or ``stop`` is set (SIGINT/SIGTERM set it)."""
    stop = stop or threading.Event()
    for name in GUI_ONLY:
        if getattr(args, name, None):
            raise NotBuiltError(f"the viewer option `--{name.replace('_', '-')}`")
    files, urls = _split_inputs(args.url_or_paths)
    if args.connect is not None or urls:
        if not args.save:
            raise NotBuiltError("viewing a gRPC proxy in the viewer (`--connect` without `--save`)")
        return _save_from_proxy(_connect_target(args.connect, urls), Path(args.save), streams, stop)
    if args.serve_grpc or args.save:
        return _host(args, files, streams, stop)
    return _hand_over(args, files, streams)


def _host(args: argparse.Namespace, files: list[Path], streams: Streams, stop: threading.Event) -> int:
    """``--serve-grpc`` and/or ``--save``: a proxy on the port, recording what arrives."""
    from rerun_core.grpc.server import MessageProxyServer
    from rerun_core.memory_limit import parse_memory_limit

    try:
        memory_limit = parse_memory_limit(args.server_memory_limit)
    except ValueError as err:
        raise UsageError(f"--server-memory-limit: {err}") from None
    try:
        server = MessageProxyServer(
            bind=args.bind, port=_port(args.port), memory_limit=memory_limit, newest_first=args.newest_first
        )
    except OSError:
        streams.error("[WARN] Address already in use (os error 98)")
        return 1 if args.serve_grpc else 0  # as 0.41: `--save` on a busy port is only a warning
    saver = RrdSaver(Path(args.save), server.subscribe()) if args.save else None
    server.start()
    streams.error(f"Listening for gRPC connections on {args.bind}:{server.port}. "
                  f"Connect by running `rerun --connect {server.url}`")  # fmt: skip
    if saver is not None:
        streams.error(f'Saving incoming log stream to "{args.save}". Abort with Ctrl-C.')
    try:
        for message in _file_messages(files, streams):
            server.publish(message)
        _wait(stop)
    finally:
        server.stop(grace_secs=1.0)
        if saver is not None:
            saver.join()
    return 0


def _save_from_proxy(url: ProxyUrl, path: Path, streams: Streams, stop: threading.Event) -> int:
    """``--connect URL --save PATH``: everything the proxy has and receives, until it ends or we stop."""
    from rerun_core.grpc.client import read_messages

    reader = read_messages(url)
    saver = RrdSaver(path, iter(reader))
    streams.error(f'Saving the stream of {url} to "{path}". Abort with Ctrl-C.')
    try:
        _wait(stop, until=saver.done)  # the proxy may end the stream itself
    finally:
        reader.cancel()
        saver.join()
    if saver.error:
        raise CliError(f"reading {url} failed: {saver.error}")
    return 0


def _hand_over(args: argparse.Namespace, files: list[Path], streams: Streams) -> int:
    """The viewer mode: only possible here when another endpoint already listens on the port."""
    from rerun_core.grpc.url import is_listening

    port = _port(args.port)
    host = "127.0.0.1" if args.bind in ("0.0.0.0", "::", "[::]") else args.bind
    if not port or not is_listening(host, port):
        what = (
            f"opening {str(files[0])!r} in the viewer" if files else "`rerun` without a command (the viewer)"
        )
        raise NotBuiltError(what)
    streams.error("A process is already listening at this address. Assuming it's a Rerun Viewer.")
    streams.error(
        "Another viewer is already running, streaming data to it. Use --port auto to force a new viewer."
    )
    if files:
        _send_files(ProxyUrl(host, port), files, streams)
    return 0


def _send_files(url: ProxyUrl, files: list[Path], streams: Streams) -> None:
    from rerun_core.grpc.client import GrpcWriter

    writer = GrpcWriter(url)
    try:
        for message in _file_messages(files, streams):
            writer.send(message)
    finally:
        problem = writer.flush(stall_timeout_secs=10.0)
        writer.close()
    if problem:
        raise CliError(problem)


def _file_messages(files: list[Path], streams: Streams) -> Iterator[ProxyMessage]:
    """The log messages of .rrd files, relayed as they are stored (nothing is decoded)."""
    for path in files:
        streams.error(f'Loading "{path}"…')
        try:
            with path.open("rb") as source:
                for frame in RrdDecoder(source).frames():
                    if frame.kind != MessageKind.END:
                        yield message_from_frame(frame.kind, frame.body)
        except (OSError, RrdError, WireError) as err:
            raise CliError(f"cannot load {path}: {err}") from None


def _split_inputs(inputs: list[str]) -> tuple[list[Path], list[str]]:
    urls = [item for item in inputs if "://" in item]
    return [Path(item) for item in inputs if "://" not in item], urls


def _connect_target(connect: str | None, urls: list[str]) -> ProxyUrl:
    targets = ([connect] if connect is not None else []) + urls
    if len(targets) != 1:
        raise UsageError(f"`--save` reads from one source at a time, got {targets}")
    try:
        return parse_connect_target(targets[0])
    except InvalidEndpointError as err:
        raise UsageError(str(err)) from None


def _port(text: str) -> int:
    if text == "auto":
        return 0
    if not text.isdigit() or int(text) > 65535:
        raise UsageError(f"--port: expected a port number or 'auto', got {text!r}")
    return int(text)


def _wait(stop: threading.Event, until: threading.Event | None = None) -> None:
    """Block until ``stop`` (set by SIGINT/SIGTERM too, on the main thread) or ``until`` is set."""
    with stop_on_signals(stop):
        while not stop.wait(0.2):
            if until is not None and until.is_set():
                return
