"""``DatasetEntry.segment_store``: our client's ``LazyStore`` of a segment is the reference client's.

One script runs in the reference venv (``rerun.catalog``) and in ours (``rerun_catalog``). It opens
fixture segments, and a segment with two layers and two assets (with and without them), and writes
what the store tells without loading anything (``len``, schema, summary), the chunks its stream
brings (ids, as a multiset: 0.41 gathers manifests concurrently, so their order varies), and reads
of the collected ``ChunkStore``. The reference client on the reference server is the oracle; our
client must agree on that server and on ours.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from test_catalog_reference import assert_same_results, fixture_copy, run_client  # noqa: F401
from test_server_reference import our_server, reference_server, serving

from _support import run_reference

pytestmark = pytest.mark.reference

CLIENT_SCRIPT = r"""
import json, sys
from pathlib import Path
import pyarrow as pa
import pyarrow.ipc as ipc
try:
    import rerun_catalog as catalog
except ImportError:
    import rerun.catalog as catalog

url, out, fixtures = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
client = catalog.CatalogClient(url)
result = {"tables": []}


def save(name, frame):
    table = frame.to_arrow_table()
    with ipc.new_file(out / f"{name}.arrow", table.schema) as writer:
        writer.write_table(table)
    result["tables"].append(name)


def describe(name, lazy, index, *, collected_len=True):
    store = lazy.stream().collect()
    result[name] = {
        "repr": repr(lazy), "len": len(lazy), "columns": lazy.schema().column_names(),
        "summary": lazy.summary().splitlines(), "chunks": sorted(str(c.id) for c in lazy.stream()),
        "collected_len": len(store) if collected_len else None,
    }
    save(f"{name}_static", store.reader(index=None))
    save(f"{name}_{index}", store.reader(index=index))


fx = client.get_dataset("fx")
for segment, index in (("points3d", "frame"), ("multi_timeline", "sensor_time"), ("static_data", "step"),
                       ("scalars_seq", "step")):
    describe(segment, fx.segment_store(segment), index)
try:
    fx.segment_store("nope")
except Exception as err:
    result["missing"] = type(err).__name__

assets = out.parent / "assets"  # written once for every run, so chunk ids agree
owner = client.create_dataset("owner")
files = [(fixtures / f"{name}.rrd").as_uri() for name in ("points3d", "scalars_seq")]
owner.register(files).wait()
owner.register(files[:1], layer_name="extra").wait()
owner.register_asset((assets / "asset_a.rrd").as_uri())
owner.register_asset((assets / "asset_b.rrd").as_uri(), mode="opt_in", segments=["points3d"])
for segment, index in (("points3d", "frame"), ("scalars_seq", "step")):
    describe(f"{segment}_layers", owner.segment_store(segment, include_assets=False), index)
    # which of two static chunks of one entity a collected store keeps is the core store's business
    describe(f"{segment}_assets", owner.segment_store(segment), index, collected_len=False)
print(json.dumps(result))
"""


ASSETS_SCRIPT = r"""
import sys
from pathlib import Path
import rerun as rr

for name in ("asset_a", "asset_b"):  # static only, as assets must be
    recording = rr.RecordingStream("assets", recording_id=name)
    recording.save(Path(sys.argv[1]) / f"{name}.rrd")
    recording.log("/label", rr.TextDocument(f"text of {name}"), static=True)
    recording.flush()
"""


def write_assets(python: Path, folder: Path) -> None:
    folder.mkdir()
    done = run_reference(python, "-c", ASSETS_SCRIPT, folder)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["asset_a.rrd", "asset_b.rrd"]


def test_segment_store_matches_reference(
    reference_python: Path,
    reference_rerun: Path,
    fixture_copy: Path,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
) -> None:
    write_assets(reference_python, tmp_path / "assets")
    runs = {}
    for client, python, server in (
        ("reference", reference_python, reference_server),
        ("ours", Path(sys.executable), reference_server),
        ("ours", Path(sys.executable), our_server),
    ):
        with serving(server("-d", f"fx={fixture_copy}")) as url:
            folder = tmp_path / f"{client}-{server.__name__}"
            runs[client, server.__name__] = run_client(python, url, folder, CLIENT_SCRIPT)
    expected = runs["reference", "reference_server"]
    facts = expected[0]
    assert facts["points3d"]["repr"] == "LazyStore(3 chunks)" and facts["missing"] == "NotFoundError"
    assert facts["points3d_layers"]["len"] == 6 and facts["points3d_assets"]["len"] == 8
    assert "/label:TextDocument:text" in facts["points3d_assets"]["columns"]
    assert "/label rows=1 static=True timelines=[] cols=[]" in facts["points3d_assets"]["summary"]
    assert expected[1]["points3d_assets_static"]["/label:TextDocument:text"].to_pylist() == [
        ["text of asset_b"]
    ]
    for pairing, run in runs.items():
        if pairing != ("reference", "reference_server"):
            assert_same_results(run, expected)
