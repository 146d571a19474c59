"""Argument conventions shared by the ``rerun rrd`` subcommands, matching the reference's flags.

The reference has two kinds of boolean flags: plain switches (``--unordered``) and switches that
take an optional ``true``/``false`` (``--footers``, ``--footers=false``). As with the reference, a
path written right after the second kind is taken as its value and rejected, so put paths first.
"""

from __future__ import annotations

import argparse

__all__ = ["add_continue_on_error", "add_inputs", "add_optional_bool", "add_output", "parse_bool"]


def parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered not in ("true", "false"):
        raise argparse.ArgumentTypeError(f"invalid value {text!r} [possible values: true, false]")
    return lowered == "true"


def add_optional_bool(
    parser: argparse.ArgumentParser, flag: str, *, default: bool, help: str, dest: str | None = None
) -> None:
    """``--flag`` alone means true; ``--flag=false`` or ``--flag false`` sets it explicitly."""
    parser.add_argument(
        flag, nargs="?", const=True, default=default, type=parse_bool, metavar="true|false",
        dest=dest, help=f"{help} (default: {str(default).lower()})",
    )  # fmt: skip


def add_inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", metavar="PATH_TO_INPUT_RRDS",
        help="recordings to read ('-' is standard input); standard input when none are given",
    )  # fmt: skip


def add_continue_on_error(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--continue-on-error", action="store_true",
        help="keep going past unreadable files and undecodable messages (they are still reported)",
    )  # fmt: skip


def add_output(parser: argparse.ArgumentParser, metavar: str = "dst.(rrd|rbl)") -> None:
    parser.add_argument(
        "-o", "--output", metavar=metavar, help="where to write the result; standard output when omitted"
    )
