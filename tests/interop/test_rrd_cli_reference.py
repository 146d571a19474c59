"""`rerun rrd …` against the reference Rerun 0.41: same verdicts, outputs the reference accepts.

Recordings our commands write must pass the reference's `rerun rrd verify`, and hold the same data
as what the reference's own command produces (by the reference's `rerun rrd compare --unordered`).
`compare` must reach the reference's verdict on pairs that are equal and pairs that differ.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from _support import run_reference
from rerun_cli._streams import Streams
from rerun_cli.main import main
from rerun_cli.rrd._chunks import concat_chunks, drop_timelines, rebuild
from rerun_core import ArrowMsg, Chunk, Compression, SetStoreInfo, StoreId
from rerun_core.log_msg import LogMsg
from rerun_core.rrd import encode_rrd, read_rrd
from rerun_core.tuid import Tuid, new_tuids

pytestmark = pytest.mark.reference

RECORDINGS = [
    "any_values.rrd", "boxes3d.rrd", "depth_image.rrd", "image_rgb.rrd", "linestrips3d.rrd", "mesh3d.rrd",
    "multi_timeline.rrd", "points2d.rrd", "points3d.rrd", "scalars_seq.rrd", "send_columns_scalars.rrd",
    "static_data.rrd", "text_log.rrd", "transforms.rrd",
]  # fmt: skip


def ours(*args: str | Path, stdin: bytes = b"") -> tuple[int, bytes, str]:
    streams = Streams(io.BytesIO(stdin), io.BytesIO(), io.StringIO())
    code = main([str(a) for a in args], streams=streams)
    return code, streams.stdout.getvalue(), streams.stderr.getvalue()  # type: ignore[attr-defined]


def ref_compare(reference: Path, left: Path, right: Path, *flags: str) -> int:
    return run_reference(reference, "rrd", "compare", *flags, left, right).returncode


def ref_verify(reference: Path, *paths: Path, flags: tuple[str, ...] = ()) -> None:
    result = run_reference(reference, "rrd", "verify", *flags, *paths)
    assert result.returncode == 0, result.stderr


# ---- compare: variants of a fixture ----------------------------------------------------------------

Transform = Callable[[list[LogMsg]], list[LogMsg]]


def with_chunks(function: Callable[[Chunk], Chunk | list[Chunk] | None]) -> Transform:
    def transform(messages: list[LogMsg]) -> list[LogMsg]:
        result: list[LogMsg] = []
        for msg in messages:
            if not isinstance(msg, ArrowMsg):
                result.append(msg)
                continue
            replaced = function(msg.chunk)
            replaced = [] if replaced is None else replaced if isinstance(replaced, list) else [replaced]
            result += [ArrowMsg(msg.store_id, chunk) for chunk in replaced]
        return result

    return transform


def first_multi_row(function: Callable[[Chunk], Chunk | list[Chunk] | None]) -> Transform:
    """Apply ``function`` to the first temporal chunk with more than one row only."""
    done: list[bool] = []

    def once(chunk: Chunk) -> Chunk | list[Chunk] | None:
        if done or chunk.is_static or chunk.num_rows < 2:
            return chunk
        done.append(True)
        return function(chunk)

    return lambda messages: (done.clear(), with_chunks(once)(messages))[1]


def set_column(chunk: Chunk, name: str, array: pa.Array, *, keep_id: bool = True) -> Chunk:
    batch = chunk.to_record_batch()
    index = batch.schema.get_field_index(name)
    return rebuild(
        batch.set_column(index, batch.schema.field(index), array), chunk_id=chunk.id if keep_id else None
    )


def scaled_scalars(factor: float, offset: float = 0.0) -> Callable[[Chunk], Chunk]:
    def scale(chunk: Chunk) -> Chunk:
        column = chunk.component("Scalars:scalars")
        values = column.values.to_numpy() * factor + offset
        return set_column(
            chunk, "Scalars:scalars", pa.ListArray.from_arrays(column.offsets, pa.array(values))
        )

    return scale


def with_metadata(chunk: Chunk, **changes: str) -> Chunk:
    batch = chunk.to_record_batch()
    metadata = {
        **batch.schema.metadata,
        **{k.replace("_", ":", 1).encode(): v.encode() for k, v in changes.items()},
    }
    return rebuild(batch.replace_schema_metadata(metadata), chunk_id=chunk.id)


def renamed_store(application_id: str | None = None, recording_id: str | None = None) -> Transform:
    def rename(store: StoreId) -> StoreId:
        return StoreId(store.kind, application_id or store.application_id, recording_id or store.recording_id)

    def transform(messages: list[LogMsg]) -> list[LogMsg]:
        result: list[LogMsg] = []
        for msg in messages:
            if isinstance(msg, SetStoreInfo):
                msg = SetStoreInfo(
                    rename(msg.store_id), msg.source_kind, msg.source_extra, msg.version_bits, msg.row_id
                )
            elif isinstance(msg, ArrowMsg):
                msg = ArrowMsg(rename(msg.store_id), msg.chunk)
            result.append(msg)
        return result

    return transform


def reversed_chunks(new_ids: bool) -> Transform:
    def transform(messages: list[LogMsg]) -> list[LogMsg]:
        chunks = [m for m in messages if isinstance(m, ArrowMsg)][::-1]
        if new_ids:
            chunks = [ArrowMsg(m.store_id, rebuild(m.chunk.to_record_batch())) for m in chunks]
        return [m for m in messages if not isinstance(m, ArrowMsg)] + chunks

    return transform


def new_row_ids(chunk: Chunk) -> Chunk:
    return set_column(chunk, "rerun.controls.RowId", new_tuids(chunk.num_rows), keep_id=False)


def swapped(chunk: Chunk, name: str | None) -> Chunk:
    order = pa.array([1, 0, *range(2, chunk.num_rows)])
    if name is None:
        return rebuild(chunk.to_record_batch().take(order), chunk_id=chunk.id)
    return set_column(chunk, name, chunk.to_record_batch().column(name).take(order))


def shifted_log_time(chunk: Chunk) -> Chunk:
    if "log_time" not in chunk.timelines:
        return chunk
    times = np.asarray(chunk.index_column("log_time").view(pa.int64())) + 12345
    return set_column(chunk, "log_time", pa.array(times).view(pa.timestamp("ns")))


def nan_first(chunk: Chunk) -> Chunk:
    column = chunk.component("Scalars:scalars")
    values = column.values.to_numpy().copy()
    values[0] = np.nan
    return set_column(chunk, "Scalars:scalars", pa.ListArray.from_arrays(column.offsets, pa.array(values)))


def static_override(older: bool) -> Transform:
    """Add a static /notes chunk with other text, newer (or older) than the original one."""

    def transform(messages: list[LogMsg]) -> list[LogMsg]:
        (notes, store) = next(
            (m.chunk, m.store_id)
            for m in messages
            if isinstance(m, ArrowMsg) and m.chunk.entity_path == "/notes"
        )
        row = pa.array([Tuid(1, 1).to_bytes()], pa.binary(16)) if older else new_tuids(1)
        changed = set_column(notes, "TextDocument:text", pa.array([["changed"]]), keep_id=False)
        return [*messages, ArrowMsg(store, set_column(changed, "rerun.controls.RowId", row, keep_id=False))]

    return transform


MULTI = "multi_timeline.rrd"
STATIC = "static_data.rrd"
# name: (fixture, transform, extra compare flags)
VARIANTS: dict[str, tuple[str, Transform, tuple[str, ...]]] = {
    "identical": (MULTI, lambda m: m, ()),
    "reversed": (MULTI, reversed_chunks(False), ()),
    "reversed, new chunk ids": (MULTI, reversed_chunks(True), ()),
    "new row and chunk ids": (MULTI, with_chunks(new_row_ids), ()),
    "row ids swapped": (MULTI, first_multi_row(lambda c: swapped(c, "rerun.controls.RowId")), ()),
    "rows swapped": (MULTI, first_multi_row(lambda c: swapped(c, None)), ()),
    "re-chunked": (
        MULTI,
        first_multi_row(
            lambda c: [rebuild(c.to_record_batch().slice(0, 2)), rebuild(c.to_record_batch().slice(2))]
        ),
        (),
    ),
    "merged into one chunk": (
        MULTI,
        first_multi_row(lambda c: concat_chunks([c, rebuild(c.to_record_batch().slice(0, 1))])),
        (),
    ),
    "value differs": (MULTI, first_multi_row(lambda c: swapped(c, "Scalars:scalars")), ()),
    "values 1e-9 apart": (MULTI, first_multi_row(scaled_scalars(1 + 1e-9)), ()),
    "values 1e-7 apart": (MULTI, first_multi_row(scaled_scalars(1 + 1e-7)), ()),
    "NaN against a value": (MULTI, first_multi_row(nan_first), ()),
    "entity differs": (
        MULTI,
        first_multi_row(lambda c: with_metadata(c, rerun_entity_path="/elsewhere")),
        (),
    ),
    "timeline values differ": (
        MULTI,
        first_multi_row(lambda c: set_column(c, "frame_nr", pa.array(range(1, c.num_rows + 1)))),
        (),
    ),
    "log_time shifted": (MULTI, with_chunks(shifted_log_time), ()),
    "log_time dropped": (MULTI, with_chunks(lambda c: drop_timelines(c, {"log_time"}, keep_id=True)), ()),
    "log_time dropped, ignored": (
        MULTI,
        with_chunks(lambda c: drop_timelines(c, {"log_time"}, keep_id=True)),
        ("--ignore-timeline", "log_time"),
    ),
    "chunk missing": (MULTI, first_multi_row(lambda c: None), ()),
    "chunk duplicated, same id": (MULTI, first_multi_row(lambda c: [c, c]), ()),
    "chunk duplicated, new id": (MULTI, first_multi_row(lambda c: [c, rebuild(c.to_record_batch())]), ()),
    "empty chunk added": (
        MULTI,
        first_multi_row(lambda c: [c, rebuild(c.to_record_batch().slice(0, 0))]),
        (),
    ),
    "application id differs": (MULTI, renamed_store(application_id="other"), ()),
    "recording id differs": (MULTI, renamed_store(recording_id="other"), ()),
    "re-encoded uncompressed": (MULTI, lambda m: m, ()),
    "static overwritten by newer": (STATIC, static_override(older=False), ()),
    "static with older row added": (STATIC, static_override(older=True), ()),
    "statics duplicated, new rows": (
        STATIC,
        with_chunks(lambda c: [c, new_row_ids(c)] if c.is_static else c),
        (),
    ),
}


@pytest.fixture(scope="module")
def variant_files(fixtures_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("variants")
    files = {}
    for index, (name, (fixture, transform, _)) in enumerate(sorted(VARIANTS.items())):
        compression = Compression.NONE if "uncompressed" in name else Compression.LZ4
        files[name] = folder / f"{index}.rrd"
        files[name].write_bytes(
            encode_rrd(transform(list(read_rrd(fixtures_dir / fixture))), compression=compression)
        )
    return files


@pytest.mark.parametrize("name", sorted(VARIANTS))
@pytest.mark.parametrize("order", ["ordered", "unordered"])
def test_compare_verdict_agrees(
    fixtures_dir: Path, reference_rerun: Path, variant_files: dict[str, Path], name: str, order: str
) -> None:
    fixture, _, flags = VARIANTS[name]
    flags = (*flags, "--unordered") if order == "unordered" else flags
    left, right = fixtures_dir / fixture, variant_files[name]
    expected = ref_compare(reference_rerun, left, right, *flags)
    code, _, stderr = ours("rrd", "compare", *flags, left, right)
    assert code == expected, stderr


# ---- inspection commands ------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*RECORDINGS, "blueprint.rbl"])
@pytest.mark.parametrize("flags", [(), ("--no-decode",)])
def test_stats_report_is_the_reference_report(
    fixtures_dir: Path, reference_rerun: Path, name: str, flags: tuple[str, ...]
) -> None:
    expected = run_reference(reference_rerun, "rrd", "stats", *flags, fixtures_dir / name)
    code, stdout, _ = ours("rrd", "stats", *flags, fixtures_dir / name)
    assert code == expected.returncode == 0
    assert stdout.decode() == expected.stdout


@pytest.mark.parametrize("name", ["points3d.rrd", "static_data.rrd", "blueprint.rbl", "any_values.rrd"])
@pytest.mark.parametrize("verbose", [(), ("-v",)])
def test_print_lines_match_the_reference_but_for_sizes(
    fixtures_dir: Path, reference_rerun: Path, name: str, verbose: tuple[str, ...]
) -> None:
    def without_sizes(text: str) -> list[str]:
        return [line.split(" rows (")[0] + line.split(")", 2)[-1] if line.startswith("Chunk(") else line
                for line in text.splitlines()]  # fmt: skip

    expected = run_reference(reference_rerun, "rrd", "print", *verbose, fixtures_dir / name)
    code, stdout, _ = ours("rrd", "print", *verbose, fixtures_dir / name)
    assert code == expected.returncode == 0
    assert without_sizes(stdout.decode()) == without_sizes(expected.stdout)


def test_print_every_fixture_at_every_level(fixtures_dir: Path) -> None:
    for name in [*RECORDINGS, "blueprint.rbl"]:
        code, stdout, stderr = ours(
            "rrd", "print", "-vvv", fixtures_dir / name, "--footers=true", "--footers-lod", "2"
        )
        assert code == 0 and b"METADATA:" in stdout and not stderr, name


def broken_files(fixtures_dir: Path, folder: Path) -> dict[str, Path]:
    data = (fixtures_dir / "points3d.rrd").read_bytes()
    messages = list(read_rrd(fixtures_dir / "points3d.rrd"))
    corrupt = bytearray(data)
    corrupt[3000] ^= 0xFF
    corrupt[3001] ^= 0xFF

    def radii_as(arrow_type: pa.DataType, **metadata: str) -> Transform:
        def change(chunk: Chunk) -> Chunk:
            if chunk.entity_path != "/world/points":
                return chunk
            batch = chunk.to_record_batch()
            index = batch.schema.get_field_index("Points3D:radii")
            field = batch.schema.field(index)
            extra = {**field.metadata, **{f"rerun:{k}".encode(): v.encode() for k, v in metadata.items()}}
            column = batch.column(index).cast(pa.list_(arrow_type))
            return rebuild(batch.set_column(index, field.with_type(column.type).with_metadata(extra), column))

        return with_chunks(change)

    files = {
        "no footer": encode_rrd(messages, write_footer=False),
        "truncated": data[:3000],
        "corrupt": bytes(corrupt),
        "wrong type": encode_rrd(radii_as(pa.float64())(messages)),
        "unknown archetype": encode_rrd(radii_as(pa.float32(), archetype="rerun.archetypes.Bogus")(messages)),
        "unknown component type": encode_rrd(
            radii_as(pa.float32(), component_type="rerun.components.Bogus")(messages)
        ),
    }
    for name, content in files.items():
        (folder / f"{name}.rrd").write_bytes(content)
    return {name: folder / f"{name}.rrd" for name in files}


@pytest.mark.parametrize("check_footers", ["true", "false"])
def test_verify_verdicts_agree(
    fixtures_dir: Path, reference_rerun: Path, tmp_path: Path, check_footers: str
) -> None:
    flag = f"--check-footers={check_footers}"
    for name, path in broken_files(fixtures_dir, tmp_path).items():
        expected = run_reference(reference_rerun, "rrd", "verify", flag, path).returncode
        assert ours("rrd", "verify", flag, path)[0] == expected, name
    assert ours("rrd", "verify", *(fixtures_dir / n for n in [*RECORDINGS, "blueprint.rbl"]))[0] == 0


# ---- commands that write recordings -------------------------------------------------------------


def same_data_as_reference(
    reference: Path, tmp_path: Path, args: list[str | Path], *, stdin_from: Path | None = None
) -> None:
    """Our `rerun rrd <args>` (written to stdout; fed `stdin_from` on stdin if given) passes the
    reference's verify and holds the data the reference's own command writes."""
    stdin = stdin_from.read_bytes() if stdin_from else b""
    code, stdout, stderr = ours("rrd", *args, stdin=stdin)
    assert code == 0, stderr
    (tmp_path / "ours.rrd").write_bytes(stdout)
    reference_args = [*args, stdin_from] if stdin_from else args
    expected = run_reference(reference, "rrd", *reference_args, "-o", tmp_path / "theirs.rrd")
    assert expected.returncode == 0, expected.stderr
    ref_verify(reference, tmp_path / "ours.rrd")
    assert ref_compare(reference, tmp_path / "ours.rrd", tmp_path / "theirs.rrd", "--unordered") == 0


@pytest.mark.parametrize(
    "inputs", [["points3d.rrd", "blueprint.rbl", "points3d.rrd"], ["static_data.rrd", "static_data.rrd"]]
)
def test_merge(fixtures_dir: Path, reference_rerun: Path, tmp_path: Path, inputs: list[str]) -> None:
    same_data_as_reference(reference_rerun, tmp_path, ["merge", *(fixtures_dir / name for name in inputs)])


def test_merge_of_several_recordings_verifies(
    fixtures_dir: Path, reference_rerun: Path, tmp_path: Path
) -> None:
    code, stdout, stderr = ours(
        "rrd", "merge", *(fixtures_dir / name for name in [*RECORDINGS, "blueprint.rbl"])
    )
    assert code == 0, stderr
    (tmp_path / "all.rrd").write_bytes(stdout)
    ref_verify(reference_rerun, tmp_path / "all.rrd")


@pytest.mark.parametrize(
    "options",
    [["--drop-timeline", "log_time"], ["--drop-entity", "/sensor/value", "--drop-entity", "sensor/points"],
     ["--drop-timeline", "log_time", "--drop-timeline", "frame_nr", "--drop-entity", "/__properties"]],
)  # fmt: skip
def test_filter(fixtures_dir: Path, reference_rerun: Path, tmp_path: Path, options: list[str]) -> None:
    same_data_as_reference(reference_rerun, tmp_path, ["filter", *options, fixtures_dir / MULTI])


def test_filter_streams_stdin_to_stdout(fixtures_dir: Path, reference_rerun: Path, tmp_path: Path) -> None:
    args: list[str | Path] = ["filter", "--drop-timeline", "log_time"]
    same_data_as_reference(reference_rerun, tmp_path, args, stdin_from=fixtures_dir / MULTI)


@pytest.mark.parametrize(
    "ids", [["--recording-id", "joined"], ["--application-id", "app", "--recording-id", "r"]]
)
def test_route(fixtures_dir: Path, reference_rerun: Path, tmp_path: Path, ids: list[str]) -> None:
    same_data_as_reference(
        reference_rerun,
        tmp_path,
        ["route", *ids, fixtures_dir / "points3d.rrd", fixtures_dir / "blueprint.rbl"],
    )


def one_row_pieces(fixtures_dir: Path, folder: Path) -> Path:
    """multi_timeline.rrd with every multi-row chunk cut into one-row chunks, in order."""
    pieces = with_chunks(lambda c: c if c.num_rows < 2 or c.is_static else
                         [rebuild(c.to_record_batch().slice(i, 1)) for i in range(c.num_rows)])  # fmt: skip
    path = folder / "pieces.rrd"
    path.write_bytes(encode_rrd(pieces(list(read_rrd(fixtures_dir / MULTI)))))
    return path


@pytest.mark.parametrize(
    "options",
    [[], ["--max-rows", "30"], ["--profile", "live"], ["--max-rows", "100", "--max-rows-if-unsorted", "7"]],
)
def test_optimize(fixtures_dir: Path, reference_rerun: Path, tmp_path: Path, options: list[str]) -> None:
    same_data_as_reference(
        reference_rerun, tmp_path, ["optimize", *options, one_row_pieces(fixtures_dir, tmp_path)]
    )


def test_optimize_cuts_big_chunks_like_the_reference(
    fixtures_dir: Path, reference_rerun: Path, tmp_path: Path
) -> None:
    same_data_as_reference(
        reference_rerun, tmp_path, ["optimize", "--max-rows", "30", fixtures_dir / "scalars_seq.rrd"]
    )


@pytest.mark.parametrize(
    ("fixture", "options"),
    [
        (MULTI, ["--timeline", "frame_nr", "-t", "30", "-t", "60"]),
        (MULTI, ["--timeline", "elapsed", "-t", "1"]),
        (MULTI, ["--timeline", "frame_nr", "-n", "7", "--drop-unused-timelines"]),
        ("scalars_seq.rrd", ["--timeline", "step", "-n", "3", "--recording-id", "part_"]),
        (STATIC, ["--timeline", "step", "-t", "1"]),
        ("points3d.rrd", ["--timeline", "log_time", "-n", "2"]),
        ("text_log.rrd", ["--timeline", "step", "-n", "4"]),
    ],
)
def test_split(
    fixtures_dir: Path, reference_rerun: Path, tmp_path: Path, fixture: str, options: list[str]
) -> None:
    (tmp_path / "ours").mkdir()
    (tmp_path / "theirs").mkdir()
    code, _, stderr = ours("rrd", "split", fixtures_dir / fixture, "-o", tmp_path / "ours", *options)
    assert code == 0, stderr
    expected = run_reference(
        reference_rerun, "rrd", "split", fixtures_dir / fixture, "-o", tmp_path / "theirs", *options
    )
    assert expected.returncode == 0, expected.stderr
    names = sorted(p.name for p in (tmp_path / "theirs").iterdir())
    assert sorted(p.name for p in (tmp_path / "ours").iterdir()) == names
    ref_verify(reference_rerun, *(tmp_path / "ours" / name for name in names))
    for name in names:
        assert (
            ref_compare(reference_rerun, tmp_path / "ours" / name, tmp_path / "theirs" / name, "--unordered")
            == 0
        ), name


def test_migrate(fixtures_dir: Path, reference_rerun: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.rrd"
    path.write_bytes(encode_rrd(list(read_rrd(fixtures_dir / MULTI)), write_footer=False))
    assert ours("rrd", "migrate", path)[0] == 0
    ref_verify(reference_rerun, path)
    assert ref_compare(reference_rerun, path, fixtures_dir / MULTI) == 0
    assert ref_compare(reference_rerun, tmp_path / "old.backup.rrd", fixtures_dir / MULTI) == 0
