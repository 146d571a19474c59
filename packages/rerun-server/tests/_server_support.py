"""Helpers for the server tests: start a server process on a free port and wait until it is ready."""

from __future__ import annotations

import contextlib
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "reference-0.41"
READY_TIMEOUT_S = 60
_URL = re.compile(r"rerun\+http://[0-9.]+:\d+")


@contextlib.contextmanager
def server_process(command: Sequence[str], *, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run a ``rerun server`` command (``-p 0``); yields its URL once it says it is ready; always killed."""
    process = subprocess.Popen(
        list(command), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, errors="replace", env=env,
    )  # fmt: skip
    lines: queue.Queue[str | None] = queue.Queue()
    log: list[str] = []

    def drain() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        url = _wait_ready(lines, log)
        if url is None:
            raise RuntimeError(f"server did not start: {' '.join(command)}\n{''.join(log)}")
        yield url
    finally:
        process.kill()
        process.wait(timeout=30)
        reader.join(timeout=10)
        assert process.stderr is not None
        process.stderr.close()


def _wait_ready(lines: queue.Queue[str | None], log: list[str]) -> str | None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    url = None
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return None
        if line is None:
            return None
        log.append(line)
        found = _URL.search(line)
        url = found.group(0) if found and "Listening" in line else url
        if "Ready for connections" in line:
            return url
    return None


def our_server_command(*args: str | Path) -> list[str]:
    """``rerun server`` of this repository, on loopback and a free port."""
    return [sys.executable, "-m", "rerun_cli", "server", "--host", "127.0.0.1", "-p", "0", *map(str, args)]
