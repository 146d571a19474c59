"""``rr.spawn``: start a ``rerun`` process listening on a port (unless one already listens there).

Arguments and environment are those 0.41 passes (``--port=P --memory-limit=.. --server-memory-limit=..
--expect-data-soon``, ``RERUN_APP_ONLY=true``). Logging never waits for the viewer: if it is slow to
start, or exits (a build without a viewer says why on its stderr), data stays queued in the sink.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time

from rerun_core.grpc.url import is_listening

__all__ = ["spawn_viewer"]

_log = logging.getLogger("rerun")
_WAIT_FOR_PORT_SECS = 10.0
_SPAWNED: list[subprocess.Popen[bytes]] = []  # kept, so a viewer still running is never garbage-collected
_NOT_FOUND = """Failed to find Rerun Viewer executable in PATH ({name!r}).

    Install the `rerun` command with `pip install rerun-cli`, or pass `executable_path=` to `rr.spawn`."""


def spawn_viewer(
    *,
    port: int,
    memory_limit: str,
    server_memory_limit: str,
    hide_welcome_screen: bool,
    detach_process: bool,
    executable_name: str,
    executable_path: str | None,
    headless: bool = False,
) -> subprocess.Popen[bytes] | None:
    """Start the viewer on ``port`` (``headless``: without a window) and wait (up to 10 s) until it
    listens; returns the process, ``None`` when a viewer already listened there."""
    if is_listening("127.0.0.1", port):
        _log.info("A process is already listening on port %d; assuming it is a Rerun Viewer", port)
        return None
    executable = executable_path or shutil.which(executable_name)
    if executable is None:
        raise RuntimeError(_NOT_FOUND.format(name=executable_name))
    args = [
        executable,
        f"--port={port}",
        f"--memory-limit={memory_limit}",
        f"--server-memory-limit={server_memory_limit}",
        "--expect-data-soon",
    ]
    if hide_welcome_screen:
        args.append("--hide-welcome-screen")
    if headless:
        args.append("--headless")
    process = subprocess.Popen(
        args,
        env={**os.environ, "RERUN_APP_ONLY": "true"},
        stdin=subprocess.DEVNULL,
        start_new_session=detach_process,  # a detached viewer outlives this script and its Ctrl-C
    )
    _SPAWNED.append(process)
    _wait_for_port(process, port)
    return process


def _wait_for_port(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + _WAIT_FOR_PORT_SECS
    delay = 0.01
    while time.monotonic() < deadline:
        if is_listening("127.0.0.1", port, timeout_secs=0.2):
            return
        status = process.poll()
        if status is not None:
            _log.warning("The spawned `%s` exited with status %d before listening on port %d; "
                         "data stays queued until a viewer listens there", process.args[0], status, port)  # type: ignore[index]  # fmt: skip
            return
        time.sleep(delay)
        delay = min(delay * 2, 0.1)
    _log.warning("Spawned Rerun Viewer did not bind to port %d in time. Connections to it may fail.", port)
