"""The ``rerun`` entry point: dispatches to the registered commands, and says plainly what is not built.

The reference ``rerun`` without a subcommand opens the viewer (``rerun file.rrd``), hosts servers
(``--serve-web``) or records (``--save``). Those modes arrive with later issues, which register a
:data:`DEFAULT_MODE` (and append subcommands such as ``server`` to :data:`COMMANDS`); until then
every such use ends with a :class:`~rerun_cli.errors.NotBuiltError` instead of pretending.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import sys
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from rerun_cli import __version__, connect, live, rrd, server, viewer_mode
from rerun_cli._command import Command, CommandGroup, DefaultMode, add_commands
from rerun_cli._streams import Streams
from rerun_cli.errors import CliError, NotBuiltError

__all__ = ["COMMANDS", "DEFAULT_MODE", "build_parser", "main", "version_string"]

COMMANDS: tuple[Command | CommandGroup, ...] = (rrd.GROUP, server.COMMAND, connect.COMMAND)

# `rerun` without a subcommand: the viewer (window, `--headless`, `--screenshot-to`) with its gRPC
# endpoint, around the headless gRPC modes (`--serve-grpc`, `--save`, `--connect URL --save`).
DEFAULT_MODE: DefaultMode | None = viewer_mode.with_viewer(live.MODE)

# Subcommands of the reference CLI that have no counterpart here yet, and what they are for.
_NOT_BUILT_COMMANDS = {
    "analytics": "`rerun analytics` (analytics settings)",
    "auth": "`rerun auth` (authentication with a Rerun server)",
    "download": "`rerun download` (saving remote recordings as .rrd)",
    "dump-puffin": "`rerun dump-puffin` (profiler dumps)",
    "man": "`rerun man` (the markdown manual)",
    "mcap": "`rerun mcap` (.mcap conversion)",
    "viewer-mcp": "`rerun viewer-mcp` (the viewer's MCP server)",
    "reset": "`rerun reset` (resetting the viewer's memory)",
}

# Top-level options of the reference that belong to the viewer/server modes.
_VIEWER_OPTIONS = (
    "--asset", "--bind", "--memory-limit", "--server-memory-limit", "--newest-first", "--cors-allow-origin",
    "--persist-state", "--port", "--new", "--profile", "--save", "--screenshot-to", "--serve-web",
    "--serve-grpc", "--connect", "--expect-data-soon", "--threads", "-j", "--web-viewer",
    "--web-viewer-port", "--hide-welcome-screen", "--detach-process", "--headless", "--window-size",
    "--renderer", "--video-decoder", "--test-receive",
)  # fmt: skip

_EPILOG = """\
Without a command: the viewer (`rerun [FILES|URLS]`, in a window; `--headless`; `--screenshot-to
out.png`), listening for SDKs on --port (9876). Headless gRPC modes: `rerun --serve-grpc` (a proxy),
`rerun --port P --save out.rrd` (record what SDKs send), `rerun --connect URL --save out.rrd`.
Not built yet: `--serve-web` and the other reference subcommands.
"""


def version_string() -> str:
    """Like the reference's ``rerun --version``: first token ``rerun-cli``, then the version."""
    import pyarrow

    python = platform.python_version()
    return (
        f"rerun-cli {__version__} (pure Python {python}, pyarrow {pyarrow.__version__}) "
        f"{platform.machine()}-{sys.platform}"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rerun",
        description="The Rerun command-line interface: inspect, edit and filter Rerun recordings.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="store_true", help="print version and quit")
    add_commands(parser, COMMANDS)
    parser.set_defaults(command=None, group_parser=parser)
    return parser


def main(argv: Sequence[str] | None = None, *, streams: Streams | None = None) -> int:
    """Run ``rerun`` with ``argv`` (default: the process arguments); returns the exit status."""
    streams = streams or Streams.from_sys()
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(args, streams)
    except CliError as err:
        streams.error(f"Error: {err}")
        return err.exit_code
    except BrokenPipeError:
        return _closed_pipe(streams)
    except KeyboardInterrupt:
        streams.error("Interrupted")
        return 130


def _run(argv: list[str], streams: Streams) -> int:
    names = {command.name for command in COMMANDS}
    if argv and argv[0] == "help":
        argv = [*argv[1:], "--help"]
    if not argv or (argv[0] not in names and argv[0] not in ("-h", "--help", "--version")):
        return _run_default_mode(argv, streams)
    parsed = _parse(build_parser(), argv, streams)
    if isinstance(parsed, int):
        return parsed
    if parsed.version:
        streams.print(version_string())
        return 0
    if parsed.command is None:  # a group without its subcommand, like a bare `rerun rrd`
        with _argparse_output(streams):
            parsed.group_parser.print_help(sys.stderr)
        return 2
    return parsed.command.run(parsed, streams)


def _run_default_mode(argv: list[str], streams: Streams) -> int:
    if DEFAULT_MODE is None or (argv[:1] and argv[0] in _NOT_BUILT_COMMANDS):
        raise NotBuiltError(_describe_default_mode(argv))
    parser = argparse.ArgumentParser(prog="rerun", description="Open the Rerun viewer or serve recordings.")
    DEFAULT_MODE.configure(parser)
    parsed = _parse(parser, argv, streams)
    return parsed if isinstance(parsed, int) else DEFAULT_MODE.run(parsed, streams)


def _parse(parser: argparse.ArgumentParser, argv: list[str], streams: Streams) -> argparse.Namespace | int:
    """Parse with argparse's messages routed to ``streams``; an int is argparse's own exit status."""
    with _argparse_output(streams):
        try:
            return parser.parse_args(argv)
        except SystemExit as exit_:
            return exit_.code if isinstance(exit_.code, int) else 2


def _describe_default_mode(argv: list[str]) -> str:
    if not argv:
        return "`rerun` without a command (starting the viewer and its SDK server)"
    if argv[0] in _NOT_BUILT_COMMANDS:
        return _NOT_BUILT_COMMANDS[argv[0]]
    option = next((arg.split("=")[0] for arg in argv if arg.split("=")[0] in _VIEWER_OPTIONS), None)
    if option:
        return f"the viewer/server option `{option}`"
    if argv[0].startswith("-"):
        return f"the top-level option `{argv[0]}` (see `rerun --help`)"
    return f"opening {argv[0]!r} in the viewer (`rerun <URL_OR_PATHS>`; try `rerun rrd print {argv[0]}`)"


class _TextToBinary(io.TextIOBase):
    """A text stream over the binary stdout, so argparse can print help into :class:`Streams`."""

    def __init__(self, sink: BinaryIO) -> None:
        self._sink = sink

    def write(self, text: str) -> int:
        self._sink.write(text.encode())
        return len(text)


@contextlib.contextmanager
def _argparse_output(streams: Streams) -> Iterator[None]:
    with (
        contextlib.redirect_stdout(_TextToBinary(streams.stdout)),
        contextlib.redirect_stderr(streams.stderr),
    ):
        yield


def _closed_pipe(streams: Streams) -> int:
    """The reader went away (``| head``): stop quietly, and keep Python from complaining at exit."""
    if streams.stdout is getattr(sys.stdout, "buffer", None):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 1
