"""The live sinks: connect_grpc / GrpcSink, serve_grpc / GrpcServerSink, spawn, flush and failures."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import rerun as rr
import rerun.blueprint as rrb
from rerun import _grpc_sinks
from rerun_core import ArrowMsg, BlueprintActivationCommand, SetStoreInfo, StoreKind
from rerun_core.grpc.client import read_messages
from rerun_core.grpc.server import MessageProxyServer
from rerun_core.grpc.wire import ProxyMessage, decode_log_msg
from rerun_core.rrd import decode_rrd


@pytest.fixture
def proxy() -> Iterator[MessageProxyServer]:
    server = MessageProxyServer(bind="127.0.0.1", port=0).start()
    try:
        yield server
    finally:
        server.stop(grace_secs=None)


@pytest.fixture
def free_port() -> int:
    with MessageProxyServer(bind="127.0.0.1", port=0) as probe:
        return probe.port


def received(server: MessageProxyServer) -> list[object]:
    """What a reader connecting now gets: the proxy's whole history, decoded."""
    subscription = server.subscribe()
    messages: list[ProxyMessage] = []
    while (message := subscription.get(timeout=0)) is not None:
        messages.append(message)
    return [decode_log_msg(m) for m in messages]


def test_connect_grpc_sends_store_info_twice_then_chunks_and_no_end(proxy: MessageProxyServer) -> None:
    rec = rr.RecordingStream("app", recording_id="live", send_properties=False)
    rec.log("early", rr.Scalars(1.0))  # buffered before the sink exists, then replayed
    rec.connect_grpc(str(proxy.url))
    rec.log("late", rr.Points3D([[1, 2, 3]]))
    rec.flush(timeout_sec=10)
    rec.disconnect()
    messages = received(proxy)
    assert [type(m) for m in messages[:2]] == [SetStoreInfo, SetStoreInfo]
    assert all(isinstance(m, ArrowMsg) for m in messages[2:])
    assert sorted(m.chunk.entity_path for m in messages[2:]) == ["/early", "/late"]  # type: ignore[attr-defined]
    assert {m.store_id.recording_id for m in messages} == {"live"}  # type: ignore[attr-defined]


def test_urls_are_checked_where_the_sink_is_made() -> None:
    rec = rr.RecordingStream("app", send_properties=False)
    with pytest.raises(
        RuntimeError, match=r'invalid endpoint "http://127.0.0.1:9876/proxy": Invalid or missing'
    ):
        rec.connect_grpc("http://127.0.0.1:9876/proxy")
    with pytest.raises(RuntimeError, match="invalid port number"):
        rr.GrpcSink("rerun+http://127.0.0.1:70000/proxy")
    assert str(rr.GrpcSink().url) == "rerun+http://127.0.0.1:9876/proxy"


def test_grpc_and_file_sinks_together(proxy: MessageProxyServer, tmp_path: Path) -> None:
    rec = rr.RecordingStream("app", recording_id="tee", send_properties=False)
    rec.set_sinks(rr.GrpcSink(str(proxy.url)), rr.FileSink(tmp_path / "copy.rrd"))
    rec.log("points", rr.Points3D([[0, 0, 0]]))
    rec.flush(timeout_sec=10)
    rec.disconnect()
    from_file = decode_rrd((tmp_path / "copy.rrd").read_bytes())
    live = received(proxy)
    assert [type(m) for m in live] == [type(m) for m in from_file]


