"""User data -> Arrow, with 0.41's rules for colors, enums, vectors and blobs."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

import rerun as rr
from rerun import _converters as convert


def packed(data: object) -> list[str]:
    return [hex(v) for v in convert.color(data, pa.uint32()).to_pylist()]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([255, 0, 0], ["0xff0000ff"]),
        ((255, 0, 0, 128), ["0xff000080"]),
        ([[255, 0, 0], [0, 255, 0]], ["0xff0000ff", "0xff00ff"]),
        ([0.3, 0.0, 0.0], ["0x4c0000ff"]),  # 76.5 rounds half to even
        ([[-0.5, 2.0, 0]], ["0x80fe00ff"]),  # out of range wraps like 0.41
        (0xFF0000FF, ["0xff0000ff"]),
        ([0xFF0000FF, 0x00FF00FF], ["0xff0000ff", "0xff00ff"]),
        (np.array([255, 0, 0], np.uint8), ["0xff0000ff"]),
        (np.array([255, 0, 0], np.uint32), ["0xff", "0x0", "0x0"]),
        (np.array([[1, 2, 3], [4, 5, 6]]), ["0x10203ff", "0x40506ff"]),
    ],
)
def test_colors(data: object, expected: list[str]) -> None:
    assert packed(data) == expected


def test_vectors_accept_flat_and_nested() -> None:
    vec3 = pa.list_(pa.field("item", pa.float32(), nullable=False), 3)
    assert convert.fixed_vector([1, 2, 3], vec3).to_pylist() == [[1, 2, 3]]
    assert convert.fixed_vector(np.arange(6), vec3).to_pylist() == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(ValueError, match="multiple of 3"):
        convert.fixed_vector([1, 2], vec3)


def test_enums_by_member_name_or_number() -> None:
    to_fill_mode = convert.enum_of(rr.components.FillMode)
    assert to_fill_mode("solid", pa.uint8()).to_pylist() == [3]
    assert to_fill_mode(["Solid", rr.components.FillMode.DenseWireframe, 1], pa.uint8()).to_pylist() == [
        3,
        2,
        1,
    ]
    with pytest.raises(ValueError, match="not a FillMode"):
        to_fill_mode("major_wireframe", pa.uint8())


def test_bad_field_warns_and_keeps_an_empty_batch() -> None:
    rr.set_strict_mode(False)
    try:
        with pytest.warns(rr.RerunWarning, match="Position3DBatch"):
            points = rr.Points3D([[1, 2]], colors=[255, 0, 0])
    finally:
        rr.set_strict_mode(True)
    batches = {
        b.component_descriptor().component: len(b.as_arrow_array()) for b in points.as_component_batches()
    }
    assert batches == {"Points3D:positions": 0, "Points3D:colors": 1}


def test_strict_mode_raises() -> None:
    rr.set_strict_mode(True)
    with pytest.raises(ValueError, match="multiple of 3"):
        rr.Points3D([[1, 2]])


def test_view_coordinates_constants_are_component_values_usable_everywhere() -> None:
    """0.41 shares the constants between archetype and component, so both uses below must work."""
    import rerun as rr

    assert rr.ViewCoordinates.RDF is rr.components.ViewCoordinates.RDF
    (batch,) = rr.ViewCoordinates.RIGHT_HAND_Z_UP.as_component_batches()
    assert str(batch.descriptor) == "ViewCoordinates:xyz"
    assert batch.descriptor.archetype == "rerun.archetypes.ViewCoordinates"
    assert batch.as_arrow_array().to_pylist() == [[3, 5, 1]]
    pinhole = rr.Pinhole(focal_length=100, resolution=[64, 48], camera_xyz=rr.ViewCoordinates.RDF)
    assert pinhole.camera_xyz.to_pylist() == [[3, 2, 5]]
