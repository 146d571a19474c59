"""Cameras in 3D: the Pinhole frustum, images and 2D shapes on its image plane, depth images as point clouds.

2D content reaches a 3D view only through a pinhole at or above it: its pixel coordinates are
unprojected through the pinhole's intrinsics (``image_from_camera``) into the camera's frame, whose
axes ``camera_xyz`` names (RDF, the pinhole convention, by default). 2D shapes are what their 2D
visualizers draw, lifted onto the image plane. Without a logged ``image_plane_distance`` that plane
lies at 2 % of the diagonal of the region the default eye frames, as 0.41's does (0.3 in an empty
scene). What a pinhole draws is sized by that region, so it frames (``framed``) only what does not
depend on it: the camera's center and a depth cloud's frustum out to its farthest depth, as 0.41's.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from rerun_core.entity_path import EntityPath
from rerun_core.query import latest_at
from rerun_viewer import _arrow
from rerun_viewer._colormaps import apply_colormap
from rerun_viewer._colors import rgba_u8
from rerun_viewer._entity_query import EntityQuery, archetypes_of
from rerun_viewer._primitives import ImageLayer, Points, Primitive, Segments, Triangles
from rerun_viewer._registry import ViewKind, VisualizerFn, register, visualizer, visualizers_for
from rerun_viewer.visualizers._images import decode_encoded, depth_range
from rerun_viewer.visualizers._pixels import decode_buffer, to_rgba

__all__ = ["Camera", "camera_of"]

_CAMERA_FIELDS = ("image_from_camera", "resolution", "camera_xyz", "image_plane_distance")
# encodings.ViewDir: the direction each code names, in RDF (x right, y down, z forward) coordinates.
_RDF_DIRECTIONS = {1: (0, -1, 0), 2: (0, 1, 0), 3: (1, 0, 0), 4: (-1, 0, 0), 5: (0, 0, 1), 6: (0, 0, -1)}
_DEFAULT_IMAGE_PLANE_DISTANCE = 0.3  # when the framed region has no size
_IMAGE_PLANE_PER_SCENE_SIZE = 0.02  # of the framed region's diagonal (measured on 0.41's renders)
_NOTHING_FRAMED = np.zeros((0, 3), np.float32)
_DEFAULT_FRUSTUM_LINE_RADIUS = -1.0
_DEFAULT_FRUSTUM_COLOR = (159, 159, 159, 255)  # sampled from the reference's screenshots
_NEAREST = 1  # components.MagnificationFilter
_TURBO = 5  # components.Colormap: the depth colormap the reference falls back to
_IMAGE_ARCHETYPES = {"Image", "EncodedImage", "DepthImage"}
_LIFTED_2D = ("Points2D", "LineStrips2D", "Boxes2D", "Arrows2D", "Ellipses2D")


@dataclass(frozen=True)
class Camera:
    """A pinhole: intrinsics, image size and how its frame's axes point."""

    image_from_camera: np.ndarray  # (3, 3)
    resolution: tuple[float, float] | None
    image_plane_distance: float
    camera_from_rdf: np.ndarray  # (3, 3)

    def unproject(self, pixels: np.ndarray, depths: np.ndarray) -> np.ndarray:
        """``(n, 2)`` pixel coordinates at ``(n,)`` depths to ``(n, 3)`` points of the camera's frame."""
        homogeneous = np.column_stack([pixels, np.ones(len(pixels))])
        rdf = (homogeneous @ np.linalg.inv(self.image_from_camera).T) * depths[:, None]
        return (rdf @ self.camera_from_rdf.T).astype(np.float32)

    def image_corners(self, width: float, height: float) -> np.ndarray:
        """The four corners of a ``width x height`` image on the image plane, clockwise from top-left."""
        corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float64)
        return self.unproject(corners, np.full(4, self.image_plane_distance))


def _camera_from_rdf(codes: np.ndarray | None) -> np.ndarray:
    if codes is None:
        return np.eye(3)
    rows = [_RDF_DIRECTIONS.get(int(code)) for code in codes[0]]
    if any(row is None for row in rows):
        return np.eye(3)
    return np.array(rows, np.float64)


def _camera_at(query: EntityQuery, entity: str) -> Camera | None:
    cursor = query.cursor
    wanted = [f"Pinhole:{name}" for name in _CAMERA_FIELDS]
    found = latest_at(query.store, entity, cursor.timeline_name, cursor.at, wanted)
    cells: dict[str, pa.Array] = {key.split(":", 1)[1]: cell.value for key, cell in found.items()}
    projection = _arrow.vectors(cells.get("image_from_camera"), 9)
    if projection is None:
        return None
    image_from_camera = projection[0].astype(np.float64).reshape(3, 3).T  # stored column-major
    if not np.isfinite(image_from_camera).all() or abs(np.linalg.det(image_from_camera)) < 1e-12:
        return None  # a degenerate projection (a zero focal length) unprojects nowhere
    resolution = _arrow.vectors(cells.get("resolution"), 2)
    distance = _arrow.floats(cells.get("image_plane_distance"))
    return Camera(
        image_from_camera,
        None if resolution is None else (float(resolution[0][0]), float(resolution[0][1])),
        _default_image_plane_distance(query.scene_size) if distance is None else float(distance[0]),
        _camera_from_rdf(_arrow.vectors(cells.get("camera_xyz"), 3)),
    )


