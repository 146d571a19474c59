"""``rr.server``: run a Rerun catalog server in this process (provided by the rerun-server package).

``rr.server.Server(datasets={"name": "folder/"}, port=None)`` hosts RRD files over the 0.41 catalog
protocol; see ``rerun_server.Server``. The server package loads on first use, so ``import rerun``
does not need it.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Server"]  # noqa: F822 (loaded on first use; the SDK does not depend on rerun-server)


def __getattr__(name: str) -> Any:
    if name != "Server":
        raise AttributeError(f"module 'rerun.server' has no attribute {name!r}")
    try:
        server = importlib.import_module("rerun_server")
    except ImportError:
        raise ImportError(
            "rr.server.Server needs the rerun-server package, which is not installed (pip install rerun-server)"
        ) from None
    globals()[name] = server.Server
    return server.Server
