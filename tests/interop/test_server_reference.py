"""The reference 0.41 ``CatalogClient`` gets the same answers from our server as from the reference's.

Both ``rerun server`` binaries serve the same fixture files (``-d fx=<fixtures>``) on loopback. Each
scenario runs the reference client in one subprocess of the reference venv, which writes every
result as an Arrow IPC file plus a JSON summary; we run it against both servers and compare: dataset
and segment lists, the dataset schema (with metadata), ``reader()`` outputs for every index, with
filters, projections, ``fill_latest_at``, sampled index values and content filters, the segment
table, and ``create_dataset`` + ``register`` (with its error cases). Rows are compared after sorting
by segment and index, since neither server promises an order. Last, our server is restarted on its
``--storage`` folder: what the reference client registered and wrote is still there.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc
import pytest

from _support import FIXTURES, REFERENCE_VENV

pytestmark = pytest.mark.reference

REFERENCE_SERVER = REFERENCE_VENV / "lib" / "python3.11" / "site-packages" / "rerun_cli" / "rerun"
SCENARIO_TIMEOUT_S = 240
_URL = re.compile(r"rerun\+http://[0-9.]+:\d+")

# What every client script shares (written where a script says ``# <script helpers>``): ``save`` writes a
# result table as Arrow IPC for the test to compare, ``error_of`` names the exception a call raises.
SCRIPT_HELPERS = r"""
def save(name, data):
    table = data if isinstance(data, pa.Table) else data.to_arrow_table()
    with ipc.new_file(out / f"{name}.arrow", table.schema) as writer:
        writer.write_table(table)
    result["tables"].append(name)


def error_of(call):
    try:
        call()
    except Exception as err:
        return type(err).__name__
    return None
"""


def client_script(text: str) -> str:
    """A client script with the shared helpers filled in."""
    return text.replace("# <script helpers>\n", SCRIPT_HELPERS)


CLIENT_SCRIPT = r"""
import json, sys
from pathlib import Path
import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
from datafusion import col, lit
from rerun.catalog import CatalogClient

url, scenario, out, fixtures = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
client = CatalogClient(url)
result = {"tables": []}

# <script helpers>


if scenario == "read":
    result["datasets"] = sorted(client.dataset_names())
    ds = client.get_dataset("fx")
    result["segment_ids"] = sorted(ds.segment_ids())
    save("schema", ds.schema().to_arrow().empty_table())
    for index in ["frame", "step", "log_time", "frame_nr", "sensor_time", "elapsed", "time"]:
        save(f"reader_{index}", ds.reader(index=index))
    save("reader_static", ds.reader(index=None))
    save("filter_range", ds.reader(index="step").filter(col("step") >= lit(3), col("step") < lit(10)))
    save("filter_segment", ds.reader(index="frame").filter(col("rerun_segment_id") == lit("points3d")))
    save("fill", ds.reader(index="frame", fill_latest_at=True))
    selected = ["rerun_segment_id", "frame", "/world/points:Points3D:positions"]
    save("select", ds.reader(index="frame").select(*selected))
    save("fill_select", ds.reader(index="frame", fill_latest_at=True).select(*selected))
    values = {"points3d": np.array([1, 5, 1000]), "boxes3d": np.array([0, 7])}
    save("samples", ds.filter_segments(["points3d", "boxes3d"]).reader(index="frame", using_index_values=values, fill_latest_at=True))
    save("contents", ds.filter_contents(["/world/**", "-/world/points"]).reader(index="frame"))
    save("segment_table", ds.segment_table())
elif scenario == "register":
    files = [(fixtures / f"{name}.rrd").as_uri() for name in ("points3d", "mesh3d", "scalars_seq")]
    ds = client.create_dataset("fresh")
    result["registered"] = sorted(ds.register(files).wait().segment_ids)
    result["segment_ids"] = sorted(ds.segment_ids())
    result["info"] = str(ds.info())
    save("fresh_reader", ds.reader(index="frame"))
    save("fresh_segment_table", ds.segment_table())
    result["duplicate"] = error_of(lambda: ds.register(files[:1]).wait())
    result["missing"] = error_of(lambda: ds.register([(fixtures / "nope.rrd").as_uri()]).wait())
    result["exists"] = error_of(lambda: client.create_dataset("fresh"))
    result["unknown"] = error_of(lambda: client.get_dataset("nope"))
    table = client.create_table("scores", pa.schema([("name", pa.utf8()), ("score", pa.float64())]))
    table.append(name=["a", "b"], score=[0.25, 0.5])
    save("table", table.reader())
elif scenario == "reopened":
    result["datasets"] = sorted(client.dataset_names())
    result["tables"] = []
    ds = client.get_dataset("fresh")
    result["segment_ids"] = sorted(ds.segment_ids())
    save("fresh_reader", ds.reader(index="frame"))
    save("table", client.get_table("scores").reader())
