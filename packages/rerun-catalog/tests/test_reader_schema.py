"""``reader()`` plans with the dataset schema it last saw; reads still follow every registration.

Registrations through the same client forget the remembered schema; those through another client are
found by the read itself (it asks for the schema alongside its other calls and starts over on a new one).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import rerun_catalog as rc
from rerun_server import Server

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "reference-0.41"
POINTS = "/world/points:Points3D:positions"
SCALARS = "/plots/sin:Scalars:scalars"  # scalars_seq, on `log_time` and `step`


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    if not FIXTURES.is_dir():
        pytest.skip(f"reference fixtures are missing ({FIXTURES})")
    for name in ("points3d", "scalars_seq"):
        shutil.copy(FIXTURES / f"{name}.rrd", tmp_path / f"{name}.rrd")
    return tmp_path


@pytest.fixture
def server(folder: Path) -> Iterator[Server]:
    with Server(host="127.0.0.1", port=0, datasets={"fx": [folder / "points3d.rrd"]}) as running:
        yield running


def test_a_registration_by_another_client_reaches_the_next_read(server: Server, folder: Path) -> None:
    reading = rc.CatalogClient(server.url()).get_dataset("fx")
    before = reading.reader("log_time").to_arrow_table()
    assert POINTS in before.column_names and SCALARS not in before.column_names

    other = rc.CatalogClient(server.url()).get_dataset("fx")
    other.register([(folder / "scalars_seq.rrd").as_uri()]).wait()

    after = reading.reader("log_time").to_arrow_table()
    assert SCALARS in after.column_names
    assert sorted(set(after["rerun_segment_id"].to_pylist())) == ["points3d", "scalars_seq"]
    step = reading.reader("step").to_arrow_table()  # a timeline only the new segment has
    assert set(step["rerun_segment_id"].to_pylist()) == {"scalars_seq"}


def test_a_registration_by_the_same_client_reaches_the_next_reader(server: Server, folder: Path) -> None:
    dataset = rc.CatalogClient(server.url()).get_dataset("fx")
    assert SCALARS not in dataset.reader("log_time").schema().names
    dataset.register([(folder / "scalars_seq.rrd").as_uri()]).wait()
    assert SCALARS in dataset.reader("log_time").schema().names


def test_an_unknown_index_is_still_refused(server: Server) -> None:
    dataset = rc.CatalogClient(server.url()).get_dataset("fx")
    dataset.reader("log_time")
    with pytest.raises(ValueError, match="'step' does not exist"):
        dataset.reader("step")
