"""The `rerun` entry point: version, help, the command registry, and the parts not built yet."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from _cli_support import FIXTURES, cli, cli_subprocess, sample, write

from rerun_cli._command import Command, CommandGroup
from rerun_cli.main import COMMANDS, version_string


def test_version_starts_like_the_reference() -> None:
    result = cli("--version")
    assert result.code == 0
    assert result.text.split()[:2] == ["rerun-cli", "0.41.0"]
    assert version_string().startswith("rerun-cli 0.41.0 ")


def test_help_lists_rrd_and_what_is_not_built() -> None:
    result = cli("--help")
    assert result.code == 0
    assert "rrd" in result.text and "Not built yet" in result.text


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["recording.rrd"],
        ["rerun+http://localhost:9876/proxy"],
        ["--port", "9000", "a.rrd"],
        ["--connect", "9000"],
    ],
)
def test_viewer_modes_without_a_display_say_so(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET"):
        monkeypatch.delenv(name, raising=False)
    result = cli(*argv, "--port", "auto") if "--port" not in argv else cli(*argv)
    assert result.code == 1
    assert "no display found" in result.stderr and "--headless" in result.stderr
    assert result.stdout == b""


def test_serving_the_web_viewer_is_not_built() -> None:
    result = cli("--serve-web")
    assert result.code == 1 and "`--serve-web`" in result.stderr and "not built yet" in result.stderr


def test_unknown_top_level_option_is_a_usage_error() -> None:
    result = cli("--bogus")
    assert result.code == 2 and "unrecognized arguments: --bogus" in result.stderr


def test_rrd_without_subcommand_prints_help_and_fails() -> None:
    result = cli("rrd")
    assert result.code == 2 and "compare" in result.stderr and "verify" in result.stderr


def test_unknown_rrd_subcommand_is_a_usage_error() -> None:
    result = cli("rrd", "frobnicate")
    assert result.code == 2 and "invalid choice" in result.stderr


def test_help_subcommand() -> None:
    result = cli("help", "rrd")
    assert result.code == 0 and "optimize" in result.text


def test_every_rrd_subcommand_is_registered_once_with_help() -> None:
    (group,) = [c for c in COMMANDS if isinstance(c, CommandGroup) and c.name == "rrd"]
    names = [c.name for c in group.commands]
    assert sorted(names) == sorted(set(names))
    assert set(names) == {
        "compare",
        "filter",
        "merge",
        "migrate",
        "optimize",
        "print",
        "route",
        "split",
        "stats",
        "verify",
    }
    for command in group.commands:
        assert isinstance(command, Command) and command.summary and command.description
        assert cli("rrd", command.name, "--help").code == 0


def test_python_dash_m_runs_the_cli(tmp_path: Path) -> None:
    path = write(tmp_path / "a.rrd", sample())
    result = cli_subprocess("rrd", "verify", path)
    assert result.returncode == 0, result.stderr
    assert b"1 file verified without error." in result.stderr


def test_installed_script_streams_stdin_to_stdout(tmp_path: Path) -> None:
    script = shutil.which("rerun", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the `rerun` script is not installed in this environment")
    import subprocess

    data = write(tmp_path / "a.rrd", sample()).read_bytes()
    filtered = subprocess.run(
        [script, "rrd", "filter", "--drop-entity", "/b"],
        input=data,
        capture_output=True,
        timeout=60,
        check=True,
    )
    printed = subprocess.run(
        [script, "rrd", "print", "-"], input=filtered.stdout, capture_output=True, timeout=60
    )
    assert printed.returncode == 0
    assert b" - /a - " in printed.stdout and b" - /b - " not in printed.stdout


def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    if not FIXTURES.is_dir():
        pytest.skip("reference fixtures missing")
    import subprocess

    command = f"{sys.executable} -m rerun_cli rrd print -vvv {FIXTURES / 'scalars_seq.rrd'} | head -n 1"
    result = subprocess.run(command, shell=True, capture_output=True, timeout=60, check=False)
    assert result.stdout.strip() == b"Showing data after migration to latest Rerun version"
    assert b"Traceback" not in result.stderr


def test_a_registered_default_mode_takes_over(monkeypatch: pytest.MonkeyPatch) -> None:
    import rerun_cli.main as cli_main
    from rerun_cli._command import DefaultMode

    def configure(parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("paths", nargs="*")
        parser.add_argument("--port", type=int)

    seen = []
    mode = DefaultMode(
        configure=configure, run=lambda args, streams: seen.append((args.paths, args.port)) or 0
    )
    monkeypatch.setattr(cli_main, "DEFAULT_MODE", mode)
    assert cli("file.rrd", "--port", "9000").code == 0
    assert seen == [(["file.rrd"], 9000)]
    assert cli("server", "--port", "-1").code == 2  # a subcommand of its own (bad port), not the viewer mode
