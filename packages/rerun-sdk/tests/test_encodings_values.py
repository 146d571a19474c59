"""Datatype and component values: their conveniences, Arrow forms, and use wherever batches are taken."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest

import rerun as rr
import rerun.blueprint as rrb

E = rr.encodings
C = rr.components


def test_angles_and_rotations() -> None:
    assert E.Angle(deg=180).radians == pytest.approx(math.pi)
    assert E.Angle(rad=2.0) == E.Angle(2.0)
    with pytest.raises(ValueError, match="`rad` or `deg`"):
        E.Angle()
    rotation = E.RotationAxisAngle([0, 0, 1], degrees=90)
    assert rotation.angle == E.Angle(deg=90) and isinstance(rotation.axis, E.Vec3D)
    assert E.RotationAxisAngle([0, 0, 1], 0.5).angle == E.Angle(rad=0.5)
    with pytest.raises(ValueError, match="exactly one of angle, radians, or degrees"):
        E.RotationAxisAngle([0, 0, 1], 1.0, degrees=2)
    assert E.RotationAxisAngle([1, 0, 0], radians=1).as_arrow_value() == {"axis": [1, 0, 0], "angle": 1.0}
    assert E.Quaternion.identity().as_vector() == [0, 0, 0, 1]


def test_matrices_from_rows_or_columns() -> None:
    rows = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert E.Mat3x3(rows).flat_columns.tolist() == [1, 4, 7, 2, 5, 8, 3, 6, 9]
    assert E.Mat3x3(columns=rows).flat_columns.tolist() == list(range(1, 10))
    assert E.Mat4x4(np.eye(4)).flat_columns.tolist() == np.eye(4).ravel().tolist()
    with pytest.raises(ValueError, match="both columns and rows"):  # strict: misuse raises
        E.Mat3x3(rows, columns=rows)


def test_matrices_in_archetypes_are_given_by_rows() -> None:
    (matrix,) = rr.Transform3D(mat3x3=[[1, 2, 3], [4, 5, 6], [7, 8, 9]]).as_component_batches()
    assert matrix.as_arrow_array().to_pylist() == [[1, 4, 7, 2, 5, 8, 3, 6, 9]]
    pinhole = rr.Pinhole(focal_length=100, width=640, height=480)
    (intrinsics,) = [
        b for b in pinhole.as_component_batches() if "image_from_camera" in b.descriptor.component
    ]
    assert intrinsics.as_arrow_array().to_pylist() == [[100, 0, 0, 0, 100, 0, 320, 240, 1]]  # column-major


def test_colors_from_channels_or_packed() -> None:
    assert E.Rgba32([255, 0, 0]).rgba == 0xFF0000FF
    assert E.Rgba32((1, 2, 3, 4)).rgba == 0x01020304
    assert E.Rgba32([1.0, 0.5, 0.0]).rgba == 0xFF8000FF
    assert int(E.Rgba32(0x00FF00FF)) == 0x00FF00FF
    with pytest.raises(ValueError, match="length of 3 or 4"):
        E.Rgba32([1, 2])
    assert repr(C.Color([255, 0, 0])) == "Color(rgba=4278190335)"
    assert C.ColorBatch([C.Color([255, 0, 0]), 0xFF]).as_arrow_array().to_pylist() == [0xFF0000FF, 0xFF]
    flat_rgba = np.array([1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0])  # longer flat channels: RGBA quadruples
    assert C.ColorBatch(flat_rgba).as_arrow_array().to_pylist() == [0xFF0000FF, 0x00FF00FF]


def test_times() -> None:
    assert E.TimeInt(seq=3).value == 3 and E.TimeInt(seconds=1.5).value == 1_500_000_000
    with pytest.raises(ValueError, match="Exactly one of"):
        E.TimeInt(seq=1, nanos=2)
    assert E.AbsoluteTimeRange(1, E.TimeInt(nanos=5)).as_arrow_value() == {"min": 1, "max": 5}
    boundary = E.TimeRangeBoundary.cursor_relative(seconds=-1)
    assert boundary.as_arrow_value() == {"CursorRelative": -1_000_000_000}
    assert E.TimeRangeBoundary.infinite().as_arrow_value() == {"Infinite": None}
    with pytest.raises(ValueError, match="Exactly one of 'time'"):
        E.TimeRangeBoundary.absolute()
    assert C.VideoTimestamp(seconds=2).timestamp_ns == 2_000_000_000
    assert C.Timestamp(seq=4) == C.Timestamp(seq=4)


def test_ranges_and_planes() -> None:
    assert E.Range1DBatch(slice(2, 5)).as_arrow_array().to_pylist() == [[2.0, 5.0]]
    with pytest.raises(ValueError, match="Steps other than 1"):
        E.Range1DBatch(slice(0, 10, 2), strict=True)
    assert E.Range2D([0, 1], (2, 3)).as_arrow_value() == {"x_range": [0.0, 1.0], "y_range": [2.0, 3.0]}
    assert E.Plane3D.XY.normal().tolist() == [0, 0, 1]
    assert E.Plane3D([1, 0, 0], 2).with_distance(3).xyzd.tolist() == [1, 0, 0, 3]


def test_tensors() -> None:
    data = E.TensorData(array=np.arange(6, dtype=np.uint16).reshape(2, 3), dim_names=["h", "w"])
    assert data.shape.tolist() == [2, 3] and data.names == ["h", "w"]
    assert np.array_equal(np.asarray(data), np.arange(6).reshape(2, 3))
    assert data.buffer.as_arrow_value() == {"U16": [0, 1, 2, 3, 4, 5]}
    with pytest.raises(ValueError, match="one of 'array' or 'buffer'"):
        E.TensorData()
    with pytest.raises(ValueError, match="dim_names"):  # strict: the mismatch raises
        E.TensorData(array=np.zeros(3), dim_names=["a", "b"])
    with pytest.raises(ValueError, match="Shape and buffer size do not match"):
        E.TensorData(shape=[2, 2], buffer=np.zeros(3))
    batch = E.TensorBufferBatch([np.zeros(2, np.float16), E.TensorBuffer([1, 2])]).as_arrow_array()
    assert batch.type == E.TensorBuffer.arrow_type() and len(batch) == 2


def test_annotations() -> None:
    description = E.ClassDescription(
        info=(1, "person"), keypoint_annotations=[0, (1, "head")], keypoint_connections=[(0, 1)]
    )
    assert description.info == E.AnnotationInfo(1, "person")
    assert description.keypoint_connections == [E.KeypointPair(0, 1)]
    elem = E.ClassDescriptionMapElem._coerce((2, "car", [255, 0, 0]))
    assert int(elem.class_id) == 2 and elem.class_description.info.color == E.Rgba32([255, 0, 0])
    context = C.AnnotationContext([(1, "a"), description])
    assert len(context) == 2
    assert (
        rr.AnnotationContext(context)
        .as_component_batches()[0]
        .as_arrow_array()
        .equals(rr.AnnotationContext([(1, "a"), description]).as_component_batches()[0].as_arrow_array())
    )
    assert C.KeyValuePairs({"a": "b"}).pairs == [E.Utf8Pair("a", "b")]


def test_component_values_are_batches_of_one() -> None:
    position = C.Position3D([1, 2, 3])
    assert position.component_type() == "rerun.components.Position3D"
    assert position.as_arrow_array().to_pylist() == [[1, 2, 3]]
    assert C.Text("hi").as_arrow_array().to_pylist() == ["hi"]
    assert C.Visible(False).as_arrow_array().to_pylist() == [False]
    assert C.Blob(b"ab").as_arrow_array().to_pylist() == [[97, 98]]
    assert C.LineStrip2D([[0, 0], [1, 1]]).as_arrow_array().to_pylist() == [[[0, 0], [1, 1]]]
    assert C.Scale3D(2).xyz.tolist() == [2, 2, 2] and C.ClearIsRecursive().value is True
    assert C.ViewCoordinates.RDF.as_arrow_array().to_pylist() == [[3, 2, 5]]
    with pytest.raises(TypeError):
        C.Position3D(1, 2, 3)  # type: ignore[call-arg]


def test_archetypes_take_component_and_datatype_values() -> None:
    points = rr.Points3D(
        [C.Position3D([1, 2, 3]), E.Vec3D([4, 5, 6])], colors=C.Color([255, 0, 0]), radii=C.Radius(2)
    )
    plain = rr.Points3D([[1, 2, 3], [4, 5, 6]], colors=[255, 0, 0], radii=2)
    for ours, theirs in zip(points.as_component_batches(), plain.as_component_batches(), strict=True):
        assert ours.as_arrow_array().equals(theirs.as_arrow_array())
    text = rr.TextLog(C.Text("hello"), level=C.TextLogLevel("WARN"))
    assert [b.as_arrow_array().to_pylist() for b in text.as_component_batches()] == [["hello"], ["WARN"]]


def test_struct_batches_coerce_their_items() -> None:
    batch = E.AnnotationInfoBatch([(1, "a"), 2, E.AnnotationInfo(3, color=[1, 2, 3])]).as_arrow_array()
    assert batch.to_pylist() == [
        {"id": 1, "label": "a", "color": None},
        {"id": 2, "label": None, "color": None},
        {"id": 3, "label": None, "color": 0x010203FF},
    ]
    assert E.Utf8PairBatch([("a", "b")]).as_arrow_array().type == E.Utf8Pair.arrow_type()
    assert len(E.Vec3DBatch(None)) == 0 and E.Vec3DBatch([[1, 2, 3]]) == E.Vec3DBatch(E.Vec3D([1, 2, 3]))


def test_bad_batches_warn_unless_strict() -> None:
    rr.set_strict_mode(False)
    try:
        with pytest.warns(rr.RerunWarning, match="Vec3DBatch"):
            batch = E.Vec3DBatch([[1, 2]])
        assert len(batch) == 0 and batch.as_arrow_array().type == E.Vec3D.arrow_type()
    finally:
        rr.set_strict_mode(True)


def test_values_compare_like_0_41() -> None:
    assert (E.Vec3D([1, 2, 3]) == E.Vec3D([1, 2, 3])).all()
    assert E.Utf8("a") != "a" and C.Color(1) != E.Rgba32(1)
    assert hash(E.UInt32(5)) == 5 and {E.Utf8("x"), E.Utf8("x")} == {E.Utf8("x")}
    with pytest.raises(TypeError):
        hash(E.Vec2D([1, 2]))
    assert isinstance(rrb.components.VisualBounds2D(x_range=[0, 1], y_range=[2, 3]), E.Range2D)
    assert pa.types.is_struct(rrb.components.VisualBounds2D.arrow_type())
