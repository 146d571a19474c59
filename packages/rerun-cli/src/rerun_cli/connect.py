"""``rerun connect URL``: what a catalog server (``rerun server``, redap) holds, as tables on stdout.

The reference opens such a URL in its viewer (``rerun rerun+http://host:port``). Our viewer cannot
browse a catalog yet, so this command shows the listing a viewer would start from: every dataset
(segments, size, timelines) and every table (columns). Hidden entries (blueprint and asset datasets,
``__entries``) are listed with ``--all``.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table

from rerun_cli._command import Command
from rerun_cli._streams import Streams
from rerun_cli.errors import CliError, UsageError
from rerun_cli.rrd._fmt import format_bytes
from rerun_cli.rrd._render import render_text

__all__ = ["COMMAND"]

_PROXY_SUFFIX = "/proxy"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", metavar="URL", help="the server, e.g. rerun+http://127.0.0.1:51234")
    parser.add_argument(
        "--all", action="store_true", help="also list hidden entries (blueprint/asset datasets, tables)"
    )


def run(args: argparse.Namespace, streams: Streams) -> int:
    url: str = args.url
    if url.rstrip("/").endswith(_PROXY_SUFFIX):
        raise UsageError(
            f"{url} is a message proxy (live SDK streams), not a catalog server; "
            f"record it with `rerun --connect {url} --save out.rrd`"
        )
    client = _connect(url)
    datasets = client.datasets(include_hidden=args.all)
    tables = client.tables(include_hidden=args.all)
    streams.print(f"Connected to {client.url}")
    streams.print(render_text(Group(_datasets_table(datasets), _tables_table(tables))))
    return 0


def _connect(url: str) -> Any:
    try:
        catalog = importlib.import_module("rerun_catalog")  # a sibling package: optional at runtime
    except ImportError:
        raise CliError(
            "`rerun connect` needs the rerun-catalog package (pip install rerun-catalog)"
        ) from None
    try:
        return catalog.CatalogClient(url)
    except ValueError as err:
        raise UsageError(f"invalid server URL {url!r}: {err}") from None
    except catalog.CatalogError as err:
        message = str(err)
        raise CliError(message if url in message else f"catalog server {url}: {message}") from None


def _datasets_table(datasets: list[Any]) -> RenderableType:
    table = Table(title=f"Datasets ({len(datasets)})", box=box.ROUNDED, title_justify="left")
    for header, justify in (
        ("name", "left"),
        ("segments", "right"),
        ("size", "right"),
        ("timelines", "left"),
    ):
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for dataset in sorted(datasets, key=lambda d: d.name):
        info = dataset.info()
        timelines = ", ".join(sorted(t.name for t in info.timelines)) or "-"
        table.add_row(dataset.name, str(info.num_segments), format_bytes(info.size_bytes), timelines)
    return table


def _tables_table(tables: list[Any]) -> RenderableType:
    table = Table(title=f"Tables ({len(tables)})", box=box.ROUNDED, title_justify="left")
    table.add_column("name")
    table.add_column("columns")
    for entry in sorted(tables, key=lambda t: t.name):
        table.add_row(entry.name, ", ".join(entry.arrow_schema().names) or "-")
    return table


COMMAND = Command(
    name="connect",
    summary="List what a Rerun catalog server holds (datasets and tables)",
    description=(
        "Connect to a catalog server (`rerun server`, rerun+http://host:port) and print its datasets\n"
        "(segments, size, timelines) and tables. The reference opens the URL in its viewer; ours cannot\n"
        "browse a catalog yet, so the listing is printed instead."
    ),
    configure=configure,
    run=run,
)
