"""The catalog client's exceptions.

    CatalogError                 every failure the server reports, or reaching it
    ├── NotFoundError            no such entry / segment / task
    ├── AlreadyExistsError       the name (or segment layer) is taken
    ├── CatalogConnectionError   the server at the URL cannot be reached (also a ConnectionError)
    └── UnimplementedError       the server does not offer that rpc (also a NotImplementedError)

As in 0.41, some failures use builtin types instead: ``get_dataset(name)`` / ``get_table(name)``
with an unknown name raise ``LookupError``; registration tasks that fail, and ``reader()`` with an
unknown index, raise ``ValueError``. Usage mistakes (bad arguments) raise ``ValueError`` /
``TypeError`` before anything is sent.
"""

from __future__ import annotations

__all__ = [
    "AlreadyExistsError",
    "CatalogConnectionError",
    "CatalogError",
    "NotFoundError",
    "UnimplementedError",
]


class CatalogError(Exception):
    """A failure reported by the server (or on the way to it)."""


class NotFoundError(CatalogError):
    """The entry, segment or task does not exist."""


class AlreadyExistsError(CatalogError):
    """An entry with that name (or that segment layer) already exists."""


class CatalogConnectionError(CatalogError, ConnectionError):
    """The server at the client's URL cannot be reached."""


class UnimplementedError(CatalogError, NotImplementedError):
    """The server does not implement the rpc (0.41's open-source server: maintenance, for one)."""
