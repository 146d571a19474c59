"""Message-proxy URLs (``rerun+http://127.0.0.1:9876/proxy``), parsed as 0.41 parses them.

Rules observed on the reference: the scheme is one of ``rerun://`` (TLS), ``rerun+http://`` and
``rerun+https://`` (TLS), case-sensitive; the port defaults to 9876; the path must be ``/proxy``
(a trailing ``/`` and a query are tolerated); user info is dropped. Errors start with
``invalid endpoint "<url>": `` like the reference's, so scripts that match on them keep working.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

from rerun_core.errors import InvalidEndpointError

__all__ = ["DEFAULT_PORT", "ProxyUrl", "is_listening", "parse_connect_target", "parse_proxy_url"]

DEFAULT_PORT = 9876
_SCHEMES = {"rerun://": True, "rerun+http://": False, "rerun+https://": True}  # scheme -> TLS
_SCHEME_ERROR = "Invalid or missing scheme (expected one of: `rerun://`, `rerun+http://`, `rerun+https://`)"


@dataclass(frozen=True)
class ProxyUrl:
    """Where a message proxy listens; ``str()`` gives the canonical URL (TLS ones as ``rerun://``)."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    tls: bool = False

    @property
    def target(self) -> str:
        """``host:port`` as gRPC channels want it (IPv6 hosts in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def __str__(self) -> str:
        return f"{'rerun' if self.tls else 'rerun+http'}://{self.target}/proxy"


def parse_proxy_url(url: str) -> ProxyUrl:
    """Parse a message-proxy URL; raises :class:`InvalidEndpointError` saying what is wrong."""
    scheme = next((s for s in _SCHEMES if url.startswith(s)), None)
    if scheme is None:
        raise _invalid(url, _SCHEME_ERROR)
    rest = url[len(scheme) :].split("#", 1)[0].split("?", 1)[0]
    authority, slash, path = rest.partition("/")
    host, port = _split_authority(url, authority.rpartition("@")[2])
    if slash + path not in ("/proxy", "/proxy/"):
        where = f"the path {'/' + path!r}" if slash else "no path"
        raise _invalid(
            url, f"{where}; a message proxy URL ends in /proxy, like rerun+http://127.0.0.1:9876/proxy"
        )
    return ProxyUrl(host, port, tls=_SCHEMES[scheme])


def parse_connect_target(value: str | None) -> ProxyUrl:
    """What ``rerun --connect`` accepts: nothing (the default proxy), a port number, or a proxy URL."""
    if value is None or value == "":
        return ProxyUrl()
    if value.isdigit():
        return ProxyUrl(port=_port(value, value))
    try:
        return parse_proxy_url(value)
    except InvalidEndpointError as err:
        reason = str(err).split('": ', 1)[-1]
        raise InvalidEndpointError(f"expected a port or `/proxy` endpoint: {reason}") from None


def is_listening(host: str, port: int, timeout_secs: float = 0.5) -> bool:
    """Whether something accepts TCP connections on ``host:port`` (one endpoint per port)."""
    try:
        with socket.create_connection((host, port), timeout=timeout_secs):
            return True
    except OSError:
        return False


def _split_authority(url: str, authority: str) -> tuple[str, int]:
    if authority.startswith("["):  # [ipv6]:port
        host, bracket, tail = authority[1:].partition("]")
        if not bracket or (tail and not tail.startswith(":")):
            raise _invalid(url, "invalid IPv6 address")
        port_text = tail[1:] if tail else None
    elif ":" in authority:
        host, _, port_text = authority.rpartition(":")
    else:
        host, port_text = authority, None
    if not host:
        raise _invalid(url, "empty host")
    return host, DEFAULT_PORT if port_text is None else _port(url, port_text)


def _port(url: str, text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise _invalid(url, "invalid port number")
    return int(text)


def _invalid(url: str, reason: str) -> InvalidEndpointError:
    return InvalidEndpointError(f'invalid endpoint "{url}": {reason}')
