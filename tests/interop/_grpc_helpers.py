"""Helpers of the cross-process gRPC tests: receivers as subprocesses, waiting, splitting recordings.

Everything listens on 127.0.0.1 only, every wait is bounded, and every process started here is killed
(with its process group) when its ``with`` block ends, whatever happened.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path

from rerun_core.errors import RrdError
from rerun_core.grpc.url import is_listening
from rerun_core.rrd import MessageKind, RrdDecoder, decode_frame
from rerun_core.rrd.framing import MessageHeader, StreamHeader

SCRIPTS = Path(__file__).resolve().parent / "grpc_scripts"
OURS = [sys.executable, "-m", "rerun_cli"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    return {**env, "RERUN_ANALYTICS": "0", **extra}


@contextmanager
def process(
    args: Sequence[str | Path], *, stop_signal: int = signal.SIGTERM, **kwargs: object
) -> Iterator[subprocess.Popen[str]]:
    """A background process (own process group); on exit: ``stop_signal``, 10 s, then SIGKILL."""
    proc = subprocess.Popen(
        [str(a) for a in args],
        env=clean_env(),
        text=True,
        start_new_session=True,
        **kwargs,  # type: ignore[call-overload]
    )
    try:
        yield proc
    finally:
        stop(proc, stop_signal)


def stop(
    proc: subprocess.Popen[str], stop_signal: int = signal.SIGTERM, grace_secs: float = 10
) -> int | None:
    if proc.poll() is None:
        with _ignore_gone():
            os.killpg(proc.pid, stop_signal)
        with suppress(subprocess.TimeoutExpired):
            proc.wait(grace_secs)
    with _ignore_gone():
        os.killpg(proc.pid, signal.SIGKILL)  # the reference's `rerun` is a wrapper around a binary
    proc.wait(10)
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        if pipe is not None:
            with suppress(OSError):
                pipe.close()
    return proc.returncode


def _ignore_gone() -> suppress:
    return suppress(ProcessLookupError, PermissionError)


def wait_listening(port: int, proc: subprocess.Popen[str], timeout_secs: float = 30) -> None:
    deadline = time.monotonic() + timeout_secs
    while not is_listening("127.0.0.1", port, timeout_secs=0.2):
        if proc.poll() is not None:
            raise AssertionError(f"{proc.args} exited with {proc.returncode} before listening on {port}")
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing listens on {port} after {timeout_secs}s")
        time.sleep(0.05)


def count_chunks(path: Path) -> int:
    """ArrowMsg frames in a file a receiver may still be writing (a cut-off last frame is not counted)."""
    count = 0
    try:
        with path.open("rb") as source:
            for frame in RrdDecoder(source).frames():
                count += frame.kind == MessageKind.ARROW_MSG
    except (OSError, RrdError):
        pass
    return count


def wait_for_chunks(path: Path, expected: int, timeout_secs: float = 120) -> None:
    """Wait until a receiver has written ``expected`` chunks (it may lag behind the senders under load)."""
    deadline = time.monotonic() + timeout_secs
    while (found := count_chunks(path)) < expected:
        assert time.monotonic() < deadline, f"{path}: {found} of {expected} chunks after {timeout_secs}s"
        time.sleep(0.1)


def wait_stable(path: Path, quiet_secs: float = 1.0, timeout_secs: float = 60) -> int:
    """Wait until ``path`` exists and stops growing (a receiver writes as data arrives); returns its size."""
    deadline = time.monotonic() + timeout_secs
    size, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now_size = path.stat().st_size if path.exists() else -1
        if now_size != size or now_size < 0:
            size, since = now_size, time.monotonic()
        elif time.monotonic() - since >= quiet_secs:
            return size
        time.sleep(0.05)
    raise AssertionError(f"{path} still changing after {timeout_secs}s")


def run_all(commands: list[list[str | Path]], *, parallel: int = 3, timeout_secs: float = 120) -> None:
    """Run SDK scripts (a few at a time); fail with the stderr of any that failed.

    The batcher's time-based flush is off, so chunk boundaries do not depend on how busy the machine
    is: a run that streams and a run that saves cut the same chunks, which ``rrd compare`` needs.
    """

    def run(command: list[str | Path]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(c) for c in command], capture_output=True, text=True, timeout=timeout_secs,
            env=clean_env(RERUN_STRICT="1", RERUN_FLUSH_TICK_SECS="1000"), check=False,
        )  # fmt: skip

    with ThreadPoolExecutor(parallel) as pool:
        for command, result in zip(commands, pool.map(run, commands), strict=True):
            assert result.returncode == 0, f"{command}:\n{result.stderr[-3000:]}"


def split_by_recording(path: Path, out_dir: Path) -> dict[str, Path]:
    """One RRD per recording id, holding exactly the frames (bytes untouched) of that recording."""
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs: dict[str, Path] = {}
    files = {}
    try:
        with path.open("rb") as source:
            for frame in RrdDecoder(source).frames():
                if frame.kind == MessageKind.END:
                    continue
                msg = decode_frame(frame)
                store = (
                    msg.blueprint_id
                    if frame.kind == MessageKind.BLUEPRINT_ACTIVATION_COMMAND
                    else msg.store_id
                )  # type: ignore[union-attr]
                if store.recording_id not in files:
                    outputs[store.recording_id] = out_dir / f"{store.recording_id}.rrd"
                    files[store.recording_id] = outputs[store.recording_id].open("wb")
                    files[store.recording_id].write(StreamHeader(lz4=True).to_bytes())
                files[store.recording_id].write(MessageHeader(frame.kind, len(frame.body)).to_bytes())
                files[store.recording_id].write(frame.body)
    finally:
        for file in files.values():
            file.close()
    return outputs
