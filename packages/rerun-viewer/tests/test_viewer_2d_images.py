"""2D visualizers (images of every format, annotations, arrows, ellipses) and the bar-chart and tensor views.

Recordings are logged here with our SDK. Expected colors are facts read from the reference 0.41
viewer's headless screenshots of the same data (see each constant), checked on the visualizers'
plain data and on pixels of the rendered views.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pytest
from _viewer_support import compare_with_golden, reference_screenshot, require_gpu
from PIL import Image

import rerun as rr
from rerun_viewer import Viewer, load_recordings
from rerun_viewer._colormaps import COLORMAP_NAMES, colormap_lut
from rerun_viewer._heuristics import ViewSpec, auto_views
from rerun_viewer._layout import shell_layout, view_cells
from rerun_viewer._primitives import Bars, ImageLayer, Points, Primitive, Segments, TensorSlice, Triangles
from rerun_viewer._registry import ViewKind
from rerun_viewer._theme import THEME
from rerun_viewer._time import default_cursor
from rerun_viewer._ui import Rect
from rerun_viewer._view_core import ViewContents, collect
from rerun_viewer.views._tensor import slice_rgba

pytestmark = pytest.mark.timeout(120)
VIEW_SIZE = (640, 384)  # a multiple of 64 wide (rows read back unpadded)
Logger = Callable[[rr.RecordingStream], None]
P = TypeVar("P", bound=Primitive)

# What the reference draws (sampled from its screenshots of the same data).
REFERENCE_CLASS_COLORS = {0: (188, 77, 77), 1: (255, 0, 0), 2: (154, 188, 77), 3: (188, 77, 178)}
# Y=100, U=90, V=200: planar formats in BT.709 (full or limited range), NV12 and YUY2 in BT.601.
REFERENCE_YUV = {"full": (213, 73, 29), "limited": (227, 68, 18), "bt601": (213, 54, 21)}
REFERENCE_BAYER_RGGB = (229, 168, 96)  # R=200, G=100, B=30 samples
REFERENCE_COLORMAP_SAMPLES = {  # colormap -> entries 64, 128 and 192 of 256
    "Inferno": [(87, 17, 104), (186, 54, 81), (249, 139, 14)],
    "Magma": [(79, 22, 122), (184, 54, 119), (254, 134, 99)],
    "Plasma": [(127, 5, 170), (205, 72, 124), (250, 149, 66)],
    "Turbo": [(38, 189, 224), (152, 250, 79), (255, 126, 29)],
    "Viridis": [(61, 83, 140), (31, 145, 139), (91, 201, 96)],
    "CyanToYellow": [(0, 111, 159), (65, 64, 63), (160, 113, 0)],
    "Spectral": [(246, 143, 82), (251, 249, 170), (135, 204, 159)],
    "Twilight": [(106, 113, 186), (69, 14, 77), (180, 88, 87)],
    "RvizMap": [(92, 92, 92), (255, 0, 0), (255, 129, 0)],
    "RvizCostmap": [(163, 0, 92), (255, 0, 0), (255, 129, 0)],
    "Costmap": [(207, 218, 134), (215, 47, 33), (231, 134, 76)],
}


def _record(tmp_path: Path, log: Logger) -> Path:
    path = tmp_path / "images.rrd"
    stream = rr.RecordingStream("images_test", recording_id="images_test")
    stream.save(str(path))
    for frame in (0, 1):  # two frames: the time cursor opens on a timeline with a span
        stream.set_time("frame", sequence=frame)
        log(stream)
    stream.disconnect()
    return path


def _contents(tmp_path: Path, log: Logger, kind: ViewKind = ViewKind.SPATIAL_2D) -> ViewContents:
    (recording,) = load_recordings([_record(tmp_path, log)])
    spec = next(view for view in auto_views(recording.store) if view.kind == kind)
    return collect(recording.store, spec, default_cursor(recording.store))


def _of(contents: ViewContents, kind: type[P]) -> list[P]:
    return [p for p in contents.primitives if isinstance(p, kind)]


def _layer(tmp_path: Path, log: Logger) -> ImageLayer:
    (layer,) = _of(_contents(tmp_path, log), ImageLayer)
    return layer


def _quads(values: list[float], dtype: type, size: int = 40) -> np.ndarray:
    """A square image whose quadrants (TL, TR, BL, BR) hold ``values``."""
    image: np.ndarray = np.zeros((size, size), dtype)
    half = size // 2
    image[:half, :half], image[:half, half:], image[half:, :half], image[half:, half:] = values
    return image


def _quad_colors(rgba: np.ndarray) -> list[tuple[int, ...]]:
    size = rgba.shape[0]
    return [
        tuple(int(c) for c in rgba[y, x, :3])
        for y, x in ((5, 5), (5, size - 5), (size - 5, 5), (size - 5, size - 5))
    ]


def _close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 2) -> bool:
    return max(abs(a - e) for a, e in zip(actual, expected, strict=True)) <= tolerance


def _render(contents: ViewContents) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
    """The 2D view rendered alone, and a function from view positions to its pixels (x, y)."""
    require_gpu()
    from rerun_viewer._gpu import get_gpu, read_texture
    from rerun_viewer.views._spatial import SpatialRenderer

    gpu = get_gpu()
    renderer = SpatialRenderer(gpu)
    renderer.render(contents, *VIEW_SIZE)
    pixels = read_texture(gpu.device, renderer.display_texture)[..., :3]
    projection = renderer.projection
    assert projection is not None
    return pixels, lambda positions: projection.to_pixels(np.asarray(positions, np.float64))[0]


def _pixel(
    pixels: np.ndarray, to_pixels: Callable[[np.ndarray], np.ndarray], x: float, y: float
) -> tuple[int, ...]:
    px, py = to_pixels(np.array([[x, y, 0.0]]))[0]
    return tuple(int(c) for c in pixels[int(py), int(px)])


# ---- images of every format -------------------------------------------------------------------------


YUV_Y, YUV_U, YUV_V = 100, 90, 200


def _yuv_planes(size: int = 8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y, u, v = (np.full((size, size), value, np.uint8) for value in (YUV_Y, YUV_U, YUV_V))
    return y, u, v


@pytest.mark.parametrize(
    ("name", "pixel_format", "expected"),
    [
        ("444 full", rr.PixelFormat.Y_U_V24_FullRange, REFERENCE_YUV["full"]),
        ("444 limited", rr.PixelFormat.Y_U_V24_LimitedRange, REFERENCE_YUV["limited"]),
        ("422 full", rr.PixelFormat.Y_U_V16_FullRange, REFERENCE_YUV["full"]),
        ("420 limited", rr.PixelFormat.Y_U_V12_LimitedRange, REFERENCE_YUV["limited"]),
        ("420 full", rr.PixelFormat.Y_U_V12_FullRange, REFERENCE_YUV["full"]),
        ("nv12", rr.PixelFormat.NV12, REFERENCE_YUV["bt601"]),
        ("yuy2", rr.PixelFormat.YUY2, REFERENCE_YUV["bt601"]),
    ],
)
def test_yuv_pixel_formats_decode_as_the_reference(
    tmp_path: Path, name: str, pixel_format: rr.PixelFormat, expected: tuple[int, int, int]
) -> None:
    y, u, v = _yuv_planes()
    if pixel_format == rr.PixelFormat.NV12:
        data = np.concatenate([y.ravel(), np.stack([u[::2, ::2], v[::2, ::2]], axis=-1).ravel()])
    elif pixel_format == rr.PixelFormat.YUY2:
        data = np.stack([y[:, ::2], u[:, ::2], y[:, 1::2], v[:, ::2]], axis=-1).ravel()
    else:
        step_x = 1 if "444" in name else 2
        step_y = 2 if "420" in name else 1
        data = np.concatenate([y.ravel(), u[::step_y, ::step_x].ravel(), v[::step_y, ::step_x].ravel()])
    image = rr.Image(bytes=data.tobytes(), width=8, height=8, pixel_format=pixel_format)
    layer = _layer(tmp_path, lambda rec: rec.log("img", image))
    assert layer.rgba.shape == (8, 8, 4)
    assert _close(tuple(int(c) for c in layer.rgba[3, 3, :3]), expected), name


def test_gray_and_bayer_pixel_formats(tmp_path: Path) -> None:
    gray = np.array([[16, 235], [0, 255]], np.uint8)
    full = _layer(
        tmp_path,
        lambda rec: rec.log(
            "img", rr.Image(bytes=gray.tobytes(), width=2, height=2, pixel_format=rr.PixelFormat.Y8_FullRange)
        ),
    )
    assert full.rgba[..., 0].tolist() == [[16, 235], [0, 255]]
    limited = _layer(
        tmp_path,
        lambda rec: rec.log(
            "img",
            rr.Image(bytes=gray.tobytes(), width=2, height=2, pixel_format=rr.PixelFormat.Y8_LimitedRange),
        ),
    )
    assert limited.rgba[..., 0].tolist() == [[0, 255], [0, 255]]
    mosaic = np.zeros((8, 8), np.uint8)
    mosaic[0::2, 0::2], mosaic[0::2, 1::2], mosaic[1::2, 0::2], mosaic[1::2, 1::2] = 200, 100, 100, 30
    bayer = _layer(
        tmp_path,
        lambda rec: rec.log(
            "img", rr.Image(bytes=mosaic.tobytes(), width=8, height=8, pixel_format=rr.PixelFormat.BayerRGGB8)
        ),
    )
    assert _close(tuple(int(c) for c in bayer.rgba[3, 3, :3]), REFERENCE_BAYER_RGGB)
    swapped = mosaic.copy()
    swapped[0::2, 0::2], swapped[1::2, 1::2] = 30, 200  # the same scene seen through a BGGR filter
    bggr = _layer(
        tmp_path,
        lambda rec: rec.log(
            "img",
            rr.Image(bytes=swapped.tobytes(), width=8, height=8, pixel_format=rr.PixelFormat.BayerBGGR8),
        ),
    )
    np.testing.assert_array_equal(bggr.rgba[2:6, 2:6], bayer.rgba[2:6, 2:6])


@pytest.mark.parametrize(
    ("values", "dtype", "expected"),
    [  # quadrant values -> the gray levels the reference shows
        ([0, 0.5, 1, 0.25], np.float32, [0, 128, 255, 64]),  # floats in [0, 1]: as they are
        ([2, 5, 10, 3], np.float32, [2, 5, 10, 3]),  # within [0, 255]: as 8-bit
        ([-1, 0, 1, 0.5], np.float32, [0, 128, 255, 191]),  # else over the data's range
        ([0, 100, 200, 50], np.uint16, [0, 100, 200, 50]),
        ([1000, 2000, 3000, 1500], np.uint16, [0, 128, 255, 64]),
        ([-100, 0, 100, 50], np.int8, [0, 128, 255, 191]),
        ([0, 1000, 4000, 2000], np.uint16, [0, 64, 255, 128]),
    ],
)
def test_non_8_bit_images_use_the_reference_value_range(
    tmp_path: Path, values: list[float], dtype: type, expected: list[int]
) -> None:
    layer = _layer(tmp_path, lambda rec: rec.log("img", rr.Image(_quads(values, dtype))))
    grays = [color[0] for color in _quad_colors(layer.rgba)]
    assert all(abs(g - e) <= 1 for g, e in zip(grays, expected, strict=True)), grays


def test_color_models_and_bgr(tmp_path: Path) -> None:
    rgb = np.zeros((4, 4, 3), np.uint16)
    rgb[..., 0] = 65535
    layer = _layer(tmp_path, lambda rec: rec.log("img", rr.Image(rgb, color_model="BGR")))
    assert layer.rgba[0, 0].tolist() == [0, 0, 255, 255]
    rgba = np.zeros((4, 4, 4), np.float32)
    rgba[..., 1], rgba[..., 3] = 1.0, 0.5
    layer = _layer(tmp_path, lambda rec: rec.log("img", rr.Image(rgba, color_model="RGBA")))
    assert layer.rgba[0, 0].tolist() == [0, 255, 0, 128]


def test_encoded_png_and_jpeg_render_in_the_2d_view(tmp_path: Path) -> None:
    pixels = np.zeros((32, 48, 3), np.uint8)
    pixels[:, :24] = (220, 30, 30)
    pixels[:, 24:] = (30, 30, 220)

    def encoded(fmt: str) -> bytes:
        out = io.BytesIO()
        Image.fromarray(pixels).save(out, format=fmt, quality=95)
        return out.getvalue()

    for fmt, media, tolerance in (("PNG", "image/png", 0), ("JPEG", "image/jpeg", 12)):
        image = rr.EncodedImage(contents=encoded(fmt), media_type=media)
        layer = _layer(tmp_path, lambda rec, image=image: rec.log("img", image))  # type: ignore[misc]
        assert layer.rgba.shape == (32, 48, 4)
        assert np.abs(layer.rgba[16, 8, :3].astype(int) - (220, 30, 30)).max() <= tolerance
    contents = _contents(
        tmp_path, lambda rec: rec.log("img", rr.EncodedImage(contents=encoded("PNG"), media_type="image/png"))
    )
    view, to_pixels = _render(contents)
    assert _pixel(view, to_pixels, 8, 16) == (220, 30, 30)
    assert _pixel(view, to_pixels, 40, 16) == (30, 30, 220)


def test_undecodable_encoded_image_names_the_problem(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from rerun_viewer.visualizers._images import decode_encoded

    with pytest.raises(ValueError, match="image/png"):
        decode_encoded(b"not a png", "image/png")
    contents = _contents(
        tmp_path, lambda rec: rec.log("img", rr.EncodedImage(contents=b"not a png", media_type="image/png"))
    )
    assert (
        _of(contents, ImageLayer) == []
        and "/img: EncodedImage blob (image/png) cannot be decoded" in caplog.text
    )


# ---- depth and colormaps ----------------------------------------------------------------------------


def test_every_colormap_matches_the_reference_samples() -> None:
    assert set(REFERENCE_COLORMAP_SAMPLES) | {"Grayscale"} == set(COLORMAP_NAMES.values())
    for code, name in COLORMAP_NAMES.items():
        lut = colormap_lut(code)
        assert lut.shape == (256, 4)
        for index, expected in zip((64, 128, 192), REFERENCE_COLORMAP_SAMPLES.get(name, []), strict=False):
            actual = tuple(int(c) for c in lut[index, :3])
            tolerance = 30 if name in ("Spectral", "Twilight") else 12  # the reference draws polynomial fits
            assert _close(actual, expected, tolerance), f"{name}[{index}] = {actual}, reference {expected}"
    assert colormap_lut(11)[0, 3] == 0 and colormap_lut(10)[0, 3] == 255  # no cost: transparent
    with pytest.raises(ValueError, match="colormap 99"):
        colormap_lut(99)


def test_depth_image_spans_zero_to_its_largest_depth(tmp_path: Path) -> None:
    depth = _quads([1000, 2000, 3000, 0], np.uint16)
    layer = _layer(
        tmp_path, lambda rec: rec.log("depth", rr.DepthImage(depth, meter=1000.0, colormap="grayscale"))
    )
    assert [c[0] for c in _quad_colors(layer.rgba)] == [85, 170, 255, 0]  # the reference's grays
    assert layer.rgba[..., 3].min() == 255  # zero is drawn too (black here), as in the reference's 2D view
    ranged = _layer(
        tmp_path,
        lambda rec: rec.log("depth", rr.DepthImage(depth, colormap="viridis", depth_range=(0.0, 1000.0))),
    )
    assert tuple(ranged.rgba[5, 5, :3]) == tuple(colormap_lut(6)[255, :3])


# ---- segmentation and annotations --------------------------------------------------------------------


def _segmentation_scene(rec: rr.RecordingStream) -> None:
    rec.log("/", rr.AnnotationContext([(1, "one", (255, 0, 0)), (2, "two")]), static=True)
    rec.log("img", rr.SegmentationImage(_quads([0, 1, 2, 3], np.uint8)))
    rec.log("pts", rr.Points2D([[50, 10], [50, 30], [60, 10], [60, 30]], class_ids=[0, 1, 2, 3], radii=3))


def test_segmentation_and_class_ids_take_annotation_colors(tmp_path: Path) -> None:
    contents = _contents(tmp_path, _segmentation_scene)
    (layer,) = _of(contents, ImageLayer)
    assert layer.segmentation and layer.shown_opacity([layer]) == 1.0  # alone: opaque
    assert _quad_colors(layer.rgba) == [REFERENCE_CLASS_COLORS[c] for c in (0, 1, 2, 3)]
    (points,) = _of(contents, Points)
    assert [tuple(int(c) for c in color[:3]) for color in points.colors] == [
        REFERENCE_CLASS_COLORS[c] for c in (0, 1, 2, 3)
    ]
    assert [label.text for label in points.labels] == ["one", "two"]
    view, to_pixels = _render(contents)
    for class_id, (x, y) in enumerate([(5, 5), (30, 5), (5, 30), (30, 30)]):
        assert _close(_pixel(view, to_pixels, x, y), REFERENCE_CLASS_COLORS[class_id]), class_id
    assert _close(_pixel(view, to_pixels, 50, 30), REFERENCE_CLASS_COLORS[1], tolerance=20)  # the red point
    compare_with_golden(np.asarray(Image.fromarray(view).resize((640, 360))), "segmentation_2d")


@pytest.mark.reference
def test_reference_viewer_shows_the_same_class_colors(tmp_path: Path) -> None:
    """Our recording in the reference viewer: each class color fills a quadrant, as it does in ours."""
    recording = _record(tmp_path, _segmentation_scene)

    def class_counts(shot: np.ndarray) -> dict[int, int]:
        return {c: int((shot == color).all(axis=2).sum()) for c, color in REFERENCE_CLASS_COLORS.items()}

    shot = reference_screenshot(
        tmp_path, recording, loaded=lambda shot: all(n > 10_000 for n in class_counts(shot).values())
    )
    counts = class_counts(shot)
    assert all(count > 10_000 for count in counts.values()), counts
    view, _ = _render(_contents(tmp_path, _segmentation_scene))
    ours = {c: int((view == color).all(axis=2).sum()) for c, color in REFERENCE_CLASS_COLORS.items()}
    assert all(count > 1_000 for count in ours.values()), ours


def _near_count(pixels: np.ndarray, color: tuple[int, ...], tolerance: int = 2) -> int:
    return int((np.abs(pixels.astype(np.int16) - color).max(axis=2) <= tolerance).sum())


def _nv12_scene(rec: rr.RecordingStream) -> None:
    y, u, v = _yuv_planes(16)
    chroma = np.stack([u[::2, ::2], v[::2, ::2]], axis=-1).ravel()
    data = np.concatenate([y.ravel(), chroma]).tobytes()
    rec.log("img", rr.Image(bytes=data, width=16, height=16, pixel_format=rr.PixelFormat.NV12))


def _depth_scene(rec: rr.RecordingStream) -> None:
    rec.log("depth", rr.DepthImage(_quads([1000, 2000, 3000, 0], np.uint16), colormap="grayscale"))


@pytest.mark.reference
@pytest.mark.parametrize(
    ("log", "color"),
    [(_nv12_scene, REFERENCE_YUV["bt601"]), (_depth_scene, (85, 85, 85))],
    ids=["nv12", "depth"],
)
def test_reference_viewer_draws_our_recordings_in_the_same_colors(
    tmp_path: Path, log: Logger, color: tuple[int, int, int]
) -> None:
    """Our SDK's recording, drawn by the reference viewer and by ours: the same color covers a large area."""
    recording = _record(tmp_path, log)
    shot = reference_screenshot(tmp_path, recording, loaded=lambda shot: _near_count(shot, color) > 50_000)
    reference = _near_count(shot, color)
    assert reference > 50_000, f"the reference shows {color} on {reference} pixels"
    view, _ = _render(_contents(tmp_path, log))
    assert _near_count(view, color) > 10_000


