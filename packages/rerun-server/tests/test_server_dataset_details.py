"""Dataset details and the segment table as 0.41 serves them, through a real gRPC channel.

``UpdateDatasetEntry`` replaces the details (what a request leaves out is cleared, except the asset
dataset), and a default blueprint needs a blueprint dataset. ``ScanSegmentTable`` keeps the
dataset's columns whatever segments a request scans.
"""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from _server_support import FIXTURES

from rerun_core.proto import cloud_pb2, cloud_pb2_grpc, common_pb2
from rerun_server import Server
from rerun_server._arrow import decode_dataframe_part

FX = [("x-rerun-entry-name-bin", b"fx")]


@pytest.fixture(scope="module")
def stub() -> Iterator[cloud_pb2_grpc.RerunCloudServiceStub]:
    if not FIXTURES.is_dir():
        pytest.skip("reference fixtures missing")
    files = [FIXTURES / f"{name}.rrd" for name in ("points3d", "scalars_seq")]
    with (
        Server(host="127.0.0.1", datasets={"fx": files}) as server,
        grpc.insecure_channel(server.url().removeprefix("rerun+http://")) as channel,
    ):
        yield cloud_pb2_grpc.RerunCloudServiceStub(channel)


def _details(stub: cloud_pb2_grpc.RerunCloudServiceStub) -> cloud_pb2.DatasetEntry:
    return stub.ReadDatasetEntry(cloud_pb2.ReadDatasetEntryRequest(), metadata=FX, timeout=10).dataset


def _update(stub: cloud_pb2_grpc.RerunCloudServiceStub, details: cloud_pb2.DatasetDetails) -> None:
    request = cloud_pb2.UpdateDatasetEntryRequest(id=_details(stub).details.id, dataset_details=details)
    stub.UpdateDatasetEntry(request, metadata=FX, timeout=10)


def test_update_replaces_the_details(stub: cloud_pb2_grpc.RerunCloudServiceStub) -> None:
    original = _details(stub).dataset_details
    blueprint, assets = original.blueprint_dataset, original.asset_dataset
    assert original.HasField("blueprint_dataset") and original.HasField("asset_dataset")

    _update(
        stub, cloud_pb2.DatasetDetails(blueprint_dataset=blueprint, default_blueprint_segment={"id": "a"})
    )
    details = _details(stub).dataset_details
    assert details.default_blueprint_segment.id == "a" and details.asset_dataset == assets

    _update(stub, cloud_pb2.DatasetDetails(blueprint_dataset=blueprint))  # no default: cleared
    details = _details(stub).dataset_details
    assert not details.HasField("default_blueprint_segment") and details.blueprint_dataset == blueprint

    with pytest.raises(grpc.RpcError) as failure:
        _update(stub, cloud_pb2.DatasetDetails(default_segment_table_blueprint_segment={"id": "b"}))
    assert failure.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "requires a blueprint dataset" in (failure.value.details() or "")
    assert _details(stub).dataset_details == details  # a refused update changes nothing


def test_segment_table_columns_do_not_depend_on_the_scan(
    stub: cloud_pb2_grpc.RerunCloudServiceStub,
) -> None:
    def scan(*segments: str) -> list[str]:
        request = cloud_pb2.ScanSegmentTableRequest()
        request.segment_id_filter.scan_only.segment_ids.extend(segments)
        parts = [r.data for r in stub.ScanSegmentTable(request, metadata=FX, timeout=10)]
        table = decode_dataframe_part(parts[0])
        assert table["rerun_segment_id"].to_pylist() == list(segments)
        return table.column_names

    every = cloud_pb2.ScanSegmentTableRequest()
    all_columns = decode_dataframe_part(
        next(iter(stub.ScanSegmentTable(every, metadata=FX, timeout=10))).data
    )
    assert {"frame:start", "step:start"} <= set(all_columns.column_names)
    assert scan("points3d") == scan("scalars_seq") == all_columns.column_names
    projected = cloud_pb2.ScanSegmentTableRequest(columns=["rerun_segment_id", "step:end"])
    projected.segment_id_filter.scan_only.segment_ids.append("points3d")
    rows = decode_dataframe_part(next(iter(stub.ScanSegmentTable(projected, metadata=FX, timeout=10))).data)
    assert rows.to_pylist() == [{"rerun_segment_id": "points3d", "step:end": None}]


def test_unregister_needs_a_segment_or_layer(stub: cloud_pb2_grpc.RerunCloudServiceStub) -> None:
    request = cloud_pb2.UnregisterFromDatasetRequest()
    with pytest.raises(grpc.RpcError) as failure:
        list(stub.UnregisterFromDataset(request, metadata=FX, timeout=10))
    assert failure.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert failure.value.details() == "must specify at least 1 segment ID or layer for removal"
    missing = cloud_pb2.UnregisterFromDatasetRequest(segments_to_drop=[common_pb2.SegmentId(id="nope")])
    assert [r.task_id.id for r in stub.UnregisterFromDataset(missing, metadata=FX, timeout=10)] == [
        "task_00000000DEADBEEF"
    ]
