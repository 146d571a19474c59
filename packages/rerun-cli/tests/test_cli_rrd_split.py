"""`rerun rrd split`: ranges, file names, the state each part starts from."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from _cli_support import (
    LOG_TIME,
    SCALAR,
    STEP,
    chunks_of,
    cli,
    messages_of,
    recording,
    row_ids,
    scalars,
    static_text,
    write,
)

from rerun_cli.errors import UsageError
from rerun_cli.rrd._split_times import cutoff_name, parse_time
from rerun_core import Chunk, SetStoreInfo, TimeType


def sample_path(tmp_path: Path) -> Path:
    chunks = [
        scalars("/a", list(range(10)), [float(i) for i in range(10)]),
        scalars("/sparse", [0, 7], [0.0, 7.0]),
        static_text("/t", ["old"]),
        static_text("/t", ["new"]),
        Chunk.build("/no_step", timelines={LOG_TIME: pa.array([5], pa.timestamp("ns"))},
                    components={SCALAR: pa.array([[1.0]])}, row_ids=row_ids(1)),
    ]  # fmt: skip
    return write(tmp_path / "rec.rrd", recording(*chunks))


def test_parts_by_time(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("rrd", "split", sample_path(tmp_path), "-o", out, "--timeline", "step", "-t", "4")
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["rec_0__4.rrd", "rec_4__10.rrd"]
    first, second = chunks_of(out / "rec_0__4.rrd"), chunks_of(out / "rec_4__10.rrd")
    assert {c.entity_path for c in first} == {"/a", "/sparse", "/t"}  # no chunk without the timeline
    (a_first,) = [c for c in first if c.entity_path == "/a"]
    assert a_first.index_column("step").to_pylist() == [0, 1, 2, 3]
    (static,) = [c for c in second if c.is_static]
    assert static.component("TextDocument:text").to_pylist() == [["new"]]
    # the last /sparse value before step 4 (at 0) is carried into the second part
    sparse = sorted(c.index_column("step").to_pylist() for c in second if c.entity_path == "/sparse")
    assert sparse == [[0], [7]]
    infos = [m for m in messages_of(out / "rec_4__10.rrd") if isinstance(m, SetStoreInfo)]
    assert [i.store_id.recording_id for i in infos] == ["rec-1"]


def test_parts_by_count_with_prefix_and_dropped_timelines(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["--timeline", "step", "-n", "2", "--recording-id", "part_", "--drop-unused-timelines"]
    assert cli("rrd", "split", sample_path(tmp_path), "-o", out, *args).code == 0
    assert sorted(p.name for p in out.iterdir()) == ["rec_0__5.rrd", "rec_5__10.rrd"]
    chunks = chunks_of(out / "rec_5__10.rrd")
    assert all(list(c.timelines) in ([], ["step"]) for c in chunks)
    infos = [m for m in messages_of(out / "rec_5__10.rrd") if isinstance(m, SetStoreInfo)]
    assert infos[0].store_id.recording_id == "part_1"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timeline", "step"], "must specify at least one of --time or --num-parts"),
        (["--timeline", "step", "-n", "1"], "must specify 2 splits or more"),
        (["--timeline", "nope", "-t", "1"], "timeline 'nope' does not exist in the input recording"),
        (["--timeline", "step", "-t", "5", "-t", "2"], "increasing order"),
        (["--timeline", "step", "-t", "soon"], "not a valid value for a Sequence timeline"),
    ],
)
def test_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = cli("rrd", "split", sample_path(tmp_path), "-o", tmp_path / "out", *args)
    assert result.code != 0 and message in result.stderr


def test_time_and_num_parts_exclude_each_other(tmp_path: Path) -> None:
    result = cli(
        "rrd", "split", sample_path(tmp_path), "-o", tmp_path, "--timeline", "step", "-t", "1", "-n", "2"
    )
    assert result.code == 2 and "not allowed with" in result.stderr


@pytest.mark.parametrize(
    ("typ", "value", "name"),
    [
        (TimeType.SEQUENCE, 33, "33"),
        (TimeType.DURATION_NS, 0, "0ns"),
        (TimeType.DURATION_NS, 1_500, "1_5µs"),
        (TimeType.DURATION_NS, 1_500_000, "1_5ms"),
        (TimeType.DURATION_NS, 49_500_000_001, "49_500000001s"),
        (TimeType.TIMESTAMP_NS, 1_704_110_400_500_000_000, "2024-01-01T12_00_00_5Z"),
        (TimeType.TIMESTAMP_NS, 1_704_110_400_000_000_000, "2024-01-01T12_00_00Z"),
    ],
)
def test_cutoff_names(typ: TimeType, value: int, name: str) -> None:
    assert cutoff_name(typ, value) == name


def test_time_arguments() -> None:
    assert parse_time("12", TimeType.SEQUENCE) == 12
    assert parse_time("2024-01-01T12:00:00.5Z", TimeType.TIMESTAMP_NS) == 1_704_110_400_500_000_000
    assert parse_time("2024-01-01", TimeType.TIMESTAMP_NS) == 1_704_067_200_000_000_000
    with pytest.raises(UsageError):
        parse_time("0.5s", TimeType.DURATION_NS)
    assert STEP.typ == TimeType.SEQUENCE
