"""`rerun FILES --screenshot-to out.png --window-size WxH`: the headless viewer through the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from _viewer_support import fixture, require_gpu

pytestmark = pytest.mark.timeout(180)


def _rerun(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rerun_cli", *args], capture_output=True, text=True, timeout=150, check=False
    )


def test_screenshot_writes_a_png_of_the_window_size(tmp_path: Path) -> None:
    require_gpu()
    from PIL import Image

    out = tmp_path / "shots" / "text_log.png"
    result = _rerun(str(fixture("text_log.rrd")), "--screenshot-to", str(out), "--window-size", "800x450")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    with Image.open(out) as image:
        assert image.size == (800, 450)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["missing.rrd"], 1, "no such file"),
        (["{fixture}", "--window-size", "big"], 2, "--window-size"),
        (["{fixture}", "--memory-limit", "lots"], 2, "--memory-limit"),
    ],
)
def test_screenshot_errors_are_clear(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    argv = [a.replace("{fixture}", str(fixture("points3d.rrd"))) for a in args]
    result = _rerun(*argv, "--screenshot-to", str(tmp_path / "out.png"))
    assert result.returncode == code and message in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out.png").exists()