def test_segmentation_over_an_image_is_half_transparent(tmp_path: Path) -> None:
    def log(rec: rr.RecordingStream) -> None:
        rec.log("cam/rgb", rr.Image(np.full((20, 20, 3), 200, np.uint8)))
        rec.log("cam/seg", rr.SegmentationImage(np.full((20, 20), 1, np.uint8)))
        rec.log("cam", rr.AnnotationContext([(1, "thing", (0, 0, 255))]), static=True)

    contents = _contents(tmp_path, log)
    assert contents.spec == ViewSpec(ViewKind.SPATIAL_2D, "/cam", ("/cam/rgb", "/cam/seg"))
    layers = _of(contents, ImageLayer)
    opacities = {layer.entity: layer.shown_opacity(layers) for layer in layers}
    assert opacities == {"/cam/rgb": 1.0, "/cam/seg": 0.5}
    view, to_pixels = _render(contents)
    red, _, blue = _pixel(view, to_pixels, 10, 10)
    assert abs(red - 146) <= 6 and abs(blue - 229) <= 6, (
        "blue at half opacity over gray 200, mixed in linear light"
    )


def test_class_ids_color_points_and_boxes_in_3d_and_2d(tmp_path: Path) -> None:
    from rerun_viewer.visualizers._annotations import class_color

    def log(rec: rr.RecordingStream) -> None:
        rec.log("/", rr.AnnotationContext([(1, "car", (0, 0, 255))]), static=True)
        rec.log("world/points", rr.Points3D([[0, 0, 0], [1, 1, 1]], class_ids=[1, 5]))
        rec.log("world/boxes", rr.Boxes3D(half_sizes=[[1, 1, 1]], class_ids=[1], fill_mode="solid"))
        rec.log("flat/boxes", rr.Boxes2D(half_sizes=[[4, 4]], class_ids=[1]))

    contents = _contents(tmp_path, log, ViewKind.SPATIAL_3D)
    (points,) = _of(contents, Points)
    assert points.colors[:, :3].tolist() == [[0, 0, 255], list(class_color(5)[:3])]
    assert [label.text for label in points.labels] == ["car"]
    (box,) = _of(contents, Triangles)
    assert (box.colors[:, :3] == (0, 0, 255)).all()
    (box_2d,) = _of(_contents(tmp_path, log), Segments)
    assert (box_2d.colors[:, :3] == (0, 0, 255)).all() and [label.text for label in box_2d.labels] == ["car"]