def _default_image_plane_distance(scene_size: float | None) -> float:
    if scene_size is None or not np.isfinite(scene_size) or scene_size <= 0:
        return _DEFAULT_IMAGE_PLANE_DISTANCE
    return _IMAGE_PLANE_PER_SCENE_SIZE * scene_size


def camera_of(query: EntityQuery) -> Camera | None:
    """The nearest pinhole at or above the queried entity, at the cursor."""
    found = _pinhole_above(query)
    return None if found is None else found[1]


def _pinhole_above(query: EntityQuery) -> tuple[str, Camera] | None:
    """The nearest pinhole at or above the queried entity, and its path."""
    path: EntityPath | None = EntityPath.parse(query.entity)
    while path is not None:
        camera = _camera_at(query, str(path))
        if camera is not None:
            return str(path), camera
        path = path.parent()
    return None


@visualizer("Pinhole", ViewKind.SPATIAL_3D)
def pinhole_frustum(query: EntityQuery) -> list[Primitive]:
    """Lines from the camera's center to the corners of its image plane, around that plane, and an "up" triangle.

    The triangle stands on the top edge's middle fifth, a tenth of the width high, as the reference's.
    """
    camera = _camera_at(query, query.entity)
    if camera is None or camera.resolution is None:
        return []
    width, height = camera.resolution
    corners = camera.image_corners(width, height)
    up = camera.unproject(
        np.array([[0.4 * width, 0], [0.5 * width, -0.1 * width], [0.6 * width, 0]]),
        np.full(3, camera.image_plane_distance),
    )
    apex = np.zeros(3, np.float32)
    edges = [(apex, corner) for corner in corners] + [(corners[i], corners[(i + 1) % 4]) for i in range(4)]
    edges += [(up[0], up[1]), (up[1], up[2])]
    segments = query.to_view(np.array([point for edge in edges for point in edge], np.float32))
    cells = query.latest("color", "line_width")
    colors = rgba_u8(_arrow.ints(cells.get("color")), len(edges), _DEFAULT_FRUSTUM_COLOR)
    line_width = _arrow.floats(cells.get("line_width"))  # a Radius: negative in UI points
    radius = _DEFAULT_FRUSTUM_LINE_RADIUS if line_width is None else float(line_width[0]) / 2
    center = query.to_view(apex[None])
    return [Segments(query.entity, segments, colors, np.full(len(edges), radius, np.float32), framed=center)]


def _image_quad(
    query: EntityQuery, camera: Camera, rgba: np.ndarray, cells: dict[str, pa.Array]
) -> Triangles:
    """The image as a textured quad on its camera's image plane."""
    height, width = rgba.shape[:2]
    opacity = _arrow.floats(cells.get("opacity"))
    alpha = 255 if opacity is None else round(255 * float(np.clip(opacity[0], 0, 1)))
    filter_ = _arrow.ints(cells.get("magnification_filter"))
    corners = query.to_view(camera.image_corners(width, height))
    return Triangles(
        query.entity, corners, np.array([[0, 1, 2], [0, 2, 3]], np.uint32),
        np.tile(np.array([255, 255, 255, alpha], np.uint8), (4, 1)), shaded=False,
        texcoords=np.array([[0, 0], [1, 0], [1, 1], [0, 1]], np.float32), texture=rgba,
        texture_nearest=filter_ is None or int(filter_[0]) == _NEAREST, framed=_NOTHING_FRAMED,
    )  # fmt: skip


@visualizer("Image", ViewKind.SPATIAL_3D)
def image_in_frustum(query: EntityQuery) -> list[Primitive]:
    camera = camera_of(query)
    cells = query.latest("buffer", "format", "opacity", "magnification_filter")
    formats = _arrow.structs(cells.get("format"))
    if camera is None or "buffer" not in cells or not formats:
        return []
    return [_image_quad(query, camera, to_rgba(decode_buffer(cells["buffer"], formats[0])), cells)]


@visualizer("EncodedImage", ViewKind.SPATIAL_3D)
def encoded_image_in_frustum(query: EntityQuery) -> list[Primitive]:
    camera = camera_of(query)
    cells = query.latest("blob", "media_type", "opacity", "magnification_filter")
    if camera is None or "blob" not in cells:
        return []
    media_types = _arrow.strings(cells.get("media_type"))
    blob = cells["blob"][0].values.to_numpy(zero_copy_only=False).tobytes()
    rgba = decode_encoded(blob, media_types[0] if media_types else None)
    return [_image_quad(query, camera, rgba, cells)]


