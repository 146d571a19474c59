"""The viewer's data side, without a GPU: heuristics, time cursor, transforms, decoding, registry."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
import tomllib
from _viewer_support import fixture

import rerun_viewer
from rerun_viewer import (
    ViewKind,
    auto_views,
    default_cursor,
    load_recordings,
    parse_window_size,
    visualizers_for,
)
from rerun_viewer._colormaps import COLORMAP_NAMES, colormap_lut
from rerun_viewer._colors import unpack_colors
from rerun_viewer._layout import grid_shape
from rerun_viewer._transforms import TransformResolver, axis_angle_matrix, quaternion_matrix, view_up_axis
from rerun_viewer._view_core import collect
from rerun_viewer.views._plot import decimate
from rerun_viewer.visualizers._pixels import CHANNEL_DTYPES, COLOR_MODEL_CHANNELS, decode_buffer, to_rgba

TYPES_TOML = Path(__file__).resolve().parents[3] / "tools" / "codegen" / "types.toml"

# What the reference 0.41 viewer creates for these fixtures (its screens, and runs of it headless).
REFERENCE_VIEWS = {
    "points3d.rrd": [("3D", "/")],
    "transforms.rrd": [("3D", "world")],
    "image_rgb.rrd": [("2D", "camera/rgb")],
    "mesh3d.rrd": [("3D", "/")],
    "text_log.rrd": [("TextLog", "/"), ("TextDocument", "readme")],
    "scalars_seq.rrd": [("TimeSeries", "plots/cos"), ("TimeSeries", "plots/sin")],
    "depth_image.rrd": [("3D", "/"), ("2D", "camera")],
    "points2d.rrd": [("2D", "image/keypoints")],
    "send_columns_scalars.rrd": [
        ("3D", "/"),
        ("TimeSeries", "columns/cos_pair"),
        ("TimeSeries", "columns/sin"),
    ],
}


def _store(name: str):  # type: ignore[no-untyped-def]
    (recording,) = load_recordings([fixture(name)])
    return recording.store


@pytest.mark.parametrize(("name", "expected"), sorted(REFERENCE_VIEWS.items()))
def test_auto_views_match_the_reference(name: str, expected: list[tuple[str, str]]) -> None:
    assert [(view.kind.value, view.title) for view in auto_views(_store(name))] == expected


def test_cursor_opens_at_the_end_of_the_first_user_timeline() -> None:
    cursor = default_cursor(_store("points3d.rrd"))
    assert (cursor.timeline_name, cursor.at) == ("frame", 10)
    assert default_cursor(_store("multi_timeline.rrd")).timeline_name == "elapsed"


def test_rotations() -> None:
    quarter = axis_angle_matrix(np.array([0, 0, 2.0]), np.pi / 2)
    np.testing.assert_allclose(quarter @ [1, 0, 0], [0, 1, 0], atol=1e-12)
    half_turn_x = quaternion_matrix(np.array([1.0, 0, 0, 0]))
    np.testing.assert_allclose(half_turn_x @ [0, 1, 0], [0, -1, 0], atol=1e-12)


def test_transform_chain_and_view_coordinates() -> None:
    store = _store("transforms.rrd")
    cursor = default_cursor(store)
    resolver = TransformResolver(store, cursor, "/world")
    chain = resolver.origin_from("/world/robot/arm/hand/tip")
    expected = np.eye(4)
    for entity in ("/world/robot", "/world/robot/arm", "/world/robot/arm/hand", "/world/robot/arm/hand/tip"):
        expected = expected @ resolver.local(entity)
    np.testing.assert_allclose(chain, expected)
    assert not np.allclose(resolver.local("/world/robot/arm"), np.eye(4)), "the arm is rotated and moved"
    np.testing.assert_allclose(view_up_axis(store, cursor, "/world"), [0, 0, 1])  # RIGHT_HAND_Z_UP


def test_series_come_with_their_styles() -> None:
    store = _store("scalars_seq.rrd")
    (cos_view, _) = auto_views(store)
    (series,) = collect(store, cos_view, default_cursor(store)).primitives
    assert (series.name, series.color, series.width, len(series.times)) == (
        "cos",
        (0, 0, 255, 255),
        2.0,
        1000,
    )  # type: ignore[union-attr]


def test_text_log_rows_also_after_the_cursor() -> None:
    """As 0.41 lists them: the whole log, the cursor only marked (tests/test_viewer_text_log_fidelity.py)."""
    store = _store("text_log.rrd")
    view = auto_views(store)[0]
    rows = collect(store, view, default_cursor(store)).primitives
    assert len(rows) == 13 and {r.level for r in rows} >= {"TRACE", "CRITICAL", "USER"}  # type: ignore[union-attr]
    cursor = default_cursor(store)
    early = collect(store, view, type(cursor)(cursor.timeline, 3)).primitives
    assert sorted(r.time for r in early) == sorted(r.time for r in rows)  # type: ignore[union-attr]


def test_image_decoding() -> None:
    rgb = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    buffer = pa.array([list(rgb.tobytes())], pa.list_(pa.uint8()))
    pixels = decode_buffer(buffer, {"width": 3, "height": 2, "color_model": 2, "channel_datatype": 6})
    np.testing.assert_array_equal(to_rgba(pixels)[..., :3], rgb)
    bgr = decode_buffer(buffer, {"width": 3, "height": 2, "color_model": 4, "channel_datatype": 6})
    np.testing.assert_array_equal(to_rgba(bgr)[..., :3], rgb[..., ::-1])
    gray16 = to_rgba(np.array([[0, 65535]], np.uint16))
    assert gray16[0, 1].tolist() == [255, 255, 255, 255] and gray16[0, 0].tolist() == [0, 0, 0, 255]


def test_enum_values_match_the_codegen_registry() -> None:
    enums = tomllib.loads(TYPES_TOML.read_text())["enums"]
    assert {value for _, value in enums["Colormap"]["values"]} == set(COLORMAP_NAMES)
    assert {name: value for name, value in enums["Colormap"]["values"]} == {
        v: k for k, v in COLORMAP_NAMES.items()
    }
    assert {value for _, value in enums["ChannelDatatype"]["values"]} == set(CHANNEL_DTYPES)
    assert {value for _, value in enums["ColorModel"]["values"]} == set(COLOR_MODEL_CHANNELS)


def test_every_visualizer_is_for_a_real_archetype() -> None:
    archetypes = {name.rsplit(".", 1)[-1] for name in tomllib.loads(TYPES_TOML.read_text())["archetypes"]}
    registered = {a for kind in ViewKind for a in visualizers_for(kind)}
    assert registered <= archetypes
    assert {
        "Points3D",
        "Boxes3D",
        "LineStrips3D",
        "Arrows3D",
        "Mesh3D",
        "Image",
        "DepthImage",
        "Scalars",
        "TextLog",
    } <= registered


def test_viridis_matches_matplotlib() -> None:
    lut = colormap_lut(6)
    assert (
        lut.shape == (256, 4)
        and lut[0].tolist() == [68, 1, 84, 255]
        and lut[-1].tolist() == [253, 231, 37, 255]
    )


def test_decimation_keeps_extremes() -> None:
    times = np.arange(100_000, dtype=np.float64)
    values = np.sin(times / 1000)
    values[54_321] = 5.0
    kept_times, kept_values = decimate(times, values, 500)
    assert len(kept_times) <= 1000 and kept_values.max() == 5.0 and np.all(np.diff(kept_times) > 0)


def test_small_helpers() -> None:
    assert parse_window_size("1280x720") == (1280, 720)
    with pytest.raises(ValueError, match="window_size"):
        parse_window_size("12x7")
    assert unpack_colors(np.array([0xFF8000FF])).tolist() == [[255, 128, 0, 255]]
    assert [grid_shape(n) for n in (1, 2, 3, 4, 5)] == [(1, 1), (2, 1), (3, 1), (2, 2), (3, 2)]


def test_public_api_is_exactly_all() -> None:
    public = {name for name in vars(rerun_viewer) if not name.startswith("_")}
    submodules = {"errors", "views", "visualizers"}
    assert public - submodules == set(rerun_viewer.__all__)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(rerun_viewer.RecordingLoadError, match="no such file"):
        load_recordings([tmp_path / "nope.rrd"])
    (tmp_path / "bad.rrd").write_bytes(b"not an rrd at all")
    with pytest.raises(rerun_viewer.RecordingLoadError, match="cannot read"):
        load_recordings([tmp_path / "bad.rrd"])