def test_images_of_any_size_share_one_2d_view(tmp_path: Path) -> None:
    def log(rec: rr.RecordingStream) -> None:  # the reference shows these in one view, "/"
        rec.log("a/img", rr.Image(np.full((20, 20, 3), 200, np.uint8)))
        rec.log("b/img", rr.Image(np.full((30, 40, 3), 100, np.uint8)))
        rec.log("b/pts", rr.Points2D([[1, 1]]))

    (recording,) = load_recordings([_record(tmp_path, log)])
    assert auto_views(recording.store) == [ViewSpec(ViewKind.SPATIAL_2D, "/", ("/a/img", "/b/img", "/b/pts"))]
    layers = _of(_contents(tmp_path, log), ImageLayer)
    assert [layer.shown_opacity(layers) for layer in layers] == [1.0, 1.0]  # stacked color images stay opaque


def test_keypoints_take_keypoint_colors_and_draw_their_skeleton(tmp_path: Path) -> None:
    def log(rec: rr.RecordingStream) -> None:
        rec.log("/", rr.AnnotationContext([rr.ClassDescription(
            info=(7, "person", (0, 255, 0)),
            keypoint_annotations=[(0, "head", (255, 0, 255)), (1, "hip"), (2, "foot")],
            keypoint_connections=[(0, 1), (1, 2)],
        )]), static=True)  # fmt: skip
        rec.log("pose", rr.Points2D([[10, 0], [10, 10], [10, 20]], class_ids=7, keypoint_ids=[0, 1, 2]))

    contents = _contents(tmp_path, log)
    (points,) = _of(contents, Points)
    assert [tuple(int(c) for c in color[:3]) for color in points.colors] == [
        (255, 0, 255),
        (0, 255, 0),
        (0, 255, 0),
    ]
    assert [label.text for label in points.labels] == ["head", "hip", "foot"]
    (skeleton,) = _of(contents, Segments)
    np.testing.assert_allclose(skeleton.positions[:, :2], [[10, 0], [10, 10], [10, 10], [10, 20]])
    assert skeleton.colors[:, :3].tolist() == [[0, 255, 0]] * 2


