"""``rerun connect URL`` against our catalog server on loopback: the listing, and clear failures."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from _cli_support import STORE, cli, cli_subprocess, recording, scalars, static_text, write

from rerun_catalog import CatalogClient
from rerun_cli.rrd._fmt import format_bytes
from rerun_core import StoreId
from rerun_server import Server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("connect")
    robots = root / "robots"
    robots.mkdir()
    for name in ("rec_a", "rec_b"):
        store = StoreId(STORE.kind, "app", name)
        write(robots / f"{name}.rrd", recording(scalars("/x", [0, 1, 2], [1.0, 2.0, 3.0]), store=store))
    write(
        robots / "rec_c.rrd",
        recording(static_text("/readme", ["hi"]), store=StoreId(STORE.kind, "app", "rec_c")),
    )
    scores = root / "scores.parquet"
    pq.write_table(pa.table({"name": ["a", "b"], "score": [0.5, 0.25]}), scores)
    with Server(host="127.0.0.1", datasets={"robots": robots}, tables={"scores": scores}) as running:
        yield running


def _row(text: str, name: str) -> list[str]:
    """The cells of the table row that starts with ``name``."""
    line = next(line for line in text.splitlines() if line.startswith(f"│ {name} "))
    return [cell.strip() for cell in line.strip("│").split("│")]


def test_lists_datasets_and_tables(server: Server) -> None:
    result = cli("connect", server.url())
    assert result.code == 0, result.stderr
    size = CatalogClient(server.url()).get_dataset("robots").info().size_bytes
    assert result.text.startswith(f"Connected to {server.url()}\n")
    assert "Datasets (1)" in result.text and "Tables (1)" in result.text
    assert _row(result.text, "robots") == ["robots", "3", format_bytes(size), "log_time, step"]
    assert _row(result.text, "scores") == ["scores", "name, score"]
    assert "__entries" not in result.text


def test_all_lists_hidden_entries(server: Server) -> None:
    result = cli("connect", server.url(), "--all")
    assert result.code == 0, result.stderr
    assert _row(result.text, "__entries")[0] == "__entries"
    hidden = [line for line in result.text.splitlines() if line.startswith(("│ __bp_", "│ __as_"))]
    assert hidden and all(line.split("│")[2].strip() == "0" for line in hidden)  # no segments


def test_runs_as_a_process(server: Server) -> None:
    done = cli_subprocess("connect", server.url(), timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert _row(done.stdout.decode(), "robots")[1] == "3"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_server_names_the_url() -> None:
    url = f"rerun+http://127.0.0.1:{_closed_port()}"
    started = time.monotonic()
    result = cli("connect", url)
    assert time.monotonic() - started < 15
    assert result.code == 1
    assert result.stderr.startswith("Error: ") and url in result.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://127.0.0.1:1", "invalid server URL 'ftp://127.0.0.1:1'"),
        ("rerun+http://127.0.0.1:9876/proxy", "is a message proxy"),
    ],
)
def test_bad_urls_are_usage_errors(url: str, message: str) -> None:
    result = cli("connect", url)
    assert result.code == 2
    assert message in result.stderr


def test_help_names_the_command() -> None:
    result = cli("--help")
    assert "connect" in result.text


def test_url_argument_is_required() -> None:
    assert cli("connect").code == 2
