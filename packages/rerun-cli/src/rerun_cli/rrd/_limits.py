"""Compaction thresholds for ``optimize``: profiles, then ``RERUN_CHUNK_MAX_*`` variables, then flags."""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Mapping

from rerun_cli.errors import UsageError
from rerun_cli.rrd._compaction import CompactionLimits

__all__ = ["PROFILES", "add_limit_arguments", "limits_from", "parse_size"]

PROFILES = {
    "live": CompactionLimits(max_bytes=384 * 1024, max_rows=4096, max_rows_if_unsorted=1024),
    "object-store": CompactionLimits(max_bytes=2 * 1024 * 1024, max_rows=65536, max_rows_if_unsorted=8192),
}
_ENV = {
    "max_bytes": "RERUN_CHUNK_MAX_BYTES",
    "max_rows": "RERUN_CHUNK_MAX_ROWS",
    "max_rows_if_unsorted": "RERUN_CHUNK_MAX_ROWS_IF_UNSORTED",
}
_UNITS = {
    "b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4,
    "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4,
}  # fmt: skip
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$")


def parse_size(text: str) -> int:
    """``2MiB``, ``512KiB``, ``1GB``, ``1024B``: a number with a binary or decimal unit (required)."""
    match = _SIZE.match(text)
    unit = match and _UNITS.get(match.group(2).lower())
    if not match or not unit:
        raise argparse.ArgumentTypeError(
            f"invalid size {text!r}; expected a value with a unit suffix, e.g. `2MiB`, `1GB`, `1024B`"
        )
    return round(float(match.group(1)) * unit)


def add_limit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile", choices=sorted(PROFILES), default="object-store",
        help="thresholds to start from: small chunks for the live viewer, or larger ones for "
        "object-store backed querying (default: object-store)",
    )  # fmt: skip
    parser.add_argument("--max-size", type=parse_size, help="largest chunk size to compact into, e.g. 2MiB")
    parser.add_argument("--max-rows", type=int, help="most rows a (time-sorted) compacted chunk may have")
    parser.add_argument(
        "--max-rows-if-unsorted", type=int, help="most rows a compacted chunk with unsorted times may have"
    )


def limits_from(args: argparse.Namespace, environ: Mapping[str, str] = os.environ) -> CompactionLimits:
    """The profile's thresholds, overridden by environment variables, overridden by flags."""
    values = vars(PROFILES[args.profile]).copy()
    for name, variable in _ENV.items():
        if variable in environ:
            try:
                values[name] = int(environ[variable])
            except ValueError:
                raise UsageError(
                    f"failed to parse config: '{variable}={environ[variable]}' is not an integer"
                ) from None
    flags = {
        "max_bytes": args.max_size,
        "max_rows": args.max_rows,
        "max_rows_if_unsorted": args.max_rows_if_unsorted,
    }
    values.update({name: value for name, value in flags.items() if value is not None})
    return CompactionLimits(**values)
