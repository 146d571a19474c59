"""A script that forgets ``shutdown()`` still exits: the server is not stopped from interpreter teardown."""

from __future__ import annotations

import subprocess
import sys

_SCRIPT = "from rerun_server import Server\nserver = Server(host='127.0.0.1', port=0)\nraise SystemExit(3)\n"


def test_exit_without_shutdown_does_not_hang() -> None:
    done = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, timeout=60, check=False)
    assert done.returncode == 3, done.stderr.decode()