# ---- arrows, ellipses, draw order --------------------------------------------------------------------


def test_arrows2d_and_ellipses2d_draw_where_logged(tmp_path: Path) -> None:
    def log(rec: rr.RecordingStream) -> None:
        rec.log(
            "arrows",
            rr.Arrows2D(
                origins=[[0, 0], [0, 40]], vectors=[[80, 0], [80, 0]], colors=[(255, 200, 0)], radii=2.0
            ),
        )
        rec.log(
            "ellipses",
            rr.Ellipses2D(centers=[[40, 20]], half_sizes=[[30, 10]], colors=[(0, 200, 255)], line_radii=1.5),
        )

    contents = _contents(tmp_path, log)
    segments = {segment.entity: segment for segment in _of(contents, Segments)}
    np.testing.assert_allclose(segments["/arrows"].positions[:2, :2], [[0, 0], [80, 0]])
    assert segments["/arrows"].arrow_heads, "the heads are drawn at each segment's end"
    ring = segments["/ellipses"].positions[:, :2]
    assert np.allclose(((ring[:, 0] - 40) / 30) ** 2 + ((ring[:, 1] - 20) / 10) ** 2, 1.0, atol=1e-5)
    view, to_pixels = _render(contents)
    assert _close(_pixel(view, to_pixels, 30, 0), (255, 200, 0), tolerance=10), "arrow shaft"
    assert _close(_pixel(view, to_pixels, 76, 40), (255, 200, 0), tolerance=10), "arrow head"
    assert _close(_pixel(view, to_pixels, 40, 10), (0, 200, 255), tolerance=10), "ellipse top"
    assert _close(_pixel(view, to_pixels, 10, 20), (0, 200, 255), tolerance=10), "ellipse left"
    assert max(_pixel(view, to_pixels, 40, 20)) < 30, "ellipse inside is empty"
    compare_with_golden(np.asarray(Image.fromarray(view).resize((640, 360))), "arrows_ellipses_2d")


