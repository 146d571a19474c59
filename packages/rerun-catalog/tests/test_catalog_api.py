"""The rest of 0.41's catalog API against our server, in-process: content filters, ``info()``, handles,
URLs, unregistering, blueprints and deprecated names. Expected texts were printed by the reference
0.41 client on the same fixture files (``tests/interop/test_catalog_api_reference.py`` compares the
two clients directly)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pytest

import rerun_catalog as rc
from rerun_catalog._format import format_bytes, format_index_value, url_time
from rerun_server import Server

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "reference-0.41"
FILES = ("points3d", "scalars_seq", "multi_timeline")
CF = rc.ContentFilter


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not FIXTURES.is_dir():
        pytest.skip(f"reference fixtures are missing ({FIXTURES})")
    folder = tmp_path_factory.mktemp("fx")
    for name in FILES:
        shutil.copy(FIXTURES / f"{name}.rrd", folder / f"{name}.rrd")
    return folder


@pytest.fixture(scope="module")
def client(fixture_dir: Path) -> Iterator[rc.CatalogClient]:
    with Server(host="127.0.0.1", port=0, datasets={"fx": fixture_dir}) as running:
        yield rc.CatalogClient(running.url())


def test_content_filter_builds_expressions() -> None:
    built = CF.everything().exclude("/world", subtree=True).include("/world/points").include_properties()
    assert built.to_exprs() == ["/**", "-/world/**", "/world/points", "/__properties/**"]
    assert CF.nothing().include("/a/**", subtree=True).to_exprs() == ["/a/**"]
    assert CF(["/a"]) == CF(("/a",)) and hash(CF(["/a"])) == hash(CF(("/a",))) and CF(["/a"]) != ["/a"]
    assert repr(CF.everything()) == "ContentFilter(['/**'])"
    with pytest.raises(ValueError, match="must start with '/', got: 'world'"):
        CF.everything().include("world")


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        ("sequence", 1000, "#1\u2009000"),
        ("sequence", -12345, "#\u221212\u2009345"),
        ("sequence", 2**63 - 1, "end"),
        ("duration", 49_500_000_000, "+49.5s"),
        ("duration", 9_990_000_000, "+9.990s"),
        ("duration", 2_500, "+0.000\u2009003s"),
        ("duration", 1_234_567_800_000, "+1\u2009234.567\u2009800s"),
        ("duration", -5, "\u22120s"),
        ("timestamp", 1_704_110_405_123_456_789, "2024-01-01 12:00:05.123\u2009456Z"),
        ("timestamp", 1_704_110_405_500_000_000, "2024-01-01 12:00:05.5Z"),
        ("timestamp", -1_500, "1969-12-31 23:59:59.999\u2009998Z"),
    ],
)
def test_index_values_read_as_in_0_41(kind: str, value: int, text: str) -> None:
    assert format_index_value(kind, value) == text  # type: ignore[arg-type]


def test_bytes_and_url_times_read_as_in_0_41() -> None:
    sizes = [999, 1024, 102_297, 102_400, 104_858, 242_062, 1_048_575, 3_489_660_928, 2 * 1024**4]
    expected = [
        "999 B",
        "1.0 KiB",
        "99.9 KiB",
        "100.0 KiB",
        "102 KiB",
        "236 KiB",
        "1024 KiB",
        "3.2 GiB",
        "2048 GiB",
    ]
    assert [format_bytes(size) for size in sizes] == expected
    durations = [timedelta(seconds=60), timedelta(seconds=3661), timedelta(days=1, seconds=1.5),
                 timedelta(minutes=2, microseconds=1500), timedelta(seconds=-3661.25), timedelta(0)]  # fmt: skip
    assert [url_time(d, d) for d in durations] == [
        "+1m", "+1h1m1s", "+1d1.5s", "+2m0.001\u2009500s", "\u22121h1m1.250s", "+0s"
    ]  # fmt: skip
    moment = datetime(2024, 1, 1, 0, 0, 0, 120000, tzinfo=timezone(timedelta(hours=2)))
    assert url_time(moment, moment) == "2023-12-31T22:00:00.12Z"
    assert url_time(timedelta(seconds=2), 1) == "2000000000"
    with pytest.raises(TypeError, match="int, datetime or timedelta, got str"):
        url_time("x", 1)  # type: ignore[arg-type]


def test_filter_contents_narrows(client: rc.CatalogClient) -> None:
    ds = client.get_dataset("fx")
    narrowed = ds.filter_contents("/world/**").filter_contents(["/**", "-/world/labeled"])
    components = [n for n in narrowed.reader("frame").schema().names if n.startswith("/")]
    assert components == ["/world/points:Points3D:colors", "/world/points:Points3D:positions",
                          "/world/points:Points3D:radii"]  # fmt: skip
    assert repr(narrowed) == (
        "DatasetSelection(Entry(EntryKind.DATASET, 'fx'), all segments, "
        "content_filters=['+ /world/**', '+ /** - /world/labeled'])"
    )
    assert ds.filter_contents(CF.nothing()).reader("frame").count() == 0
    assert ds.filter_contents("-/world/points").reader("frame").count() == 0
    properties = ds.filter_contents(CF.everything().include_properties()).reader(None).schema().names
    assert "property:RecordingInfo:name" in properties
    dropped = ds.filter_contents(["/**", "/__properties/**"]).filter_contents("/**").reader(None)
    assert not [n for n in dropped.schema().names if n.startswith("property:")]
    with pytest.raises(TypeError, match="got 5"):
        ds.filter_contents([5])  # type: ignore[list-item]


def test_info_and_index_ranges(client: rc.CatalogClient) -> None:
    ds = client.get_dataset("fx")
    assert repr(ds.info()) == (
        "DatasetInfo(fx: 3 segments, 103 KiB)\n  contents: 9 entities, 20 component columns\n"
        "  properties: property:RecordingInfo:name, property:RecordingInfo:start_time\n"
        "  layers:\n    base: in 3 segments\n  timelines:\n"
        "    elapsed: duration, +0s … +49.5s, in 1 segment\n    frame: sequence, #0 … #10, in 1 segment\n"
        "    frame_nr: sequence, #0 … #1\u2009000, in 1 segment\n"
        "    log_time: timestamp, 2026-11-25 11:34:47.116\u2009376Z … 2026-11-25 11:34:47.230\u2009569Z, in 3 segments\n"
        "    sensor_time: timestamp, 2024-01-01 12:00:00Z … 2024-01-01 12:00:05Z, in 1 segment\n"
        "    step: sequence, #0 … #999, in 1 segment"
    )
    ranges = ds.filter_segments(["points3d"]).get_index_ranges().to_arrow_table()
    assert ranges.num_rows == 1 and ranges["frame:end"].to_pylist() == [10]
    assert ranges.column_names[0] == "rerun_segment_id" and "step:start" in ranges.column_names


def test_segment_and_layer_handles(client: rc.CatalogClient) -> None:
    ds = client.get_dataset("fx")
    segment = ds.segment("points3d")
    assert repr(segment) == f'Segment(dataset_id={ds.id}, id="points3d")' and str(segment) == "points3d"
    assert segment.layers() == {"base"} and segment.url == f"{client.url}/dataset/{ds.id}?segment_id=points3d"
    assert segment.schema().column_names()[:3] == ["frame", "log_time", "/world/labeled:Points3D:class_ids"]
    with pytest.raises(rc.NotFoundError):
        ds.segment("nope")
    assert sorted(ds.layer("base").segment_ids()) == sorted(FILES)
    with pytest.raises(ValueError, match=r'LayerName\("nope"\) not found .* Available layers: \["base"\]'):
        ds.layer("nope")
    assert ds.segment_url("s", "frame", 1, 5).endswith("?segment_id=s#when=frame@1&time_selection=frame@1..5")
    with pytest.raises(ValueError, match="`timeline` must also be specified"):
        ds.segment_url("s", start=1)


def test_unregister_layers_and_segments(client: rc.CatalogClient, fixture_dir: Path) -> None:
    ds = client.create_dataset("unregister_me")
    try:
        files = [(fixture_dir / f"{name}.rrd").as_uri() for name in FILES]
        ds.register(files).wait()
        ds.register(files[:1], layer_name="extra").wait()
        assert ds.segment("points3d").layers() == {"base", "extra"}
        ds.segment("points3d").delete_layer("extra").wait()
        assert ds.segment("points3d").layers() == {"base"}
        ds.unregister(segments_to_drop="scalars_seq", layers_to_drop=[]).wait()
        assert sorted(ds.segment_ids()) == ["multi_timeline", "points3d"]
        with pytest.raises(ValueError, match="at least one segment"):
            ds.unregister(segments_to_drop=[], layers_to_drop=[])
        ds.delete_segment_properties(["points3d"])  # none set: no error
        assert len(ds._manifest().to_arrow_table()) == 2
    finally:
        ds.delete()


def test_blueprints(client: rc.CatalogClient) -> None:
    ds = client.create_dataset("with_blueprints")
    try:
        blueprints = ds.blueprint_dataset()
        assert blueprints is not None and blueprints.kind == rc.EntryKind.BLUEPRINT_DATASET
        assert blueprints.name == f"__bp_{ds.id}" and ds.blueprints() == [] and ds.default_blueprint() is None
        ds.register_blueprint((FIXTURES / "blueprint.rbl").as_uri())
        (registered,) = ds.blueprints()
        assert registered.startswith("rec_") and ds.default_blueprint() == registered
        ds.set_default_blueprint(None)
        assert ds.default_blueprint() is None
        ds.register_blueprint((FIXTURES / "blueprint.rbl").as_uri(), segment_table=True)
        assert ds.default_segment_table_blueprint() == registered and ds.default_blueprint() is None
    finally:
        ds.delete()


def test_assets(client: rc.CatalogClient, fixture_dir: Path, tmp_path: Path) -> None:
    import rerun as rr

    recording = rr.RecordingStream("assets", recording_id="logo")
    recording.save(tmp_path / "logo.rrd")
    recording.log("/logo", rr.TextDocument("a logo"), static=True)
    recording.flush()
    ds = client.create_dataset("with_assets")
    try:
        ds.register([(fixture_dir / f"{name}.rrd").as_uri() for name in FILES]).wait()
        assert (
            ds.register_asset((tmp_path / "logo.rrd").as_uri(), mode="opt_in", segments=["points3d"])
            == "logo"
        )
        assert ds.assets() == ["logo"] and ds.assets_for_segment("points3d") == ["logo"]
        assert ds.assets_for_segment("scalars_seq") == []
        ds.add_segments_to_asset("logo", ["scalars_seq"])
        ds.remove_segments_from_asset("logo", ["points3d"])
        assert ds.assets_for_segment("scalars_seq") == ["logo"] and ds.assets_for_segment("points3d") == []
        assert (
            "/logo:TextDocument:text" in ds.segment("scalars_seq").schema(include_assets=True).column_names()
        )
        with pytest.raises(ValueError, match="asset datasets only accept static chunks"):
            ds.register_asset((fixture_dir / "points3d.rrd").as_uri())
        ds.unregister_asset("logo")
        assert ds.assets() == []
    finally:
        ds.delete()


def test_table_blueprints_and_maintenance(client: rc.CatalogClient) -> None:
    table = client.create_table("with_blueprint", pa.schema([("a", pa.int64())]))
    try:
        assert table.blueprints() == [] and table.default_blueprint() is None
        table.register_blueprint((FIXTURES / "blueprint.rbl").as_uri())
        (registered,) = table.blueprints()
        assert table.default_blueprint() == registered
        table.set_default_blueprint(None)
        assert table.default_blueprint() is None
    finally:
        table.delete()
    with pytest.raises(rc.UnimplementedError, match="DoMaintenance") as failure:
        client.get_dataset("fx").do_maintenance(optimize_indexes=True)
    assert isinstance(failure.value, RuntimeError)  # what 0.41 raises
    with pytest.raises(NotImplementedError):
        client.do_global_maintenance()


def test_benchmark(client: rc.CatalogClient) -> None:
    result = client.benchmark(num_bytes=3 << 20, num_pings=2)
    assert 0 < result.rtt.total_seconds() < 5 and (result.bandwidth is None or result.bandwidth > 0)
    assert re.fullmatch(r"BenchmarkResult\(rtt=[0-9.]+ (μs|ms|s), bandwidth=.+\)", repr(result))
    with pytest.raises(ValueError, match="must be positive"):
        client.benchmark(num_pings=0)


def test_small_types() -> None:
    assert str(rc.OnDuplicateSegmentLayer.SKIP) == "skip" == rc.OnDuplicateSegmentLayer("skip")
    assert (
        rc.EntryId("18EB523D4CD381345429b03783e6c994").as_bytes().hex() == "18eb523d4cd381345429b03783e6c994"
    )
    assert repr(rc.IndexColumnSelector("frame")) == "Index(timeline:frame)"
    assert str(rc.ComponentColumnSelector("a/b", "Points3D:positions")) == "/a/b:Points3D:positions"


def test_deprecated_names_warn(client: rc.CatalogClient) -> None:
    with pytest.warns(DeprecationWarning, match="`DatasetView` alias is deprecated"):
        assert rc.DatasetView is rc.DatasetSelection  # type: ignore[attr-defined]
    with pytest.warns(DeprecationWarning, match="`RegistrationHandle` alias is deprecated"):
        assert rc.RegistrationHandle is rc.RegistrationOperation  # type: ignore[attr-defined]
    with pytest.warns(DeprecationWarning, match=r"schema\(\).to_arrow\(\)"):
        client.get_dataset("fx").arrow_schema()
    with pytest.warns(DeprecationWarning, match="manifest"):
        client.get_dataset("fx").manifest()
