"""Files our encoder writes are accepted by the reference Rerun 0.41 tools, and mean the same data."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from _support import run_reference
from rerun_core import ArrowMsg, Chunk, ComponentDescriptor, Compression, LogMsg
from rerun_core.rrd import encode_rrd, read_rrd
from rerun_core.rrd.decoder import decode_rrd

pytestmark = pytest.mark.reference

RECORDINGS = [
    "any_values.rrd",
    "boxes3d.rrd",
    "depth_image.rrd",
    "image_rgb.rrd",
    "linestrips3d.rrd",
    "mesh3d.rrd",
    "multi_timeline.rrd",
    "points2d.rrd",
    "points3d.rrd",
    "scalars_seq.rrd",
    "send_columns_scalars.rrd",
    "static_data.rrd",
    "text_log.rrd",
    "transforms.rrd",
]


def reencode(
    source: Path, target: Path, compression: Compression = Compression.LZ4, footer: bool = True
) -> None:
    target.write_bytes(encode_rrd(list(read_rrd(source)), compression=compression, write_footer=footer))


@pytest.mark.parametrize("compression", [Compression.LZ4, Compression.NONE])
def test_reencoded_fixtures_verify(
    fixtures_dir: Path, reference_rerun: Path, tmp_path: Path, compression: Compression
) -> None:
    outputs = []
    for name in [*RECORDINGS, "blueprint.rbl"]:
        outputs.append(tmp_path / name)
        reencode(fixtures_dir / name, outputs[-1], compression)
    result = run_reference(reference_rerun, "rrd", "verify", *outputs)
    assert result.returncode == 0, result.stderr
    assert f"{len(outputs)} files verified without error" in result.stdout + result.stderr


@pytest.mark.parametrize("name", RECORDINGS)
def test_reencoded_fixture_compares_equal(
    fixtures_dir: Path, reference_rerun: Path, tmp_path: Path, name: str
) -> None:
    ours = tmp_path / name
    reencode(fixtures_dir / name, ours)
    result = run_reference(reference_rerun, "rrd", "compare", "--unordered", ours, fixtures_dir / name)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compare_notices_a_changed_value(fixtures_dir: Path, reference_rerun: Path, tmp_path: Path) -> None:
    """Control: the comparison above can fail, so its passing means something."""
    messages: list[LogMsg] = []
    for msg in read_rrd(fixtures_dir / "static_data.rrd"):
        if isinstance(msg, ArrowMsg) and msg.chunk.entity_path == "/temporal":
            msg = ArrowMsg(msg.store_id, _with_scalars(msg.chunk, [0.0, 1.0, 2.5]))
        messages.append(msg)
    changed = tmp_path / "changed.rrd"
    changed.write_bytes(encode_rrd(messages))
    result = run_reference(
        reference_rerun, "rrd", "compare", "--unordered", changed, fixtures_dir / "static_data.rrd"
    )
    assert result.returncode != 0


def _with_scalars(chunk: Chunk, scalars: list[float]) -> Chunk:
    descriptor = next(d for d in chunk.components if d.component == "Scalars:scalars")
    components = dict(chunk.components)
    components[descriptor] = pa.array([[x] for x in scalars], type=pa.list_(pa.float64()))
    timelines = {chunk.timelines[name]: chunk.index_column(name) for name in chunk.timelines}
    return Chunk.build(
        chunk.entity_path,
        timelines=timelines,
        components=components,
        row_ids=chunk.row_ids,
        chunk_id=chunk.id,
    )


def test_blueprint_reencodes_to_identical_messages(fixtures_dir: Path, tmp_path: Path) -> None:
    """``rrd compare`` only handles recordings, so blueprints are compared message by message."""
    original = list(read_rrd(fixtures_dir / "blueprint.rbl"))
    assert decode_rrd(encode_rrd(original)) == original


@pytest.mark.parametrize("name", ["points3d.rrd", "blueprint.rbl", "multi_timeline.rrd"])
def test_reference_prints_our_files(
    fixtures_dir: Path, reference_rerun: Path, tmp_path: Path, name: str
) -> None:
    ours = tmp_path / name
    reencode(fixtures_dir / name, ours)
    ours_printed = run_reference(reference_rerun, "rrd", "print", "-vv", ours)
    theirs_printed = run_reference(reference_rerun, "rrd", "print", "-vv", fixtures_dir / name)
    assert ours_printed.returncode == 0, ours_printed.stderr
    assert ours_printed.stdout == theirs_printed.stdout


def test_stream_without_footer_is_accepted(fixtures_dir: Path, reference_rerun: Path, tmp_path: Path) -> None:
    ours = tmp_path / "no_footer.rrd"
    reencode(fixtures_dir / "points3d.rrd", ours, footer=False)
    assert run_reference(reference_rerun, "rrd", "verify", "--check-footers", "false", ours).returncode == 0
    assert (
        run_reference(reference_rerun, "rrd", "verify", ours).returncode != 0
    )  # footers are checked by default
    result = run_reference(
        reference_rerun, "rrd", "compare", "--unordered", ours, fixtures_dir / "points3d.rrd"
    )
    assert result.returncode == 0, result.stderr


def test_reference_accepts_chunks_we_build(reference_rerun: Path, tmp_path: Path) -> None:
    """A chunk assembled from scratch (not re-encoded) passes the reference verifier."""
    from rerun_core import SetStoreInfo, StoreId, StoreKind, Timeline, TimeType

    store = StoreId(StoreKind.RECORDING, "ours", "built")
    positions = pa.array(
        [[[1.0, 2.0, 3.0]], [[4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]],
        type=pa.list_(pa.list_(pa.field("item", pa.float32(), nullable=False), 3)),
    )
    descriptor = ComponentDescriptor(
        "Points3D:positions", "rerun.archetypes.Points3D", "rerun.components.Position3D"
    )
    chunk = Chunk.build(
        "/points",
        timelines={Timeline("frame", TimeType.SEQUENCE): pa.array([0, 1], type=pa.int64())},
        components={descriptor: positions},
    )
    path = tmp_path / "built.rrd"
    path.write_bytes(encode_rrd([SetStoreInfo(store), ArrowMsg(store, chunk)]))
    result = run_reference(reference_rerun, "rrd", "verify", path)
    assert result.returncode == 0, result.stderr
    printed = run_reference(reference_rerun, "rrd", "print", "-vv", path)
    assert "/points" in printed.stdout and "Points3D:positions" in printed.stdout