def test_draw_order_puts_the_higher_layer_on_top(tmp_path: Path) -> None:
    def log(rec: rr.RecordingStream) -> None:
        rec.log("image", rr.Image(np.full((20, 20, 3), (255, 0, 0), np.uint8), draw_order=5.0))
        rec.log(
            "over",
            rr.Boxes2D(centers=[[5, 5]], half_sizes=[[4, 4]], colors=(0, 0, 255), radii=3.0, draw_order=10.0),
        )
        rec.log("under", rr.Points2D([[15, 15]], radii=4, colors=(0, 255, 0), draw_order=1.0))

    view, to_pixels = _render(_contents(tmp_path, log))
    assert _pixel(view, to_pixels, 1, 5) == (0, 0, 255), "the box is drawn over the image"
    assert _pixel(view, to_pixels, 15, 15) == (255, 0, 0), "the point is drawn under the image"


# ---- bar chart and tensor views ----------------------------------------------------------------------


def _viewer_pixels(tmp_path: Path, log: Logger) -> tuple[np.ndarray, Viewer]:
    require_gpu()
    viewer = Viewer(load_recordings([_record(tmp_path, log)]), width=1280, height=720)
    pixels = viewer.render()[..., :3]
    viewer.close()
    return pixels, viewer


def _view_cell(viewer: Viewer) -> Rect:
    (cell,) = view_cells(shell_layout(1280, 720).views, len(viewer.views))
    return cell.inset(2, THEME.view_title_height, 2, 2)


