"""``rerun server --bandwidth-limit`` / ``--latency-ms``: the values 0.41 accepts, and clear refusals."""

from __future__ import annotations

import pytest
from _cli_support import cli

from rerun_cli.server import parse_bandwidth


@pytest.mark.parametrize(
    ("text", "bytes_per_s"),
    [
        ("10MB", 10e6),
        ("10 MB", 10e6),
        ("10MiB", 10 * 1024**2),
        ("0.5MiB", 0.5 * 1024**2),
        ("500kB", 500e3),
        ("10KiB", 10 * 1024),
        ("1.5GB", 1.5e9),
        ("10TB", 10e12),
        ("10B", 10.0),
        ("0", None),  # 0.41 accepts a bare 0: no limit
    ],
)
def test_bandwidths_accepted_by_the_reference(text: str, bytes_per_s: float | None) -> None:
    assert parse_bandwidth(text) == bytes_per_s


@pytest.mark.parametrize("text", ["10mb", "1000", "10M", "10KB", "abc", ""])
def test_bandwidths_refused_by_the_reference(text: str) -> None:
    result = cli("server", "--bandwidth-limit", text)
    assert result.code == 2
    assert f"expected a bandwidth like '10MB' or '1GiB', got {text!r}" in result.stderr


@pytest.mark.parametrize("text", ["2.5", "fast"])
def test_latency_must_be_whole_milliseconds(text: str) -> None:
    result = cli("server", "--latency-ms", text)
    assert result.code == 2
    assert f"expected a whole number of milliseconds, got {text!r}" in result.stderr
