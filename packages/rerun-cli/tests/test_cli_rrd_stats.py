"""`rerun rrd stats`: the report's sections and numbers."""

from __future__ import annotations

from pathlib import Path

from _cli_support import cli, recording, sample, scalars, write

from rerun_cli.rrd._stats_model import percentile
from rerun_core.rrd import encode_rrd


def test_report_sections_and_counts(tmp_path: Path) -> None:
    result = cli("rrd", "stats", write(tmp_path / "a.rrd", sample()))
    assert result.code == 0, result.stderr
    text = result.text
    for line in [
        "Overview\n----------\nnum_chunks = 4",
        "num_entity_paths = 4",
        "num_rows = 8",
        "num_static = 2",
        "Num chunks per entity\n---------------------\n/a: 1\n/b: 1\n/readme: 1\n/viewport: 1",
        "Num chunks per index\n--------------------\nlog_time: 2\nstep: 2",
        "Size (schema + data, compressed)",
        "(none — every timeline on every chunk is sorted)",
        "num_chunk_indexes = 2 (one per recording)",
        'Chunk index for StoreId(Recording, "app", "rec")',
        "  - theoretical lower bound: 2 chunks",
        "  - effective:               2 chunks (1.0×)",
    ]:
        assert line in text, line


def test_no_decode_reports_sizes_only() -> None:
    text = cli("rrd", "stats", "--no-decode", stdin=encode_rrd(sample())).text
    assert text.startswith("Overview\n----------\nnum_chunks = 4\n\nSize (schema + data, compressed)")
    assert "Num chunks per entity" not in text and "Unsorted timelines" not in text


def test_unsorted_timelines_are_listed(tmp_path: Path) -> None:
    text = cli(
        "rrd", "stats", write(tmp_path / "a.rrd", recording(scalars("/a", [3, 1, 2], [1.0, 2.0, 3.0])))
    ).text
    assert "1 entity(ies) had at least one chunk with an unsorted timeline." in text
    assert "  /a\n    log_time: UNSORTED\n    step: UNSORTED" in text


def test_counts_use_thin_space_separators(tmp_path: Path) -> None:
    path = write(tmp_path / "a.rrd", recording(scalars("/a", list(range(1500)), [0.0] * 1500)))
    assert "num_rows = 1\u2009500" in cli("rrd", "stats", path).text


def test_without_footers(tmp_path: Path) -> None:
    text = cli("rrd", "stats", write(tmp_path / "a.rrd", sample(), footer=False)).text
    assert "(none — no chunk index was found)" in text and "(not available —" in text


def test_percentiles() -> None:
    assert percentile([3, 1, 2], 0.5) == 2
    assert percentile(list(range(14)), 0.5) == 7
    assert percentile([5], 0.999) == 5 and percentile([], 0.5) == 0