def _view_area(viewer: Viewer, pixels: np.ndarray) -> np.ndarray:
    area = _view_cell(viewer)
    return pixels[int(area.y) : int(area.bottom), int(area.x) : int(area.right)]


def test_bar_chart_view_draws_one_bar_per_value(tmp_path: Path) -> None:
    contents = _contents(
        tmp_path,
        lambda rec: rec.log("bars", rr.BarChart([1, 3, -2, 5, 4], color=(230, 120, 20))),
        ViewKind.BAR_CHART,
    )
    (bars,) = _of(contents, Bars)
    assert bars.abscissa.tolist() == [0, 1, 2, 3, 4] and bars.values.tolist() == [1, 3, -2, 5, 4]
    pixels, viewer = _viewer_pixels(
        tmp_path, lambda rec: rec.log("bars", rr.BarChart([1, 3, -2, 5, 4], color=(230, 120, 20)))
    )
    assert [(v.kind, v.origin) for v in viewer.views] == [(ViewKind.BAR_CHART, "/bars")]
    area = _view_area(viewer, pixels)
    red, green, blue = (area[..., k].astype(int) for k in range(3))
    orange = (
        (red > 120) & (red - green > 40) & (green - blue > 30)
    )  # the fill: (230, 120, 20) over the background
    columns = np.flatnonzero(orange.any(axis=0))
    assert columns.size > 0.8 * area.shape[1], "the bars span the plot's width"
    heights = [int(orange[:, c].sum()) for c in np.linspace(columns[0] + 5, columns[-1] - 5, 5).astype(int)]
    assert heights[3] > heights[4] > heights[1] > heights[2] > heights[0], heights  # 5 > 4 > 3 > |-2| > 1


