"""The rest of 0.41's catalog API: our client gives the reference client's answers, on either server.

Covers ``ContentFilter`` and AND-narrowing ``filter_contents``, ``info()``, ``get_index_ranges()``,
``segment()`` / ``layer()`` handles, ``segment_url``, the manifest, ``unregister`` and
``delete_segment_properties``, blueprints of datasets and tables, and assets.
One script runs in the reference venv (``rerun.catalog``) and in ours (``rerun_catalog``), each
against the reference ``rerun server`` and ours; the four runs must agree. Entry ids and URLs differ
between servers, so the script writes them as ``<ID>`` / ``<URL>``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from test_catalog_reference import assert_same_results, fixture_copy, run_client  # noqa: F401
from test_server_reference import our_server, reference_server, serving

pytestmark = pytest.mark.reference

CLIENT_SCRIPT = r"""
import json, shutil, sys, warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path
import pyarrow as pa
import pyarrow.ipc as ipc
try:
    import rerun_catalog as catalog
except ImportError:
    import rerun.catalog as catalog

CF = catalog.ContentFilter
url, out, fixtures = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
client = catalog.CatalogClient(url)
ds = client.get_dataset("fx")
result = {"tables": []}


def clean(text):
    for entry in client.entries(include_hidden=True):
        text = text.replace(str(entry.id), "<ID>")
    return text.replace(url, "<URL>")

# <script helpers>


