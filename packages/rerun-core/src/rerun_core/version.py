"""The Rerun version we speak, and its 4-byte encoding in stream headers and store infos."""

from __future__ import annotations

__all__ = ["CRATE_VERSION", "crate_version_bits", "format_crate_version", "parse_crate_version_bits"]

# (major, minor, patch, meta): meta's top two bits say rc (01) / alpha (10) / dev-alpha (11), the
# low six bits the pre-release number.
CRATE_VERSION: tuple[int, int, int, int] = (0, 41, 0, 0)

_META_TAGS = {0x40: "-rc.", 0x80: "-alpha.", 0xC0: "-dev-alpha."}


def crate_version_bits(version: tuple[int, int, int, int]) -> int:
    """The four version bytes read as a little-endian int32 (``StoreVersion.crate_version_bits``)."""
    return int.from_bytes(bytes(version), "little", signed=True)


def parse_crate_version_bits(bits: int) -> tuple[int, int, int, int]:
    major, minor, patch, meta = (bits & 0xFFFFFFFF).to_bytes(4, "little")
    return major, minor, patch, meta


def format_crate_version(version: tuple[int, int, int, int]) -> str:
    major, minor, patch, meta = version
    tag = _META_TAGS.get(meta & 0xC0)
    return f"{major}.{minor}.{patch}" + (f"{tag}{meta & 0x3F}" if tag else "")