def test_bar_chart_abscissa_and_widths_frame_the_plot_as_the_reference(tmp_path: Path) -> None:
    from rerun_viewer.views._bar_chart import bar_limits

    chart = rr.BarChart([1, 2, 3], abscissa=[10, 20, 30], widths=[5])
    (bars,) = _of(_contents(tmp_path, lambda rec: rec.log("bars", chart), ViewKind.BAR_CHART), Bars)
    assert bars.abscissa.tolist() == [10, 20, 30] and bars.widths.tolist() == [5, 5, 5]
    assert bar_limits([bars]) == (10.0, 35.0, 0.0, 3.0)  # bars start at their abscissa; y from zero


def test_tensor_slider_picks_another_slice(tmp_path: Path) -> None:
    require_gpu()
    tensor = np.zeros((5, 20, 30), np.float32)
    for k in range(5):
        tensor[k] = 50.0 * k
    viewer = Viewer(
        load_recordings([_record(tmp_path, lambda rec: rec.log("tensor", rr.Tensor(tensor)))]),
        width=1280,
        height=720,
    )
    try:
        area = _view_cell(viewer)
        middle = viewer.render()[int(area.y) + 150, int(area.x) + 100, :3]
        assert tuple(middle) == tuple(colormap_lut(6)[100, :3]), "dimension 0 starts at its middle index, 2"
        viewer.click(area.x + 200 + 155, area.y + 16)  # the slider's right end: the last index
        viewer.render()
        last = viewer.render()[int(area.y) + 150, int(area.x) + 100, :3]
        assert tuple(last) == tuple(colormap_lut(6)[200, :3]), "the slider moved to index 4"
    finally:
        viewer.close()


