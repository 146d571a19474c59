"""The command registry: a command is a small declarative record, a group is a named list of them.

``main`` builds argparse parsers from these records, so a later issue adds ``rerun server`` or
``rerun connect`` by appending one record to :data:`rerun_cli.main.COMMANDS` — no parser surgery.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from rerun_cli._streams import Streams

__all__ = ["Command", "CommandGroup", "DefaultMode", "add_commands"]


@dataclass(frozen=True)
class Command:
    """One leaf command: how to declare its arguments and how to run it (returning an exit status)."""

    name: str
    summary: str
    description: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Streams], int]


@dataclass(frozen=True)
class CommandGroup:
    """A command whose only job is to hold subcommands, like ``rerun rrd``."""

    name: str
    summary: str
    description: str
    commands: tuple[Command | CommandGroup, ...]


@dataclass(frozen=True)
class DefaultMode:
    """What ``rerun`` does when no subcommand is named: ``rerun file.rrd``, ``rerun --port 9876``,
    ``rerun --save out.rrd``… (the viewer and proxy modes, which later issues provide)."""

    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Streams], int]


def add_commands(parser: argparse.ArgumentParser, commands: tuple[Command | CommandGroup, ...]) -> None:
    """Attach ``commands`` as subcommands of ``parser``; the chosen one lands in ``args.command``."""
    subparsers = parser.add_subparsers(title="commands", metavar="<COMMAND>")
    for command in commands:
        child = subparsers.add_parser(
            command.name,
            help=command.summary,
            description=command.description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if isinstance(command, CommandGroup):
            add_commands(child, command.commands)
            child.set_defaults(command=None, group_parser=child)
        else:
            command.configure(child)
            child.set_defaults(command=command)
