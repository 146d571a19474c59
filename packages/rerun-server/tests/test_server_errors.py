"""Bad requests get the right gRPC status and a message naming the problem; the server keeps serving."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import grpc
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from _server_support import FIXTURES

from rerun_core.proto import cloud_pb2, cloud_pb2_grpc, common_pb2
from rerun_server import Server
from rerun_server._arrow import decode_dataframe_part, encode_dataframe_part


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[cloud_pb2_grpc.RerunCloudServiceStub, Path]]:
    if not FIXTURES.is_dir():
        pytest.skip("reference fixtures missing")
    data = tmp_path / "data"
    data.mkdir()
    for name in ("points3d", "mesh3d"):
        shutil.copy(FIXTURES / f"{name}.rrd", data / f"{name}.rrd")
    with (
        Server(host="127.0.0.1", datasets={"fx": data}) as server,
        grpc.insecure_channel(server.url()[len("rerun+http://") :]) as channel,
    ):
        yield cloud_pb2_grpc.RerunCloudServiceStub(channel), data


def _status(call) -> tuple[grpc.StatusCode, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.RpcError) as caught:
        result = call()
        if not hasattr(result, "ListFields"):
            list(result)
    return caught.value.code(), caught.value.details()


def _alive(stub: cloud_pb2_grpc.RerunCloudServiceStub) -> None:
    assert stub.WhoAmI(cloud_pb2.WhoAmIRequest(), timeout=10).can_read


FX = [("x-rerun-entry-name-bin", b"fx")]


def test_unknown_or_malformed_entry(served) -> None:  # type: ignore[no-untyped-def]
    stub, _ = served
    request = cloud_pb2.GetDatasetSchemaRequest()
    unknown = [("x-rerun-entry-id", "18EB4B40ADA2F32520c02dcd7576d2ff")]
    assert _status(lambda: stub.GetDatasetSchema(request, metadata=unknown, timeout=10)) == (
        grpc.StatusCode.NOT_FOUND, "Entry id '18EB4B40ADA2F32520c02dcd7576d2ff' not found")  # fmt: skip
    code, message = _status(
        lambda: stub.GetDatasetSchema(request, metadata=[("x-rerun-entry-id", "zzz")], timeout=10)
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "expected exactly 32 hex characters" in message
    code, message = _status(lambda: stub.GetDatasetSchema(request, timeout=10))
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "x-rerun-entry-id" in message
    name = [("x-rerun-entry-name-bin", b"nope")]
    assert _status(lambda: stub.GetDatasetSchema(request, metadata=name, timeout=10)) == (
        grpc.StatusCode.NOT_FOUND, "Entry name 'nope' not found")  # fmt: skip
    _alive(stub)


def test_malformed_dataframe_part(served) -> None:  # type: ignore[no-untyped-def]
    stub, _ = served
    garbage = common_pb2.DataframePart(encoder_version=1, payload=b"garbage", compression=1)
    code, message = _status(
        lambda: stub.FetchChunks(cloud_pb2.FetchChunksRequest(chunk_infos=[garbage]), timeout=10)
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "malformed chunk_infos DataframePart" in message
    lz4 = common_pb2.DataframePart(
        encoder_version=1, payload=b"\xff" * 8, compression=2, uncompressed_size=99
    )
    code, message = _status(
        lambda: stub.FetchChunks(cloud_pb2.FetchChunksRequest(chunk_infos=[lz4]), timeout=10)
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "LZ4" in message
    _alive(stub)


def test_registering_a_missing_file(served) -> None:  # type: ignore[no-untyped-def]
    stub, data = served
    source = cloud_pb2.DataSource(storage_url=(data / "nope.rrd").as_uri(), typ=1)
    request = cloud_pb2.RegisterWithDatasetRequest(data_sources=[source])
    code, message = _status(lambda: stub.RegisterWithDataset(request, metadata=FX, timeout=10))
    assert code == grpc.StatusCode.NOT_FOUND and "nope.rrd" in message and "does not exist" in message
    _alive(stub)


def test_registered_file_gone_or_changed(served) -> None:  # type: ignore[no-untyped-def]
    stub, data = served
    find = cloud_pb2.FindChunksRequest(
        contents=cloud_pb2.ContentSelection(all={}),
        static=cloud_pb2.StaticSelection(segments=cloud_pb2.SegmentSelection(all={})),
    )
    found = pa.concat_tables(
        decode_dataframe_part(response.data) for response in stub.FindChunks(find, metadata=FX, timeout=10)
    )
    by_segment = {
        segment: encode_dataframe_part(
            found.filter(pc.equal(found["chunk_segment_id"], segment)).combine_chunks().to_batches()[0]
        )
        for segment in ("points3d", "mesh3d")
    }
    (data / "points3d.rrd").unlink()
    fetch = cloud_pb2.FetchChunksRequest(chunk_infos=[by_segment["points3d"]])
    code, message = _status(lambda: stub.FetchChunks(fetch, timeout=10))
    assert code == grpc.StatusCode.NOT_FOUND and "points3d.rrd" in message and "missing" in message
    with (data / "mesh3d.rrd").open("ab") as file:
        file.write(b"\0")
    fetch = cloud_pb2.FetchChunksRequest(chunk_infos=[by_segment["mesh3d"]])
    code, message = _status(lambda: stub.FetchChunks(fetch, timeout=10))
    assert code == grpc.StatusCode.FAILED_PRECONDITION and "changed on disk" in message
    _alive(stub)


def test_unimplemented_rpcs_say_which(served) -> None:  # type: ignore[no-untyped-def]
    stub, _ = served
    code, message = _status(
        lambda: stub.DoGlobalMaintenance(cloud_pb2.DoGlobalMaintenanceRequest(), timeout=10)
    )
    assert code == grpc.StatusCode.UNIMPLEMENTED and "DoGlobalMaintenance" in message
    _alive(stub)


def test_bad_names_and_duplicates(served) -> None:  # type: ignore[no-untyped-def]
    stub, _ = served
    code, message = _status(
        lambda: stub.CreateDatasetEntry(cloud_pb2.CreateDatasetEntryRequest(name="bad/name"), timeout=10)
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "'/'" in message
    assert _status(lambda: stub.CreateDatasetEntry(cloud_pb2.CreateDatasetEntryRequest(name="fx"), timeout=10)) == (
        grpc.StatusCode.ALREADY_EXISTS, "Entry name 'fx' already exists")  # fmt: skip
    _alive(stub)
