"""``rerun`` without a subcommand, headless: the gRPC proxy, recording (``--save``) and ``--connect``.

Modes (the reference's top-level options; everything listens on ``--bind``:``--port``, 0.0.0.0:9876):

- ``rerun --serve-grpc [FILES]``: a standalone message proxy (files are loaded into it first);
- ``rerun --save out.rrd [FILES]``: receive what SDKs send to the port and write it to an RRD as it
  arrives (no footer, as 0.41); ``--connect [URL|PORT] --save out.rrd`` reads another proxy instead;
- ``rerun [FILES]`` when something already listens on the port: hand the files to it and exit
  ("one endpoint per port"), or only say so when there are none.

Everything else is the viewer's (:mod:`rerun_cli.viewer_mode` wraps this mode). grpcio loads only in ``run``.
"""

from __future__ import annotations

import argparse

from rerun_cli._command import DefaultMode
from rerun_cli._streams import Streams

__all__ = ["MODE", "configure", "run"]

# Options the reference accepts that only mean something to the viewer window; accepted, then
# either ignored (when a headless mode runs) or reported as not built.
# (`--screenshot-to`, `--window-size`, `--memory-limit`, `--headless`, `--new`: see rerun_cli.viewer_mode.)
_VIEWER_FLAGS = ("--expect-data-soon", "--hide-welcome-screen", "--detach-process", "--persist-state",
                 "--profile", "--test-receive", "--serve-web", "--web-viewer")  # fmt: skip
_VIEWER_VALUES = ("--renderer", "--video-decoder", "--web-viewer-port", "--asset")
GUI_ONLY = ("serve_web", "web_viewer", "screenshot_to", "test_receive")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url_or_paths", nargs="*", metavar="URL_OR_PATHS", help=".rrd files to load")
    parser.add_argument("--bind", default="0.0.0.0", help="What address to bind to (default 0.0.0.0)")
    parser.add_argument(
        "--port", default="9876", help="The port to listen on for SDKs (default 9876; 'auto')"
    )
    parser.add_argument("--save", metavar="PATH", help="Save everything received to this .rrd, without a GUI")
    parser.add_argument("--serve-grpc", action="store_true", help="Host a gRPC proxy, without a GUI")
    parser.add_argument(
        "--connect", nargs="?", const="", metavar="URL", help="Read from the proxy at this URL or port"
    )
    parser.add_argument("--server-memory-limit", default="1GiB", help="History kept for late readers")
    parser.add_argument("--newest-first", action="store_true", help="Send late readers the newest data first")
    parser.add_argument("--cors-allow-origin", action="append", default=[], help="(accepted; no gRPC-web)")
    parser.add_argument("-j", "--threads", help=argparse.SUPPRESS)
    for flag in _VIEWER_FLAGS:
        parser.add_argument(flag, action="store_true", help=argparse.SUPPRESS)
    for option in _VIEWER_VALUES:
        parser.add_argument(option, help=argparse.SUPPRESS)


def run(args: argparse.Namespace, streams: Streams) -> int:
    from rerun_cli.live._run import run_live

    return run_live(args, streams)


MODE = DefaultMode(configure=configure, run=run)