print(json.dumps(result))
"""


@contextlib.contextmanager
def serving(command: Sequence[str | Path]) -> Iterator[str]:
    """Run a server command until the block ends (killed even on failure); yields its URL."""
    env = dict(os.environ, RERUN_ANALYTICS="0")
    process = subprocess.Popen(
        [str(part) for part in command], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, errors="replace", env=env,
    )  # fmt: skip
    lines: queue.Queue[str | None] = queue.Queue()
    drain = threading.Thread(target=lambda: [*map(lines.put, process.stderr), lines.put(None)], daemon=True)  # type: ignore[arg-type]
    drain.start()
    try:
        url, log, deadline = None, [], time.monotonic() + 60
        while time.monotonic() < deadline:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None:
                break
            log.append(line)
            found = _URL.search(line)
            url = found.group(0) if found and "Listening" in line else url
            if "Ready for connections" in line:
                break
        else:
            line = None
        if url is None or line is None:
            raise RuntimeError(f"{command[0]} did not start:\n{''.join(log)}")
        yield url
    finally:
        process.kill()
        process.wait(timeout=30)
        drain.join(timeout=10)
        process.stderr.close()  # type: ignore[union-attr]


def our_server(*args: str | Path) -> list[str | Path]:
    return [sys.executable, "-m", "rerun_cli", "server", "--host", "127.0.0.1", "-p", "0", *args]


def reference_server(*args: str | Path) -> list[str | Path]:
    return [REFERENCE_SERVER, "server", "--host", "127.0.0.1", "-p", "0", *args]


def run_client(
    reference_python: Path, url: str, scenario: str, out: Path
) -> tuple[dict, dict[str, pa.Table]]:
    out.mkdir(parents=True, exist_ok=True)
    script = out / "client.py"
    script.write_text(client_script(CLIENT_SCRIPT))
    env = dict(os.environ, RERUN_ANALYTICS="0")
    done = subprocess.run(
        [str(reference_python), str(script), url, scenario, str(out), str(FIXTURES)],
        capture_output=True, text=True, timeout=SCENARIO_TIMEOUT_S, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"reference client failed ({scenario} on {url}):\n{done.stderr[-4000:]}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    tables = {name: ipc.open_file(out / f"{name}.arrow").read_all() for name in result.pop("tables")}
    return result, tables


def _sorted(table: pa.Table) -> pa.Table:
    keys = [
        name
        for name in table.column_names
        if name == "rerun_segment_id" or _is_index(table.schema.field(name))
    ]
    return (
        table.take(pc.sort_indices(table, sort_keys=[(key, "ascending") for key in keys])) if keys else table
    )


def _is_index(field: pa.Field) -> bool:
    return (field.metadata or {}).get(b"rerun:kind") == b"index"


def assert_same_table(name: str, ours: pa.Table, theirs: pa.Table, *, any_column_order: bool = False) -> None:
    if any_column_order:
        assert sorted(ours.column_names) == sorted(theirs.column_names), name
        ours = ours.select(theirs.column_names)
    assert ours.schema.equals(theirs.schema, check_metadata=True), (
        f"{name}: schemas differ\nours:\n{ours.schema}\ntheirs:\n{theirs.schema}"
    )
    ours, theirs = _sorted(ours), _sorted(theirs)
    for column in theirs.column_names:
        assert ours[column].combine_chunks().equals(theirs[column].combine_chunks()), (
            f"{name}: column {column!r} differs"
        )


@pytest.fixture(scope="module")
def fixture_copy(tmp_path_factory: pytest.TempPathFactory, fixtures_dir: Path) -> Path:
    """The fixture RRDs in a folder of their own (same files for both servers)."""
    folder = tmp_path_factory.mktemp("fx")
    for path in sorted(fixtures_dir.glob("*.rrd")):
        shutil.copy(path, folder / path.name)
    return folder


def test_reading_matches_reference(
    reference_python: Path, reference_rerun: Path, fixture_copy: Path, tmp_path: Path
) -> None:
    with serving(reference_server("-d", f"fx={fixture_copy}")) as url:
        theirs, their_tables = run_client(reference_python, url, "read", tmp_path / "theirs")
    with serving(our_server("-d", f"fx={fixture_copy}")) as url:
        ours, our_tables = run_client(reference_python, url, "read", tmp_path / "ours")
    assert ours == theirs
    assert sorted(our_tables) == sorted(their_tables)
    assert their_tables["reader_step"].num_rows > 1000 and their_tables["samples"].num_rows == 5
    for name, table in their_tables.items():
        if name == "segment_table":
            mine = our_tables[name].drop_columns(["rerun_last_updated_at"])
            assert_same_table(
                name, mine, table.drop_columns(["rerun_last_updated_at"]), any_column_order=True
            )
        else:
            assert_same_table(name, our_tables[name], table)


def test_registration_matches_reference(
    reference_python: Path, reference_rerun: Path, tmp_path: Path
) -> None:
    with serving(reference_server()) as url:
        theirs, their_tables = run_client(reference_python, url, "register", tmp_path / "theirs")
    storage = tmp_path / "storage"
    with serving(our_server("--storage", storage)) as url:
        ours, our_tables = run_client(reference_python, url, "register", tmp_path / "ours")
    assert ours == theirs
    for name, table in their_tables.items():
        mine = our_tables[name]
        if name == "fresh_segment_table":
            mine, table = (t.drop_columns(["rerun_last_updated_at"]) for t in (mine, table))
        assert_same_table(name, mine, table, any_column_order=name == "fresh_segment_table")

    with serving(our_server("--storage", storage)) as url:  # restarted: the catalog is still there
        reopened, reopened_tables = run_client(reference_python, url, "reopened", tmp_path / "reopened")
    assert reopened == {"datasets": ["fresh"], "segment_ids": ours["segment_ids"]}
    assert_same_table("fresh_reader", reopened_tables["fresh_reader"], their_tables["fresh_reader"])
    assert_same_table("table", reopened_tables["table"], their_tables["table"])
