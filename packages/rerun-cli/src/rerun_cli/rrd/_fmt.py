"""Text forms the reference prints: byte sizes, counts, store ids, store infos and time values.

They follow rerun 0.41's own formatting (``re_format`` and Rust ``Debug`` output), so that output
read by people or scripts looks the same from either implementation.
"""

from __future__ import annotations

import datetime as dt

from rerun_core.log_msg import BlueprintActivationCommand, SetStoreInfo, StoreId, StoreKind, StoreSourceKind
from rerun_core.proto import log_msg_pb2
from rerun_core.timeline import TimeType
from rerun_core.version import parse_crate_version_bits

__all__ = [
    "format_activation",
    "format_bytes",
    "format_duration_iso",
    "format_store_id",
    "format_store_info",
    "format_time",
    "format_timestamp",
    "format_uint",
]

_KIB = 1024.0


def format_bytes(num_bytes: float) -> str:
    """``912 B``, ``1.4 KiB``, ``138 KiB``, ``2.0 MiB``: one decimal below 100 units."""
    if num_bytes < 0:
        return "-" + format_bytes(-num_bytes)
    if num_bytes == 0:
        return "0 B"
    if num_bytes < 20:
        return f"{num_bytes:.0f} B" if float(num_bytes).is_integer() else f"{num_bytes:.1f} B"
    if num_bytes < _KIB:
        return f"{num_bytes:.0f} B"
    for power, unit in ((2, "KiB"), (3, "MiB"), (4, "GiB")):
        if num_bytes < _KIB**power or unit == "GiB":
            decimals = 1 if 10 * num_bytes < _KIB**power else 0
            return f"{num_bytes / _KIB ** (power - 1):.{decimals}f} {unit}"
    raise AssertionError("unreachable")


def format_uint(value: int) -> str:
    """Thousands separated by thin spaces (U+2009), as the reference prints counts (``65 536``)."""
    return f"{value:,}".replace(",", "\u2009")


def format_store_id(store_id: StoreId) -> str:
    kind = "Recording" if store_id.kind == StoreKind.RECORDING else "Blueprint"
    return f'StoreId({kind}, "{store_id.application_id}", "{store_id.recording_id}")'


def format_store_info(info: SetStoreInfo) -> str:
    """A store info laid out like the reference's pretty ``Debug`` output."""
    sid = info.store_id
    kind = "Recording" if sid.kind == StoreKind.RECORDING else "Blueprint"
    major, minor, patch, meta = parse_crate_version_bits(info.version_bits)
    lines = [
        "StoreInfo {",
        "    store_id: StoreId(",
        f"        {kind},",
        f'        "{sid.application_id}",',
        f'        "{sid.recording_id}",',
        "    ),",
        *_store_source_lines(info),
        "    store_version: Some(",
        "        CrateVersion {",
        f"            major: {major},",
        f"            minor: {minor},",
        f"            patch: {patch},",
        f"            meta: {_version_meta(meta)},",
        "        },",
        "    ),",
        "}",
    ]
    return "\n".join(lines)


def _store_source_lines(info: SetStoreInfo) -> list[str]:
    if info.source_kind == StoreSourceKind.PYTHON_SDK:
        version = log_msg_pb2.PythonVersion.FromString(info.source_extra)
        text = f"{version.major}.{version.minor}.{version.patch}{version.suffix}"
        return ["    store_source: PythonSdk(", f"        {text},", "    ),"]
    if info.source_kind == StoreSourceKind.RUST_SDK:
        crate = log_msg_pb2.CrateInfo.FromString(info.source_extra)
        return [
            "    store_source: RustSdk {",
            f'        rustc_version: "{crate.rustc_version}",',
            f'        llvm_version: "{crate.llvm_version}",',
            "    },",
        ]
    names = {
        StoreSourceKind.C_SDK: "CSdk",
        StoreSourceKind.FILE: "File",
        StoreSourceKind.VIEWER: "Viewer",
        StoreSourceKind.UNSPECIFIED: "Unknown",
    }
    return [f"    store_source: {names.get(info.source_kind, 'Other')},"]


def _version_meta(meta: int) -> str:
    tags = {0x40: "Rc", 0x80: "Alpha", 0xC0: "DevAlpha"}
    tag = tags.get(meta & 0xC0)
    return f"Some({tag}({meta & 0x3F}))" if tag else "None"


def format_activation(command: BlueprintActivationCommand) -> str:
    active, default = str(command.make_active).lower(), str(command.make_default).lower()
    return (
        f"BlueprintActivationCommand({format_store_id(command.blueprint_id)}, "
        f"make_active: {active}, make_default: {default})"
    )


def format_timestamp(ns: int) -> str:
    """``2026-11-25T11:34:47.234628878``, UTC without zone; the fraction in groups of 3 digits."""
    seconds, fraction = divmod(ns, 1_000_000_000)
    moment = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if not fraction:
        return text
    digits = f"{fraction:09d}"
    while digits.endswith("000"):
        digits = digits[:-3]
    return f"{text}.{digits}"


def format_duration_iso(ns: int) -> str:
    """ISO-8601 durations as Arrow prints them: ``P0D``, ``PT0.5S``, ``P1DT3.25S``."""
    if ns == 0:
        return "P0D"
    sign = "-" if ns < 0 else ""
    days, rest = divmod(abs(ns), 86_400 * 1_000_000_000)
    seconds, fraction = divmod(rest, 1_000_000_000)
    text = f"{sign}P" + (f"{days}D" if days else "")
    if rest:
        frac = f".{fraction:09d}".rstrip("0") if fraction else ""
        text += f"T{seconds}{frac}S"
    return text


def format_time(typ: TimeType, value: int) -> str:
    if typ == TimeType.TIMESTAMP_NS:
        return format_timestamp(value)
    if typ == TimeType.DURATION_NS:
        return format_duration_iso(value)
    return str(value)
