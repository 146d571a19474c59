"""`rerun rrd verify`: decoding, column types against the 0.41 archetypes, and footers."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pyarrow as pa
import pytest
from _cli_support import REPO, STORE, cli, recording, sample, scalars, write

from rerun_cli.rrd._chunks import rebuild
from rerun_core import ArrowMsg, Chunk, ComponentDescriptor, Compression, SetStoreInfo, StoreId, StoreKind
from rerun_core.rrd import encode_rrd
from rerun_core.tuid import Tuid


def test_good_files_verify(tmp_path: Path) -> None:
    paths = [write(tmp_path / f"{i}.rrd", sample()) for i in range(3)]
    result = cli("rrd", "verify", *paths)
    assert result.code == 0 and result.stderr.strip() == "3 files verified without error."


def test_standard_input_and_empty_input(tmp_path: Path) -> None:
    assert (
        cli("rrd", "verify", stdin=encode_rrd(sample()) * 2).stderr.strip()
        == "1 file verified without error."
    )
    empty = tmp_path / "empty.rrd"
    empty.write_bytes(b"")
    assert cli("rrd", "verify", empty).stderr.strip() == "0 files verified without error."


def test_missing_footer(tmp_path: Path) -> None:
    path = write(tmp_path / "a.rrd", sample(), footer=False)
    result = cli("rrd", "verify", path)
    assert result.code == 1 and "Missing RRD footer / no RRD manifests" in result.stderr
    assert "Verification failed with 1 errors" in result.stderr
    assert cli("rrd", "verify", "--check-footers=false", path).code == 0


def column_chunk(descriptor: ComponentDescriptor, array: pa.Array) -> Chunk:
    return Chunk.build("/x", components={descriptor: array})


@pytest.mark.parametrize(
    ("descriptor", "array", "problem"),
    [
        (ComponentDescriptor("Points3D:radii", "rerun.archetypes.Points3D", "rerun.components.Radius"),
         pa.array([[1.0]], pa.list_(pa.float64())), "expected float but found double"),
        (ComponentDescriptor("Points3D:bogus", "rerun.archetypes.Points3D", "rerun.components.Radius"),
         pa.array([[1.0]], pa.list_(pa.float32())), "which only has the fields: positions radii"),
        (ComponentDescriptor("Bogus:radii", "rerun.archetypes.Bogus", "rerun.components.Radius"),
         pa.array([[1.0]], pa.list_(pa.float32())), 'Unknown archetype: "rerun.archetypes.Bogus"'),
        (ComponentDescriptor("Points3D:radii", "rerun.archetypes.Points3D", "rerun.components.Bogus"),
         pa.array([[1.0]], pa.list_(pa.float32())), "Unknown component type"),
    ],
)  # fmt: skip
def test_columns_that_do_not_match_their_archetype(
    tmp_path: Path, descriptor: ComponentDescriptor, array: pa.Array, problem: str
) -> None:
    result = cli("rrd", "verify", write(tmp_path / "a.rrd", recording(column_chunk(descriptor, array))))
    assert (
        result.code == 1 and problem in result.stderr and "Failed to deserialize column /x:" in result.stderr
    )


def test_user_defined_and_untyped_columns_pass(tmp_path: Path) -> None:
    chunks = [
        column_chunk(ComponentDescriptor("MyArchetype:speed", "MyArchetype"), pa.array([[1.0]])),
        column_chunk(ComponentDescriptor("confidence"), pa.array([["x"]])),
        scalars("/s", [1], [1.0]),
    ]
    assert cli("rrd", "verify", write(tmp_path / "a.rrd", recording(*chunks))).code == 0


def test_manifest_that_lies_about_chunks(tmp_path: Path) -> None:
    info, chunk = SetStoreInfo(STORE), scalars("/a", [1], [1.0])
    twin = rebuild(chunk.to_record_batch(), chunk_id=Tuid(chunk.id.time_ns, chunk.id.inc ^ 1))
    one = encode_rrd([info, ArrowMsg(STORE, chunk)], compression=Compression.NONE)
    other = encode_rrd([info, ArrowMsg(STORE, twin)], compression=Compression.NONE)
    # the first stream's chunks with the second stream's footer: the chunk ids no longer match
    cut = _end_message_offset(one)
    assert cut == _end_message_offset(other)  # only the footers differ
    spliced = tmp_path / "spliced.rrd"
    spliced.write_bytes(one[:cut] + other[cut:])
    result = cli("rrd", "verify", spliced)
    assert result.code == 1 and "Corrupt RRD manifest" in result.stderr


def _end_message_offset(data: bytes) -> int:
    """Where the End message starts: the stream footer names the End body's offset."""
    import struct

    footer_start = struct.unpack_from("<Q", data, len(data) - 32)[0]
    return footer_start - 16


def test_undecodable_message_counts_as_an_error(tmp_path: Path) -> None:
    data = bytearray(encode_rrd(sample()))
    data[400] ^= 0xFF
    data[401] ^= 0xFF
    path = tmp_path / "bad.rrd"
    path.write_bytes(bytes(data))
    result = cli("rrd", "verify", path)
    assert result.code == 1 and "Verification failed" in result.stderr


def test_other_store_kinds_verify(tmp_path: Path) -> None:
    store = StoreId(StoreKind.BLUEPRINT, "app", "bp")
    assert (
        cli(
            "rrd", "verify", write(tmp_path / "a.rbl", recording(scalars("/a", [1], [1.0]), store=store))
        ).code
        == 0
    )


def test_known_types_snapshot_is_up_to_date() -> None:
    tool = REPO / "packages" / "rerun-cli" / "tools" / "gen_known_types.py"
    spec = importlib.util.spec_from_file_location("gen_known_types", tool)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not module.SPEC.exists():
        pytest.skip(f"{module.SPEC} is missing")
    assert module.TARGET.read_text() == module.generate(), "run packages/rerun-cli/tools/gen_known_types.py"
