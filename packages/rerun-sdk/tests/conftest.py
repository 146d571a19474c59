"""Our own SDK tests run strict: misuse raises instead of warning."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import rerun as rr


@pytest.fixture(autouse=True)
def _strict() -> Iterator[None]:
    """Strict inside these tests only: other packages' tests in the same worker keep the default."""
    before = rr.strict_mode()
    rr.set_strict_mode(True)
    yield
    rr.set_strict_mode(before)
