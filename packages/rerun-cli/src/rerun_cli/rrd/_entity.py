"""Entity paths given on the command line, compared with the paths chunks carry."""

from __future__ import annotations

import functools
import warnings

from rerun_cli._streams import Streams
from rerun_core.entity_path import EntityPath, EntityPathWarning

__all__ = ["canonical_entity", "parse_entity_arg"]


def parse_entity_arg(text: str, streams: Streams) -> str:
    """The canonical form of a user-given path; a reinterpreted path is reported, not fatal."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EntityPathWarning)
        path = str(EntityPath.parse(text))
    for warning in caught:
        streams.error(f"WARN {warning.message}")
    return path


@functools.lru_cache(maxsize=4096)
def canonical_entity(text: str) -> str:
    """The canonical form of a path stored in a chunk (already canonical when a Rerun SDK wrote it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EntityPathWarning)
        return str(EntityPath.parse(text))
