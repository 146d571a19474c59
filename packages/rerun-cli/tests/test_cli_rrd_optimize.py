"""`rerun rrd optimize` and the compaction behind it."""

from __future__ import annotations

import argparse
from pathlib import Path

import pyarrow as pa
import pytest
from _cli_support import COLOR, STEP, chunks_of, cli, recording, row_ids, scalars, static_text, write

from rerun_cli.rrd._compaction import CompactionLimits, compact
from rerun_cli.rrd._limits import PROFILES, limits_from, parse_size
from rerun_core import Chunk

LOOSE = CompactionLimits(max_bytes=1 << 30, max_rows=1000, max_rows_if_unsorted=1000)


def one_row_chunks(entity: str, count: int, *, log_time: bool = True) -> list[Chunk]:
    return [scalars(entity, [i], [float(i)], log_time=log_time) for i in range(count)]


def steps(chunk: Chunk) -> list[int]:
    return chunk.index_column("step").to_pylist()


def test_small_chunks_of_an_entity_merge_in_row_order() -> None:
    pieces = one_row_chunks("/a", 10)
    (merged,) = compact(pieces[::-1], LOOSE)
    assert merged.num_rows == 10 and steps(merged) == list(range(10))
    assert merged.id not in {p.id for p in pieces}


def test_row_limit_packs_greedily_and_cuts_big_chunks() -> None:
    limits = CompactionLimits(max_bytes=1 << 30, max_rows=3, max_rows_if_unsorted=3)
    assert [c.num_rows for c in compact(one_row_chunks("/a", 7), limits)] == [3, 3, 1]
    assert [c.num_rows for c in compact([scalars("/a", list(range(7)), [0.0] * 7)], limits)] == [3, 3, 1]


def test_byte_limit() -> None:
    pieces = one_row_chunks("/a", 8)
    limit = pieces[0].nbytes * 2
    result = compact(pieces, CompactionLimits(max_bytes=limit, max_rows=1000, max_rows_if_unsorted=1000))
    assert [c.num_rows for c in result] == [2, 2, 2, 2]


def test_unsorted_times_use_the_stricter_limit() -> None:
    pieces = [scalars("/a", [9 - i], [float(i)]) for i in range(9)]  # time runs backwards
    limits = CompactionLimits(max_bytes=1 << 30, max_rows=100, max_rows_if_unsorted=4)
    result = compact(pieces, limits)
    assert [c.num_rows for c in result] == [4, 4, 1]
    assert "rerun:is_sorted" not in str(result[0].to_record_batch().schema.field("step").metadata)


def test_only_same_entity_and_timelines_merge() -> None:
    chunks = [*one_row_chunks("/a", 2), *one_row_chunks("/b", 2), *one_row_chunks("/a", 2, log_time=False)]
    result = compact(chunks, LOOSE)
    assert sorted((c.entity_path, c.num_rows, len(c.timelines)) for c in result) == [
        ("/a", 2, 1), ("/a", 2, 2), ("/b", 2, 2),
    ]  # fmt: skip


def test_differing_components_are_padded_with_nulls() -> None:
    plain = one_row_chunks("/a", 2, log_time=False)  # older rows than the colors below
    colors = Chunk.build(
        "/a",
        timelines={STEP: pa.array([5])},
        components={COLOR: pa.array([[0xFF0000FF]], pa.list_(pa.uint32()))},
        row_ids=row_ids(1),
    )
    (merged,) = compact([colors, *plain], LOOSE)
    assert merged.num_rows == 3
    assert merged.component("SeriesLines:colors").to_pylist() == [None, None, [0xFF0000FF]]
    assert merged.component("Scalars:scalars").to_pylist() == [[0.0], [1.0], None]


def test_statics_are_left_alone() -> None:
    statics = [static_text("/t", ["a"]), static_text("/t", ["b"])]
    assert [c.id for c in compact(statics, LOOSE)] == [c.id for c in statics]


def test_lone_chunks_keep_their_id() -> None:
    chunk = scalars("/a", [1, 2], [1.0, 2.0])
    assert compact([chunk], LOOSE)[0] is chunk


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2MiB", 2 << 20),
        ("512KiB", 512 << 10),
        ("1GB", 10**9),
        ("1024B", 1024),
        ("3kB", 3000),
        ("1.5MiB", 3 << 19),
    ],
)
def test_sizes(text: str, value: int) -> None:
    assert parse_size(text) == value


@pytest.mark.parametrize("text", ["3", "2XB", "MiB", ""])
def test_sizes_need_a_known_unit(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_size(text)


def test_thresholds_profile_then_environment_then_flags() -> None:
    args = argparse.Namespace(profile="live", max_size=None, max_rows=None, max_rows_if_unsorted=None)
    assert limits_from(args, {}) == PROFILES["live"]
    env = {"RERUN_CHUNK_MAX_ROWS": "7", "RERUN_CHUNK_MAX_BYTES": "1000"}
    assert limits_from(args, env) == CompactionLimits(1000, 7, 1024)
    args.max_rows = 9
    assert limits_from(args, env).max_rows == 9


def test_command_end_to_end(tmp_path: Path) -> None:
    path = write(tmp_path / "a.rrd", recording(*one_row_chunks("/a", 20), static_text("/t", ["x"])))
    result = cli("rrd", "optimize", "--max-rows", "8", path)
    assert result.code == 0, result.stderr
    assert sorted(c.num_rows for c in chunks_of(result.stdout)) == [1, 4, 8, 8]


def test_bad_environment_value_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RERUN_CHUNK_MAX_BYTES", "2KiB")
    result = cli("rrd", "optimize", write(tmp_path / "a.rrd", recording(*one_row_chunks("/a", 2))))
    assert result.code == 2 and "RERUN_CHUNK_MAX_BYTES=2KiB" in result.stderr


def test_mirror_mode(tmp_path: Path) -> None:
    source = tmp_path / "in"
    (source / "deep").mkdir(parents=True)
    write(source / "one.rrd", recording(*one_row_chunks("/a", 3)))
    write(source / "deep" / "two.rbl", recording(*one_row_chunks("/b", 2)))
    (source / "notes.txt").write_text("not a recording")
    assert cli("rrd", "optimize", source).code == 2  # mirror mode needs -o
    assert cli("rrd", "optimize", source, "-o", tmp_path / "out").code == 0
    assert [c.num_rows for c in chunks_of(tmp_path / "out" / "one.rrd")] == [3]
    assert [c.num_rows for c in chunks_of(tmp_path / "out" / "deep" / "two.rbl")] == [2]
    assert not (tmp_path / "out" / "notes.txt").exists()


@pytest.mark.parametrize("flag", [["--fix-keyframe"], ["--split-size-ratio", "10"]])
def test_video_options_are_not_built(tmp_path: Path, flag: list[str]) -> None:
    result = cli("rrd", "optimize", *flag, write(tmp_path / "a.rrd", recording(*one_row_chunks("/a", 2))))
    assert result.code == 1 and "not built yet" in result.stderr
