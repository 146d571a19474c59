"""``rerun server`` as a process: it starts, serves, and with ``--storage`` keeps its catalog across restarts."""

from __future__ import annotations

import shutil
from pathlib import Path

import grpc
import pyarrow as pa
import pytest
from _server_support import FIXTURES, our_server_command, server_process

from rerun_core.proto import cloud_pb2, cloud_pb2_grpc
from rerun_core.tuid import Tuid
from rerun_server import Server
from rerun_server._arrow import decode_dataframe_part, encode_dataframe_part, encode_schema


def _stub(url: str) -> tuple[grpc.Channel, cloud_pb2_grpc.RerunCloudServiceStub]:
    channel = grpc.insecure_channel(url.removeprefix("rerun+http://"))
    return channel, cloud_pb2_grpc.RerunCloudServiceStub(channel)


def _names(stub: cloud_pb2_grpc.RerunCloudServiceStub) -> set[str]:
    return {entry.name for entry in stub.FindEntries(cloud_pb2.FindEntriesRequest(), timeout=10).entries}


def test_restart_keeps_registrations_and_tables(tmp_path: Path) -> None:
    if not FIXTURES.is_dir():
        pytest.skip("reference fixtures missing")
    data, storage = tmp_path / "data", tmp_path / "storage"
    data.mkdir()
    shutil.copy(FIXTURES / "points3d.rrd", data / "points3d.rrd")
    shutil.copy(FIXTURES / "mesh3d.rrd", tmp_path / "mesh3d.rrd")
    with server_process(our_server_command("-d", f"fx={data}", "--storage", storage)) as url:
        channel, stub = _stub(url)
        with channel:
            created = stub.CreateDatasetEntry(cloud_pb2.CreateDatasetEntryRequest(name="later"), timeout=10)
            header = [("x-rerun-entry-id", str(_tuid(created.dataset.details.id.id)))]
            source = cloud_pb2.DataSource(storage_url=(tmp_path / "mesh3d.rrd").as_uri(), typ=1)
            stub.RegisterWithDataset(
                cloud_pb2.RegisterWithDatasetRequest(data_sources=[source]), metadata=header, timeout=30
            )
            schema = pa.schema([("name", pa.utf8())])
            table = stub.CreateTableEntry(
                cloud_pb2.CreateTableEntryRequest(name="notes", schema=encode_schema(schema)), timeout=10
            )
            rows = encode_dataframe_part(pa.record_batch({"name": ["kept"]}))
            table_header = [("x-rerun-entry-id", str(_tuid(table.table.details.id.id)))]
            stub.WriteTable(
                iter([cloud_pb2.WriteTableRequest(dataframe_part=rows, insert_mode=1)]),
                metadata=table_header,
                timeout=10,
            )
    with server_process(our_server_command("-d", f"fx={data}", "--storage", storage)) as url:
        channel, stub = _stub(url)
        with channel:
            assert {"fx", "later", "notes"} <= _names(stub)
            scan = stub.ScanSegmentTable(
                cloud_pb2.ScanSegmentTableRequest(columns=["rerun_segment_id"]), metadata=header, timeout=10
            )
            assert [s for part in scan for s in _decode(part.data)["rerun_segment_id"].to_pylist()] == [
                "mesh3d"
            ]
            parts = stub.ScanTable(cloud_pb2.ScanTableRequest(), metadata=table_header, timeout=10)
            assert [n for part in parts for n in _decode(part.dataframe_part)["name"].to_pylist()] == ["kept"]


def test_bad_dataset_folder_fails_to_start(tmp_path: Path) -> None:
    with (
        pytest.raises(RuntimeError, match="does not exist"),
        server_process(our_server_command("-d", f"x={tmp_path / 'nope'}")),
    ):
        pass


def test_sdk_glue() -> None:
    import rerun as rr

    assert "server" in rr.__all__
    with rr.server.Server(host="127.0.0.1") as server:
        assert server.is_running() and server.url().startswith("rerun+http://127.0.0.1:")
    assert not server.is_running()
    with pytest.raises(RuntimeError, match="not running"):
        server.shutdown()


def _tuid(proto: object) -> str:
    return str(Tuid(proto.time_ns, proto.inc))  # type: ignore[attr-defined]


def _decode(part: object) -> pa.Table:
    return decode_dataframe_part(part)  # type: ignore[arg-type]


def test_taken_port_is_a_clear_error() -> None:
    with Server(host="127.0.0.1") as first, pytest.raises(OSError, match=r"cannot listen on 127\.0\.0\.1"):
        Server(host="127.0.0.1", port=first.port)
