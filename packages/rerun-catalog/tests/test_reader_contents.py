"""A read with contents (or a projection) fetches only the chunks of those entities and components."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


def test_projection_asks_for_its_components_only(
    dataset: rc.DatasetEntry, find_requests: list[cloud_pb2.FindChunksRequest]
) -> None:
    dataset.reader("frame").select("frame", SCALAR).to_arrow_table()
    assert _selected(find_requests[-1]) == {"/world/scalar": ["Scalars:scalars"]}
    dataset.filter_contents(["/world/**"]).reader("frame").to_arrow_table()
    assert _selected(find_requests[-1]) == {"/world": None, "/world/points": None, "/world/scalar": None}


def test_unprojected_read_asks_for_everything(
    dataset: rc.DatasetEntry, find_requests: list[cloud_pb2.FindChunksRequest]
) -> None:
    dataset.reader("frame").to_arrow_table()
    assert find_requests[-1].contents.WhichOneof("selection") == "all"


WINDOW = (col("frame") >= lit(2)) & (col("frame") < lit(5))


@pytest.mark.parametrize(
    ("read", "cells"),
    [
        # The values 0.41's client reads from this recording (checked against it): the recursive clear
        # of /world at frame 3 counts only when /world is among the contents.
        (lambda ds: ds.reader("frame").filter(WINDOW), [[1.0], [], [2.0]]),
        (lambda ds: ds.reader("frame").filter(WINDOW).select("frame", SCALAR), [[1.0], [1.5], [2.0]]),
        (
            lambda ds: ds.filter_contents(["/world/scalar"]).reader("frame").filter(WINDOW),
            [[1.0], [1.5], [2.0]],
        ),
        (lambda ds: ds.filter_contents(["/world/**"]).reader("frame").filter(WINDOW), [[1.0], [], [2.0]]),
    ],
)
def test_clears_count_only_among_the_contents(
    dataset: rc.DatasetEntry, read: Callable[[rc.DatasetEntry], Any], cells: list[list[float]]
) -> None:
    table = read(dataset).to_arrow_table()
    assert table["frame"].to_pylist() == [2, 3, 4]
    assert table[SCALAR].to_pylist() == cells


@pytest.mark.parametrize(("text", "count"), [("rec_3", 5), ("", 3), ("é", 2), ("x", 0)])
def test_segment_column_equals_arrows_repeat(text: str, count: int) -> None:
    column = _reader._repeated(text, count)
    column.validate(full=True)
    assert column.equals(pa.repeat(pa.scalar(text, pa.utf8()), count))
