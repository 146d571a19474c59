"""Progress bars appear only on a terminal, and never change what goes to standard output."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from _cli_support import sample, write

from rerun_cli._streams import Streams
from rerun_cli.main import main
from rerun_cli.rrd import _progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(args: list[str], stderr: io.StringIO) -> tuple[int, bytes]:
    streams = Streams(io.BytesIO(), io.BytesIO(), stderr)
    code = main(args, streams=streams)
    return code, streams.stdout.getvalue()  # type: ignore[attr-defined]


def test_progress_only_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_progress, "LARGE_INPUT_BYTES", 0)
    path = str(write(tmp_path / "a.rrd", sample()))
    plain_code, plain_out = run(["rrd", "merge", path], io.StringIO())
    terminal = _Terminal()
    tty_code, tty_out = run(["rrd", "merge", path], terminal)
    assert plain_code == tty_code == 0
    assert len(tty_out) == len(plain_out)  # same recording either way (ids and bytes aside)
    assert terminal.getvalue()  # the bar was drawn (and cleared) on the terminal


def test_small_inputs_get_no_bar(tmp_path: Path) -> None:
    terminal = _Terminal()
    assert run(["rrd", "verify", str(write(tmp_path / "a.rrd", sample()))], terminal)[0] == 0
    assert terminal.getvalue() == "1 file verified without error.\n"