def test_tensor_view_shows_the_middle_slice_of_the_last_two_dimensions(tmp_path: Path) -> None:
    tensor = np.zeros((5, 20, 30), np.float32)
    for k in range(5):
        tensor[k] = k * 10 + np.linspace(0, 5, 30)[None, :]
    contents = _contents(tmp_path, lambda rec: rec.log("tensor", rr.Tensor(tensor)), ViewKind.TENSOR)
    (slice_,) = _of(contents, TensorSlice)
    assert (slice_.height_dim, slice_.width_dim, slice_.indices) == (1, 2, {0: 2})
    assert tuple(slice_rgba(slice_, slice_.indices)[0, 0, :3]) == (
        72,
        29,
        111,
    )  # the reference: viridis(20 / 255)
    assert tuple(slice_rgba(slice_, {0: 4})[0, 0, :3]) == tuple(colormap_lut(6)[40, :3])  # another slice
    with pytest.raises(ValueError, match="index 5 is outside dimension 0 of size 5"):
        slice_rgba(slice_, {0: 5})
    pixels, viewer = _viewer_pixels(tmp_path, lambda rec: rec.log("tensor", rr.Tensor(tensor)))
    assert [v.kind for v in viewer.views] == [ViewKind.TENSOR]
    area = _view_area(viewer, pixels)
    purple = np.abs(area.astype(int) - (72, 32, 114)).max(axis=2) <= 6
    rows, cols = np.flatnonzero(purple.any(axis=1)), np.flatnonzero(purple.any(axis=0))
    assert abs((cols[-1] - cols[0] + 1) / (rows[-1] - rows[0] + 1) - 30 / 20) < 0.05, "aspect kept"
    assert purple.mean() > 0.4


# ---- text documents ----------------------------------------------------------------------------------

MARKDOWN = """# Big title

Some **bold** words and `code`.

- first item
- second item
  1. nested number

```
a code block
```
"""


def test_markdown_becomes_styled_blocks() -> None:
    from rerun_viewer.views._markdown import Run, parse_document

    blocks = parse_document(MARKDOWN, "text/markdown")
    assert [(b.kind, b.text, b.depth, b.marker) for b in blocks] == [
        ("heading", "Big title", 0, ""),
        ("paragraph", "Some bold words and code.", 0, ""),
        ("item", "first item", 1, "•"),
        ("item", "second item", 1, "•"),
        ("item", "nested number", 2, "1."),
        ("code", "a code block", 0, ""),
    ]
    assert (
        blocks[0].level == 1
        and Run("bold", bold=True) in blocks[1].runs
        and Run("code", code=True) in blocks[1].runs
    )
    assert [b.text for b in parse_document("# not a heading\nline", "text/plain")] == [
        "# not a heading",
        "line",
    ]
    rows = parse_document("| a | b |\n|---|---|\n| 1 | **2** |\n", "text/markdown")
    assert [(row.kind, row.header, [[run.text for run in cell] for cell in row.cells]) for row in rows] == [
        ("row", True, [["a"], ["b"]]),
        ("row", False, [["1"], ["2"]]),
    ]
    assert rows[1].cells[1] == [Run("2", bold=True)]


def test_markdown_document_renders_headings_larger(tmp_path: Path) -> None:
    pixels, viewer = _viewer_pixels(
        tmp_path, lambda rec: rec.log("readme", rr.TextDocument(MARKDOWN, media_type="text/markdown"))
    )
    assert [v.kind for v in viewer.views] == [ViewKind.TEXT_DOCUMENT]
    area = _view_area(viewer, pixels)
    inked = np.flatnonzero((area.max(axis=2) > 150).any(axis=1))
    lines = np.split(inked, np.flatnonzero(np.diff(inked) > 1) + 1)
    heights = [len(line) for line in lines]
    assert len(lines) >= 6, f"one band of text per block, found {len(lines)}"
    assert heights[0] > 1.4 * max(heights[1:3]), f"the heading is drawn larger: {heights}"
    code_rows = np.flatnonzero((np.abs(area.astype(int) - (35, 35, 35)).max(axis=2) <= 2).sum(axis=1) > 100)
    assert code_rows.size > 10, "the code block has its background"