def deprecation_of(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return sorted({w.category.__name__ for w in caught})


# ContentFilter and filter_contents
result["content_filter"] = [
    repr(CF.everything()), CF.nothing().to_exprs(), CF(["/a"]) == CF(("/a",)), CF(["/a"]) == ["/a"],
    CF.everything().exclude("/world", subtree=True).include("/world/points").include_properties().to_exprs(),
    CF.nothing().include("/a/**", subtree=True).exclude("/b").to_exprs(),
    error_of(lambda: CF.everything().include("world")), error_of(lambda: ds.filter_contents(5)),
    error_of(lambda: ds.filter_contents([5])),
]
selections = {
    "one": ds.filter_contents("/world/**"),
    "and": ds.filter_contents("/world/**").filter_contents(["/**", "-/world/boxes"]),
    "narrow": ds.filter_contents(CF.everything()).filter_contents(CF.nothing().include("/world/points")),
    "exclude_only": ds.filter_contents("-/world/boxes"),
    "nothing": ds.filter_contents(CF.nothing()),
    "segments": ds.filter_segments(["points3d", "boxes3d"]).filter_contents(CF.everything().exclude("/world/points")),
}
for name, selection in selections.items():
    result[f"repr_{name}"] = clean(repr(selection))
    save(f"contents_{name}", selection.reader("frame"))
result["repr_plain"] = [clean(repr(ds.filter_segments("points3d"))), clean(repr(ds.filter_contents([])))]
properties = ds.filter_contents(CF.everything().include_properties())
save("properties_static", properties.reader(None))
save("properties_and", ds.filter_contents(["/**", "/__properties/**"]).filter_contents("/__properties/experiment").reader(None))
save("properties_dropped", ds.filter_contents(["/**", "/__properties/**"]).filter_contents("/**").reader(None))

# overview
info = ds.info()
result["info"] = repr(info)
result["info_fields"] = [
    info.dataset_name, info.num_segments, info.size_bytes, info.num_entities, info.num_component_columns,
    sorted(info.property_columns), sorted(repr(layer) for layer in info.layers),
    sorted((t.name, t.kind, t.num_segments, repr(t.min), repr(t.max)) for t in info.timelines),
]
save("index_ranges", ds.get_index_ranges())
save("index_ranges_selection", ds.filter_segments(["points3d", "scalars_seq"]).filter_contents("/world/**").get_index_ranges())

# handles and URLs
segment = ds.segment("points3d")
result["segment"] = [clean(repr(segment)), str(segment), segment.id, clean(segment.url), repr(segment.dataset),
                     sorted(segment.layers()), segment.schema().column_names()]
result["segment_missing"] = error_of(lambda: ds.segment("nope"))
layer = ds.layer("base")
result["layer"] = [clean(repr(layer)), str(layer), layer.name, sorted(layer.segment_ids())]
result["layer_missing"] = error_of(lambda: ds.layer("nope"))
utc = timezone.utc
result["urls"] = [clean(u) for u in (
    ds.segment_url("points3d"), ds.segment_url("points3d", "frame", 1, 5), ds.segment_url("points3d", "frame", 1),
    ds.segment_url("s", "t", datetime(2024, 1, 1, 12, 0, 5, 123456, tzinfo=utc), datetime(2024, 1, 1, 12, 0, 6, tzinfo=utc)),
    ds.segment_url("s", "t", datetime(2024, 1, 1, tzinfo=utc), datetime(2024, 1, 1, 0, 0, 0, 500000, tzinfo=utc)),
    ds.segment_url("s", "t", timedelta(seconds=1.5), timedelta(minutes=1, seconds=30, microseconds=3)),
    ds.segment_url("s", "t", timedelta(seconds=-3661.25), timedelta(days=1, seconds=1.5)),
    ds.segment_url("s", "t", -5, 10**12), ds.segment_url("s", "t", 1, timedelta(seconds=2)),
)]
result["url_error"] = error_of(lambda: ds.segment_url("s", start=1))

# manifest (registration times differ between runs; schema hashes between servers, as they hash their own bytes)
manifest = ds._manifest()
result["schema_hashes"] = sorted({len(h) for h in manifest.to_arrow_table()["rerun_schema_sha256"].to_pylist()})
save("manifest", manifest.drop("rerun_registration_time", "rerun_last_updated_at", "rerun_schema_sha256"))
result["deprecated"] = [deprecation_of(lambda: ds.manifest()), deprecation_of(lambda: ds.arrow_schema())]

# unregistering
fresh = client.create_dataset("fresh")
files = [(fixtures / f"{name}.rrd").as_uri() for name in ("points3d", "scalars_seq", "boxes3d")]
fresh.register(files).wait()
fresh.register(files[:2], layer_name="extra").wait()
result["layers"] = [sorted(fresh.segment("points3d").layers()), sorted(fresh.layer("extra").segment_ids())]
result["unregister_nothing"] = error_of(lambda: fresh.unregister(segments_to_drop=[], layers_to_drop=[]))
fresh.segment("points3d").delete_layer("extra").wait()
result["after_delete_layer"] = [sorted(fresh.segment("points3d").layers()), sorted(fresh.layer("extra").segment_ids())]
fresh.unregister(segments_to_drop="boxes3d", layers_to_drop=[]).wait()
fresh.unregister(segments_to_drop=["missing"], layers_to_drop=["base"]).wait()
result["after_unregister"] = sorted(fresh.segment_ids())
fresh.unregister(segments_to_drop=[], layers_to_drop="base").wait()
result["only_extra"] = [sorted(fresh.segment_ids()), error_of(lambda: fresh.layer("base"))]
result["delete_properties"] = [fresh.delete_segment_properties(["points3d"]), fresh.delete_segment_properties("nope")]
save("fresh_segment_table", fresh.segment_table().drop("rerun_last_updated_at"))

# blueprints
blueprints = ds.blueprint_dataset()
result["blueprint_dataset"] = [clean(repr(blueprints)), str(blueprints.kind), ds.blueprints(), ds.default_blueprint()]
rbl = (fixtures / "blueprint.rbl").as_uri()
ds.register_blueprint(rbl)
registered = ds.blueprints()
result["registered"] = [len(registered), registered[0].startswith("rec_"), ds.default_blueprint() == registered[0]]
ds.set_default_blueprint(None)
result["cleared"] = ds.default_blueprint()
ds.register_blueprint(rbl, segment_table=True)
result["table_default"] = [ds.default_segment_table_blueprint() == registered[0], ds.default_blueprint(), ds.blueprints() == registered]
ds.register_blueprint(rbl, set_default=False)
ds.set_default_blueprint(registered[0])
result["set_again"] = [ds.default_blueprint() == registered[0], blueprints.blueprint_dataset()]
result["blueprint_info"] = clean(repr(blueprints.info())).split("\n")[:3]
fresh.delete()

# tables' blueprints, maintenance (not offered by 0.41's open-source server), small types
table = client.create_table("with_blueprint", pa.schema([("a", pa.int64())]))
result["table_blueprints"] = [clean(repr(table.blueprint_dataset())), table.blueprints(), table.default_blueprint()]
table.register_blueprint(rbl)
result["table_registered"] = [table.blueprints() == registered, table.default_blueprint() == registered[0]]
table.set_default_blueprint(None)
result["table_cleared"] = table.default_blueprint()
table.delete()

# assets: static recordings (written here by this venv's SDK) applying to some segments
import rerun as rr

for name in ("asset_a", "asset_b"):
    recording = rr.RecordingStream("assets", recording_id=name)
    recording.save(out / f"{name}.rrd")
    recording.log("/label", rr.TextDocument(f"text of {name}"), static=True)
    recording.flush()
    del recording
owner = client.create_dataset("with_assets")
owner.register(files[:2]).wait()
result["no_assets"] = [clean(repr(owner.asset_dataset())), owner.assets()]
result["asset_ids"] = [
    owner.register_asset((out / "asset_a.rrd").as_uri()),
    owner.register_asset((out / "asset_b.rrd").as_uri(), mode="opt_in", segments=["points3d"]),
]
coverage = lambda: {s: sorted(owner.assets_for_segment(s)) for s in ("points3d", "scalars_seq", "nope")}
result["coverage"] = [sorted(owner.assets()), coverage()]
owner.remove_segments_from_asset("asset_a", ["scalars_seq"])
owner.add_segments_to_asset("asset_b", ["scalars_seq"])
owner.remove_segments_from_asset("asset_b", ["points3d"])
result["edited"] = coverage()
result["with_assets_schema"] = owner.segment("scalars_seq").schema(include_assets=True).column_names()
owner.unregister_asset("asset_a")
owner.unregister_asset("nope")
result["unregistered"] = [sorted(owner.assets()), coverage()]
result["temporal_asset"] = error_of(lambda: owner.register_asset(files[0]))
owner.delete()


def raises_runtime_error(call):
    try:
        call()
    except RuntimeError:
        return True
    return False


result["maintenance"] = [raises_runtime_error(ds.do_maintenance), raises_runtime_error(client.do_global_maintenance)]
speed = client.benchmark(num_bytes=1 << 20, num_pings=2)
result["benchmark"] = [
    type(speed.rtt).__name__, speed.rtt.total_seconds() > 0, speed.bandwidth is None or speed.bandwidth > 0,
    repr(speed).startswith("BenchmarkResult(rtt="),
]
duplicate = catalog.OnDuplicateSegmentLayer
result["small_types"] = [
    str(duplicate.ERROR), duplicate("skip") == "skip", [d.value for d in duplicate], len(ds.id.as_bytes()),
    repr(catalog.IndexColumnSelector("frame")), repr(catalog.ComponentColumnSelector("a/b", "Points3D:positions")),
    catalog.IndexColumnSelector("frame") == catalog.IndexColumnSelector("frame"),
]
print(json.dumps(result))
"""


def test_catalog_api_matches_reference(
    reference_python: Path,
    reference_rerun: Path,
    fixture_copy: Path,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
) -> None:
    """Every pairing of client (reference, ours) and server (reference, ours) gives the same answers."""
    runs = {}
    for server, command in (("reference", reference_server), ("ours", our_server)):
        for client, python in (("reference", reference_python), ("ours", sys.executable)):
            with serving(command("-d", f"fx={fixture_copy}")) as url:
                runs[client, server] = run_client(python, url, tmp_path / f"{client}-{server}", CLIENT_SCRIPT)
    expected = runs["reference", "reference"]
    assert expected[0]["info"].startswith("DatasetInfo(fx: 14 segments, ")
    assert expected[1]["contents_nothing"].num_rows == 0 < expected[1]["contents_narrow"].num_rows
    assert expected[1]["index_ranges"].num_rows == 14
    for pairing, run in runs.items():
        if pairing != ("reference", "reference"):
            assert_same_results(run, expected)