def test_serve_grpc_hosts_a_proxy_in_this_process(monkeypatch: pytest.MonkeyPatch, free_port: int) -> None:
    monkeypatch.setattr(_grpc_sinks, "_SERVE_BIND_IP", "127.0.0.1")  # loopback only, in tests
    rec = rr.RecordingStream("app", recording_id="served", send_properties=False)
    url = rec.serve_grpc(grpc_port=free_port, server_memory_limit="10MB")
    assert url == f"rerun+http://127.0.0.1:{free_port}/proxy"
    rec.log("points", rr.Points3D([[1, 1, 1]]))
    rec.flush()
    reader = read_messages(_grpc_sinks._SERVERS[("127.0.0.1", free_port)].url)
    got: list[ProxyMessage] = []
    thread = threading.Thread(target=lambda: [got.append(m) for m in reader], daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while len(got) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    reader.cancel()
    assert [m.kind for m in got] == [1, 1, 2]
    assert rr.GrpcServerSink("127.0.0.1", free_port).uri == url  # the same address shares the proxy


def test_grpc_server_sink_on_any_free_port_reports_it() -> None:
    sink = rr.GrpcServerSink(bind_ip="127.0.0.1", port=0)
    assert sink.uri.startswith("rerun+http://127.0.0.1:") and not sink.uri.endswith(":0/proxy")


def test_nobody_listening_never_blocks_logging_and_flush_says_why(free_port: int) -> None:
    rec = rr.RecordingStream("app", send_properties=False)
    rec.connect_grpc(f"rerun+http://127.0.0.1:{free_port}/proxy")
    started = time.monotonic()
    for i in range(100):
        rec.log("x", rr.Scalars(float(i)))
    assert time.monotonic() - started < 2
    started = time.monotonic()
    with pytest.raises(RuntimeError, match=r"timed out|unable to connect"):
        rec.flush(timeout_sec=0.5)
    assert time.monotonic() - started < 3
    rec._sink._writer._connect_timeout = 0.1  # type: ignore[attr-defined]  # keep the test's exit quick
    rec.disconnect()


def test_module_level_functions_need_a_recording_and_respect_disabled(
    caplog: pytest.LogCaptureFixture,
) -> None:
    previous = rr.set_global_data_recording(None)
    local = rr.set_thread_local_data_recording(None)
    try:
        with pytest.raises(ValueError, match="No application id found"):
            rr.connect_grpc()
        off = rr.RecordingStream("app", default_enabled=False)
        with caplog.at_level(logging.WARNING):
            rr.connect_grpc(recording=off)
            assert rr.serve_grpc(recording=off) == "[rerun is disabled]"
            rr.spawn(recording=off)
        assert "Rerun is disabled - connect_grpc() call ignored" in caplog.text
    finally:
        rr.set_global_data_recording(previous)
        rr.set_thread_local_data_recording(local)


def test_spawn_connects_to_what_already_listens(proxy: MessageProxyServer) -> None:
    rec = rr.RecordingStream("app", recording_id="spawned", send_properties=False)
    rr.spawn(port=proxy.port, executable_name="no-such-rerun-binary", recording=rec)  # nothing is started
    rec.log("x", rr.Scalars(1.0))
    rec.flush(timeout_sec=10)
    rec.disconnect()
    assert any(isinstance(m, ArrowMsg) for m in received(proxy))


def test_spawn_starts_the_executable_with_the_reference_arguments(tmp_path: Path, free_port: int) -> None:
    fake = tmp_path / "fake-rerun"
    fake.write_text(f'#!/bin/sh\necho "$@" "$RERUN_APP_ONLY" > {tmp_path / "args.txt"}\nexit 3\n')
    fake.chmod(0o755)
    rec = rr.RecordingStream("app", send_properties=False)
    started = time.monotonic()
    rr.spawn(
        port=free_port, connect=False, executable_path=str(fake), hide_welcome_screen=True, recording=rec
    )
    assert time.monotonic() - started < 5  # it noticed the exit instead of waiting for the port
    assert (tmp_path / "args.txt").read_text().split() == [
        f"--port={free_port}", "--memory-limit=75%", "--server-memory-limit=1GiB", "--expect-data-soon",
        "--hide-welcome-screen", "true",
    ]  # fmt: skip
    with pytest.raises(RuntimeError, match="Failed to find Rerun Viewer executable"):
        rr.spawn(port=free_port, executable_name="no-such-rerun-binary", recording=rec)


def test_blueprints_go_over_grpc_too(proxy: MessageProxyServer) -> None:
    rrb.Blueprint(rrb.TextLogView(origin="/logs")).connect_grpc("app", url=str(proxy.url))
    messages = received(proxy)
    assert isinstance(messages[0], SetStoreInfo) and messages[0].store_id.kind == StoreKind.BLUEPRINT
    assert isinstance(messages[-1], BlueprintActivationCommand)


def test_import_rerun_does_not_load_grpc() -> None:
    code = "import rerun as rr, sys; rr.GrpcSink; rr.connect_grpc; print('grpc' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "False"


def test_init_with_spawn_spawns_for_the_new_recording(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(_grpc_sinks, "spawn", lambda **kwargs: calls.append(kwargs))
    previous = rr.get_global_data_recording()
    try:
        rr.init("spawned_app", spawn=True, default_blueprint=None)
        (call,) = calls
        assert call["recording"] is rr.get_global_data_recording() and call["default_blueprint"] is None
    finally:
        rr.set_global_data_recording(previous)


def test_script_helpers_connect(proxy: MessageProxyServer) -> None:
    import argparse

    parser = argparse.ArgumentParser()
    rr.script_add_args(parser)
    args = parser.parse_args(["--connect", "--url", str(proxy.url)])
    previous = rr.get_global_data_recording()
    try:
        rec = rr.script_setup(args, "scripted", recording_id="scripted")
        rec.log("x", rr.Scalars(1.0))
        rr.script_teardown(args)
        rec.disconnect()
    finally:
        rr.set_global_data_recording(previous)
    assert any(isinstance(m, ArrowMsg) and m.store_id.recording_id == "scripted" for m in received(proxy))