@visualizer("SegmentationImage", ViewKind.SPATIAL_3D)
def segmentation_in_frustum(query: EntityQuery) -> list[Primitive]:
    """Class colors on the image plane, half transparent over the camera's other images (as in 2D)."""
    found = _pinhole_above(query)
    flat = visualizers_for(ViewKind.SPATIAL_2D).get("SegmentationImage")
    if found is None or flat is None:
        return []
    pinhole, camera = found
    cells = query.latest("opacity", "magnification_filter")
    if "opacity" not in cells and _other_images_under(query, pinhole):
        cells["opacity"] = pa.array([0.5], pa.float32())
    layers = flat.run(dataclasses.replace(query, view_from_entity=np.eye(4)))
    return [
        _image_quad(query, camera, layer.rgba, cells) for layer in layers if isinstance(layer, ImageLayer)
    ]


def _other_images_under(query: EntityQuery, pinhole: str) -> bool:
    prefix = pinhole.rstrip("/") + "/"
    return any(
        archetypes_of(query.store, entity) & _IMAGE_ARCHETYPES
        for entity in query.store.entity_paths()
        if entity != query.entity and (entity == pinhole or entity.startswith(prefix))
    )


@visualizer("DepthImage", ViewKind.SPATIAL_3D)
def depth_cloud(query: EntityQuery) -> list[Primitive]:
    """One point per measured pixel at its depth, colored by the colormap, as wide as a pixel there."""
    camera = camera_of(query)
    cells = query.latest("buffer", "format", "meter", "colormap", "depth_range", "point_fill_ratio")
    formats = _arrow.structs(cells.get("format"))
    if camera is None or "buffer" not in cells or not formats:
        return []
    pixels = decode_buffer(cells["buffer"], formats[0])
    depth = pixels.astype(np.float64).reshape(pixels.shape[:2])
    depth[depth == 0] = np.nan
    meter = _arrow.floats(cells.get("meter"))
    depth_meter = (1.0 if pixels.dtype.kind == "f" else 1000.0) if meter is None else float(meter[0])
    if not np.isfinite(depth_meter) or depth_meter <= 0:
        return []  # no depth unit, no place in space
    lo, hi = depth_range(depth, _arrow.vectors(cells.get("depth_range"), 2))
    colormap = _arrow.ints(cells.get("colormap"))
    rgba = apply_colormap(depth, lo, hi, _TURBO if colormap is None else int(colormap[0]))
    rows, columns = np.nonzero(np.isfinite(depth))
    meters = depth[rows, columns] / depth_meter
    centers = np.column_stack([columns + 0.5, rows + 0.5])
    positions = query.to_view(camera.unproject(centers, meters))
    fill = _arrow.floats(cells.get("point_fill_ratio"))
    fill_ratio = 1.0 if fill is None else float(fill[0])
    radii = (fill_ratio * meters / abs(camera.image_from_camera[0, 0])).astype(np.float32)
    height, width = pixels.shape[0], pixels.shape[1]
    farthest = camera.unproject(
        np.array([[0, 0], [width, 0], [width, height], [0, height]]), np.full(4, hi / depth_meter)
    )
    framed = query.to_view(np.vstack([np.zeros((1, 3), np.float32), farthest]))
    return [Points(query.entity, positions, rgba[rows, columns], radii, framed=framed)]


def _on_image_plane(query: EntityQuery, camera: Camera, flat: Primitive) -> Primitive | None:
    """A 2D primitive (pixel coordinates) moved onto the camera's image plane in the view's frame."""
    if not isinstance(flat, Points | Segments | Triangles):
        return None
    distance = camera.image_plane_distance

    def lift(positions: np.ndarray) -> np.ndarray:
        return query.to_view(
            camera.unproject(positions[:, :2].astype(np.float64), np.full(len(positions), distance))
        )

    labels = [dataclasses.replace(label, position=lift(label.position[None])[0]) for label in flat.labels]
    lifted = dataclasses.replace(flat, positions=lift(flat.positions), labels=labels, framed=_NOTHING_FRAMED)
    if isinstance(lifted, Points | Segments):  # pixel radii to scene units at the image plane's depth
        pixel_size = distance / abs(camera.image_from_camera[0, 0])
        lifted.radii = np.where(lifted.radii > 0, lifted.radii * pixel_size, lifted.radii).astype(np.float32)
    return lifted


def _lifted(archetype: str) -> VisualizerFn:
    """A 3D visualizer drawing what ``archetype``'s 2D visualizer draws, on the image plane of its pinhole."""

    def run(query: EntityQuery) -> list[Primitive]:
        camera = camera_of(query)
        flat = visualizers_for(ViewKind.SPATIAL_2D).get(archetype)
        if camera is None or flat is None:
            return []
        in_pixels = flat.run(dataclasses.replace(query, view_from_entity=np.eye(4)))
        return [lifted for p in in_pixels if (lifted := _on_image_plane(query, camera, p)) is not None]

    return run


for _archetype in _LIFTED_2D:
    register(_archetype, ViewKind.SPATIAL_3D, _lifted(_archetype))
