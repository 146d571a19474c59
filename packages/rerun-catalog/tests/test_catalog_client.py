"""``rerun_catalog`` against our server, in-process: listing, schemas, reads, registration, tables, errors."""

from __future__ import annotations

import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import datafusion
import pyarrow as pa
import pytest
from datafusion import col, lit

import rerun_catalog as rc
from rerun_server import Server

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "reference-0.41"
FILES = ("points3d", "scalars_seq", "multi_timeline")


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not FIXTURES.is_dir():
        pytest.skip(f"reference fixtures are missing ({FIXTURES})")
    folder = tmp_path_factory.mktemp("fx")
    for name in FILES:
        shutil.copy(FIXTURES / f"{name}.rrd", folder / f"{name}.rrd")
    return folder


@pytest.fixture(scope="module")
def server(fixture_dir: Path) -> Iterator[Server]:
    with Server(host="127.0.0.1", port=0, datasets={"fx": fixture_dir}) as running:
        yield running


@pytest.fixture
def client(server: Server) -> rc.CatalogClient:
    return rc.CatalogClient(server.url())


def sorted_rows(frame: datafusion.DataFrame, index: str) -> pa.Table:
    return frame.to_arrow_table().sort_by([("rerun_segment_id", "ascending"), (index, "ascending")])


def test_listing_and_lookup(client: rc.CatalogClient) -> None:
    assert client.dataset_names() == ["fx"]
    assert [e.kind for e in client.entries()] == [rc.EntryKind.DATASET]
    assert {e.kind for e in client.datasets(include_hidden=True)} == {
        rc.EntryKind.DATASET, rc.EntryKind.BLUEPRINT_DATASET, rc.EntryKind.ASSET_DATASET
    }  # fmt: skip
    ds = client.get_dataset("fx")
    assert repr(ds) == "Entry(EntryKind.DATASET, 'fx')"
    assert client.get_dataset(id=ds.id) == ds == str(ds.id)
    assert sorted(ds.segment_ids()) == sorted(FILES)
    assert client.version_info().features == ["per_segment_index_values"]


def test_server_client_is_ours(server: Server) -> None:
    assert isinstance(server.client(), rc.CatalogClient)


def test_schema_and_reader_columns(client: rc.CatalogClient) -> None:
    ds = client.get_dataset("fx")
    schema = ds.schema()
    assert isinstance(schema, rc.Schema)
    assert "frame" in [c.name for c in schema.index_columns()]
    frame = ds.reader("frame")
    assert isinstance(frame, datafusion.DataFrame)
    table = frame.to_arrow_table()
    assert table.column_names[0] == "rerun_segment_id"
    assert table.schema.field("rerun_segment_id").type == pa.utf8()
    assert set(table.column_names) - {"rerun_segment_id"} <= set(schema.column_names())
    assert table.schema.metadata == {b"sorbet:version": b"0.1.4"}
    assert not [name for name in table.column_names if name.startswith("property:")]


def test_filters_are_pushed_down_and_exact(client: rc.CatalogClient) -> None:
    ds = client.get_dataset("fx")
    everything = sorted_rows(ds.reader("step"), "step")
    filtered = sorted_rows(ds.reader("step").filter(col("step") >= lit(3), col("step") < lit(10)), "step")
    expected = everything.filter(pa.compute.and_(pa.compute.greater_equal(everything["step"], 3),
                                                 pa.compute.less(everything["step"], 10)))  # fmt: skip
    assert filtered.equals(expected)
    one = ds.reader("frame").filter(col("rerun_segment_id") == lit("points3d")).to_arrow_table()
    assert set(one["rerun_segment_id"].to_pylist()) == {"points3d"}
    assert one.num_rows == ds.filter_segments("points3d").reader("frame").count()


