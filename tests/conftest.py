"""Shared test fixtures: where the reference fixtures and the reference Rerun 0.41 live."""

from __future__ import annotations

from pathlib import Path

import pytest

from _support import FIXTURES, REFERENCE_VENV, missing


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    if not FIXTURES.is_dir():
        missing(f"reference fixtures ({FIXTURES})")
    return FIXTURES


@pytest.fixture(scope="session")
def reference_rerun() -> Path:
    """The reference ``rerun`` CLI (rerun-sdk 0.41.0 in its own venv)."""
    exe = REFERENCE_VENV / "bin" / "rerun"
    if not exe.exists():
        missing(f"reference Rerun ({exe})")
    return exe


@pytest.fixture(scope="session")
def reference_python() -> Path:
    exe = REFERENCE_VENV / "bin" / "python"
    if not exe.exists():
        missing(f"reference Python ({exe})")
    return exe
