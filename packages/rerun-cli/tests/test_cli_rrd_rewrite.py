"""The streaming rewrites: `merge`, `filter` and `route`, through files and standard streams."""

from __future__ import annotations

from pathlib import Path

from _cli_support import BLUEPRINT, STORE, chunks_of, cli, recording, sample, scalars, static_text, write

from rerun_core import ArrowMsg, BlueprintActivationCommand, SetStoreInfo, StoreId, StoreKind
from rerun_core.rrd import decode_rrd, encode_rrd


def test_merge_deduplicates_chunks_and_store_infos(tmp_path: Path) -> None:
    path = write(tmp_path / "a.rrd", sample())
    result = cli("rrd", "merge", path, path)
    assert result.code == 0, result.stderr
    messages = decode_rrd(result.stdout)
    assert sum(isinstance(m, SetStoreInfo) for m in messages) == 2
    assert len(chunks_of(result.stdout)) == 4
    assert sum(isinstance(m, BlueprintActivationCommand) for m in messages) == 1
    assert result.stdout[-12:-4] == b"RRF2FOOT"


def test_merge_drops_fully_overwritten_statics(tmp_path: Path) -> None:
    old, new = static_text("/t", ["old"]), static_text("/t", ["new"])
    a = write(tmp_path / "a.rrd", recording(old, scalars("/a", [1], [1.0])))
    b = write(tmp_path / "b.rrd", recording(new))
    out = tmp_path / "out.rrd"
    assert cli("rrd", "merge", a, b, "-o", out).code == 0
    assert {c.id for c in chunks_of(out)} == {new.id, chunks_of(a)[1].id}


def test_merge_reads_standard_input_and_fails_on_bad_input(tmp_path: Path) -> None:
    result = cli("rrd", "merge", stdin=encode_rrd(sample()))
    assert result.code == 0 and len(chunks_of(result.stdout)) == 4
    bad = tmp_path / "bad.rrd"
    bad.write_bytes(b"# this is not a recording at all")
    assert cli("rrd", "merge", bad).code == 1
    assert cli("rrd", "merge", "--continue-on-error", bad).code == 0


def test_filter_drops_entities_and_timelines_keeping_chunk_ids(tmp_path: Path) -> None:
    path = write(tmp_path / "a.rrd", sample())
    result = cli("rrd", "filter", "--drop-entity", "/b", "--drop-timeline", "log_time", path)
    assert result.code == 0, result.stderr
    chunks = chunks_of(result.stdout)
    original = {c.id: c for c in chunks_of(path)}
    assert [c.entity_path for c in chunks] == ["/a", "/readme", "/viewport"]
    assert all(c.id in original for c in chunks)
    assert list(chunks[0].timelines) == ["step"]
    assert chunks[0].components == original[chunks[0].id].components


def test_filter_dropping_every_timeline_makes_chunks_static(tmp_path: Path) -> None:
    path = write(tmp_path / "a.rrd", recording(scalars("/a", [1, 2], [1.0, 2.0])))
    chunks = chunks_of(
        cli("rrd", "filter", "--drop-timeline", "step", "--drop-timeline", "log_time", path).stdout
    )
    assert chunks[0].is_static and chunks[0].num_rows == 2


def test_filter_streams_from_stdin_to_stdout() -> None:
    result = cli("rrd", "filter", "--drop-entity", "readme", stdin=encode_rrd(sample()))
    assert [c.entity_path for c in chunks_of(result.stdout)] == ["/a", "/b", "/viewport"]


def test_route_rewrites_ids(tmp_path: Path) -> None:
    path = write(tmp_path / "a.rrd", sample())
    result = cli("rrd", "route", "--application-id", "new_app", "--recording-id", "new_rec", path)
    messages = decode_rrd(result.stdout)
    ids = {m.store_id for m in messages if isinstance(m, (SetStoreInfo, ArrowMsg))}
    assert ids == {
        StoreId(StoreKind.RECORDING, "new_app", "new_rec"),
        StoreId(StoreKind.BLUEPRINT, "new_app", "new_rec"),
    }
    (activation,) = [m for m in messages if isinstance(m, BlueprintActivationCommand)]
    assert activation.blueprint_id == StoreId(StoreKind.BLUEPRINT, "new_app", "new_rec")


def test_route_drops_activations_when_combining_several_inputs(tmp_path: Path) -> None:
    a = write(tmp_path / "a.rrd", sample())
    b = write(tmp_path / "b.rrd", recording(scalars("/c", [1], [1.0])))
    messages = decode_rrd(cli("rrd", "route", "--recording-id", "all", a, b).stdout)
    assert not any(isinstance(m, BlueprintActivationCommand) for m in messages)
    assert {m.store_id.recording_id for m in messages if isinstance(m, ArrowMsg)} == {"all"}
    kept = decode_rrd(cli("rrd", "route", "--application-id", "x", a, b).stdout)
    assert any(isinstance(m, BlueprintActivationCommand) for m in kept)


def test_output_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "out.rrd"
    result = cli("rrd", "route", "--recording-id", "r", "-o", out, write(tmp_path / "a.rrd", sample()))
    assert result.code == 0 and result.stdout == b"" and len(chunks_of(out)) == 4
    assert {STORE.application_id} == {
        m.store_id.application_id for m in decode_rrd(out.read_bytes()) if isinstance(m, ArrowMsg)
    }
    assert BLUEPRINT.kind == StoreKind.BLUEPRINT


def test_output_that_cannot_be_created(tmp_path: Path) -> None:
    result = cli(
        "rrd", "merge", "-o", tmp_path / "no" / "such" / "dir.rrd", write(tmp_path / "a.rrd", sample())
    )
    assert result.code == 1 and "couldn't create" in result.stderr
