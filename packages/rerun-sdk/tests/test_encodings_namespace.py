"""``rr.encodings``: every 0.41 datatype, loaded lazily; ``rr.datatypes``, its deprecated alias."""

from __future__ import annotations

import enum
import subprocess
import sys

import pytest

import rerun as rr
import rerun.blueprint as rrb

DATATYPES = [
    "AbsoluteTimeRange", "Angle", "AnnotationInfo", "Blob", "Bool", "ChannelCountPair", "ChannelDatatype",
    "ClassDescription", "ClassDescriptionMapElem", "ClassId", "ColorModel", "DVec2D", "EntityPath",
    "Float32", "Float64", "IVec3D", "ImageFormat", "KeypointId", "KeypointPair", "Mat3x3", "Mat4x4",
    "PixelFormat", "Plane3D", "Quaternion", "Range1D", "Range2D", "Rgba32", "RotationAxisAngle",
    "SphericalHarmonics3Rgb", "TensorBuffer", "TensorData", "TensorDimensionIndexSelection",
    "TensorDimensionSelection", "TimeInt", "TimeRange", "TimeRangeBoundary", "UInt16", "UInt32", "UInt64",
    "UVec2D", "UVec3D", "UVec4D", "Utf8", "Utf8Pair", "Uuid", "Vec2D", "Vec3D", "Vec4D", "VideoTimestamp",
    "ViewCoordinates", "ViewDir", "VisibleTimeRange",
]  # fmt: skip


def test_every_datatype_has_a_batch_and_type_aliases() -> None:
    assert len(DATATYPES) == 52
    expected = {f"{name}{suffix}" for name in DATATYPES for suffix in ("", "Batch", "Like", "ArrayLike")}
    assert set(rr.encodings.__all__) == expected
    for name in rr.encodings.__all__:
        assert getattr(rr.encodings, name) is not None, name
    assert set(dir(rr.encodings)) >= expected


def test_enums_are_the_generated_ones() -> None:
    for name in ("ChannelDatatype", "ColorModel", "PixelFormat", "ViewDir"):
        assert issubclass(getattr(rr.encodings, name), enum.Enum)
    assert rr.encodings.ColorModel is rr.ColorModel
    assert rr.components.MarkerShape.auto("CIRCLE") is rr.components.MarkerShape.Circle
    with pytest.raises(ValueError, match="Cannot convert 99 to ViewDir"):
        rr.encodings.ViewDir.auto(99)


def test_shared_objects() -> None:
    assert rrb.TimeRange is rr.encodings.TimeRange is rr.TimeRange
    assert rrb.TimeRangeBoundary is rr.encodings.TimeRangeBoundary
    assert rrb.VisibleTimeRange is rr.encodings.VisibleTimeRange
    assert rr.Angle is rr.encodings.Angle and rr.TensorData is rr.encodings.TensorData
    assert rr.TensorDimensionIndexSelection is rr.components.TensorDimensionIndexSelection
    assert rr.Box2DFormat.XYWH.value == "XYWH" and "Box2DFormat" not in rr.encodings.__all__


def test_blueprint_classes_carry_their_public_names() -> None:
    assert repr(rrb.components.ViewOrigin("/a")) == "ViewOrigin(path='/a')"
    assert rrb.components.ViewOrigin.__module__ == "rerun.blueprint.components"
    assert repr(rrb.components.PanelState.Hidden) == "<PanelState.Hidden: 1>"


def test_importing_encodings_loads_nothing_heavy() -> None:
    probe = "import sys, rerun.encodings; print(sorted(m for m in ('numpy', 'pyarrow') if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def _forget_datatypes() -> None:
    sys.modules.pop("rerun.datatypes", None)
    rr.__dict__.pop("datatypes", None)


def test_datatypes_is_a_deprecated_alias() -> None:
    _forget_datatypes()
    try:
        with pytest.warns(DeprecationWarning, match="Use `rerun.encodings` instead") as caught:
            datatypes = rr.datatypes
        assert caught[0].filename == __file__  # points at the user's line
        assert datatypes.Vec3D is rr.encodings.Vec3D
        assert datatypes.__all__ == rr.encodings.__all__
        assert "datatypes" not in rr.__all__
    finally:
        _forget_datatypes()


def test_importing_datatypes_warns_once() -> None:
    _forget_datatypes()
    try:
        with pytest.warns(DeprecationWarning):
            from rerun.datatypes import Angle
        assert Angle is rr.encodings.Angle
        import rerun.datatypes  # noqa: F401 - already imported: no second warning
    finally:
        _forget_datatypes()
