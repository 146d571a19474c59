"""Every file the real Rerun 0.41 wrote decodes, with the contents its README lists."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pytest

from rerun_core import ArrowMsg, BlueprintActivationCommand, SetStoreInfo, StoreKind, StoreSourceKind
from rerun_core.rrd import RrdDecoder, encode_rrd, read_rrd

APP = "rerun_ref_fixtures"


@dataclass
class EntitySummary:
    components: set[str] = field(default_factory=set)
    timelines: set[str] = field(default_factory=set)
    temporal_rows: int = 0
    static_rows: int = 0
    chunks: list = field(default_factory=list)


def summarize(path: Path) -> dict[str, EntitySummary]:
    entities: dict[str, EntitySummary] = defaultdict(EntitySummary)
    for msg in read_rrd(path):
        if isinstance(msg, ArrowMsg):
            chunk = msg.chunk
            summary = entities[chunk.entity_path]
            summary.components |= {d.component for d in chunk.components}
            summary.timelines |= set(chunk.timelines)
            if chunk.is_static:
                summary.static_rows += chunk.num_rows
            else:
                summary.temporal_rows += chunk.num_rows
            summary.chunks.append(chunk)
    return entities


def values(summary: EntitySummary, component: str) -> list:
    out: list = []
    for chunk in summary.chunks:
        if any(d.component == component for d in chunk.components):
            out.extend(chunk.component(component).to_pylist())
    return out


ALL_FILES = [
    "any_values.rrd",
    "blueprint.rbl",
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


def test_every_fixture_is_listed(fixtures_dir: Path) -> None:
    on_disk = sorted(p.name for p in fixtures_dir.iterdir() if p.suffix in (".rrd", ".rbl"))
    assert on_disk == ALL_FILES


@pytest.mark.parametrize("name", ALL_FILES)
def test_store_info_and_footer(fixtures_dir: Path, name: str) -> None:
    path = fixtures_dir / name
    with path.open("rb") as source:
        decoder = RrdDecoder(source)
        messages = list(decoder)
    infos = [m for m in messages if isinstance(m, SetStoreInfo)]
    assert len(infos) == 2  # the SDK announces the store twice
    assert infos[0].store_id == infos[1].store_id
    info = infos[0]
    assert info.store_id.application_id == APP
    assert info.source_kind == StoreSourceKind.PYTHON_SDK
    assert info.version_bits == 10496
    if name.endswith(".rbl"):
        assert info.store_id.kind == StoreKind.BLUEPRINT
        assert info.store_id.recording_id.startswith("rec_")
        assert isinstance(messages[-1], BlueprintActivationCommand)
        assert messages[-1].make_active and messages[-1].make_default
    else:
        assert info.store_id == info.store_id.__class__(StoreKind.RECORDING, APP, path.stem)
    chunks = [m.chunk for m in messages if isinstance(m, ArrowMsg)]
    assert all(m.store_id == info.store_id for m in messages if isinstance(m, ArrowMsg))
    assert decoder.headers[0].version == (0, 41, 0, 0)
    (manifest,) = decoder.manifests()
    assert manifest.store_id == info.store_id
    assert manifest.chunks.num_rows == len(chunks)
    assert manifest.chunks.column("chunk_id").to_pylist() == [c.id.to_bytes() for c in chunks]
    assert manifest.chunks.column("chunk_num_rows").to_pylist() == [c.num_rows for c in chunks]


def test_scalars_seq(fixtures_dir: Path) -> None:
    entities = summarize(fixtures_dir / "scalars_seq.rrd")
    assert set(entities) == {"/__properties", "/plots/sin", "/plots/cos"}
    for name in ("/plots/sin", "/plots/cos"):
        entity = entities[name]
        assert entity.temporal_rows == 1000 and entity.static_rows == 1
        assert entity.timelines == {"step", "log_time"}
        temporal = [c for c in entity.chunks if not c.is_static]
        assert len(temporal) == 1  # batched into one chunk per entity
        assert temporal[0].index_column("step").to_pylist() == list(range(1000))
        assert temporal[0].component("Scalars:scalars").type == pa.list_(pa.float64())
    assert entities["/plots/cos"].components == {
        "Scalars:scalars",
        "SeriesLines:colors",
        "SeriesLines:names",
        "SeriesLines:widths",
    }
    assert values(entities["/plots/cos"], "SeriesLines:widths") == [[2.0]]
    props = entities["/__properties"]
    assert props.components == {"RecordingInfo:start_time", "RecordingInfo:name"}


def test_points3d(fixtures_dir: Path) -> None:
    entities = summarize(fixtures_dir / "points3d.rrd")
    points = entities["/world/points"]
    assert points.temporal_rows == 10 and points.timelines == {"frame", "log_time"}
    assert points.components == {"Points3D:positions", "Points3D:colors", "Points3D:radii"}
    positions = values(points, "Points3D:positions")
    assert len(positions) == 10 and all(len(row) == 100 for row in positions)
    chunk = points.chunks[0]
    assert chunk.component("Points3D:positions").type == pa.list_(
        pa.field("item", pa.list_(pa.field("item", pa.float32(), nullable=False), 3))
    )
    descriptor = next(d for d in chunk.components if d.component == "Points3D:positions")
    assert descriptor.archetype == "rerun.archetypes.Points3D"
    assert descriptor.component_type == "rerun.components.Position3D"
    labeled = entities["/world/labeled"]
    assert labeled.temporal_rows == 1
    assert values(labeled, "Points3D:radii") == [[pytest.approx(0.2)]]
    assert len(values(labeled, "Points3D:labels")[0]) == 3


def test_points2d(fixtures_dir: Path) -> None:
    keypoints = summarize(fixtures_dir / "points2d.rrd")["/image/keypoints"]
    assert keypoints.temporal_rows == 5
    assert values(keypoints, "Points2D:radii") == [[1.5]] * 5
    assert all(len(row) == 50 for row in values(keypoints, "Points2D:positions"))
    assert "Points2D:draw_order" in keypoints.components


def test_boxes3d(fixtures_dir: Path) -> None:
    entities = summarize(fixtures_dir / "boxes3d.rrd")
    boxes = entities["/world/boxes"]
    for component in ("centers", "half_sizes", "quaternions", "colors", "labels", "fill_mode"):
        assert f"Boxes3D:{component}" in boxes.components
    assert len(values(boxes, "Boxes3D:half_sizes")[0]) == 3
    assert "Boxes3D:half_sizes" in entities["/world/boxes_sizes"].components
    assert "Boxes3D:centers" in entities["/world/boxes_sizes"].components


def test_linestrips3d(fixtures_dir: Path) -> None:
    strips = summarize(fixtures_dir / "linestrips3d.rrd")["/world/strips"]
    (row,) = values(strips, "LineStrips3D:strips")
    assert [len(strip) for strip in row] == [64, 3, 2]


def test_image_rgb(fixtures_dir: Path) -> None:
    image = summarize(fixtures_dir / "image_rgb.rrd")["/camera/rgb"]
    assert image.temporal_rows == 3
    formats = values(image, "Image:format")
    assert formats[0][0]["width"] == 64 and formats[0][0]["height"] == 48
    assert formats[0][0]["color_model"] == 2 and formats[0][0]["channel_datatype"] == 6
    assert all(len(row[0]) == 64 * 48 * 3 for row in values(image, "Image:buffer"))


def test_depth_image(fixtures_dir: Path) -> None:
    entities = summarize(fixtures_dir / "depth_image.rrd")
    camera = entities["/camera"]
    assert camera.static_rows == 1
    assert {"Pinhole:image_from_camera", "Pinhole:resolution"} <= camera.components
    assert values(camera, "Pinhole:resolution") == [[[64.0, 48.0]]]
    depth = entities["/camera/depth"]
    assert values(depth, "DepthImage:meter") == [[1000.0]]
    assert len(values(depth, "DepthImage:buffer")[0][0]) == 64 * 48 * 2  # one u16 image, as bytes


def test_text_log(fixtures_dir: Path) -> None:
    entities = summarize(fixtures_dir / "text_log.rrd")
    logs = entities["/logs"]
    assert logs.temporal_rows == 12
    levels = [row[0] for row in values(logs, "TextLog:level")]
    assert levels[:6] == ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL"]
    assert values(entities["/logs/colored"], "TextLog:level") == [["USER"]]
    readme = entities["/readme"]
    assert readme.static_rows == 1
    assert values(readme, "TextDocument:media_type") == [["text/markdown"]]


def test_mesh3d(fixtures_dir: Path) -> None:
    mesh = summarize(fixtures_dir / "mesh3d.rrd")["/world/tetra"]
    assert len(values(mesh, "Mesh3D:vertex_positions")[0]) == 4
    assert len(values(mesh, "Mesh3D:triangle_indices")[0]) == 4
    assert {"Mesh3D:vertex_colors", "Mesh3D:vertex_normals"} <= mesh.components


def test_transforms(fixtures_dir: Path) -> None:
    entities = summarize(fixtures_dir / "transforms.rrd")
    assert values(entities["/world"], "ViewCoordinates:xyz") == [
        [[3, 5, 1]]
    ]  # RIGHT_HAND_Z_UP: Right, Forward, Up
    assert entities["/world/robot"].static_rows == 1
    arm = entities["/world/robot/arm"]
    assert arm.temporal_rows == 20 and "Transform3D:rotation_axis_angle" in arm.components
    hand = entities["/world/robot/arm/hand"]
    assert {"Transform3D:translation", "Transform3D:scale", "Transform3D:quaternion"} <= hand.components
    assert "TransformAxes3D:axis_length" in hand.components
    assert entities["/world/robot/arm/hand/tip"].temporal_rows == 20


def test_static_data(fixtures_dir: Path) -> None:
    entities = summarize(fixtures_dir / "static_data.rrd")
    assert values(entities["/"], "ViewCoordinates:xyz") == [[[3, 1, 6]]]
    assert values(entities["/config/value"], "Scalars:scalars") == [[1.0], [2.0]]
    context = values(entities["/annotations"], "AnnotationContext:context")[0][0]
    assert [c["class_description"]["info"]["label"] for c in context] == ["person", "car"]
    assert entities["/temporal"].temporal_rows == 3


def test_multi_timeline(fixtures_dir: Path) -> None:
    entities = summarize(fixtures_dir / "multi_timeline.rrd")
    value = entities["/sensor/value"]
    assert value.temporal_rows == 100
    assert value.timelines == {"frame_nr", "sensor_time", "elapsed", "log_time"}
    chunk = next(c for c in value.chunks if not c.is_static)
    assert chunk.timelines["sensor_time"].arrow_type == pa.timestamp("ns")
    assert chunk.timelines["elapsed"].arrow_type == pa.duration("ns")
    assert chunk.time_range("elapsed") == (0, 99 * 500_000_000)
    assert entities["/sensor/points"].temporal_rows == 10
    assert entities["/sensor/only_frame_and_elapsed"].timelines == {"frame_nr", "elapsed", "log_time"}
    assert entities["/sensor/no_user_timeline"].timelines == {"log_time"}
    assert entities["/sensor/np_time"].timelines >= {"sensor_time", "elapsed"}


def test_send_columns_scalars(fixtures_dir: Path) -> None:
    entities = summarize(fixtures_dir / "send_columns_scalars.rrd")
    sin = entities["/columns/sin"]
    assert sin.temporal_rows == 1000 and sin.timelines == {"step", "time"}
    pairs = values(entities["/columns/cos_pair"], "Scalars:scalars")
    assert len(pairs) == 1000 and all(len(row) == 2 for row in pairs)
    points = values(entities["/columns/points"], "Points3D:positions")
    assert len(points) == 10 and all(len(row) == 5 for row in points)


def test_any_values(fixtures_dir: Path) -> None:
    entities = summarize(fixtures_dir / "any_values.rrd")
    any_ = entities["/any"]
    assert any_.temporal_rows == 5
    assert {"confidence", "description", "flag", "count"} <= any_.components
    chunk = any_.chunks[0]
    descriptor = next(d for d in chunk.components if d.component == "confidence")
    assert descriptor.archetype is None and descriptor.component_type is None
    assert all(len(row) == 2 for row in values(any_, "confidence"))
    assert entities["/dyn"].components == {"MyArchetype:speed", "MyArchetype:label"}
    assert entities["/any_static"].static_rows == 1
    assert entities["/__properties/experiment"].components == {"operator", "trial"}


def test_blueprint(fixtures_dir: Path) -> None:
    entities = summarize(fixtures_dir / "blueprint.rbl")
    assert sum(len(e.chunks) for e in entities.values()) == 11
    assert "/viewport" in entities and "/time_panel" in entities and "/blueprint_panel" in entities
    assert len([e for e in entities if e.startswith("/container/")]) == 2
    views = [e for e in entities if e.startswith("/view/") and not e.endswith("/ViewContents")]
    assert len(views) == 3


@pytest.mark.parametrize("name", ALL_FILES)
def test_our_manifest_equals_the_reference_manifest(fixtures_dir: Path, name: str) -> None:
    """Re-encoding a fixture yields the manifest 0.41 wrote, except for byte positions and sizes."""
    messages = list(read_rrd(fixtures_dir / name))
    theirs = _manifest_of((fixtures_dir / name).read_bytes())
    ours = _manifest_of(encode_rrd(messages))
    assert ours.store_id == theirs.store_id
    assert _fields(ours.sorbet_schema) == _fields(theirs.sorbet_schema)
    byte_columns = ["chunk_byte_offset", "chunk_byte_size", "chunk_byte_size_uncompressed"]
    assert ours.chunks.schema == theirs.chunks.schema
    assert ours.chunks.drop_columns(byte_columns).equals(theirs.chunks.drop_columns(byte_columns))


def _manifest_of(data: bytes):  # type: ignore[no-untyped-def]
    decoder = RrdDecoder(io.BytesIO(data))
    list(decoder)
    (manifest,) = decoder.manifests()
    return manifest


def _fields(schema: pa.Schema) -> dict[str, tuple[pa.DataType, bool, dict]]:
    return {f.name: (f.type, f.nullable, dict(f.metadata or {})) for f in schema}
