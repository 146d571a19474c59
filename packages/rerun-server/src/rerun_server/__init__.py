"""The Rerun catalog server (``rerun server``): the 0.41 redap gRPC service, in pure Python.

``Server`` hosts datasets of RRD files and tables over ``rerun.cloud.v1alpha1.RerunCloudService``,
wire-compatible with 0.41's ``rerun server`` (its ``CatalogClient`` works against it). Registered
files are indexed once and read on demand; ``storage=`` makes the catalog persistent (SQLite, tables
as Parquet).
"""

from rerun_server._server import DEFAULT_PORT, Server
from rerun_server.errors import (
    AlreadyExistsError,
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    ServerError,
    UnimplementedError,
)

__version__ = "0.41.0"

__all__ = [
    "DEFAULT_PORT",
    "AlreadyExistsError",
    "FailedPreconditionError",
    "InvalidArgumentError",
    "NotFoundError",
    "Server",
    "ServerError",
    "UnimplementedError",
]
