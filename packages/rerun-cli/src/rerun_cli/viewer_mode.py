"""``rerun [FILES] --screenshot-to out.png --window-size WxH``: the viewer, headless, one frame.

It wraps whatever default mode the CLI has (the gRPC modes of :mod:`rerun_cli.live`) and takes over
only when ``--screenshot-to`` is given; the viewer package loads only then (it imports pygfx).
"""

from __future__ import annotations

import argparse
import contextlib

from rerun_cli._command import DefaultMode
from rerun_cli._streams import Streams
from rerun_cli.errors import CliError, NotBuiltError, UsageError

__all__ = ["with_screenshots"]

_URL_PREFIXES = ("rerun://", "rerun+http://", "rerun+https://", "http://", "https://")


def _add_options(parser: argparse.ArgumentParser) -> None:
    for flag, text in (("--screenshot-to", "Render one frame of the viewer to this PNG and exit"),
                       ("--window-size", "Size of the (headless) viewer window, e.g. 1280x720")):  # fmt: skip
        with contextlib.suppress(argparse.ArgumentError):  # the wrapped mode may declare it already
            parser.add_argument(flag, metavar=flag.strip("-").upper().replace("-", "_"), help=text)


def _screenshot(args: argparse.Namespace, streams: Streams) -> int:
    from rerun_viewer import NoGpuAdapterError, ViewerError, parse_window_size, screenshot

    paths = list(getattr(args, "url_or_paths", None) or [])
    if not paths:
        raise UsageError("--screenshot-to needs at least one .rrd file to show")
    urls = [p for p in paths if p.startswith(_URL_PREFIXES)]
    if urls:
        raise NotBuiltError(f"screenshots of URLs ({urls[0]})")
    try:
        size = parse_window_size(args.window_size or "1280x720")
    except ValueError as err:
        raise UsageError(f"--window-size: {err}") from None
    try:
        out = screenshot(paths, args.screenshot_to, window_size=size)
    except (NoGpuAdapterError, ViewerError, ValueError) as err:
        raise CliError(str(err)) from None
    streams.error(f"Saved a {size[0]}x{size[1]} screenshot to {out}")
    return 0


def with_screenshots(mode: DefaultMode | None) -> DefaultMode:
    """``mode``, with ``--screenshot-to`` handled by the viewer."""

    def configure(parser: argparse.ArgumentParser) -> None:
        if mode is not None:
            mode.configure(parser)
        else:
            parser.add_argument("url_or_paths", nargs="*", metavar="URL_OR_PATHS", help=".rrd files to load")
        _add_options(parser)

    def run(args: argparse.Namespace, streams: Streams) -> int:
        if getattr(args, "screenshot_to", None):
            return _screenshot(args, streams)
        if mode is None:
            raise NotBuiltError("the viewer window (only `--screenshot-to` works headless)")
        return mode.run(args, streams)

    return DefaultMode(configure=configure, run=run)