def test_fill_latest_at_and_samples(client: rc.CatalogClient) -> None:
    ds = client.get_dataset("fx").filter_segments(["points3d"])
    plain = ds.reader("frame").to_arrow_table()
    filled = ds.reader("frame", fill_latest_at=True).to_arrow_table()
    assert plain.num_rows == filled.num_rows
    assert sum(c.null_count for c in filled.columns) <= sum(c.null_count for c in plain.columns)
    sampled = ds.reader("frame", using_index_values={"points3d": [1, 5, 1000]}, fill_latest_at=True)
    assert sorted(sampled.to_arrow_table()["frame"].to_pylist()) == [1, 5, 1000]


def test_static_and_contents(client: rc.CatalogClient) -> None:
    ds = client.get_dataset("fx")
    static = ds.reader(None).to_arrow_table()
    assert static.num_rows <= len(FILES)
    world = ds.filter_contents(["/world/**", "-/world/points"]).reader("frame").to_arrow_table()
    components = [n for n in world.column_names if n.startswith("/")]
    assert components and all(
        n.startswith("/world/") and not n.startswith("/world/points:") for n in components
    )
    with pytest.raises(ValueError, match="Index 'nope' does not exist"):
        ds.reader("nope")


def test_segment_table(client: rc.CatalogClient) -> None:
    table = client.get_dataset("fx").segment_table().to_arrow_table()
    assert sorted(table["rerun_segment_id"].to_pylist()) == sorted(FILES)
    assert {"rerun_layer_names", "rerun_num_chunks", "rerun_size_bytes"} <= set(table.column_names)


def test_register_and_errors(client: rc.CatalogClient, fixture_dir: Path) -> None:
    fresh = client.create_dataset("fresh_register")
    try:
        uris = [(fixture_dir / f"{name}.rrd").as_uri() for name in FILES[:2]]
        assert sorted(fresh.register(uris).wait().segment_ids) == sorted(FILES[:2])
        assert sorted(fresh.segment_ids()) == sorted(FILES[:2])
        with pytest.raises(ValueError, match="Registration failed"):
            fresh.register(uris[:1]).wait()
        assert client.create_dataset("fresh_register", exist_ok=True) == fresh
        with pytest.raises(rc.AlreadyExistsError):
            client.create_dataset("fresh_register")
    finally:
        fresh.delete()
    with pytest.raises(LookupError, match="No dataset found with name 'fresh_register'"):
        client.get_dataset("fresh_register")
    with pytest.raises(rc.NotFoundError):
        client.get_dataset(id=fresh.id)


def test_tables(client: rc.CatalogClient) -> None:
    table = client.create_table("scores_unit", pa.schema([("name", pa.utf8()), ("score", pa.float64())]))
    try:
        table.append(name=["a", "b"], score=[0.25, 0.5])
        table.append(pa.record_batch({"name": ["c"], "score": [0.75]}))
        assert sorted(table.reader().to_arrow_table()["name"].to_pylist()) == ["a", "b", "c"]
        table.overwrite(name=["z"], score=[1.0])
        assert table.reader().to_arrow_table().to_pylist() == [{"name": "z", "score": 1.0}]
        assert client.get_table("scores_unit") == table and "scores_unit" in client.table_names()
        with pytest.raises(ValueError, match="unknown column"):
            table.append(nope=[1])
    finally:
        table.delete()


def _free_url(scheme: str = "rerun+http") -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"{scheme}://127.0.0.1:{probe.getsockname()[1]}"


def test_connection_error_names_the_url() -> None:
    url = _free_url()
    with pytest.raises(ConnectionError, match=f"failed to connect to server '{re.escape(url)}'"):
        rc.CatalogClient(url)


def test_bad_urls() -> None:
    with pytest.raises(ValueError, match="invalid url"):
        rc.CatalogClient("ftp://nowhere")
    url = _free_url("http")
    with pytest.warns(UserWarning, match=re.escape(f"rerun+{url}")), pytest.raises(rc.CatalogConnectionError):
        rc.CatalogClient(url)


def test_public_api_is_all() -> None:
    assert sorted(rc.__all__) == sorted(n for n in dir(rc) if not n.startswith("_") and n not in {"errors"})
