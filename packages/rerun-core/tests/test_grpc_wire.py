"""The pure parts of live streaming: proxy URLs, memory limits, request bytes, the history and fan-out."""

from __future__ import annotations

import subprocess
import sys
import threading

import pyarrow as pa
import pytest

from rerun_core import (
    ArrowMsg,
    BlueprintActivationCommand,
    Chunk,
    ComponentDescriptor,
    SetStoreInfo,
    StoreId,
    StoreKind,
    Timeline,
    TimeType,
)
from rerun_core.errors import InvalidEndpointError, WireError
from rerun_core.grpc.hub import MessageHistory, MessageHub
from rerun_core.grpc.url import ProxyUrl, parse_connect_target, parse_proxy_url
from rerun_core.grpc.wire import (
    Category,
    decode_log_msg,
    encode_log_msg,
    message_from_frame,
    parse_table_request,
    parse_write_request,
)
from rerun_core.memory_limit import parse_memory_limit, total_memory_bytes
from rerun_core.proto import common_pb2, log_msg_pb2, sdk_comms_pb2

STORE = StoreId(StoreKind.RECORDING, "app", "rec")
BLUEPRINT = StoreId(StoreKind.BLUEPRINT, "app", "bp")
SCALAR = ComponentDescriptor("Scalars:scalars", "rerun.archetypes.Scalars", "rerun.components.Scalar")


def chunk(value: float, *, static: bool = False) -> Chunk:
    timelines = {} if static else {Timeline("step", TimeType.SEQUENCE): pa.array([int(value)])}
    return Chunk.build("/x", timelines=timelines, components={SCALAR: pa.array([[value]])})


def message(value: float, *, static: bool = False, store: StoreId = STORE) -> bytes:
    return encode_log_msg(ArrowMsg(store, chunk(value, static=static)))


# ---- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("rerun+http://127.0.0.1:9876/proxy", ProxyUrl("127.0.0.1", 9876)),
        ("rerun+http://localhost/proxy", ProxyUrl("localhost", 9876)),  # the port defaults to 9876
        ("rerun+https://example.com:443/proxy", ProxyUrl("example.com", 443, tls=True)),
        ("rerun://example.com/proxy", ProxyUrl("example.com", 9876, tls=True)),
        ("rerun+http://[::1]:9000/proxy/", ProxyUrl("::1", 9000)),
        ("rerun+http://user@127.0.0.1:9/proxy?x=1", ProxyUrl("127.0.0.1", 9)),
    ],
)
def test_proxy_urls_parse_as_0_41_parses_them(url: str, expected: ProxyUrl) -> None:
    assert parse_proxy_url(url) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9876/proxy", "Invalid or missing scheme (expected one of: `rerun://`"),
        ("RERUN+HTTP://127.0.0.1/proxy", "Invalid or missing scheme"),
        ("", "Invalid or missing scheme"),
        ("rerun+http://127.0.0.1:9876", "no path"),
        ("rerun+http://127.0.0.1:9876/foo", "the path '/foo'"),
        ("rerun+http://127.0.0.1:99999/proxy", "invalid port number"),
        ("rerun+http://127.0.0.1:abc/proxy", "invalid port number"),
        ("rerun+http://:9876/proxy", "empty host"),
    ],
)
def test_bad_urls_say_what_is_wrong(url: str, reason: str) -> None:
    with pytest.raises(InvalidEndpointError, match="invalid endpoint") as info:
        parse_proxy_url(url)
    assert f'"{url}"' in str(info.value) and reason in str(info.value)
    assert isinstance(info.value, RuntimeError) and isinstance(info.value, ValueError)


def test_canonical_url_and_connect_targets() -> None:
    assert str(ProxyUrl()) == "rerun+http://127.0.0.1:9876/proxy"
    assert (
        str(ProxyUrl("::1", 1, tls=True)) == "rerun://[::1]:1/proxy"
        and ProxyUrl("::1", 1).target == "[::1]:1"
    )
    assert parse_connect_target(None) == parse_connect_target("") == ProxyUrl()
    assert parse_connect_target("9000") == ProxyUrl(port=9000)
    with pytest.raises(
        InvalidEndpointError, match="expected a port or `/proxy` endpoint: Invalid or missing"
    ):
        parse_connect_target("http://x/proxy")


def test_memory_limits() -> None:
    assert parse_memory_limit("1GiB") == 1024**3
    assert parse_memory_limit("500MB") == 500_000_000 and parse_memory_limit("16gb") == 16 * 1000**3
    assert parse_memory_limit("4096") == 4096 and parse_memory_limit("1.5 KiB") == 1536
    assert parse_memory_limit("50%") == total_memory_bytes() // 2
    with pytest.raises(ValueError, match="'lots'"):
        parse_memory_limit("lots")


# ---- request bytes --------------------------------------------------------------------------------


def test_encoded_requests_are_what_protobuf_writes_and_parse_back() -> None:
    for msg in (SetStoreInfo(STORE), ArrowMsg(STORE, chunk(1.0)), BlueprintActivationCommand(BLUEPRINT)):
        raw = encode_log_msg(msg)
        proto = sdk_comms_pb2.WriteMessagesRequest.FromString(raw)
        assert proto.SerializeToString() == raw
        assert sdk_comms_pb2.ReadMessagesResponse.FromString(raw).log_msg == proto.log_msg  # same layout
        parsed = parse_write_request(raw)
        assert parsed.store_id == (BLUEPRINT if isinstance(msg, BlueprintActivationCommand) else STORE)
        decoded = decode_log_msg(parsed)
        assert type(decoded) is type(msg)
        if isinstance(msg, ArrowMsg):
            assert decoded.chunk == msg.chunk  # type: ignore[union-attr]


