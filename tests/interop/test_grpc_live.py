"""Live streaming across processes with our SDK and our ``rerun``: load, faults, malformed input.

(Reference-free: the interop with Rerun 0.41 itself is ``test_grpc_corpus_reference.py``.)
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import grpc
import pytest
from _grpc_helpers import (
    OURS,
    SCRIPTS,
    free_port,
    process,
    run_all,
    wait_for_chunks,
    wait_listening,
    wait_stable,
)

from rerun_core import ArrowMsg, SetStoreInfo
from rerun_core.grpc.server import SERVICE
from rerun_core.rrd import read_rrd

SENDERS, CHUNKS = 8, 10_000


def values_by_recording(path: Path) -> tuple[dict[str, list[float]], set[str]]:
    """Scalar values per recording id (one per chunk), and the recordings that sent a store info."""
    values: dict[str, list[float]] = defaultdict(list)
    announced: set[str] = set()
    for msg in read_rrd(path):
        if isinstance(msg, SetStoreInfo):
            announced.add(msg.store_id.recording_id)
        elif isinstance(msg, ArrowMsg):
            values[msg.store_id.recording_id] += msg.chunk.component("Scalars:scalars").flatten().to_pylist()
    return values, announced


def receiver(port: int, out: Path) -> list[str | Path]:
    return [*OURS, "--port", port, "--bind", "127.0.0.1", "--save", out]


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_eight_processes_times_ten_thousand_chunks_all_arrive(tmp_path: Path) -> None:
    port, out = free_port(), tmp_path / "load.rrd"
    started = time.monotonic()
    with process(receiver(port, out), stderr=subprocess.DEVNULL) as proxy:
        wait_listening(port, proxy)
        url = f"rerun+http://127.0.0.1:{port}/proxy"
        run_all([[sys.executable, SCRIPTS / "load_sender.py", url, k, CHUNKS] for k in range(SENDERS)],
                parallel=SENDERS, timeout_secs=150)  # fmt: skip
        wait_for_chunks(out, SENDERS * CHUNKS)
    values, announced = values_by_recording(out)
    assert announced == {f"proc{k}" for k in range(SENDERS)}
    for k in range(SENDERS):
        assert sorted(values[f"proc{k}"]) == [k * 1e6 + i for i in range(CHUNKS)], f"proc{k}"
    print(f"{SENDERS} x {CHUNKS} chunks in {time.monotonic() - started:.1f}s")


@pytest.mark.timeout(120)
def test_killed_receiver_neither_crashes_nor_blocks_the_logger_and_a_new_one_gets_later_data(
    tmp_path: Path,
) -> None:
    port = free_port()
    first, second = tmp_path / "first.rrd", tmp_path / "second.rrd"
    url = f"rerun+http://127.0.0.1:{port}/proxy"
    with process(receiver(port, first), stderr=subprocess.DEVNULL) as proxy:
        wait_listening(port, proxy)
        sender_command = [sys.executable, SCRIPTS / "fault_sender.py", url]
        with process(
            sender_command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        ) as sender:
            assert sender.stdin is not None and sender.stdout is not None
            assert sender.stdout.readline().strip() == "SENT 0"
            sender.stdin.write("go\n")
            sender.stdin.flush()
            time.sleep(0.3)  # the sender is logging 100..199 now
            proxy.send_signal(signal.SIGKILL)  # a crash: no goodbye on the stream
            proxy.wait(10)
            _, slowest, _, flush_secs, _outcome = sender.stdout.readline().split()
            assert float(slowest) < 0.5 and float(flush_secs) < 2.5  # bounded by flush(timeout_sec=1)
            with process(receiver(port, second), stderr=subprocess.DEVNULL) as again:
                wait_listening(port, again)
                sender.stdin.write("go\n")
                sender.stdin.flush()
                assert sender.stdout.readline().strip() == "SENT 2", sender.stderr.read()  # type: ignore[union-attr]
                sender.stdin.close()
                assert sender.wait(30) == 0, sender.stderr.read() if sender.stderr else ""
                wait_for_chunks(second, 1)  # the chunk(s) of 200..299 (flushed, so on their way)
                wait_stable(second, quiet_secs=0.5)
    before, _ = values_by_recording(first)
    after, announced = values_by_recording(second)
    assert set(range(100)) <= {int(v) for v in before["fault"]}
    assert "fault" in announced  # the store info is re-sent to the new endpoint
    assert set(range(200, 300)) <= {int(v) for v in after["fault"]}


def test_malformed_input_gets_an_error_and_the_standalone_proxy_keeps_serving(tmp_path: Path) -> None:
    port, out = free_port(), tmp_path / "read.rrd"
    with process(
        [*OURS, "--serve-grpc", "--port", port, "--bind", "127.0.0.1"], stderr=subprocess.DEVNULL
    ) as proxy:
        wait_listening(port, proxy)
        channel = grpc.insecure_channel(f"127.0.0.1:{port}", options=[("grpc.enable_http_proxy", 0)])
        write = channel.stream_unary(f"/{SERVICE}/WriteMessages")
        for garbage in (b"\x00\x01garbage", b"\x0a\x02\x08\x01", b"\x0a\x04\x12\x02\x0a\x00"):
            with pytest.raises(grpc.RpcError) as info:
                write(iter([garbage]), timeout=10)
            assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        channel.close()
        url = f"rerun+http://127.0.0.1:{port}/proxy"
        run_all([[sys.executable, SCRIPTS / "load_sender.py", url, 3, 50]])
        with process([*OURS, "--connect", str(port), "--save", out], stderr=subprocess.DEVNULL):
            wait_for_chunks(out, 50)
    values, announced = values_by_recording(out)
    assert announced == {"proc3"} and sorted(values["proc3"]) == [3e6 + i for i in range(50)]
