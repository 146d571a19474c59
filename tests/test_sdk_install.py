"""``pip install ./packages/rerun-sdk`` in a fresh venv brings no gRPC, no viewer, and ``import rerun`` works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from _support import REPO

ALLOWED = {"rerun-sdk", "rerun-core", "numpy", "pyarrow", "lz4", "xxhash", "protobuf", "pip", "setuptools"}


@pytest.mark.slow
def test_sdk_installs_alone(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         str(REPO / "packages" / "rerun-core"), str(REPO / "packages" / "rerun-sdk")],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-3000:]
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    installed = {line.split("==")[0].lower() for line in listed.split()}
    assert installed <= ALLOWED, installed - ALLOWED
    imported = subprocess.run(
        [str(python), "-c", "import rerun as rr, sys; rr.Points3D([[1, 2, 3]]); print('grpc' in sys.modules)"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "False"
