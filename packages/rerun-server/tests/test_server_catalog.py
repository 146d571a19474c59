"""The catalog on its own: entries and companions, registrations, tables, and persistence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pytest
from _server_support import FIXTURES

from rerun_server._catalog import DONE_TASK, Catalog
from rerun_server._datasets import ERROR, OVERWRITE, SKIP
from rerun_server._entries import ASSET_DATASET, BLUEPRINT_DATASET, DATASET, TABLE
from rerun_server._tables import APPEND, REPLACE
from rerun_server._tables import OVERWRITE as TABLE_OVERWRITE
from rerun_server.errors import AlreadyExistsError, FailedPreconditionError, InvalidArgumentError


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    if not FIXTURES.is_dir():
        pytest.skip("reference fixtures missing")
    urls = {}
    for name in ("points3d", "mesh3d", "scalars_seq"):
        shutil.copy(FIXTURES / f"{name}.rrd", tmp_path / f"{name}.rrd")
        urls[name] = (tmp_path / f"{name}.rrd").as_uri()
    return urls


def test_datasets_come_with_companions(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "store")
    try:
        dataset = catalog.entries.create_dataset("demo")
        kinds = {entry.name: entry.kind for entry in catalog.entries.find()}
        assert kinds == {"__entries": TABLE, "demo": DATASET, f"__bp_{dataset.id}": BLUEPRINT_DATASET,
                         f"__as_{dataset.id}": ASSET_DATASET}  # fmt: skip
        assert dataset.detail_id("asset_dataset") == catalog.entries.by_name(f"__as_{dataset.id}").id
        with pytest.raises(AlreadyExistsError):
            catalog.entries.create_dataset("demo")
        with pytest.raises(InvalidArgumentError, match="invalid character"):
            catalog.entries.create_dataset("a/b")
        catalog.entries.rename(dataset.id, "renamed")
        assert [e.name for e in catalog.entries.delete(dataset.id)][-1] == "renamed"
        assert [entry.name for entry in catalog.entries.find()] == ["__entries"]
    finally:
        catalog.close()


def test_registration_and_duplicates(tmp_path: Path, files: dict[str, str]) -> None:
    catalog = Catalog()
    try:
        dataset = catalog.entries.create_dataset("demo")
        outcomes, task = catalog.register(
            dataset, [(files["points3d"], "base"), (files["mesh3d"], "base")], ERROR
        )
        assert task == DONE_TASK and [o.segment for o in outcomes] == ["points3d", "mesh3d"]
        _, task = catalog.register(dataset, [(files["points3d"], "base")], ERROR)
        assert catalog.task(task).message.endswith('- Segment "points3d", layer "base": already exists')
        assert catalog.register(dataset, [(files["points3d"], "base")], SKIP)[1] == DONE_TASK
        assert catalog.register(dataset, [(files["points3d"], "extra")], ERROR)[1] == DONE_TASK
        segments = catalog.datasets.segments(dataset)
        assert list(segments) == ["points3d", "mesh3d"] and [x.layer for x in segments["points3d"]] == [
            "base",
            "extra",
        ]
        catalog.register(dataset, [(files["points3d"], "base")], OVERWRITE)
        dropped = catalog.datasets.unregister(dataset, ["points3d"], ["extra"])
        assert [(x.segment, x.layer) for x in dropped] == [("points3d", "extra")]
        schema = catalog.datasets.dataset_schema(dataset)
        assert schema.names[:3] == ["rerun.controls.RowId", "frame", "log_time"]
        assets = catalog.dataset(dataset.detail_id("asset_dataset"))
        _, task = catalog.register(assets, [(files["mesh3d"], "base")], ERROR)
        assert "only accept static chunks" in (catalog.task(task).message or "")
    finally:
        catalog.close()


def test_catalog_persists(tmp_path: Path, files: dict[str, str]) -> None:
    storage = tmp_path / "store"
    catalog = Catalog(storage)
    dataset = catalog.entries.create_dataset("demo")
    catalog.register(dataset, [(files["scalars_seq"], "base")], ERROR)
    table = catalog.tables.create("scores", pa.schema([("name", pa.utf8()), ("score", pa.float64())]))
    catalog.tables.write(table, [pa.record_batch({"name": ["a"], "score": [1.0]})], APPEND)
    catalog.close()

    reopened = Catalog(storage)
    try:
        dataset = reopened.entries.by_name("demo")
        assert list(reopened.datasets.segments(dataset)) == ["scalars_seq"]
        table = reopened.entries.by_name("scores")
        rows = pa.Table.from_batches(list(reopened.tables.scan(table)))
        assert rows.to_pylist() == [{"name": "a", "score": 1.0}]
    finally:
        reopened.close()


def test_table_writes(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "store")
    try:
        key = pa.field("name", pa.utf8(), metadata={"rerun:is_table_index": "true"})
        table = catalog.tables.create("scores", pa.schema([key, ("score", pa.float64())]))

        def rows() -> list[dict]:
            return pa.Table.from_batches(
                list(catalog.tables.scan(table)), schema=catalog.tables.schema(table)
            ).to_pylist()

        catalog.tables.write(table, [pa.record_batch({"score": [1.0, 2.0], "name": ["a", "b"]})], APPEND)
        catalog.tables.write(table, [pa.record_batch({"name": ["b", "c"], "score": [20.0, 30.0]})], REPLACE)
        assert sorted((r["name"], r["score"]) for r in rows()) == [("a", 1.0), ("b", 20.0), ("c", 30.0)]
        catalog.tables.write(table, [pa.record_batch({"name": ["z"], "score": [0.0]})], TABLE_OVERWRITE)
        assert rows() == [{"name": "z", "score": 0.0}]
        assert len(list((tmp_path / "store" / "tables").rglob("*.parquet"))) == 1
        with pytest.raises(InvalidArgumentError, match="do not match the table schema"):
            catalog.tables.write(table, [pa.record_batch({"other": [1]})], APPEND)
        external = tmp_path / "external.parquet"
        shutil.copy(next((tmp_path / "store" / "tables").rglob("*.parquet")), external)
        registered = catalog.load_table("external", external)
        assert pa.Table.from_batches(list(catalog.tables.scan(registered))).num_rows == 1
        with pytest.raises(FailedPreconditionError, match="read-only"):
            catalog.tables.write(registered, [], APPEND)
    finally:
        catalog.close()
