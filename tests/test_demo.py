"""The README's main job runs end to end and its recording passes the reference verifier."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from _support import REPO, run_reference


def test_demo_runs(tmp_path: Path) -> None:
    out = tmp_path / "demo.rrd"
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "demo.py"), "--out", str(out)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "/world/spiral: Points3D:colors, Points3D:positions, Points3D:radii" in result.stdout
    assert "query step x /plots/**: 100 rows" in result.stdout
    assert out.stat().st_size > 0


@pytest.mark.reference
def test_demo_recording_verifies(tmp_path: Path, reference_rerun: Path) -> None:
    out = tmp_path / "demo.rrd"
    subprocess.run([sys.executable, str(REPO / "tools" / "demo.py"), "--out", str(out)], check=True, timeout=120,
                   capture_output=True)  # fmt: skip
    assert run_reference(reference_rerun, "rrd", "verify", out).returncode == 0
