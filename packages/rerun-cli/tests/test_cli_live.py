"""`rerun` without a subcommand, headless: --serve-grpc, --save, --connect, and one endpoint per port."""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from _cli_support import STORE, cli, recording, sample, scalars, write

from rerun_cli._streams import Streams
from rerun_cli.live import configure
from rerun_cli.live._run import run_live
from rerun_core.errors import RrdError
from rerun_core.grpc.client import GrpcWriter, read_messages
from rerun_core.grpc.server import MessageProxyServer
from rerun_core.grpc.url import ProxyUrl, is_listening
from rerun_core.grpc.wire import ProxyMessage
from rerun_core.rrd import decode_rrd, encode_rrd


@pytest.fixture
def listener() -> Iterator[MessageProxyServer]:
    """Something already listening on a port: one of our proxies."""
    server = MessageProxyServer(bind="127.0.0.1", port=0).start()
    try:
        yield server
    finally:
        server.stop(grace_secs=None)


def free_port() -> int:
    with MessageProxyServer(bind="127.0.0.1", port=0) as probe:
        return probe.port


@contextmanager
def running(*argv: str | Path) -> Iterator[Streams]:
    """A blocking mode on a thread, stopped (like Ctrl-C) when the block ends."""
    parser = argparse.ArgumentParser()
    configure(parser)
    args = parser.parse_args([str(a) for a in argv])
    streams, stop = Streams.in_memory(), threading.Event()
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(run_live(args, streams, stop)), daemon=True)
    thread.start()
    try:
        yield streams
    finally:
        stop.set()
        thread.join(30)
    assert result == [0], streams.stderr.getvalue()  # type: ignore[attr-defined]


def wait_for(condition: object, timeout_secs: float = 10) -> None:
    deadline = time.monotonic() + timeout_secs
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def history(server: MessageProxyServer) -> list[ProxyMessage]:
    subscription = server.subscribe()
    return list(iter(lambda: subscription.get(timeout=0), None))


def test_save_records_what_sdks_send_without_a_footer(tmp_path: Path) -> None:
    port, out = free_port(), tmp_path / "out.rrd"
    messages = recording(scalars("/a", [0, 1], [1.0, 2.0]))
    with running("--port", port, "--bind", "127.0.0.1", "--save", out) as streams:
        wait_for(lambda: is_listening("127.0.0.1", port))
        writer = GrpcWriter(ProxyUrl("127.0.0.1", port))
        for msg in messages:
            writer.send(msg)
        assert writer.flush(10) is None
        writer.close()
    data = out.read_bytes()
    assert data[:12] == bytes.fromhex("525246320029000001020000")  # what 0.41 writes: LZ4 + protobuf
    assert decode_rrd(data) == messages and data.endswith(encode_rrd(messages, write_footer=False)[12:-16])
    assert f"Listening for gRPC connections on 127.0.0.1:{port}" in streams.stderr.getvalue()  # type: ignore[attr-defined]


def test_serve_grpc_hosts_files_for_readers(tmp_path: Path) -> None:
    port, path = free_port(), write(tmp_path / "in.rrd", sample())
    with running("--serve-grpc", "--port", port, "--bind", "127.0.0.1", path):
        wait_for(lambda: is_listening("127.0.0.1", port))
        reader = read_messages(ProxyUrl("127.0.0.1", port))
        got: list[ProxyMessage] = []
        thread = threading.Thread(target=lambda: got.extend(reader), daemon=True)
        thread.start()
        wait_for(lambda: len(got) == len(sample()))
        reader.cancel()
    assert sorted(bytes(m.body) for m in got) == sorted(bytes(m.body) for m in _frames(path))


def test_one_endpoint_per_port(listener: MessageProxyServer, tmp_path: Path) -> None:
    port = str(listener.port)
    saved = cli("--port", port, "--bind", "127.0.0.1", "--save", tmp_path / "x.rrd")
    assert saved.code == 0 and "Address already in use" in saved.stderr and not (tmp_path / "x.rrd").exists()
    served = cli("--serve-grpc", "--port", port, "--bind", "127.0.0.1")
    assert served.code == 1 and "Address already in use" in served.stderr
    bare = cli("--port", port)
    assert bare.code == 0 and "already listening" in bare.stderr and history(listener) == []


def test_files_go_to_the_endpoint_already_on_the_port(listener: MessageProxyServer, tmp_path: Path) -> None:
    path = write(tmp_path / "in.rrd", sample())
    result = cli("--port", str(listener.port), path)
    assert result.code == 0 and "streaming data to it" in result.stderr
    received = history(listener)
    assert len(received) == len(sample())
    assert {bytes(m.body) for m in received} == {bytes(m.body) for m in _frames(path)}


def _frames(path: Path) -> list[ProxyMessage]:
    from rerun_core.grpc.wire import message_from_frame
    from rerun_core.rrd import MessageKind, RrdDecoder

    with path.open("rb") as source:
        return [
            message_from_frame(f.kind, f.body)
            for f in RrdDecoder(source).frames()
            if f.kind != MessageKind.END
        ]


def _complete_messages(path: Path) -> int:
    """How many whole messages the file being written holds so far (it may be empty or end mid-message)."""
    try:
        return len(decode_rrd(path.read_bytes())) if path.exists() else 0
    except RrdError:
        return 0


def test_connect_reads_another_proxy_into_a_file(listener: MessageProxyServer, tmp_path: Path) -> None:
    for msg in recording(scalars("/a", [0], [1.0])):
        writer = GrpcWriter(listener.url)
        writer.send(msg)
        assert writer.flush(10) is None
        writer.close()
    out = tmp_path / "read.rrd"
    with running("--connect", str(listener.port), "--save", out):
        wait_for(lambda: _complete_messages(out) == 2)
    assert [m.store_id for m in decode_rrd(out.read_bytes())] == [STORE, STORE]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["--connect", "http://x/proxy", "--save", "x.rrd"], 2, "expected a port or `/proxy` endpoint"),
        (["--serve-grpc", "--server-memory-limit", "lots"], 2, "--server-memory-limit"),
        (["--port", "nope", "--serve-grpc"], 2, "--port"),
        (["--serve-web"], 1, "not built yet"),
    ],
)
def test_mistakes_and_what_needs_the_viewer(argv: list[str], code: int, message: str) -> None:
    result = cli(*argv)
    assert result.code == code and message in result.stderr
