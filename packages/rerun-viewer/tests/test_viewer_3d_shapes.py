"""3D visualizers: procedural shapes, instance poses, textured meshes, assets, and cameras in 3D.

Recordings are logged here with our SDK; facts are checked on the visualizers' plain data (exact
geometry) and on pixels of the 3D view rendered alone (colors where the projection puts them).
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from _viewer_support import compare_with_golden, fixture, reference_screenshot, require_gpu
from PIL import Image

import rerun as rr
from rerun_viewer import load_recordings
from rerun_viewer._colormaps import apply_colormap
from rerun_viewer._heuristics import ViewSpec, auto_views
from rerun_viewer._primitives import Points, Primitive, Segments, Triangles
from rerun_viewer._registry import ViewKind
from rerun_viewer._time import default_cursor
from rerun_viewer._view_core import ViewContents, collect
from rerun_viewer.visualizers import _unit_shapes
from rerun_viewer.visualizers._asset import guess_file_type

pytestmark = pytest.mark.timeout(120)
VIEW_SIZE = (640, 360)  # a multiple of 64 wide (rows read back unpadded), the goldens' aspect

Logger = Callable[[rr.RecordingStream], None]


def _record(tmp_path: Path, log: Logger) -> Path:
    path = tmp_path / "shapes.rrd"
    stream = rr.RecordingStream("shapes_test", recording_id="shapes_test")
    stream.save(str(path))
    log(stream)
    stream.disconnect()
    return path


def _contents(tmp_path: Path, log: Logger, kind: ViewKind = ViewKind.SPATIAL_3D) -> ViewContents:
    (recording,) = load_recordings([_record(tmp_path, log)])
    spec = next(view for view in auto_views(recording.store) if view.kind == kind)
    return collect(recording.store, spec, default_cursor(recording.store))


def _of(contents: ViewContents, entity: str, kind: type[Primitive]) -> list[Primitive]:
    return [p for p in contents.primitives if p.entity == entity and isinstance(p, kind)]


def _only(contents: ViewContents, entity: str, kind: type[Primitive]) -> Primitive:
    (primitive,) = _of(contents, entity, kind)
    return primitive


def _extent(primitive: Primitive) -> tuple[np.ndarray, np.ndarray]:
    positions = primitive.positions  # type: ignore[union-attr]
    return positions.min(axis=0), positions.max(axis=0)


# ---- unit shapes ------------------------------------------------------------------------------------


def test_unit_shapes_have_the_documented_sizes() -> None:
    sphere = _unit_shapes.sphere()
    assert np.allclose(np.linalg.norm(sphere.vertices, axis=1), 1.0)
    assert np.allclose(np.linalg.norm(sphere.major_wireframe, axis=2), 1.0)
    cylinder = _unit_shapes.cylinder()
    assert np.allclose(np.abs(cylinder.vertices[:, 2]).max(), 0.5)
    assert np.linalg.norm(cylinder.vertices[:, :2], axis=1).max() == pytest.approx(1.0)
    assert np.allclose(np.abs(_unit_shapes.box().vertices), 1.0)


@pytest.mark.parametrize("shape", ["sphere", "capsule", "cylinder", "box"])
def test_unit_shape_normals_point_out_and_agree_with_the_winding(shape: str) -> None:
    unit = getattr(_unit_shapes, shape)()
    corners = unit.vertices[unit.triangles.astype(np.intp)]
    winding = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
    real = np.linalg.norm(winding, axis=1) > 1e-9  # the sphere's poles have degenerate triangles
    normals = unit.normals[unit.triangles.astype(np.intp)].sum(axis=1)
    assert ((winding * normals).sum(axis=1)[real] > 0).all(), "front faces face out"
    assert ((corners.mean(axis=1) * normals).sum(axis=1) > 0).all(), "normals face away from the center"


def test_capsule_points_lie_one_radius_from_their_segment() -> None:
    unit = _unit_shapes.capsule()
    radii, lengths = np.array([0.5, 2.0]), np.array([3.0, 0.0])
    for points, radius, length in zip(
        _unit_shapes.lift_upper_half(unit.vertices, radii, lengths), radii, lengths, strict=True
    ):
        nearest_z = np.clip(points[:, 2], 0.0, length)
        distance = np.linalg.norm(points - np.c_[np.zeros((len(points), 2)), nearest_z], axis=1)
        assert np.allclose(distance, radius)
        assert points[:, 2].min() == pytest.approx(-radius) and points[:, 2].max() == pytest.approx(
            length + radius
        )


# ---- shapes as plain data ---------------------------------------------------------------------------


def test_ellipsoids_batch_every_instance_into_one_mesh_placed_and_rotated(tmp_path: Path) -> None:
    quarter_turn_z = [0.0, 0.0, np.sin(np.pi / 4), np.cos(np.pi / 4)]
    contents = _contents(
        tmp_path,
        lambda rec: rec.log(
            "ellipsoids",
            rr.Ellipsoids3D(
                half_sizes=[[1, 2, 3], [1, 2, 3], [0.5, 0.5, 0.5]],
                centers=[[0, 0, 0], [10, 0, 0], [0, 10, 0]],
                quaternions=[[0, 0, 0, 1], quarter_turn_z],
                fill_mode="solid",
                colors=[255, 0, 0],
            ),
        ),
    )
    mesh = _only(contents, "/ellipsoids", Triangles)
    assert not _of(contents, "/ellipsoids", Segments), "solid: no wireframe"
    vertices = len(_unit_shapes.sphere().vertices)
    assert isinstance(mesh, Triangles) and mesh.positions.shape == (3 * vertices, 3)
    assert (mesh.colors == [255, 0, 0, 255]).all()
    first, second, third = mesh.positions.reshape(3, vertices, 3)
    assert np.allclose(first.min(axis=0), [-1, -2, -3], atol=1e-3) and np.allclose(
        first.max(axis=0), [1, 2, 3], atol=1e-3
    )
    assert np.allclose(second.min(axis=0), [8, -1, -3], atol=1e-3), "rotated a quarter turn: x and y swap"
    assert np.allclose(third.mean(axis=0), [0, 10, 0], atol=0.05), "the last rotation repeats, centers do not"


def test_fill_modes_pick_surfaces_and_wireframes(tmp_path: Path) -> None:
    def log(rec: rr.RecordingStream) -> None:
        for mode in ("majorwireframe", "densewireframe", "solid"):
            rec.log(mode, rr.Ellipsoids3D(half_sizes=[[1, 1, 1]], fill_mode=mode, colors=[0, 0, 255, 200]))
        rec.log("default", rr.Ellipsoids3D(half_sizes=[[1, 1, 1]], colors=[0, 0, 255, 200]))

    contents = _contents(tmp_path, log)
    major = _only(contents, "/majorwireframe", Segments)
    dense = _only(contents, "/densewireframe", Segments)
    assert len(dense.positions) > 3 * len(major.positions)  # type: ignore[union-attr]
    assert not _of(contents, "/majorwireframe", Triangles) and not _of(contents, "/densewireframe", Triangles)
    assert (_only(contents, "/solid", Triangles).colors[:, 3] == 200).all()  # type: ignore[union-attr]
    surface = _only(contents, "/default", Triangles)
    assert (surface.colors[:, 3] == 100).all(), "without a fill mode: a translucent surface"  # type: ignore[union-attr]
    assert len(_only(contents, "/default", Segments).positions) == len(major.positions)  # type: ignore[union-attr]


def test_capsules_and_cylinders_follow_their_documented_frames(tmp_path: Path) -> None:
    def log(rec: rr.RecordingStream) -> None:
        rec.log(
            "capsule", rr.Capsules3D(lengths=[2.0], radii=[0.5], translations=[[1, 0, 0]], fill_mode="solid")
        )
        rec.log(
            "cylinder",
            rr.Cylinders3D(
                lengths=[4.0],
                radii=[1.0],
                centers=[[0, 0, 5]],
                rotation_axis_angles=[rr.RotationAxisAngle(axis=[1, 0, 0], degrees=90)],
                fill_mode="solid",
            ),
        )

    contents = _contents(tmp_path, log)
    low, high = _extent(_only(contents, "/capsule", Triangles))
    assert np.allclose(low, [0.5, -0.5, -0.5], atol=1e-3) and np.allclose(high, [1.5, 0.5, 2.5], atol=1e-3)
    low, high = _extent(_only(contents, "/cylinder", Triangles))
    assert np.allclose(low, [-1, -2, 4], atol=1e-3) and np.allclose(high, [1, 2, 6], atol=1e-3), (
        "length along y"
    )


def test_instance_poses_repeat_shapes_and_meshes_after_the_entity_transform(tmp_path: Path) -> None:
    def log(rec: rr.RecordingStream) -> None:
        rec.log("world", rr.Transform3D(translation=[0, 0, 100]))
        rec.log("world/boxes", rr.Boxes3D(half_sizes=[[1, 1, 1]], fill_mode="solid"))
        rec.log(
            "world/boxes",
            rr.InstancePoses3D(translations=[[10, 0, 0], [20, 0, 0]], scales=[[1, 1, 1], [2, 2, 2]]),
        )
        triangle = rr.Mesh3D(vertex_positions=[[0, 0, 0], [1, 0, 0], [0, 1, 0]], vertex_colors=[0, 255, 0])
        rec.log("world/mesh", triangle)
        rec.log("world/mesh", rr.InstancePoses3D(translations=[[0, 0, 0], [0, 0, 5], [0, 0, 9]]))
        rec.log("world/arrow", rr.Arrows3D(vectors=[[1, 0, 0]]))
        rec.log("world/arrow", rr.InstancePoses3D(translations=[[0, 7, 0], [0, 8, 0]]))

    contents = _contents(tmp_path, log)
    boxes = _only(contents, "/world/boxes", Triangles).positions.reshape(2, -1, 3)  # type: ignore[union-attr]
    assert np.allclose(boxes[0].min(axis=0), [9, -1, 99]) and np.allclose(boxes[1].max(axis=0), [22, 2, 102])
    arrow_shaft = _only(contents, "/world/arrow", Segments).positions  # type: ignore[union-attr]
    assert np.allclose(arrow_shaft[0], [0, 7, 100]), "archetypes without instancing take the first pose"
    mesh = _only(contents, "/world/mesh", Triangles)
    assert isinstance(mesh, Triangles) and mesh.positions.shape == (9, 3) and mesh.indices.max() == 8
    assert np.allclose(mesh.positions[::3], [[0, 0, 100], [0, 0, 105], [0, 0, 109]])


def test_mesh_albedo_factor_multiplies_vertex_colors_and_texture_comes_with_texcoords(tmp_path: Path) -> None:
    texture = np.zeros((2, 2, 3), np.uint8)
    texture[0, 0] = [255, 0, 255]

    def log(rec: rr.RecordingStream) -> None:
        positions = [[0, 0, 0], [1, 0, 0], [1, 1, 0]]
        rec.log(
            "tinted",
            rr.Mesh3D(
                vertex_positions=positions, vertex_colors=[200, 100, 50], albedo_factor=[128, 255, 255]
            ),
        )
        rec.log(
            "textured",
            rr.Mesh3D(
                vertex_positions=positions, vertex_texcoords=[[0, 0], [1, 0], [1, 1]], albedo_texture=texture
            ),
        )

    contents = _contents(tmp_path, log)
    tinted = _only(contents, "/tinted", Triangles)
    assert (tinted.colors == [100, 100, 50, 255]).all()  # type: ignore[union-attr]
    textured = _only(contents, "/textured", Triangles)
    assert isinstance(textured, Triangles) and textured.texture is not None and textured.texcoords is not None
    assert tuple(textured.texture[0, 0]) == (255, 0, 255, 255) and (textured.colors == 255).all()


# ---- Asset3D ----------------------------------------------------------------------------------------


def _glb(positions: list[list[float]], color: list[float], texture_png: bytes | None = None) -> bytes:
    """A minimal binary glTF: one triangle, a material with a base color factor and maybe a texture.

    With a texture, the vertices' glTF texture coordinates are (0, 0), (1, 0), (0, 1): glTF's (0, 0)
    is the image's top-left corner.
    """
    views = [np.asarray(positions, np.float32).tobytes()]
    attributes = {"POSITION": 0}
    accessors: list[dict[str, object]] = [
        {
            "bufferView": 0, "componentType": 5126, "count": len(positions), "type": "VEC3",
            "min": np.min(positions, axis=0).tolist(), "max": np.max(positions, axis=0).tolist(),
        }
    ]  # fmt: skip
    material: dict[str, object] = {"pbrMetallicRoughness": {"baseColorFactor": color}}
    extra: dict[str, object] = {}
    if texture_png is not None:
        views += [
            np.array([[0, 0], [1, 0], [0, 1]], np.float32).tobytes(),
            texture_png + bytes(-len(texture_png) % 4),
        ]
        accessors.append({"bufferView": 1, "componentType": 5126, "count": 3, "type": "VEC2"})
        attributes["TEXCOORD_0"] = 1
        material["pbrMetallicRoughness"] = {"baseColorFactor": color, "baseColorTexture": {"index": 0}}
        extra = {
            "textures": [{"source": 0}],
            "images": [{"bufferView": 2, "mimeType": "image/png"}],
        }
    offsets = np.cumsum([0] + [len(view) for view in views])
    binary = b"".join(views)
    document = {
        "asset": {"version": "2.0"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0, "translation": [0, 0, 1]}],
        "meshes": [{"primitives": [{"attributes": attributes, "material": 0}]}],
        "materials": [material],
        "buffers": [{"byteLength": len(binary)}],
        "bufferViews": [
            {"buffer": 0, "byteOffset": int(offset), "byteLength": len(view)}
            for offset, view in zip(offsets, views, strict=False)
        ],
        "accessors": accessors,
        **extra,
    }
    text = json.dumps(document).encode()
    text += b" " * (-len(text) % 4)
    chunks = (
        struct.pack("<I4s", len(text), b"JSON") + text + struct.pack("<I4s", len(binary), b"BIN\x00") + binary
    )
    return struct.pack("<4sII", b"glTF", 2, 12 + len(chunks)) + chunks


_STL = b"solid t\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid t\n"


def test_textured_glb_keeps_its_texture_the_right_way_up(tmp_path: Path) -> None:
    texture = np.zeros((2, 2, 3), np.uint8)
    texture[0, 0] = [255, 0, 0]  # top-left texel red
    png = tmp_path / "texture.png"
    Image.fromarray(texture).save(png)
    glb = _glb([[0, 0, 0], [1, 0, 0], [0, 1, 0]], [1.0, 1.0, 1.0, 1.0], png.read_bytes())
    contents = _contents(tmp_path, lambda rec: rec.log("textured", rr.Asset3D(contents=glb)))
    mesh = _only(contents, "/textured", Triangles)
    assert isinstance(mesh, Triangles) and mesh.texture is not None and mesh.texcoords is not None
    assert tuple(mesh.texture[0, 0]) == (255, 0, 0, 255)
    assert np.allclose(mesh.texcoords, [[0, 0], [1, 0], [0, 1]]), "our (0, 0) is the top-left too"


def test_asset_media_types_are_guessed_like_the_reference() -> None:
    assert guess_file_type(_glb([[0, 0, 0], [1, 0, 0], [0, 1, 0]], [1, 1, 1, 1]), None) == "glb"
    assert guess_file_type(_STL, None) == "stl"
    binary_stl = bytes(80) + struct.pack("<I", 1) + bytes(50)
    assert guess_file_type(binary_stl, None) == "stl"
    assert guess_file_type(b"v 0 0 0\n", None) is None, "OBJ cannot be told from its bytes"
    assert guess_file_type(b"v 0 0 0\n", "model/obj") == "obj"


def test_assets_load_glb_obj_and_stl_with_their_colors(tmp_path: Path) -> None:
    def log(rec: rr.RecordingStream) -> None:
        rec.log("glb", rr.Asset3D(contents=_glb([[0, 0, 0], [1, 0, 0], [0, 1, 0]], [1.0, 0.0, 0.0, 1.0])))
        rec.log(
            "obj",
            rr.Asset3D(
                contents=b"v 2 0 0\nv 3 0 0\nv 2 1 0\nf 1 2 3\n",
                media_type="model/obj",
                albedo_factor=[0, 255, 0],
            ),
        )
        rec.log("stl", rr.Asset3D(contents=_STL))
        rec.log("broken", rr.Asset3D(contents=b"glTF" + bytes(20)))

    contents = _contents(tmp_path, log)
    glb = _only(contents, "/glb", Triangles)
    assert np.allclose(glb.positions, [[0, 0, 1], [1, 0, 1], [0, 1, 1]]), "the node's translation applies"  # type: ignore[union-attr]
    assert (glb.colors == [255, 0, 0, 255]).all()  # type: ignore[union-attr]
    obj = _only(contents, "/obj", Triangles)
    assert (
        np.allclose(obj.positions, [[2, 0, 0], [3, 0, 0], [2, 1, 0]])
        and (obj.colors == [0, 255, 0, 255]).all()
    )  # type: ignore[union-attr]
    assert (_only(contents, "/stl", Triangles).colors == 255).all(), "no material: white, as the reference"  # type: ignore[union-attr]
    assert not _of(contents, "/broken", Triangles)


# ---- cameras ----------------------------------------------------------------------------------------


def _camera_scene(rec: rr.RecordingStream) -> None:
    looking_along_y = rr.RotationAxisAngle(axis=[1, 0, 0], degrees=-90)  # RDF's down to -z, forward to +y
    rec.log(
        "world/cam", rr.Transform3D(translation=[0, 0, 2], rotation_axis_angle=looking_along_y), static=True
    )
    rec.log(
        "world/cam", rr.Pinhole(focal_length=50, width=64, height=48, image_plane_distance=2.0), static=True
    )
    image = np.zeros((48, 64, 3), np.uint8)
    image[:24, :32] = [255, 0, 0]
    image[24:, 32:] = [0, 0, 255]
    rec.log("world/cam/rgb", rr.Image(image), static=True)


def test_pinhole_frustum_reaches_the_image_plane_and_the_image_lies_on_it(tmp_path: Path) -> None:
    contents = _contents(tmp_path, _camera_scene)
    frustum = _only(contents, "/world/cam", Segments)
    assert isinstance(frustum, Segments) and len(frustum.positions) == 2 * 10, "4 rays, 4 edges, 2 for 'up'"
    assert frustum.positions[:, 1].max() == pytest.approx(2.0), "image plane 2 units ahead"
    up_tip = 2 + (24 + 0.1 * 64) / 25  # pixel (32, -6.4): above the image's top edge (z = 2.96)
    assert frustum.positions[:, 2].max() == pytest.approx(up_tip)
    quad = _only(contents, "/world/cam/rgb", Triangles)
    assert isinstance(quad, Triangles) and quad.texture is not None
    top, bottom = 2 + 0.96, 2 - 0.96
    corners = [[-1.28, 2, top], [1.28, 2, top], [1.28, 2, bottom], [-1.28, 2, bottom]]
    assert np.allclose(quad.positions, corners, atol=1e-6)
    assert tuple(quad.texture[0, 0]) == (255, 0, 0, 255) and tuple(quad.texture[47, 63]) == (0, 0, 255, 255)
    assert quad.texture_nearest, "images magnify to square texels by default, as in 2D"


def test_camera_xyz_turns_the_frustum_and_encoded_images_show_in_it(tmp_path: Path) -> None:
    png = tmp_path / "green.png"
    Image.new("RGB", (4, 2), (0, 255, 0)).save(png)

    def log(rec: rr.RecordingStream) -> None:
        rub = rr.components.ViewCoordinates.RUB  # OpenGL cameras: looking along -z, y up
        rec.log("cam", rr.Pinhole(focal_length=2, width=4, height=2, camera_xyz=rub, image_plane_distance=3))
        rec.log("cam/jpeg", rr.EncodedImage(contents=png.read_bytes(), media_type="image/png"))

    contents = _contents(tmp_path, log)
    assert _only(contents, "/cam", Segments).positions[:, 2].min() == pytest.approx(-3.0)  # type: ignore[union-attr]
    quad = _only(contents, "/cam/jpeg", Triangles)
    assert isinstance(quad, Triangles) and quad.texture is not None and quad.texture.shape == (2, 4, 4)
    assert np.allclose(quad.positions[0], [-3, 1.5, -3]), "the top-left pixel: left, up, ahead"
    assert (quad.texture[..., :3] == [0, 255, 0]).all()


def test_depth_meter_and_fill_ratio_place_and_size_the_points(tmp_path: Path) -> None:
    def log(rec: rr.RecordingStream) -> None:
        rec.log("cam", rr.Pinhole(focal_length=10, width=4, height=2))
        depth = np.array([[2.0, 0.0, 2.0, 2.0], [4.0, 4.0, 4.0, 4.0]], np.float32)  # 0: no measurement
        rec.log("cam/float", rr.DepthImage(depth, point_fill_ratio=0.5))
        rec.log("cam/millimeters", rr.DepthImage(np.full((2, 4), 500, np.uint16), meter=250.0))

    contents = _contents(tmp_path, log)
    floats = _only(contents, "/cam/float", Points)
    assert isinstance(floats, Points) and len(floats.positions) == 7
    assert np.allclose(floats.positions[:, 2], [2, 2, 2, 4, 4, 4, 4]), "float depths are meters"
    assert np.allclose(floats.radii, 0.5 * floats.positions[:, 2] / 10)
    assert np.allclose(_only(contents, "/cam/millimeters", Points).positions[:, 2], 2.0)  # type: ignore[union-attr]


def test_2d_shapes_under_a_pinhole_lie_on_its_image_plane(tmp_path: Path) -> None:
    def log(rec: rr.RecordingStream) -> None:
        rec.log("cam", rr.Pinhole(focal_length=10, width=40, height=20, image_plane_distance=2.0))
        rec.log(
            "cam/keypoints", rr.Points2D([[20, 10], [40, 0]], radii=[1.0, -3.0], labels=["center", "corner"])
        )
        rec.log("cam/box", rr.Boxes2D(mins=[0, 0], sizes=[40, 20]))
        rec.log("free", rr.Points2D([[1, 1]]))

    (recording,) = load_recordings([_record(tmp_path, log)])
    views = auto_views(recording.store)
    three_d = next(view for view in views if view.kind == ViewKind.SPATIAL_3D)
    assert "/free" not in three_d.entities, "2D content outside any pinhole stays out of 3D"
    contents = collect(recording.store, three_d, default_cursor(recording.store))
    points = _only(contents, "/cam/keypoints", Points)
    assert isinstance(points, Points)
    assert np.allclose(points.positions, [[0, 0, 2], [4, -2, 2]]), "unprojected onto the plane 2 ahead"
    assert np.allclose(points.radii, [0.2, -3.0]), "pixel radii become scene units there; UI points stay"
    assert np.allclose(points.labels[0].position, [0, 0, 2])
    box = _only(contents, "/cam/box", Segments)
    low, high = _extent(box)
    assert np.allclose(low, [-4, -2, 2]) and np.allclose(high, [4, 2, 2]), "the box frames the image plane"


def test_images_reach_3d_only_through_a_pinhole() -> None:
    (recording,) = load_recordings([fixture("image_rgb.rrd")])
    assert [view.kind for view in auto_views(recording.store)] == [ViewKind.SPATIAL_2D]


def test_depth_image_under_a_pinhole_is_a_point_cloud_in_3d() -> None:
    (recording,) = load_recordings([fixture("depth_image.rrd")])
    views = auto_views(recording.store)
    assert [(view.kind, view.origin) for view in views] == [
        (ViewKind.SPATIAL_3D, "/"),
        (ViewKind.SPATIAL_2D, "/camera"),
    ]
    contents = collect(recording.store, views[0], default_cursor(recording.store))
    cloud = _only(contents, "/camera/depth", Points)
    assert isinstance(cloud, Points) and len(cloud.positions) == 64 * 48
    # Fixture: focal length 50, principal point at the center, u16 depth, meter 1000, viridis.
    depth = cloud.positions[:, 2]
    assert depth.min() >= 1.0 and depth.max() <= 1.9
    corner = cloud.positions[0]
    assert np.allclose(corner[:2], (np.array([0.5, 0.5]) - [32, 24]) / 50 * corner[2], atol=1e-5)
    assert np.allclose(cloud.radii, depth / 50), "a fill ratio of 1: as wide as a pixel at that depth"
    viridis = apply_colormap(np.array([0.0, 1.0]), 0.0, 1.0, 6)
    assert tuple(viridis[1]) == tuple(cloud.colors[np.argmax(depth)]), "the farthest point: top of viridis"


# ---- pixels -----------------------------------------------------------------------------------------


def _render(contents: ViewContents) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
    """The view rendered alone, and a function projecting view positions to its pixels (x, y)."""
    require_gpu()
    from rerun_viewer._gpu import get_gpu, read_texture
    from rerun_viewer.views._spatial import SpatialRenderer

    gpu = get_gpu()
    renderer = SpatialRenderer(gpu)
    renderer.render(contents, *VIEW_SIZE)
    pixels = read_texture(gpu.device, renderer.display_texture)[..., :3]
    return pixels, lambda positions: renderer.projection.to_pixels(np.asarray(positions, np.float64))[0]


def _color_near(
    pixels: np.ndarray, xy: np.ndarray, color: tuple[int, int, int], *, tolerance: int = 60
) -> float:
    """Share of the 7x7 pixels around ``xy`` within ``tolerance`` of ``color`` (hue, not shading)."""
    x, y = (round(float(v)) for v in xy)
    patch = pixels[y - 3 : y + 4, x - 3 : x + 4].astype(np.int16)
    return float((np.abs(patch - color).max(axis=2) <= tolerance).mean())


def _shapes_scene(rec: rr.RecordingStream) -> None:
    rec.log(
        "ellipsoid",
        rr.Ellipsoids3D(half_sizes=[[1, 0.5, 0.5]], colors=[255, 0, 0], fill_mode="solid"),
        static=True,
    )
    rec.log(
        "capsule",
        rr.Capsules3D(
            lengths=[2.0], radii=[0.5], translations=[[3, 0, 0]], colors=[0, 255, 0], fill_mode="solid"
        ),
        static=True,
    )
    rec.log(
        "cylinder",
        rr.Cylinders3D(lengths=[2.0], radii=[0.5], centers=[[-3, 0, 0]], colors=[0, 0, 255]),
        static=True,
    )
    rec.log(
        "boxes",
        rr.Boxes3D(half_sizes=[[0.3, 0.3, 0.3]], colors=[255, 255, 0], fill_mode="solid"),
        static=True,
    )
    rec.log("boxes", rr.InstancePoses3D(translations=[[0, 3, 0], [0, 3, 2]]), static=True)


def test_shapes_appear_in_their_colors_where_projected(tmp_path: Path) -> None:
    contents = _contents(tmp_path, _shapes_scene)
    pixels, project = _render(contents)
    red, green, blue, yellow = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0)
    centers = project([[0, 0, 0], [3, 0, 1], [-3, 0, 0], [0, 3, 0], [0, 3, 2]])
    for xy, color in zip(centers, [red, green, blue, yellow, yellow], strict=True):
        assert _color_near(pixels, xy, color, tolerance=120) > 0.8, f"{color} at {xy}"
    ellipsoid_tip, between_shapes = project([[0.9, 0, 0], [1.5, -1.5, 0]])
    assert _color_near(pixels, ellipsoid_tip, red, tolerance=120) > 0.5
    assert max(_color_near(pixels, between_shapes, c, tolerance=120) for c in (red, green, blue)) == 0.0
    edge = project([[-3, 0.5, 1]])[0]  # the cylinder's top ring: its wireframe in full blue
    assert _color_near(pixels, edge, blue, tolerance=40) > 0.0
    compare_with_golden(pixels, "shapes3d")


def test_image_shows_inside_its_frustum(tmp_path: Path) -> None:
    contents = _contents(tmp_path, _camera_scene)
    pixels, project = _render(contents)
    # Image pixel (u, v) on the plane 2 ahead of the camera: ((u - 32) / 25, 2, 2 - (v - 24) / 25); pixels
    # 4 from the middle, as the reference's framing shows little more than the image's middle.
    top_left, bottom_right, top_right = project([[-0.16, 2, 2.16], [0.16, 2, 1.84], [0.16, 2, 2.16]])
    assert _color_near(pixels, top_left, (255, 0, 0), tolerance=30) == 1.0
    assert _color_near(pixels, bottom_right, (0, 0, 255), tolerance=30) == 1.0
    assert _color_near(pixels, top_right, (0, 0, 0), tolerance=30) == 1.0, "the black quarter"


def test_depth_cloud_shows_viridis_where_projected() -> None:
    (recording,) = load_recordings([fixture("depth_image.rrd")])
    spec = ViewSpec(ViewKind.SPATIAL_3D, "/", ("/camera", "/camera/depth"))
    contents = collect(recording.store, spec, default_cursor(recording.store))
    cloud = _only(contents, "/camera/depth", Points)
    pixels, project = _render(contents)
    middle = len(cloud.positions) // 2 + 32  # image row 24, column 32
    xy = project(cloud.positions[middle : middle + 1])[0]  # type: ignore[union-attr]
    color = tuple(int(c) for c in cloud.colors[middle][:3])  # type: ignore[union-attr]
    assert _color_near(pixels, xy, color, tolerance=40) > 0.5, f"{color} at {xy}"
    compare_with_golden(pixels, "depth_cloud")


# ---- against the reference viewer -------------------------------------------------------------------

_HUES = {  # a shaded surface keeps its hue: these tell the scene's four colors apart, lit or not
    "red": lambda r, g, b: (r > 100) & (g < 60) & (b < 60),
    "green": lambda r, g, b: (g > 100) & (r < 80) & (b < 80),
    "blue": lambda r, g, b: (b > 100) & (r < 60) & (g < 60),
    "yellow": lambda r, g, b: (r > 100) & (g > 100) & (b < 60),
}


def _hue_masks(pixels: np.ndarray) -> dict[str, np.ndarray]:
    r, g, b = (pixels[..., i].astype(np.int16) for i in range(3))
    return {name: test(r, g, b) for name, test in _HUES.items()}


def _vertical_runs(mask: np.ndarray) -> int:
    """How many separate bands of rows hold some of ``mask``."""
    rows = mask.any(axis=1).astype(np.int8)
    return int((np.diff(np.r_[0, rows]) == 1).sum())


def _reference_view(tmp_path: Path, recording: Path) -> np.ndarray:
    """The reference viewer's 3D view (its only view) for ``recording``, from a headless shot."""

    def view_of(shot: np.ndarray) -> np.ndarray:  # HiDPI: twice 1280x720
        return shot[
            2 * 70 : 2 * 460, 2 * 235 : 2 * 970
        ]  # inside the 3D view, off its title bar and the panels

    def loaded(shot: np.ndarray) -> bool:
        return all(mask.sum() > 50 for mask in _hue_masks(view_of(shot)).values())

    return view_of(reference_screenshot(tmp_path, recording, loaded=loaded))


@pytest.mark.reference
def test_shapes_show_like_in_the_reference_viewer(tmp_path: Path) -> None:
    """The same recording: every shape in its color, cylinder, ellipsoid and capsule left to right, two boxes."""
    recording = _record(tmp_path, _shapes_scene)
    (ours_loaded,) = load_recordings([recording])
    spec = auto_views(ours_loaded.store)[0]
    ours, _ = _render(collect(ours_loaded.store, spec, default_cursor(ours_loaded.store)))
    for name, pixels in (("ours", ours), ("reference", _reference_view(tmp_path, recording))):
        masks = _hue_masks(pixels)
        assert all(mask.sum() > 50 for mask in masks.values()), (
            name,
            {k: int(m.sum()) for k, m in masks.items()},
        )
        centers = {color: np.argwhere(masks[color])[:, 1].mean() for color in ("blue", "red", "green")}
        assert centers["blue"] < centers["red"] < centers["green"], (name, centers)
        assert _vertical_runs(masks["yellow"]) == 2, f"{name}: one box per instance pose"
