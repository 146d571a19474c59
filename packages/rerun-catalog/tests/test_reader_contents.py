"""A projected read fetches only the chunks of its entities (and clears), with the same rows as before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from datafusion import col, lit

import rerun_catalog as rc
from rerun_catalog import _reader
from rerun_core.proto import cloud_pb2
from rerun_server import Server

POINTS = "/world/points:Points3D:positions"
SCALAR = "/world/scalar:Scalars:scalars"
OTHER = "/other:Scalars:scalars"


def _write(path: Path) -> None:
    import rerun as rr

    stream = rr.RecordingStream("contents", recording_id="rec")
    stream.save(str(path))
    for frame in range(6):
        stream.set_time("frame", sequence=frame)
        stream.log("world/points", rr.Points3D([[frame, 0, 0]]))
        stream.log("world/scalar", rr.Scalars([frame * 0.5]))
        stream.log("other", rr.Scalars([-frame]))
        if frame == 3:
            stream.log("world", rr.Clear(recursive=True))
    stream.disconnect()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Iterator[rc.DatasetEntry]:
    folder = tmp_path_factory.mktemp("contents")
    _write(folder / "rec.rrd")
    with Server(host="127.0.0.1", port=0, datasets={"ds": folder}) as running:
        yield rc.CatalogClient(running.url()).get_dataset("ds")


@pytest.fixture
def find_requests(monkeypatch: pytest.MonkeyPatch) -> list[cloud_pb2.FindChunksRequest]:
    seen: list[cloud_pb2.FindChunksRequest] = []
    original = _reader._find_request

    def spy(request: _reader.ReadRequest) -> cloud_pb2.FindChunksRequest:
        seen.append(original(request))
        return seen[-1]

    monkeypatch.setattr(_reader, "_find_request", spy)
    return seen


def _selected(request: cloud_pb2.FindChunksRequest) -> dict[str, list[str] | None]:
    entities = request.contents.explicit.entities
    return {e.entity_path.path: list(e.explicit.ids) if e.HasField("explicit") else None for e in entities}


def test_projection_asks_for_its_components_and_every_clear(
    dataset: rc.DatasetEntry, find_requests: list[cloud_pb2.FindChunksRequest]
) -> None:
    dataset.reader("frame").select("frame", SCALAR).to_arrow_table()
    assert _selected(find_requests[-1]) == {
        "/world": ["Clear:is_recursive"],
        "/world/scalar": ["Scalars:scalars"],
    }


def test_unprojected_read_asks_for_everything(
    dataset: rc.DatasetEntry, find_requests: list[cloud_pb2.FindChunksRequest]
) -> None:
    dataset.reader("frame").to_arrow_table()
    assert find_requests[-1].contents.WhichOneof("selection") == "all"


def test_projected_rows_equal_the_full_read_with_the_recursive_clear(dataset: rc.DatasetEntry) -> None:
    full = dataset.reader("frame").to_arrow_table()
    window = (col("frame") >= lit(2)) & (col("frame") < lit(5))
    projected = dataset.reader("frame").filter(window).select("frame", SCALAR).to_arrow_table()
    expected = full.filter(
        pa.compute.and_(pa.compute.greater_equal(full["frame"], 2), pa.compute.less(full["frame"], 5))
    )
    assert projected["frame"].to_pylist() == [2, 3, 4]
    assert projected[SCALAR].to_pylist() == expected[SCALAR].to_pylist() == [[1.0], [], [2.0]]
