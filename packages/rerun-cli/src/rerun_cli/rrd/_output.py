"""Where commands that produce a recording write it: ``-o PATH``, or standard output."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from rerun_cli._streams import Streams
from rerun_cli.errors import CliError
from rerun_core.rrd import RrdEncoder

__all__ = ["open_output"]

_BUFFER_SIZE = 1 << 20


@contextmanager
def open_output(path: str | None, streams: Streams) -> Iterator[RrdEncoder]:
    """An encoder writing one RRD stream (with footer and manifests, as the reference writes)."""
    if path is None or path == "-":
        with RrdEncoder(streams.stdout) as encoder:
            yield encoder
        streams.stdout.flush()
        return
    with _create(path) as sink, RrdEncoder(sink) as encoder:
        yield encoder


def _create(path: str) -> BinaryIO:
    try:
        return Path(path).open("wb", buffering=_BUFFER_SIZE)
    except OSError as err:
        raise CliError(f"couldn't create {path!r}: {err.strerror or err}") from None
