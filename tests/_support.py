"""Helpers shared by the cross-package tests: paths and running the reference Rerun 0.41."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = SHARED / "fixtures" / "reference-0.41"
REFERENCE_VENV = REPO / ".venv-ref"


def missing(what: str) -> None:
    """Skip locally, but fail in CI, where everything must be set up by the test command."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI; tools/dev.sh test should have set it up")
    pytest.skip(f"{what} is missing")


def run_reference(exe: Path, *args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run a reference tool, bounded in time, capturing its output."""
    env = dict(os.environ, RERUN_ANALYTICS="0")
    return subprocess.run(
        [str(exe), *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
