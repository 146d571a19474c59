"""What the server derives from its database is remembered until the database changes, by anyone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from _server_support import FIXTURES

from rerun_server._catalog import Catalog
from rerun_server._datasets import ERROR
from rerun_server._db import Database, is_modest


def _counting(values: list[int]) -> int:
    values.append(len(values))
    return values[-1]


def test_derived_values_last_until_a_write(tmp_path: Path) -> None:
    db = Database(tmp_path / "catalog.sqlite3")
    try:
        derived: list[int] = []
        assert db.remembered("k", lambda: _counting(derived)) == 0
        assert db.remembered("k", lambda: _counting(derived)) == 0  # not derived again
        with db.transaction() as conn:
            conn.execute("INSERT INTO meta VALUES ('a', '1')")
        assert db.remembered("k", lambda: _counting(derived)) == 1
        with pytest.raises(RuntimeError), db.transaction() as conn:
            conn.execute("INSERT INTO meta VALUES ('b', '2')")
            assert db.remembered("other", lambda: _counting(derived)) == 2  # may see the row: then forgotten
            raise RuntimeError("abort")
        assert db.remembered("other", lambda: _counting(derived)) == 3
    finally:
        db.close()


def test_answers_too_big_to_keep_are_derived_each_time(tmp_path: Path) -> None:
    db = Database(tmp_path / "catalog.sqlite3")
    try:
        derived: list[int] = []

        def big_answer() -> bytes:
            return bytes(1 << 20) + bytes([_counting(derived)])

        assert db.remembered("big", big_answer, keep=is_modest)[-1] == 0
        assert db.remembered("big", big_answer, keep=is_modest)[-1] == 1
        assert db.remembered("small", lambda: b"ok", keep=is_modest) == b"ok"
        assert db.remembered("small", lambda: b"derived again", keep=is_modest) == b"ok"
    finally:
        db.close()


def test_a_commit_by_another_process_is_a_change(tmp_path: Path) -> None:
    ours, theirs = Database(tmp_path / "catalog.sqlite3"), Database(tmp_path / "catalog.sqlite3")
    try:
        derived: list[int] = []
        assert ours.remembered("k", lambda: _counting(derived)) == 0
        with theirs.transaction() as conn:
            conn.execute("INSERT INTO meta VALUES ('a', '1')")
        assert ours.remembered("k", lambda: _counting(derived)) == 1
    finally:
        ours.close()
        theirs.close()


def test_registration_reaches_the_remembered_schema_and_layers(tmp_path: Path) -> None:
    if not FIXTURES.is_dir():
        pytest.skip("reference fixtures missing")
    for name in ("points3d", "scalars_seq"):
        shutil.copy(FIXTURES / f"{name}.rrd", tmp_path / f"{name}.rrd")
    catalog = Catalog(tmp_path / "store")
    try:
        dataset = catalog.entries.create_dataset("demo")
        catalog.register(dataset, [((tmp_path / "points3d.rrd").as_uri(), "base")], ERROR)
        assert "step" not in catalog.datasets.dataset_schema(dataset).names
        assert list(catalog.datasets.segments(dataset)) == ["points3d"]
        catalog.register(dataset, [((tmp_path / "scalars_seq.rrd").as_uri(), "base")], ERROR)
        assert "step" in catalog.datasets.dataset_schema(dataset).names
        assert list(catalog.datasets.segments(dataset)) == ["points3d", "scalars_seq"]
        catalog.datasets.unregister(dataset, ["scalars_seq"], [])
        assert "step" not in catalog.datasets.dataset_schema(dataset).names
        assert [layer.segment for layer in catalog.datasets.layers(dataset)] == ["points3d"]
    finally:
        catalog.close()
