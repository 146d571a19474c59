"""The rpcs through a real gRPC channel: headers, chunk queries, chunk bytes, manifests, properties."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pyarrow as pa
import pytest
from _server_support import FIXTURES

from rerun_core.proto import cloud_pb2, cloud_pb2_grpc, common_pb2, log_msg_pb2
from rerun_server import Server
from rerun_server._arrow import decode_dataframe_part, encode_dataframe_part
from rerun_server._rrd_index import index_rrd, read_chunk_body

FX = [("x-rerun-entry-name-bin", b"fx")]
ALL = cloud_pb2.ContentSelection(all={})


@pytest.fixture(scope="module")
def stub() -> Iterator[cloud_pb2_grpc.RerunCloudServiceStub]:
    if not FIXTURES.is_dir():
        pytest.skip("reference fixtures missing")
    files = [FIXTURES / f"{name}.rrd" for name in ("points3d", "scalars_seq", "multi_timeline")]
    with (
        Server(host="127.0.0.1", datasets={"fx": files}) as server,
        grpc.insecure_channel(server.url().removeprefix("rerun+http://")) as channel,
    ):
        yield cloud_pb2_grpc.RerunCloudServiceStub(channel)


def _find(stub: cloud_pb2_grpc.RerunCloudServiceStub, **mode: object) -> pa.Table:
    request = cloud_pb2.FindChunksRequest(contents=mode.pop("contents", ALL), **mode)  # type: ignore[arg-type]
    return pa.concat_tables(
        decode_dataframe_part(r.data) for r in stub.FindChunks(request, metadata=FX, timeout=10)
    )


def test_headers_and_identity(stub: cloud_pb2_grpc.RerunCloudServiceStub) -> None:
    response, call = stub.WhoAmI.with_call(
        cloud_pb2.WhoAmIRequest(), metadata=[("x-rerun-client-version", "t")]
    )
    assert "dataset:find_chunks" in response.capabilities.capabilities
    assert ("x-rerun-server-version", "rerun-oss/0.41.0") in [
        (m.key, m.value) for m in call.initial_metadata()
    ]
    assert stub.Version(cloud_pb2.VersionRequest()).features == ["per_segment_index_values"]


def test_find_chunks_modes(stub: cloud_pb2_grpc.RerunCloudServiceStub) -> None:
    segments = cloud_pb2.SegmentSelection(all={})
    static = _find(stub, static=cloud_pb2.StaticSelection(segments=segments))
    assert all(static["chunk_is_static"].to_pylist()) and static.num_rows >= 3
    everything = _find(stub, range=cloud_pb2.RangeSelection(timeline="frame", fill_mode=1, segments=segments))
    assert everything.num_rows == sum(
        index_rrd(FIXTURES / f"{n}.rrd").num_chunks for n in ("points3d", "scalars_seq", "multi_timeline")
    )
    ranged = _find(
        stub,
        range=cloud_pb2.RangeSelection(
            timeline="step", start_inclusive=3, end_inclusive=10, fill_mode=1, segments=segments
        ),
    )
    temporal = ranged.filter(pa.compute.invert(ranged["chunk_is_static"]))
    assert set(temporal["chunk_segment_id"].to_pylist()) == {"scalars_seq"}
    entity = cloud_pb2.EntitySelection(entity_path=common_pb2.EntityPath(path="/world/points"), all={})
    contents = cloud_pb2.ContentSelection(explicit=cloud_pb2.EntitySelections(entities=[entity]))
    only = _find(
        stub,
        contents=contents,
        range=cloud_pb2.RangeSelection(timeline="frame", fill_mode=1, segments=segments),
    )
    assert set(only["chunk_entity_path"].to_pylist()) == {"/world/points"}
    samples = cloud_pb2.SegmentSamplesSelection(
        timeline="frame",
        fill_mode=2,
        segments=[cloud_pb2.SegmentSamples(segment_id=common_pb2.SegmentId(id="points3d"), values=[5])],
    )
    sampled = _find(stub, samples=samples)
    assert (
        set(sampled["chunk_segment_id"].to_pylist()) == {"points3d"}
        and "/world/points" in sampled["chunk_entity_path"].to_pylist()
    )
    with pytest.raises(grpc.RpcError, match="unknown timeline `nope`"):
        _find(stub, range=cloud_pb2.RangeSelection(timeline="nope", segments=segments))


def test_fetch_chunks_serves_the_file_bytes(stub: cloud_pb2_grpc.RerunCloudServiceStub) -> None:
    found = _find(stub, static=cloud_pb2.StaticSelection(segments=cloud_pb2.SegmentSelection(all={})))
    request = cloud_pb2.FetchChunksRequest(
        chunk_infos=[encode_dataframe_part(pa.concat_batches(found.select(["chunk_key"]).to_batches()))]
    )
    messages = [m for response in stub.FetchChunks(request, timeout=10) for m in response.chunks]
    assert len(messages) == found.num_rows
    assert [
        m.chunk_id.time_ns.to_bytes(8, "big") + m.chunk_id.inc.to_bytes(8, "big") for m in messages
    ] == found["chunk_id"].to_pylist()
    indexed = index_rrd(FIXTURES / "points3d.rrd")
    offset, size = (
        indexed.chunks["chunk_byte_offset"][0].as_py(),
        indexed.chunks["chunk_byte_size"][0].as_py(),
    )
    with (FIXTURES / "points3d.rrd").open("rb") as file:
        body = log_msg_pb2.ArrowMsg.FromString(read_chunk_body(file, offset, size))
    assert body in messages and body.store_id.recording_id == "points3d"


def test_query_dataset_and_manifest(stub: cloud_pb2_grpc.RerunCloudServiceStub) -> None:
    request = cloud_pb2.QueryDatasetRequest(
        segment_ids=[common_pb2.SegmentId(id="scalars_seq")],
        scan_parameters=common_pb2.ScanParameters(columns=["chunk_key", "step:start"]),
        query=cloud_pb2.Query(range=cloud_pb2.QueryRange(index=common_pb2.IndexColumnSelector(timeline=common_pb2.Timeline(name="step")), index_range=common_pb2.TimeRange(start=3, end=10))),
    )  # fmt: skip
    rows = pa.concat_tables(
        decode_dataframe_part(r.data) for r in stub.QueryDataset(request, metadata=FX, timeout=10)
    )
    assert rows.column_names[-1] == "step:start" and set(rows["chunk_segment_id"].to_pylist()) == {
        "scalars_seq"
    }
    manifest = next(
        iter(
            stub.GetRrdManifest(
                cloud_pb2.GetRrdManifestRequest(segment_id=common_pb2.SegmentId(id="points3d")), metadata=FX
            )
        )
    )
    table = decode_dataframe_part(manifest.rrd_manifest.data)
    assert (
        table.column_names[:2] == ["chunk_entity_path", "chunk_id"] and table.column_names[-1] == "chunk_key"
    )
    assert manifest.rrd_manifest.store_id.recording_id == "points3d"


def test_segment_properties_revisions(stub: cloud_pb2_grpc.RerunCloudServiceStub) -> None:
    batch = pa.record_batch({"property:asset:mode": pa.array([["OptIn"]])})
    segment = common_pb2.SegmentId(id="points3d")
    revision = stub.SetSegmentProperties(
        cloud_pb2.SetSegmentPropertiesRequest(segment_id=segment, properties=encode_dataframe_part(batch)),
        metadata=FX,
    ).revision
    with pytest.raises(grpc.RpcError, match="modified concurrently"):
        stub.SetSegmentProperties(
            cloud_pb2.SetSegmentPropertiesRequest(
                segment_id=segment, properties=encode_dataframe_part(batch), expected_revision=revision + 1
            ),
            metadata=FX,
        )
    got = [
        s
        for r in stub.GetSegmentProperties(
            cloud_pb2.GetSegmentPropertiesRequest(segment_ids=[segment]), metadata=FX
        )
        for s in r.segments
    ]
    assert [(s.segment_id.id, s.revision) for s in got] == [("points3d", revision)]
    assert decode_dataframe_part(got[0].properties).to_pylist() == [{"property:asset:mode": ["OptIn"]}]
    stub.DeleteSegmentProperties(
        cloud_pb2.DeleteSegmentPropertiesRequest(
            segments=[cloud_pb2.SegmentPropertiesDeletion(segment_id=segment)]
        ),
        metadata=FX,
    )
    assert (
        list(
            stub.GetSegmentProperties(
                cloud_pb2.GetSegmentPropertiesRequest(segment_ids=[segment]), metadata=FX
            )
        )
        == []
    )


def test_entries_system_table(stub: cloud_pb2_grpc.RerunCloudServiceStub) -> None:
    (entry,) = stub.FindEntries(
        cloud_pb2.FindEntriesRequest(filter=cloud_pb2.EntryFilter(name="__entries"))
    ).entries
    parts = stub.ScanTable(cloud_pb2.ScanTableRequest(table_id=entry.id))
    names = {
        name for part in parts for name in decode_dataframe_part(part.dataframe_part)["name"].to_pylist()
    }
    assert {"fx", "__entries"} <= names
