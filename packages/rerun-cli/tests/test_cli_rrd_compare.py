"""`rerun rrd compare`: the reference's verdicts on equal and on differing recordings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from _cli_support import BLUEPRINT, cli, recording, row_ids, scalars, static_text, write

from rerun_cli.rrd._chunks import concat_chunks, drop_timelines, rebuild
from rerun_core import ArrowMsg, Chunk, SetStoreInfo, StoreId, StoreKind
from rerun_core.log_msg import LogMsg
from rerun_core.tuid import new_tuid


def base_chunks() -> list[Chunk]:
    return [
        scalars("/a", [0, 1, 2, 3], [0.0, 1.0, 2.0, 3.0]),
        scalars("/b", [5, 7], [0.5, 0.25]),
        static_text("/readme", ["hello"]),
    ]


BASE = base_chunks()


def with_values(chunk: Chunk, values: list[float]) -> Chunk:
    batch = chunk.to_record_batch()
    index = batch.schema.get_field_index("Scalars:scalars")
    column = pa.array([[v] for v in values], type=pa.list_(pa.float64()))
    return rebuild(batch.set_column(index, batch.schema.field(index), column), chunk_id=chunk.id)


def renamed_entity(chunk: Chunk, entity: str) -> Chunk:
    batch = chunk.to_record_batch()
    metadata = dict(batch.schema.metadata)
    metadata[b"rerun:entity_path"] = entity.encode()
    return rebuild(batch.replace_schema_metadata(metadata))


def new_ids(chunk: Chunk) -> Chunk:
    batch = chunk.to_record_batch()
    return rebuild(batch.set_column(0, batch.schema.field(0), row_ids(chunk.num_rows)))


def shifted_log_time(chunk: Chunk) -> Chunk:
    if "log_time" not in chunk.timelines:
        return chunk
    batch = chunk.to_record_batch()
    index = batch.schema.get_field_index("log_time")
    shifted = pa.array(np.asarray(batch.column(index).view(pa.int64())) + 12345).view(pa.timestamp("ns"))
    return rebuild(batch.set_column(index, batch.schema.field(index), shifted), chunk_id=chunk.id)


def split_first(chunks: list[Chunk]) -> list[Chunk]:
    batch = chunks[0].to_record_batch()
    return [rebuild(batch.slice(0, 2)), rebuild(batch.slice(2)), *chunks[1:]]


VARIANTS: dict[str, tuple[Callable[[list[Chunk]], list[Chunk]], int, int]] = {
    # name: (variant of the base chunks, exit status in order, exit status with --unordered)
    "identical": (lambda c: c, 0, 0),
    "reversed": (lambda c: c[::-1], 0, 0),  # order in the file does not matter: chunk ids do
    "new chunk and row ids": (lambda c: [new_ids(x) for x in c], 0, 0),
    "new ids, reversed": (lambda c: [new_ids(x) for x in c[::-1]], 1, 0),
    "log_time shifted": (lambda c: [shifted_log_time(x) for x in c], 0, 0),
    "log_time dropped": (lambda c: [drop_timelines(x, {"log_time"}, keep_id=True) for x in c], 1, 1),
    "re-chunked": (split_first, 1, 1),
    "merged chunks": (lambda c: [concat_chunks([c[0], scalars("/a", [9], [9.0])]), *c[1:]], 1, 1),
    "value differs": (lambda c: [with_values(c[0], [0.0, 1.0, 2.5, 3.0]), *c[1:]], 1, 1),
    "tiny float difference": (lambda c: [with_values(c[0], [0.0, 1.0, 2.0 + 1e-12, 3.0]), *c[1:]], 0, 0),
    "entity differs": (lambda c: [renamed_entity(c[0], "/z"), *c[1:]], 1, 1),
    "timeline differs": (lambda c: [scalars("/a", [0, 1, 2, 4], [0.0, 1.0, 2.0, 3.0]), *c[1:]], 1, 1),
    "chunk missing": (lambda c: c[1:], 1, 1),
    "chunk duplicated (same id)": (lambda c: [*c, c[0]], 0, 0),
    "chunk duplicated (new id)": (lambda c: [*c, rebuild(c[1].to_record_batch())], 1, 1),
    "empty chunk added": (lambda c: [*c, rebuild(c[0].to_record_batch().slice(0, 0))], 0, 0),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_verdicts(tmp_path: Path, name: str) -> None:
    variant, ordered, unordered = VARIANTS[name]
    left = write(tmp_path / "left.rrd", recording(*BASE))
    right = write(tmp_path / "right.rrd", recording(*variant(list(BASE))))
    assert cli("rrd", "compare", left, right).code == ordered
    assert cli("rrd", "compare", "--unordered", left, right).code == unordered


def test_a_newer_static_chunk_overwrites_an_older_one(tmp_path: Path) -> None:
    old, new = static_text("/readme", ["old"]), static_text("/readme", ["new"])
    only_new = write(tmp_path / "new.rrd", recording(new))
    assert cli("rrd", "compare", only_new, write(tmp_path / "both.rrd", recording(old, new))).code == 0
    # an older one arriving later does not overwrite, and stays stored
    assert cli("rrd", "compare", only_new, write(tmp_path / "late.rrd", recording(new, old))).code == 1


def test_ignore_timeline(tmp_path: Path) -> None:
    left = write(tmp_path / "left.rrd", recording(*BASE))
    right = write(
        tmp_path / "right.rrd", recording(*[drop_timelines(c, {"log_time"}, keep_id=True) for c in BASE])
    )
    assert cli("rrd", "compare", left, right).code == 1
    assert cli("rrd", "compare", "--ignore-timeline", "log_time", left, right).code == 0


def test_application_ids_must_match(tmp_path: Path) -> None:
    left = write(tmp_path / "left.rrd", recording(*BASE))
    other = StoreId(StoreKind.RECORDING, "other_app", "rec")
    right = write(tmp_path / "right.rrd", recording(*BASE, store=other))
    result = cli("rrd", "compare", left, right)
    assert result.code == 1 and "Application IDs do not match: 'app' vs. 'other_app'" in result.stderr


def test_recording_ids_and_blueprints_do_not_matter(tmp_path: Path) -> None:
    left = write(tmp_path / "left.rrd", recording(*BASE))
    renamed = StoreId(StoreKind.RECORDING, "app", "another")
    extra: list[LogMsg] = [SetStoreInfo(BLUEPRINT), ArrowMsg(BLUEPRINT, static_text("/viewport", ["x"]))]
    right = write(tmp_path / "right.rrd", recording(*BASE, store=renamed) + extra)
    assert cli("rrd", "compare", left, right).code == 0


def test_needs_exactly_one_recording(tmp_path: Path) -> None:
    left = write(tmp_path / "left.rrd", recording(*BASE))
    blueprint_only = write(tmp_path / "bp.rrd", recording(static_text("/v", ["x"]), store=BLUEPRINT))
    result = cli("rrd", "compare", left, blueprint_only)
    assert result.code == 1 and "no data recording found" in result.stderr
    two = recording(*BASE) + recording(*BASE, store=StoreId(StoreKind.RECORDING, "app", "rec2"))
    result = cli("rrd", "compare", write(tmp_path / "two.rrd", two), left)
    assert result.code == 1 and "more than one data recording" in result.stderr


def test_mismatch_messages_name_the_difference(tmp_path: Path) -> None:
    left = write(tmp_path / "left.rrd", recording(*BASE))
    right = write(tmp_path / "right.rrd", recording(with_values(BASE[0], [0.0, 1.0, 2.5, 3.0]), *BASE[1:]))
    ordered = cli("rrd", "compare", left, right)
    assert (
        "Scalars:scalars" in ordered.stderr and "significant double difference: 2.0 vs 2.5" in ordered.stderr
    )
    unordered = cli("rrd", "compare", "--unordered", left, right)
    assert "Unordered comparison failed" in unordered.stderr and "could not be matched" in unordered.stderr
    counts = cli("rrd", "compare", left, write(tmp_path / "fewer.rrd", recording(*BASE[1:])))
    assert "Number of Chunks does not match: '3' vs. '2'" in counts.stderr


def test_full_dump_prints_both_recordings(tmp_path: Path) -> None:
    path = write(tmp_path / "a.rrd", recording(*BASE))
    result = cli("rrd", "compare", "--full-dump", path, path)
    assert result.code == 0 and result.text.count("METADATA:") == 6 and result.text.startswith("app\n")


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    left = write(tmp_path / "left.rrd", recording(*BASE))
    result = cli("rrd", "compare", left, tmp_path / "missing.rrd")
    assert result.code == 1 and "couldn't open" in result.stderr


def test_ids_are_not_compared() -> None:
    # sanity check of the helpers used above: new_ids really changes chunk and row ids
    chunk = new_ids(BASE[0])
    assert chunk.id != BASE[0].id and chunk.row_ids != BASE[0].row_ids and new_tuid() > chunk.id
