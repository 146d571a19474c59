"""The README's main job runs end to end: its recording passes the reference verifier, and without a
display the viewer renders it to a PNG that shows the data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from _support import REPO, missing, run_reference

pytestmark = pytest.mark.timeout(180)


def _demo(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET")}
    return subprocess.run(
        [sys.executable, str(REPO / "tools" / "demo.py"), *map(str, args)],
        capture_output=True, text=True, timeout=150, check=False, env=env,
    )  # fmt: skip


def _require_gpu() -> None:
    from rerun_viewer import NoGpuAdapterError, get_gpu

    try:
        get_gpu()
    except NoGpuAdapterError as err:
        missing(f"a wgpu adapter (tools/dev.sh installs lavapipe; {err})")


def test_demo_logs_queries_and_shows_the_recording(tmp_path: Path) -> None:
    _require_gpu()
    from PIL import Image

    out = tmp_path / "demo.rrd"
    result = _demo("--out", out)
    assert result.returncode == 0, result.stderr
    assert "/world/spiral: Points3D:colors, Points3D:positions, Points3D:radii" in result.stdout
    assert "query step x /plots/**: 100 rows" in result.stdout
    assert "dataset demo, segments ['demo']; catalog query step >= 90: 10 rows" in result.stdout
    png = tmp_path / "demo.png"
    assert (
        f"wrote a screenshot of the viewer showing it to {png}, as there is no window here" in result.stdout
    )
    pixels = np.asarray(Image.open(png).convert("RGB")).astype(np.int16)
    assert pixels.shape == (720, 1280, 3)

    def share(color: tuple[int, int, int], tolerance: int = 24) -> float:
        return float((np.abs(pixels - color).max(axis=2) < tolerance).mean())

    assert share((255, 128, 0)) > 0.001  # the sine series' orange line
    assert share((80, 160, 255), 40) > 0.0002  # the spiral's blue points
    assert share((0, 150, 0), 40) > 0.005  # the image's green end (its red channel ramps up)


@pytest.mark.reference
def test_demo_recording_verifies(tmp_path: Path, reference_rerun: Path) -> None:
    out = tmp_path / "demo.rrd"
    result = _demo("--out", out, "--screenshot-to", tmp_path / "shot.png")
    assert result.returncode == 0, result.stderr
    assert run_reference(reference_rerun, "rrd", "verify", out).returncode == 0
