"""FetchChunks at volume: every requested chunk, in request order, several per response message."""

from __future__ import annotations

from pathlib import Path

import grpc
import numpy as np
import pyarrow as pa

from rerun_core import (
    ArrowMsg,
    Chunk,
    ComponentDescriptor,
    SetStoreInfo,
    StoreId,
    StoreKind,
    Timeline,
    TimeType,
)
from rerun_core.log_msg import LogMsg
from rerun_core.proto import cloud_pb2, cloud_pb2_grpc, log_msg_pb2
from rerun_core.rrd import encode_rrd
from rerun_server import Server
from rerun_server._arrow import decode_dataframe_part, encode_dataframe_part
from rerun_server._files import RESPONSE_BYTES, batched_responses

_SCALAR = ComponentDescriptor("Scalars:scalars", "rerun.archetypes.Scalars", "rerun.components.Scalar")
_CHUNKS, _ROWS_PER_CHUNK = 40, 10_000


def _recording(folder: Path, name: str) -> Path:
    """``_CHUNKS`` chunks of random scalars (about 80 kB each after LZ4, which cannot shrink noise)."""
    store = StoreId(StoreKind.RECORDING, "app", name)
    rng = np.random.default_rng(len(name))
    messages: list[LogMsg] = [SetStoreInfo(store)]
    for i in range(_CHUNKS):
        frames = np.arange(i * _ROWS_PER_CHUNK, (i + 1) * _ROWS_PER_CHUNK, dtype=np.int64)
        offsets = pa.array(np.arange(_ROWS_PER_CHUNK + 1, dtype=np.int32))
        cells = pa.ListArray.from_arrays(offsets, pa.array(rng.random(_ROWS_PER_CHUNK)))
        timelines = {Timeline("frame", TimeType.SEQUENCE): pa.array(frames)}
        messages.append(
            ArrowMsg(store, Chunk.build("/noise", timelines=timelines, components={_SCALAR: cells}))
        )
    path = folder / f"{name}.rrd"
    path.write_bytes(encode_rrd(messages))
    return path


def test_two_segments_come_back_whole_in_request_order_and_batched(tmp_path: Path) -> None:
    files = [_recording(tmp_path, "seg_a"), _recording(tmp_path, "seg_b")]
    with (
        Server(host="127.0.0.1", datasets={"noise": files}) as server,
        grpc.insecure_channel(server.url().removeprefix("rerun+http://")) as channel,
    ):
        stub = cloud_pb2_grpc.RerunCloudServiceStub(channel)
        segments = cloud_pb2.SegmentSelection(all={})
        request = cloud_pb2.FindChunksRequest(
            contents=cloud_pb2.ContentSelection(all={}),
            range=cloud_pb2.RangeSelection(timeline="frame", fill_mode=1, segments=segments),
        )
        found = pa.concat_tables(
            decode_dataframe_part(r.data)
            for r in stub.FindChunks(request, metadata=[("x-rerun-entry-name-bin", b"noise")], timeout=10)
        )
        keys = found.select(["chunk_key"]).to_batches()[::-1]  # ask in reverse: the answer must follow
        fetch = cloud_pb2.FetchChunksRequest(chunk_infos=[encode_dataframe_part(b) for b in keys])
        responses = list(stub.FetchChunks(fetch, timeout=30))
    wanted = [cid for batch in keys for cid in batch.to_pydict()["chunk_key"]]
    got = [m for response in responses for m in response.chunks]
    assert len(got) == len(wanted) == 2 * _CHUNKS
    expected_ids = {
        key: cid
        for key, cid in zip(found["chunk_key"].to_pylist(), found["chunk_id"].to_pylist(), strict=True)
    }
    assert [m.chunk_id.time_ns.to_bytes(8, "big") + m.chunk_id.inc.to_bytes(8, "big") for m in got] == [
        expected_ids[key] for key in wanted
    ]
    total = sum(response.ByteSize() for response in responses)
    assert 1 < len(responses) <= total // RESPONSE_BYTES + 1  # several chunks per message, none huge


def test_batched_responses_split_at_the_byte_budget() -> None:
    bodies = [log_msg_pb2.ArrowMsg(payload=bytes([i]) * 297).SerializeToString() for i in range(10)]
    assert {len(body) for body in bodies} == {300}
    messages = [
        cloud_pb2.FetchChunksResponse.FromString(m) for m in batched_responses(bodies, max_bytes=1000)
    ]
    assert [len(m.chunks) for m in messages] == [4, 4, 2]
    assert [c.payload[0] for m in messages for c in m.chunks] == list(range(10))
