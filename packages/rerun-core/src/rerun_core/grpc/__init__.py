"""Live streaming over gRPC: the 0.41 ``MessageProxyService`` (``rerun.sdk_comms.v1alpha1``).

Layers: ``url`` (proxy URLs) and ``wire`` (request bytes, built and checked by hand) and ``hub``
(history + fan-out) are plain Python; ``server`` (the proxy) and ``client`` (the SDK's writer, a
reader) need grpcio, the optional ``rerun-core[grpc]`` extra. Names load on first use, so
``from rerun_core.grpc.url import parse_proxy_url`` works without grpcio installed.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

# grpc's C core logs routine connection events (a peer's GOAWAY on shutdown) at INFO on stderr; keep
# it to errors unless the user chose otherwise. Only effective when this runs before grpc is imported.
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

_EXPORTS = {
    "DEFAULT_PORT": "url",
    "ProxyUrl": "url",
    "parse_connect_target": "url",
    "parse_proxy_url": "url",
    "ProxyMessage": "wire",
    "decode_log_msg": "wire",
    "encode_log_msg": "wire",
    "parse_write_request": "wire",
    "MessageHub": "hub",
    "MessageProxyServer": "server",
    "GrpcWriter": "client",
    "read_messages": "client",
}

__all__ = [
    "DEFAULT_PORT",
    "GrpcWriter",
    "MessageHub",
    "MessageProxyServer",
    "ProxyMessage",
    "ProxyUrl",
    "decode_log_msg",
    "encode_log_msg",
    "parse_connect_target",
    "parse_proxy_url",
    "parse_write_request",
    "read_messages",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'rerun_core.grpc' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"rerun_core.grpc.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from rerun_core.grpc.client import GrpcWriter, read_messages
    from rerun_core.grpc.hub import MessageHub
    from rerun_core.grpc.server import MessageProxyServer
    from rerun_core.grpc.url import DEFAULT_PORT, ProxyUrl, parse_connect_target, parse_proxy_url
    from rerun_core.grpc.wire import ProxyMessage, decode_log_msg, encode_log_msg, parse_write_request