def test_messages_are_classified_for_the_history() -> None:
    assert parse_write_request(encode_log_msg(SetStoreInfo(STORE))).category == Category.PERSISTENT
    assert parse_write_request(message(1.0, store=BLUEPRINT)).category == Category.PERSISTENT
    assert parse_write_request(message(1.0, static=True)).category == Category.STATIC
    assert parse_write_request(message(1.0)).category == Category.DISPOSABLE


def test_rrd_frames_become_requests_without_decoding() -> None:
    raw = encode_log_msg(SetStoreInfo(STORE))
    parsed = parse_write_request(raw)
    again = message_from_frame(parsed.kind, bytes(parsed.body))
    assert again.raw == raw and again.kind == 1
    with pytest.raises(WireError):
        message_from_frame(0, b"")


def _log_msg(**fields: object) -> bytes:
    return sdk_comms_pb2.WriteMessagesRequest(log_msg=log_msg_pb2.LogMsg(**fields)).SerializeToString()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "missing `log_msg`"),
        (b"\xff\xff\xff", "varint"),
        (b"\x0a\x05ab", "past the end"),
        (b"\x0b", "wire type 3"),
        (_log_msg(), "exactly one of"),
        (_log_msg(arrow_msg=log_msg_pb2.ArrowMsg(payload=b"x")), "missing `store_id`"),
        (_log_msg(arrow_msg=log_msg_pb2.ArrowMsg(store_id=common_pb2.StoreId(recording_id="r"))), "payload"),
        (
            _log_msg(arrow_msg=log_msg_pb2.ArrowMsg(store_id=common_pb2.StoreId(), payload=b"x", encoding=7)),
            "encoding 7",
        ),
        (b"\x0a\x03\x0a\x01\xff", "SetStoreInfo does not decode"),
        (
            sdk_comms_pb2.WriteTableRequest(id=common_pb2.TableId(id="t")).SerializeToString(),
            "does not decode",
        ),
    ],
)
def test_malformed_requests_raise_wire_errors(raw: bytes, reason: str) -> None:
    with pytest.raises(WireError, match=reason):
        parse_write_request(raw)


def test_table_requests_need_id_and_data() -> None:
    full = sdk_comms_pb2.WriteTableRequest(id=common_pb2.TableId(id="t"), data=common_pb2.DataframePart())
    assert parse_table_request(full.SerializeToString()).is_table
    with pytest.raises(WireError, match="missing `data`"):
        parse_table_request(
            sdk_comms_pb2.WriteTableRequest(id=common_pb2.TableId(id="t")).SerializeToString()
        )
    with pytest.raises(WireError, match="missing `id`"):
        parse_table_request(b"")


# ---- history and fan-out ------------------------------------------------------------------------


def test_memory_limit_drops_oldest_temporal_then_static_but_never_store_infos() -> None:
    info = parse_write_request(encode_log_msg(SetStoreInfo(STORE)))
    static = [parse_write_request(message(float(i), static=True)) for i in range(3)]
    temporal = [parse_write_request(message(float(i))) for i in range(10)]
    room_for_two = 2 * temporal[0].size + temporal[0].size // 2
    history = MessageHistory(memory_limit=info.size + sum(m.size for m in static) + room_for_two)
    for msg in [info, *static, *temporal]:
        history.add(msg)
    assert history.snapshot() == [info, *static, *temporal[-2:]]
    assert history.snapshot(newest_first=True) == [info, *static[::-1], temporal[-1], temporal[-2]]
    history.memory_limit = 0  # even at "nothing": the store info stays
    history._shrink_to(0)
    assert history.snapshot() == [info] and history.dropped == 13
    assert MessageHistory(memory_limit=0).snapshot() == []


def test_subscribers_get_history_then_live_and_writers_wait_for_slow_ones() -> None:
    hub = MessageHub(memory_limit=None, queue_bytes=1)  # every second message waits for the reader
    first = parse_write_request(message(0.0))
    hub.publish(first)
    reader = hub.subscribe()
    later = [parse_write_request(message(float(i))) for i in range(1, 5)]
    writer = threading.Thread(target=lambda: [hub.publish(m) for m in later])
    writer.start()
    received = [reader.get(timeout=5) for _ in range(5)]
    writer.join(5)
    assert received == [first, *later] and not writer.is_alive()
    assert hub.subscribe(tables=True).get(timeout=0) is None  # log messages never reach table readers
    hub.close()
    assert reader.get(timeout=0) is None and reader.closed


def test_newest_first_readers_see_live_messages_before_old_history() -> None:
    hub = MessageHub(memory_limit=None, newest_first=True)
    info, old = parse_write_request(encode_log_msg(SetStoreInfo(STORE))), parse_write_request(message(0.0))
    hub.publish(info)
    hub.publish(old)
    reader = hub.subscribe()
    new = parse_write_request(message(1.0))
    hub.publish(new)
    assert [reader.get(0) for _ in range(3)] == [info, new, old]


def test_a_stuck_reader_is_cut_off_instead_of_blocking_writers_forever() -> None:
    hub = MessageHub(memory_limit=None, queue_bytes=1, stall_timeout_secs=0.2)
    reader = hub.subscribe()
    for i in range(3):
        hub.publish(parse_write_request(message(float(i))))
    assert reader.closed and "fell behind" in (reader.error or "")


def test_rerun_core_and_the_pure_modules_do_not_load_grpcio() -> None:
    code = "import rerun_core, rerun_core.grpc.hub, rerun_core.grpc.wire, sys; print('grpc' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "False"
