"""Live streaming against the reference Rerun 0.41, with the SDK corpus (every archetype).

Each direction streams all of ``tests/sdk_corpus`` through one gRPC endpoint; the received file is
split per recording and each part must hold the same data (reference ``rerun rrd compare
--unordered``) as the reference SDK's own ``rr.save`` of that script:

- reference SDK ``rr.connect_grpc`` -> our ``rerun --port P --save``;
- our SDK -> the reference's ``rerun --port P --save``, and -> ours;
- our SDK's in-process proxy (``GrpcServerSink``) -> the reference's ``rerun --connect URL --save``.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from _grpc_helpers import (
    OURS,
    SCRIPTS,
    count_chunks,
    free_port,
    process,
    run_all,
    split_by_recording,
    wait_for_chunks,
    wait_listening,
    wait_stable,
)

from _support import REPO, run_reference

pytestmark = pytest.mark.reference

CORPUS = REPO / "tests" / "sdk_corpus"
NAMES = sorted(p.stem for p in CORPUS.glob("*.py"))


@pytest.fixture(scope="module")
def direct(reference_python: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``<dir>/<script>/out.rrd``: each corpus script saved directly by the reference SDK."""
    root = tmp_path_factory.mktemp("grpc_corpus")
    for name in NAMES:
        (root / name).mkdir()
    run_all([[reference_python, CORPUS / f"{name}.py", root / name / "out.rrd"] for name in NAMES])
    return root


def stream_corpus(python: Path | str, url: str, direct: Path) -> None:
    """Every corpus script, run by ``python``, streaming to ``url`` (same output paths as ``direct``)."""
    wrapper = SCRIPTS / "connect_corpus.py"
    run_all([[python, wrapper, url, CORPUS / f"{name}.py", direct / name / "out.rrd"] for name in NAMES])


def assert_same_as_direct(received: Path, direct: Path, reference_rerun: Path, tmp_path: Path) -> None:
    parts = split_by_recording(received, tmp_path / "parts")
    for name in NAMES:
        expected = direct / name / "out.rrd"
        recording_ids = {rid for rid in parts if rid == name or rid.startswith(name)}
        assert recording_ids, f"nothing of {name} arrived"
        compared = run_reference(reference_rerun, "rrd", "compare", "--unordered", parts[name], expected)
        assert compared.returncode == 0, f"{name}: {compared.stdout[-2000:]}{compared.stderr[-2000:]}"


def expected_chunks(direct: Path) -> int:
    """Chunks of every direct save (streaming cuts the same ones: the batcher's time flush is off)."""
    return sum(count_chunks(direct / name / "out.rrd") for name in NAMES)


def receive(command: list[str | Path], port: int, python: Path | str, direct: Path, out: Path) -> None:
    with process(command, stop_signal=signal.SIGINT, stderr=subprocess.DEVNULL) as receiver:
        wait_listening(port, receiver)
        stream_corpus(python, f"rerun+http://127.0.0.1:{port}/proxy", direct)
        wait_for_chunks(out, expected_chunks(direct))
        wait_stable(out, quiet_secs=0.5)


def test_reference_sdk_into_our_receiver(
    reference_python: Path, reference_rerun: Path, direct: Path, tmp_path: Path
) -> None:
    port, out = free_port(), tmp_path / "received.rrd"
    receive(
        [*OURS, "--port", port, "--bind", "127.0.0.1", "--save", out], port, reference_python, direct, out
    )
    assert_same_as_direct(out, direct, reference_rerun, tmp_path)


def test_our_sdk_into_the_reference_receiver(reference_rerun: Path, direct: Path, tmp_path: Path) -> None:
    port, out = free_port(), tmp_path / "received.rrd"
    command = [reference_rerun, "--port", port, "--bind", "127.0.0.1", "--save", out]
    receive(command, port, sys.executable, direct, out)
    assert_same_as_direct(out, direct, reference_rerun, tmp_path)


def test_our_sdk_into_our_receiver(reference_rerun: Path, direct: Path, tmp_path: Path) -> None:
    port, out = free_port(), tmp_path / "received.rrd"
    receive([*OURS, "--port", port, "--bind", "127.0.0.1", "--save", out], port, sys.executable, direct, out)
    assert_same_as_direct(out, direct, reference_rerun, tmp_path)


def test_our_serve_grpc_read_by_the_reference_connect(
    reference_rerun: Path, direct: Path, tmp_path: Path
) -> None:
    port, out = free_port(), tmp_path / "received.rrd"
    scripts = [CORPUS / f"{name}.py" for name in NAMES]
    host_command = [sys.executable, SCRIPTS / "serve_corpus.py", port, direct, *scripts]
    with process(host_command, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as host:
        assert host.stdout is not None and host.stdin is not None
        ready = host.stdout.readline()
        assert ready.startswith("READY rerun+http://127.0.0.1:"), ready
        url = ready.split()[1]
        reader_port = free_port()  # the reference's --connect also hosts a proxy of its own
        command = [
            reference_rerun,
            "--connect",
            url,
            "--port",
            reader_port,
            "--bind",
            "127.0.0.1",
            "--save",
            out,
        ]
        with process(command, stop_signal=signal.SIGKILL, stderr=subprocess.DEVNULL):
            wait_for_chunks(out, expected_chunks(direct))
            wait_stable(out, quiet_secs=0.5)
        host.stdin.close()
    assert_same_as_direct(out, direct, reference_rerun, tmp_path)
