"""The message proxy and the SDK's writer over real (loopback) gRPC connections, in one process."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import grpc
import numpy as np
import pyarrow as pa
import pytest

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
from rerun_core.grpc.client import GrpcWriter, MessageReader, read_messages
from rerun_core.grpc.server import SERVICE, MessageProxyServer
from rerun_core.grpc.url import ProxyUrl
from rerun_core.grpc.wire import ProxyMessage, decode_log_msg, encode_log_msg
from rerun_core.proto import common_pb2, sdk_comms_pb2

STORE = StoreId(StoreKind.RECORDING, "app", "rec")
SCALAR = ComponentDescriptor("Scalars:scalars", "rerun.archetypes.Scalars", "rerun.components.Scalar")
STEP = Timeline("step", TimeType.SEQUENCE)


def chunk(value: float, *, static: bool = False, size: int = 1) -> Chunk:
    """One row: ``value`` first, then ``size - 1`` random (incompressible) floats."""
    timelines = {} if static else {STEP: pa.array([int(value)])}
    noise = np.random.default_rng(0).random(size - 1).tolist()
    values = pa.array([[value, *noise]], pa.list_(pa.float64()))
    return Chunk.build("/x", timelines=timelines, components={SCALAR: values})


@pytest.fixture
def server() -> Iterator[MessageProxyServer]:
    proxy = MessageProxyServer(bind="127.0.0.1", port=0).start()
    try:
        yield proxy
    finally:
        proxy.stop(grace_secs=None)


def raw_call(url: ProxyUrl, method: str) -> grpc.StreamUnaryMultiCallable:
    channel = grpc.insecure_channel(url.target, options=[("grpc.enable_http_proxy", 0)])
    return channel.stream_unary(f"/{SERVICE}/{method}")


def collect(reader: MessageReader, count: int, timeout_secs: float = 10) -> list[ProxyMessage]:
    received: list[ProxyMessage] = []

    def read() -> None:
        for message in reader:
            received.append(message)
            if len(received) == count:
                return

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(timeout_secs)
    reader.cancel()
    return received


def values_of(messages: list[ProxyMessage]) -> list[float]:
    chunks = [decode_log_msg(m) for m in messages if m.kind == 2]
    return [c.chunk.component("Scalars:scalars").flatten()[0].as_py() for c in chunks]  # type: ignore[union-attr]


def test_writer_to_proxy_to_reader_in_order(server: MessageProxyServer) -> None:
    writer = GrpcWriter(server.url)
    writer.send(SetStoreInfo(STORE))
    for i in range(50):
        writer.send(ArrowMsg(STORE, chunk(float(i))))
    assert writer.flush(10) is None
    writer.close()
    received = collect(read_messages(server.url), 51)
    assert received[0].kind == 1 and values_of(received) == [float(i) for i in range(50)]
    assert server.hub.num_received == 51


def test_malformed_input_fails_only_its_own_rpc(server: MessageProxyServer) -> None:
    reader = read_messages(server.url)
    writer = GrpcWriter(server.url)
    writer.send(SetStoreInfo(STORE))
    write = raw_call(server.url, "WriteMessages")
    for garbage in ([b"\xff\xfe garbage"], [b""], [encode_log_msg(SetStoreInfo(STORE)), b"\x0b"]):
        with pytest.raises(grpc.RpcError) as info:
            write(iter(garbage), timeout=10)
        assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "invalid WriteMessagesRequest" in (info.value.details() or "")
    table = raw_call(server.url, "WriteTable")
    with pytest.raises(grpc.RpcError) as table_info:
        table(iter([b"\x0a\x00"]), timeout=10)  # WriteTable is unary, but a bad body fails the same
    assert table_info.value.code() in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.INTERNAL)
    writer.send(ArrowMsg(STORE, chunk(7.0)))
    assert writer.flush(10) is None
    writer.close()
    received = collect(reader, 3)  # the writer's store info, the valid request's, and the chunk
    assert [m.kind for m in received] == [1, 1, 2] and values_of(received) == [7.0]


def test_oversized_messages_get_resource_exhausted_and_the_proxy_keeps_serving() -> None:
    with MessageProxyServer(bind="127.0.0.1", port=0, max_message_bytes=10_000) as proxy:
        write = raw_call(proxy.url, "WriteMessages")
        big = encode_log_msg(ArrowMsg(STORE, chunk(1.0, size=100_000)))
        with pytest.raises(grpc.RpcError) as info:
            write(iter([big]), timeout=10)
        assert info.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        write(iter([encode_log_msg(ArrowMsg(STORE, chunk(2.0)))]), timeout=10)
        assert values_of(collect(read_messages(proxy.url), 1)) == [2.0]


def test_big_chunks_pass_by_default(server: MessageProxyServer) -> None:
    writer = GrpcWriter(server.url)
    writer.send(ArrowMsg(STORE, chunk(3.0, size=3_000_000)))  # 24 MB, far over grpc's 4 MiB default
    assert writer.flush(30) is None
    writer.close()
    (message,) = collect(read_messages(server.url), 1, timeout_secs=30)
    assert message.size > 4 * 1024**2 and values_of([message]) == [3.0]


def test_late_readers_keep_store_infos_and_static_data_under_the_memory_limit() -> None:
    with MessageProxyServer(bind="127.0.0.1", port=0, memory_limit=20_000) as proxy:
        writer = GrpcWriter(proxy.url)
        writer.send(SetStoreInfo(STORE))
        writer.send(ArrowMsg(STORE, chunk(-1.0, static=True)))
        for i in range(200):
            writer.send(ArrowMsg(STORE, chunk(float(i))))
        assert writer.flush(10) is None
        writer.close()
        kept = len(proxy.hub.history)
        received = collect(read_messages(proxy.url), kept)
    assert kept < 100 and received[0].kind == 1
    assert values_of(received)[0] == -1.0 and values_of(received)[-1] == 199.0


def test_tables_round_trip_separately_from_log_messages(server: MessageProxyServer) -> None:
    request = sdk_comms_pb2.WriteTableRequest(
        id=common_pb2.TableId(id="t"), data=common_pb2.DataframePart(payload=b"ipc")
    ).SerializeToString()
    channel = grpc.insecure_channel(server.url.target, options=[("grpc.enable_http_proxy", 0)])
    channel.unary_unary(f"/{SERVICE}/WriteTable")(request, timeout=10)
    with pytest.raises(grpc.RpcError) as info:
        channel.unary_unary(f"/{SERVICE}/WriteTable")(b"", timeout=10)
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    (table,) = collect(MessageReader(server.url, tables=True), 1)
    assert table.raw == request  # ReadTablesResponse has WriteTableRequest's layout
    assert collect(read_messages(server.url), 1, timeout_secs=0.5) == []


def test_nobody_listening_costs_a_bounded_flush_and_close() -> None:
    with MessageProxyServer(bind="127.0.0.1", port=0) as probe:
        url = probe.url  # a port that was free a moment ago
    writer = GrpcWriter(url, connect_timeout_on_flush_secs=0.5)
    started = time.monotonic()
    writer.send(SetStoreInfo(STORE))
    assert "unable to connect" in (writer.flush(30) or "")
    writer.close(stall_timeout_secs=0.5)
    assert time.monotonic() - started < 5


def test_the_writer_reconnects_and_resends_store_infos() -> None:
    first = MessageProxyServer(bind="127.0.0.1", port=0).start()
    url = first.url
    writer = GrpcWriter(url)
    writer.send(SetStoreInfo(STORE))
    writer.send(ArrowMsg(STORE, chunk(1.0)))
    assert writer.flush(10) is None
    first.stop(grace_secs=None)
    for i in range(2, 20):  # sent while nobody listens: never blocks, never raises
        started = time.monotonic()
        writer.send(ArrowMsg(STORE, chunk(float(i))))
        assert time.monotonic() - started < 0.5
    second = MessageProxyServer(bind="127.0.0.1", port=url.port).start()
    try:
        writer.send(ArrowMsg(STORE, chunk(99.0)))
        assert writer.flush(20) is None
        writer.close()
        received = collect(read_messages(url), len(second.hub.history))
    finally:
        second.stop(grace_secs=None)
    assert received[0].kind == 1 and decode_log_msg(received[0]).store_id == STORE  # type: ignore[union-attr]
    assert values_of(received)[-1] == 99.0


def test_while_nobody_listens_memory_stays_bounded_and_store_infos_are_kept() -> None:
    with MessageProxyServer(bind="127.0.0.1", port=0) as probe:
        url = probe.url
    writer = GrpcWriter(url, max_queue_bytes=50_000, connect_timeout_on_flush_secs=0.2)
    writer.send(SetStoreInfo(STORE))
    for i in range(100):
        writer.send(ArrowMsg(STORE, chunk(float(i), size=1000)))  # 8 kB each: room for about six
    assert writer.num_dropped > 80 and writer._queued_bytes <= 50_000
    assert writer._queue[0].message.kind == 1  # the oldest data went, not the store info
    with MessageProxyServer(bind="127.0.0.1", port=url.port) as late:
        assert writer.flush(20) is None
        writer.close()
        received = collect(read_messages(late.url), len(late.hub.history))
    assert received[0].kind == 1 and values_of(received)[-1] == 99.0
