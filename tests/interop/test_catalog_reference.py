"""Our ``CatalogClient`` gives the reference 0.41 client's answers, against either server.

One client script runs in two interpreters: the reference venv (``rerun.catalog``) and ours
(``rerun_catalog``). Each writes every result as an Arrow IPC file plus a JSON summary. Against the
reference ``rerun server`` and against ours, both serving the fixture files, the two clients must
agree: dataset and segment lists, schema column names, ``reader()`` for every index (with and
without ``fill_latest_at``, filtered by index and by segment, static-only, content-filtered, projected,
resampled), the segment table, and registration into a fresh dataset. Rows are compared after
sorting by segment and index, as neither side promises an order.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc as ipc
import pytest
from test_server_reference import assert_same_table, client_script, our_server, reference_server, serving

from _support import FIXTURES

pytestmark = pytest.mark.reference

SCENARIO_TIMEOUT_S = 240

CLIENT_SCRIPT = r"""
import json, sys
from pathlib import Path
import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
from datafusion import col, functions, lit
try:
    from rerun_catalog import CatalogClient
except ImportError:
    from rerun.catalog import CatalogClient

url, out, fixtures = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
client = CatalogClient(url)
result = {"tables": []}

# <script helpers>


result["datasets"] = sorted(client.dataset_names())
result["entries"] = sorted(repr(e) for e in client.entries())
ds = client.get_dataset("fx")
result["dataset"] = [ds.name, str(ds.id) == str(client.get_dataset(id=ds.id).id), repr(ds)]
result["segment_ids"] = sorted(ds.segment_ids())
result["schema"] = ds.schema().column_names()
result["index_columns"] = [c.name for c in ds.schema().index_columns()]
for index in result["index_columns"]:
    save(f"reader_{index}", ds.reader(index))
    save(f"fill_{index}", ds.reader(index, fill_latest_at=True))
save("reader_static", ds.reader(None))
save("filter_range", ds.reader("step").filter(col("step") >= lit(3), col("step") < lit(10)))
save("filter_segment", ds.reader("frame").filter(col("rerun_segment_id") == lit("points3d")))
save("filter_both", ds.reader("frame", fill_latest_at=True).filter(
    functions.in_list(col("rerun_segment_id"), [lit("points3d"), lit("boxes3d")]), col("frame") <= lit(4)))
values = {"points3d": np.array([1, 5, 1000]), "boxes3d": np.array([0, 7])}
save("samples", ds.filter_segments(["points3d", "boxes3d"]).reader("frame", using_index_values=values, fill_latest_at=True))
save("contents", ds.filter_contents(["/world/**", "-/world/points"]).reader("frame"))
# 0.41 pushes the projection into the read: rows only where a selected (or filtered) component has data
save("select_points", ds.reader("frame").select(
    col("rerun_segment_id"), col("frame"), col("/world/points:Points3D:positions")))
save("select_filtered", ds.reader("frame").filter(col("/world/points:Points3D:colors").is_not_null()).select(
    col("frame"), col("/world/labeled:Points3D:positions")))
save("select_static_only", ds.reader("frame").select(col("frame"), col("/world:ViewCoordinates:xyz")))
save("select_filled", ds.reader("frame", fill_latest_at=True).select(
    col("rerun_segment_id"), col("frame"), col("/world/points:Points3D:positions")))
save("segment_table", ds.segment_table().drop("rerun_last_updated_at"))
result["missing_dataset"] = error_of(lambda: client.get_dataset("nope"))
result["existing_dataset"] = error_of(lambda: client.create_dataset("fx"))

fresh = client.create_dataset("fresh")
files = [(fixtures / f"{name}.rrd").as_uri() for name in ("points3d", "scalars_seq")]
result["registered"] = sorted(fresh.register(files).wait().segment_ids)
result["fresh_segments"] = sorted(fresh.segment_ids())
save("fresh_reader", fresh.reader("frame"))
result["duplicate"] = error_of(lambda: fresh.register(files[:1]).wait())
fresh.delete()
table = client.create_table("scores", pa.schema([("name", pa.utf8()), ("score", pa.float64())]))
table.append(name=["a", "b"], score=[0.25, 0.5])
table.append(pa.record_batch({"name": ["c"], "score": [0.75]}))
save("table", table.reader())
table.overwrite(name=["z"], score=[1.0])
save("table_overwritten", table.reader())
result["table_names"] = sorted(client.table_names())
table.delete()
print(json.dumps(result))
"""


def run_client(
    python: str | Path, url: str, out: Path, script_text: str = CLIENT_SCRIPT
) -> tuple[dict, dict[str, pa.Table]]:
    """Run a client script (``url``, an output folder and the fixtures folder as arguments)."""
    out.mkdir(parents=True, exist_ok=True)
    script = out / "client.py"
    script.write_text(client_script(script_text))
    env = dict(os.environ, RERUN_ANALYTICS="0")
    done = subprocess.run(
        [str(python), str(script), url, str(out), str(FIXTURES)],
        capture_output=True, text=True, timeout=SCENARIO_TIMEOUT_S, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"client {python} failed on {url}:\n{done.stderr[-4000:]}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    tables = {name: ipc.open_file(out / f"{name}.arrow").read_all() for name in result.pop("tables")}
    return result, tables


def assert_same_results(
    ours: tuple[dict, dict[str, pa.Table]], theirs: tuple[dict, dict[str, pa.Table]]
) -> None:
    assert ours[0] == theirs[0]
    assert sorted(ours[1]) == sorted(theirs[1])
    for name, table in theirs[1].items():
        mine = ours[1][name]
        if name.startswith("table"):  # no index to sort by, and the server keeps no row order
            mine, table = mine.sort_by("name"), table.sort_by("name")
        assert_same_table(name, mine, table, any_column_order=not name.startswith("table"))


@pytest.fixture(scope="module")
def fixture_copy(tmp_path_factory: pytest.TempPathFactory, fixtures_dir: Path) -> Path:
    folder = tmp_path_factory.mktemp("fx")
    for path in sorted(fixtures_dir.glob("*.rrd")):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@pytest.mark.parametrize("server", ["reference", "ours"])
def test_our_client_matches_reference_client(
    server: str, reference_python: Path, reference_rerun: Path, fixture_copy: Path, tmp_path: Path
) -> None:
    command = reference_server if server == "reference" else our_server
    with serving(command("-d", f"fx={fixture_copy}")) as url:
        theirs = run_client(reference_python, url, tmp_path / "theirs")
    with serving(command("-d", f"fx={fixture_copy}")) as url:
        ours = run_client(sys.executable, url, tmp_path / "ours")
    assert theirs[1]["reader_step"].num_rows > 1000 and theirs[1]["samples"].num_rows == 5
    assert_same_results(ours, theirs)
