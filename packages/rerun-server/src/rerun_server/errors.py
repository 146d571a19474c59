"""Errors the server reports; each one becomes a gRPC status with a message naming what was wrong.

ServerError                  INTERNAL: a bug or an unexpected failure (never a user's fault)
├── InvalidArgumentError     INVALID_ARGUMENT: a malformed request (bad header, DataframePart, name...)
├── NotFoundError            NOT_FOUND: an entry, segment, chunk or registered file that does not exist
├── AlreadyExistsError       ALREADY_EXISTS: an entry name or segment layer that is taken
├── FailedPreconditionError  FAILED_PRECONDITION: the request is fine but the state is not (revision
│                            mismatch, a registered file changed on disk, a read-only table)
└── UnimplementedError       UNIMPLEMENTED: an rpc or option this server does not provide
"""

from __future__ import annotations

import grpc

__all__ = [
    "AlreadyExistsError",
    "FailedPreconditionError",
    "InvalidArgumentError",
    "NotFoundError",
    "ServerError",
    "UnimplementedError",
]


class ServerError(Exception):
    """Base of every error the server raises on purpose; ``code`` is the gRPC status it maps to."""

    code: grpc.StatusCode = grpc.StatusCode.INTERNAL


class InvalidArgumentError(ServerError, ValueError):
    code = grpc.StatusCode.INVALID_ARGUMENT


class NotFoundError(ServerError, LookupError):
    code = grpc.StatusCode.NOT_FOUND


class AlreadyExistsError(ServerError):
    code = grpc.StatusCode.ALREADY_EXISTS


class FailedPreconditionError(ServerError):
    code = grpc.StatusCode.FAILED_PRECONDITION


class UnimplementedError(ServerError, NotImplementedError):
    code = grpc.StatusCode.UNIMPLEMENTED
