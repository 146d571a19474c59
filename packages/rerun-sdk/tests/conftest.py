"""Our own SDK tests run strict: misuse raises instead of warning."""

from __future__ import annotations

import pytest

import rerun as rr


@pytest.fixture(autouse=True)
def _strict() -> None:
    rr.set_strict_mode(True)
