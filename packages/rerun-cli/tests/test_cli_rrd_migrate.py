"""`rerun rrd migrate`: in-place rewrite with a backup, and leaving failures as they were."""

from __future__ import annotations

from pathlib import Path

from _cli_support import chunks_of, cli, sample, write


def test_migrates_and_keeps_a_backup(tmp_path: Path) -> None:
    path = write(tmp_path / "a.rrd", sample(), footer=False)
    original = path.read_bytes()
    result = cli("rrd", "migrate", path)
    assert result.code == 0, result.stderr
    assert (
        "Migrating 1 .rrd file(s)…" in result.stderr and "1 file(s) successfully migrated." in result.stderr
    )
    assert (tmp_path / "a.backup.rrd").read_bytes() == original
    assert path.read_bytes()[-12:-4] == b"RRF2FOOT"
    assert [c.id for c in chunks_of(path)] == [c.id for c in chunks_of(tmp_path / "a.backup.rrd")]


def test_existing_backup_is_left_alone(tmp_path: Path) -> None:
    path = write(tmp_path / "a.rrd", sample())
    (tmp_path / "a.backup.rrd").write_bytes(b"precious")
    result = cli("rrd", "migrate", path)
    assert result.code == 0 and "already exists" in result.stderr
    assert (tmp_path / "a.backup.rrd").read_bytes() == b"precious"


def test_unreadable_file_is_restored(tmp_path: Path) -> None:
    good = write(tmp_path / "good.rrd", sample())
    bad = tmp_path / "bad.rrd"
    bad.write_bytes(b"# definitely not a recording")
    result = cli("rrd", "migrate", bad, good)
    assert result.code == 1 and "Failed to migrate 1/2 file(s)" in result.stderr
    assert bad.read_bytes() == b"# definitely not a recording" and not (tmp_path / "bad.backup.rrd").exists()
    assert (tmp_path / "good.backup.rrd").exists()


def test_missing_file(tmp_path: Path) -> None:
    result = cli("rrd", "migrate", tmp_path / "nope.rrd")
    assert result.code == 1 and "No such file" in result.stderr
