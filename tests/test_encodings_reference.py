"""Our datatypes and component values against the reference 0.41: same calls, same values, same Arrow.

Every case is a Python expression valid for both SDKs. One reference subprocess evaluates them all
and reports, per case, ``repr()`` of the value and its Arrow array (an IPC stream of one column)
where it has one (``as_arrow_array()``: batches, and component values as batches of one).
"""

from __future__ import annotations

import base64
import inspect
import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

import rerun as rr
import rerun.blueprint as rrb
from _support import run_reference

pytestmark = pytest.mark.reference

# Values: compared by ``repr``; component values also by Arrow form (a batch of one).
VALUES = [
    "E.AbsoluteTimeRange(1, 2)", "E.AbsoluteTimeRange(E.TimeInt(seq=1), E.TimeInt(nanos=5))",
    "E.Angle(deg=90)", "E.Angle(rad=1)", "E.Angle(1.5)", "E.AnnotationInfo(1)",
    "E.AnnotationInfo(1, 'a', [255, 0, 0])", "E.AnnotationInfo(id=2, label='x', color=0x00FF00FF)",
    "E.Blob(b'abc')", "E.Blob([1, 2, 3])", "E.Blob(np.array([1, 2], np.uint16))", "E.Bool(True)", "E.Bool(0)",
    "E.ChannelCountPair(1, 2)", "E.ClassDescription(info=(1, 'a'))",
    "E.ClassDescription(info=1, keypoint_annotations=[(1, 'x')], keypoint_connections=[(1, 2)])",
    "E.ClassDescription(info=E.AnnotationInfo(3, 'c', [1, 2, 3]), keypoint_annotations=[0, (1, 'b', [9, "
    "9, 9, 9])])",
    "E.ClassDescriptionMapElem(1, E.ClassDescription(info=1))", "E.ClassId(3)", "E.DVec2D([1, 2])",
    "E.EntityPath('a/b')", "E.Float32(1.5)", "E.Float32(np.float32(1.1))", "E.Float64(2)",
    "E.IVec3D([1, 2, 3])", "E.ImageFormat(2, 3, color_model='RGB', channel_datatype='U8')",
    "E.ImageFormat(4, 5, pixel_format=E.PixelFormat.NV12)",
    "E.ImageFormat(4, 5, color_model=2, channel_datatype=E.ChannelDatatype.F32)", "E.KeypointId(7)",
    "E.KeypointPair(1, 2)", "E.Mat3x3([[1, 2, 3], [4, 5, 6], [7, 8, 9]])",
    "E.Mat3x3(columns=[[1, 2, 3], [4, 5, 6], [7, 8, 9]])", "E.Mat3x3([1, 2, 3, 4, 5, 6, 7, 8, 9])",
    "E.Mat3x3(E.Mat3x3(np.eye(3)))", "E.Mat4x4(np.arange(16).reshape(4, 4))",
    "E.Mat4x4(columns=np.arange(16))", "E.Plane3D([0, 0, 1], 5)", "E.Plane3D([1, 0, 0])", "E.Plane3D.XY",
    "E.Plane3D.YZ.with_distance(2)", "E.Quaternion(xyzw=[0, 0, 0, 1])", "E.Quaternion.identity()",
    "E.Quaternion.invalid()", "E.Range1D([0, 10])", "E.Range2D([0, 1], [2, 3])",
    "E.Range2D(x_range=E.Range1D([1, 2]), y_range=(3, 4))", "E.Rgba32([255, 0, 0])", "E.Rgba32(0xFF0000FF)",
    "E.Rgba32([1.0, 0.5, 0.0])", "E.Rgba32((1, 2, 3, 4))", "E.Rgba32(np.array([10, 20, 30], np.uint8))",
    "E.Rgba32(np.array([0.1, 0.2, 0.3, 0.4]))", "E.Rgba32(E.Rgba32(5))",
    "E.RotationAxisAngle([0, 0, 1], degrees=90)", "E.RotationAxisAngle([0, 0, 1], E.Angle(deg=90))",
    "E.RotationAxisAngle([0, 0, 1], 1.0)", "E.RotationAxisAngle(axis=[1, 0, 0], radians=0.5)",
    "E.SphericalHarmonics3Rgb(np.arange(45).reshape(15, 3) / 10)",
    "E.TensorBuffer(np.array([1, 2], np.uint8))", "E.TensorBuffer([1.5, 2.5])",
    "E.TensorBuffer(np.zeros((2, 2), np.int16))",
    "E.TensorData(array=np.zeros((2, 2), np.float32), dim_names=['a', 'b'])",
    "E.TensorData(array=[[1, 2], [3, 4]])",
    "E.TensorData(shape=[2, 3], buffer=np.arange(6, dtype=np.uint16))",
    "E.TensorDimensionIndexSelection(1, 2)", "E.TensorDimensionSelection(1)",
    "E.TensorDimensionSelection(2, invert=True)", "E.TimeInt(seq=5)", "E.TimeInt(seconds=1.5)",
    "E.TimeInt(nanos=7)", "E.TimeRange(E.TimeRangeBoundary.infinite(), E.TimeRangeBoundary.absolute(seq=3))",
    "E.TimeRange(start=E.TimeRangeBoundary.cursor_relative(seconds=-1), "
    "end=E.TimeRangeBoundary.cursor_relative())",
    "E.TimeRangeBoundary.cursor_relative(seq=3)", "E.TimeRangeBoundary.cursor_relative(E.TimeInt(nanos=9))",
    "E.TimeRangeBoundary.infinite()", "E.TimeRangeBoundary.absolute(seconds=1.0)",
    "E.TimeRangeBoundary.absolute(E.TimeInt(seq=4))", "E.TimeRangeBoundary(E.TimeInt(seq=1), 'absolute')",
    "E.UInt16(3)", "E.UInt32(5)", "E.UInt64(2**40)", "E.UVec2D([1, 2])", "E.UVec3D([1, 2, 3])",
    "E.UVec4D([1, 2, 3, 4])", "E.Utf8('hi')", "E.Utf8Pair('a', 'b')", "E.Utf8Pair(E.Utf8('a'), 'b')",
    "E.Uuid(bytes=bytes(range(16)))", "E.Uuid(b'0123456789abcdef')", "E.Vec2D([1, 2])", "E.Vec3D([1, 2, 3])",
    "E.Vec3D(np.array([1, 2, 3]))", "E.Vec4D((1, 2, 3, 4))", "E.VideoTimestamp(5)",
    "E.ViewCoordinates([1, 2, 3])", "E.ViewCoordinates(['Right', 'Down', 'Forward'])",
    "E.ViewCoordinates(np.array([3, 2, 5]))",
    "E.VisibleTimeRange('t', start=E.TimeRangeBoundary.infinite(), end=E.TimeRangeBoundary.absolute(seq=3))",
    "E.VisibleTimeRange('t', E.TimeRange(E.TimeRangeBoundary.absolute(nanos=1), "
    "E.TimeRangeBoundary.infinite()))",
    "E.ColorModel.auto('rgb')", "E.ChannelDatatype.auto(35)", "E.PixelFormat.NV12", "E.ViewDir.auto('back')",
    "C.Color([255, 0, 0])", "C.Color(0x00FF00FF)", "C.Position3D([1, 2, 3])",
    "C.Position2D(np.array([1, 2]))", "C.Radius(2)", "C.Text('hi')", "C.Scale3D(2)", "C.Scale3D([1, 2, 3])",
    "C.Scale3D()", "C.ClearIsRecursive()", "C.ClearIsRecursive(False)", "C.Timestamp(seconds=1)",
    "C.VideoTimestamp(seconds=1)", "C.VideoTimestamp(nanoseconds=5)", "C.RotationQuat(xyzw=[0, 0, 0, 1])",
    "C.RotationAxisAngle([0, 1, 0], degrees=45)", "C.Plane3D([0, 0, 1], 2)",
    "C.ImageFormat(2, 3, color_model='L', channel_datatype='U8')",
    "C.TransformMat3x3([[1, 0, 0], [0, 1, 0], [0, 0, 1]])", "C.PinholeProjection(columns=np.eye(3))",
    "C.Blob(b'ab')", "C.ViewCoordinates([1, 2, 3])", "C.ViewCoordinates.RDF",
    "C.ViewCoordinates.RIGHT_HAND_Y_UP", "C.ClassId(2)", "C.KeypointId(4)", "C.HalfSize3D([1, 2, 3])",
    "C.Vector2D([1, 2])", "C.Translation3D([1, 2, 3])", "C.TriangleIndices([0, 1, 2])",
    "C.VoxelIndex([1, 2, 3])", "C.LatLon([1.5, 2.5])", "C.Range1D([0, 1])", "C.ValueRange([0, 1])",
    "C.Resolution([640, 480])", "C.Texcoord2D([0.5, 0.5])", "C.DrawOrder(3)", "C.Opacity(0.5)",
    "C.Scalar(1.25)", "C.Name('x')", "C.MediaType('image/png')", "C.GraphNode('n')", "C.GraphEdge('a', 'b')",
    "C.ShowLabels(True)", "C.Visible(False)", "C.Count(3)", "C.AlbedoFactor([1.0, 1.0, 1.0])",
    "C.TensorData(array=np.zeros(3))", "C.TensorWidthDimension(1)", "C.TensorHeightDimension(0, invert=True)",
    "C.TensorDimensionIndexSelection(1, 2)", "C.SphericalHarmonics3Rgb(np.ones((15, 3)))", "C.Bool(True)",
    "C.Url('https://rerun.io')", "C.KeyValuePairs({'a': 'b'})", "C.KeyValuePairs([('a', 'b'), ('c', 'd')])",
    "C.AnnotationContext([(1, 'a')])", "C.AnnotationContext([E.ClassDescription(info=(2, 'b', [1, 2, 3]))])",
    "C.ChannelMessageCounts([E.ChannelCountPair(1, 2)])", "B.VisualBounds2D(x_range=[0, 1], y_range=[2, 3])",
    "B.ViewOrigin('/world')", "B.RootContainer(bytes(16))", "B.TimeInt(seq=3)", "B.AbsoluteTimeRange(1, 2)",
    "B.ColumnShare(1.5)", "B.Enabled(True)",
    "B.VisibleTimeRange('t', start=E.TimeRangeBoundary.infinite(), end=E.TimeRangeBoundary.infinite())",
    "B.TimelineColumn('step')", "B.TimelineColumn('step', visible=False)", "B.ColumnType(component='a')",
    "B.FilterByRange(1, 2)", "B.TensorDimensionIndexSlider(3)",
    "rrb.TimeRangeBoundary.cursor_relative(seq=-10)", "B.ComponentColumnSelector('/a/b:Points3D')",
    "B.ComponentColumnSelector(entity_path='a', component='X')",
]  # fmt: skip

# How values behave: conversions, comparisons, helpers, and which objects are shared (by ``repr``).
BEHAVIOUR = [
    "int(E.Rgba32([255, 0, 0]))", "float(E.Angle(deg=180))", "float(E.Float64(2))",
    "int(E.TimeInt(seconds=2))", "bool(E.Bool(False))", "str(E.Utf8('x'))", "str(E.EntityPath('/a'))",
    "len(E.Vec3D([1, 2, 3]))", "len(E.ViewCoordinates([1, 2, 3]))", "len(E.Blob(b'abcd'))",
    "hash(E.UInt32(5))", "hash(E.Utf8('x')) == hash('x')", "np.asarray(E.Mat3x3(np.arange(9).reshape(3, 3)))",
    "np.asarray(E.Float32(1.5))", "np.asarray(E.ClassId(3)).dtype",
    "np.asarray([E.Vec2D([1, 2]), E.Vec2D([3, 4])])", "E.Vec3D([1, 2, 3]) == E.Vec3D([1, 2, 3])",
    "E.Float32(1) == E.Float32(1)", "E.Float32(1) != E.Float32(2)", "E.Utf8('a') == 'a'",
    "E.Vec3D([1, 2, 3]) == [1, 2, 3]", "E.Utf8Pair('a', 'b') == E.Utf8Pair('a', 'b')",
    "E.KeypointPair(1, 2) == E.KeypointPair(1, 3)", "E.Plane3D([0, 0, 1], 2).normal()",
    "E.Plane3D([0, 0, 1], 2).distance()", "E.TensorData(array=np.arange(6).reshape(2, 3)).numpy(True)",
    "E.ChannelDatatype.from_np_dtype(np.dtype(np.float32))", "E.ChannelDatatype.F16.to_np_dtype()",
    "E.ColorModel.BGRA.num_channels()", "str(E.ColorModel.RGB)", "E.PixelFormat.auto(26)",
    "C.MarkerShape.auto('circle')", "rrb.components.PanelState.Hidden",
    "C.Color([255, 0, 0]).component_type()", "C.Position3D.arrow_type()",
    "B.ViewOrigin('/a').component_type()", "C.Color([1, 2, 3]) == C.Color([1, 2, 3])",
    "C.Color([1, 2, 3]) == E.Rgba32([1, 2, 3])", "C.ClassId(2) == 2", "isinstance(C.Color(1), E.Rgba32)",
    "isinstance(C.Position3D([1, 2, 3]), E.Vec3D)", "hash(C.Color(7))",
    "E.Vec3DBatch([[1, 2, 3]]) == E.Vec3DBatch([[1, 2, 3]])", "len(E.Vec3DBatch([[1, 2, 3], [4, 5, 6]]))",
    "len(C.ColorBatch([[255, 0, 0], [0, 255, 0]]))", "E.Rgba32Batch.__mro__[0].__name__",
    "rr.TimeInt is E.TimeInt", "rr.Angle is E.Angle", "rrb.TimeRange is E.TimeRange",
    "rrb.VisibleTimeRange is E.VisibleTimeRange",
    "rr.TensorDimensionIndexSelection is C.TensorDimensionIndexSelection", "rr.Radius is C.Radius",
    "rr.TensorData is E.TensorData", "rr.ChannelDatatype is E.ChannelDatatype",
]  # fmt: skip

# Batches: compared by their Arrow arrays (type with nullability, and values).
BATCHES = [
    "E.Vec3DBatch([[1, 2, 3], [4, 5, 6]])", "E.Vec3DBatch(np.arange(6).reshape(2, 3))",
    "E.Vec3DBatch(E.Vec3D([1, 2, 3]))", "E.Vec3DBatch([E.Vec3D([1, 2, 3]), E.Vec3D([4, 5, 6])])",
    "E.Vec2DBatch([[1, 2]])", "E.Vec4DBatch([1, 2, 3, 4])", "E.DVec2DBatch([[1.5, 2.5], [3, 4]])",
    "E.IVec3DBatch([[1, 2, 3]])", "E.UVec2DBatch([[1, 2]])", "E.UVec3DBatch([[1, 2, 3], [4, 5, 6]])",
    "E.UVec4DBatch([1, 2, 3, 4])", "E.Float32Batch([1.5, 2])", "E.Float32Batch(3)",
    "E.Float32Batch([E.Float32(1), E.Float32(2)])", "E.Float64Batch(np.array([1.0, 2.0]))",
    "E.BoolBatch([True, False])", "E.BoolBatch(True)", "E.UInt16Batch([1, 2])", "E.UInt32Batch(5)",
    "E.UInt64Batch([2**40])", "E.ClassIdBatch([1, 2, 3])", "E.KeypointIdBatch(4)",
    "E.TimeIntBatch([E.TimeInt(seq=1), E.TimeInt(seconds=2)])", "E.VideoTimestampBatch([1, 2])",
    "E.Utf8Batch(['a', 'b'])", "E.Utf8Batch('a')", "E.Utf8Batch([E.Utf8('x')])", "E.EntityPathBatch(['a/b'])",
    "E.Rgba32Batch([[255, 0, 0], [0, 255, 0]])", "E.Rgba32Batch(0xFF0000FF)",
    "E.Rgba32Batch([0xFF0000FF, 0x00FF00FF])", "E.Rgba32Batch(E.Rgba32([1, 2, 3]))",
    "E.Rgba32Batch([E.Rgba32([1, 2, 3]), E.Rgba32(7)])", "E.Rgba32Batch(np.array([[0.1, 0.2, 0.3]]))",
    "E.Rgba32Batch(np.array([[1, 2, 3, 4], [5, 6, 7, 8]], np.uint8))",
    "E.AngleBatch([E.Angle(deg=90), E.Angle(rad=1)])", "E.AngleBatch([0.5, 1.5])", "E.BlobBatch(b'abc')",
    "E.BlobBatch([b'ab', b'cde'])", "E.BlobBatch(E.Blob(b'xyz'))",
    "E.BlobBatch([E.Blob(b'x'), E.Blob(b'yz')])", "E.BlobBatch(np.array([1, 2, 3], np.uint8))",
    "E.UuidBatch(bytes(range(16)))", "E.UuidBatch([E.Uuid(bytes(16))])",
    "E.QuaternionBatch(E.Quaternion(xyzw=[0, 0, 0, 1]))", "E.QuaternionBatch([[0, 0, 0, 1], [1, 0, 0, 0]])",
    "E.Mat3x3Batch(E.Mat3x3(np.arange(9).reshape(3, 3)))", "E.Mat4x4Batch(E.Mat4x4(columns=np.arange(16)))",
    "E.Mat3x3Batch([[1, 2, 3], [4, 5, 6], [7, 8, 9]])", "E.Mat4x4Batch(np.arange(16))",
    "C.PinholeProjectionBatch([[1, 0, 5], [0, 1, 6], [0, 0, 1]])",
    "C.TransformMat3x3Batch(np.arange(18).reshape(2, 9))",
    "C.TransformMat3x3Batch([C.TransformMat3x3(columns=np.arange(9)), E.Mat3x3(np.eye(3))])",
    "C.TransformMat3x3Batch([np.arange(9).reshape(3, 3), np.eye(3)])",
    "E.Plane3DBatch(E.Plane3D([0, 0, 1], 2))", "E.Plane3DBatch([[0, 0, 1, 2], [1, 0, 0, 3]])",
    "E.Range1DBatch([[0, 1], [2, 3]])", "E.Range1DBatch(slice(0, 10))", "E.Range1DBatch(E.Range1D([5, 6]))",
    "E.Range2DBatch(E.Range2D([0, 1], [2, 3]))",
    "E.Range2DBatch([E.Range2D([0, 1], [2, 3]), E.Range2D([4, 5], [6, 7])])",
    "E.SphericalHarmonics3RgbBatch(np.arange(90).reshape(2, 15, 3))",
    "E.SphericalHarmonics3RgbBatch(E.SphericalHarmonics3Rgb(np.ones((15, 3))))",
    "E.ViewCoordinatesBatch(E.ViewCoordinates([1, 2, 3]))", "E.ViewCoordinatesBatch([[3, 2, 5], [1, 2, 3]])",
    "E.ViewDirBatch(['Up', 'down', 3])", "E.ColorModelBatch('RGB')",
    "E.ChannelDatatypeBatch([E.ChannelDatatype.U8, 'f32'])", "E.PixelFormatBatch(E.PixelFormat.YUY2)",
    "E.AnnotationInfoBatch(E.AnnotationInfo(1, 'a', [255, 0, 0]))", "E.AnnotationInfoBatch([(1, 'a'), 2])",
    "E.KeypointPairBatch([(1, 2), E.KeypointPair(3, 4)])", "E.Utf8PairBatch([('a', 'b')])",
    "E.Utf8PairBatch(E.Utf8Pair('x', 'y'))", "E.ChannelCountPairBatch(E.ChannelCountPair(1, 2))",
    "E.ClassDescriptionBatch(E.ClassDescription(info=(1, 'a'), keypoint_connections=[(1, 2)]))",
    "E.ClassDescriptionBatch([E.ClassDescription(info=1), E.ClassDescription(info=(2, 'b', [1, 2, 3]), "
    "keypoint_annotations=[3])])",
    "E.ClassDescriptionMapElemBatch(E.ClassDescriptionMapElem(4, E.ClassDescription(info=4)))",
    "E.ImageFormatBatch(E.ImageFormat(2, 3, color_model='RGB', channel_datatype='U8'))",
    "E.ImageFormatBatch([E.ImageFormat(4, 5, pixel_format='NV12'), E.ImageFormat(1, 1, "
    "channel_datatype='F16')])",
    "E.RotationAxisAngleBatch(E.RotationAxisAngle([0, 0, 1], degrees=90))",
    "E.RotationAxisAngleBatch([E.RotationAxisAngle([0, 0, 1], 1.0), E.RotationAxisAngle([1, 0, 0], "
    "radians=2)])",
    "E.TensorDimensionIndexSelectionBatch(E.TensorDimensionIndexSelection(1, 2))",
    "E.TensorDimensionSelectionBatch([E.TensorDimensionSelection(1), E.TensorDimensionSelection(0, "
    "invert=True)])",
    "E.TensorDataBatch(E.TensorData(array=np.arange(6, dtype=np.float32).reshape(2, 3), dim_names=['h', "
    "'w']))",
    "E.TensorDataBatch(np.zeros((2, 2), np.uint8))",
    "E.TensorDataBatch(E.TensorData(array=np.arange(4, dtype=np.float16)))",
    "E.AbsoluteTimeRangeBatch(E.AbsoluteTimeRange(1, 2))",
    "E.TimeRangeBoundaryBatch([E.TimeRangeBoundary.infinite(), E.TimeRangeBoundary.absolute(seq=2)])",
    "E.TimeRangeBoundaryBatch(E.TimeRangeBoundary.cursor_relative(seconds=-1.5))",
    "E.TimeRangeBatch(E.TimeRange(E.TimeRangeBoundary.infinite(), E.TimeRangeBoundary.absolute(seq=3)))",
    "E.VisibleTimeRangeBatch(E.VisibleTimeRange('t', start=E.TimeRangeBoundary.cursor_relative(seq=-2), "
    "end=E.TimeRangeBoundary.infinite()))",
    "C.ColorBatch([C.Color([255, 0, 0]), C.Color(0xFF)])", "C.Position3DBatch([C.Position3D([1, 2, 3])])",
    "C.RadiusBatch([C.Radius(1), C.Radius(2)])", "C.TextBatch([C.Text('a'), C.Text('b')])",
    "C.BlobBatch(C.Blob(b'ab'))", "C.ImageBufferBatch([C.ImageBuffer(b'a'), C.ImageBuffer(b'bc')])",
    "C.KeyValuePairsBatch(C.KeyValuePairs({'a': 'b', 'c': 'd'}))",
    "C.AnnotationContextBatch(C.AnnotationContext([(1, 'a')]))",
    "C.SphericalHarmonics3RgbBatch(np.ones((2, 15, 3)))",
    "C.LineStrip3DBatch([C.LineStrip3D([[1, 2, 3], [4, 5, 6]])])",
    "C.GeoLineStringBatch([C.GeoLineString(lat_lon=[[1, 2], [3, 4]])])",
    # What users pass to component batches (and archetypes) most.
    "C.ColorBatch([[255, 0, 0, 128]])", "C.ColorBatch(np.array([[0.1, 0.2, 0.3]]))",
    "C.ColorBatch([0.5, 0.5, 0.5])", "C.ColorBatch(np.array([255, 0, 0], np.uint8))",
    "C.ColorBatch(np.array([1, 2, 3], np.uint32))", "C.ColorBatch([[1, 2, 3], [4, 5, 6]])",
    "C.ColorBatch(np.array([[1, 2, 3, 4], [5, 6, 7, 8]], np.float32) / 10)",
    "C.ColorBatch([0xFF0000FF, 0x00FF00FF, 0x0000FFFF, 0xFFFFFFFF, 0])",
    "C.ColorBatch(np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]))", "C.ColorBatch([])",
    "C.RadiusBatch(np.array([[1, 2], [3, 4]]))", "C.RadiusBatch(2)", "C.RadiusBatch([])",
    "C.TextBatch(np.array(['a', 'b']))", "C.TextBatch(['a', 'b'])", "C.Position3DBatch([])",
    "C.Position3DBatch(np.zeros((0, 3)))", "C.Position2DBatch([[1, 2], [3, 4]])",
    "C.LineStrip3DBatch([[[0, 0, 0], [1, 1, 1]], [[2, 2, 2], [3, 3, 3], [4, 4, 4]]])",
    "C.LineStrip2DBatch(np.zeros((3, 2)))", "C.LineStrip2DBatch([np.zeros((3, 2)), np.ones((1, 2))])",
    "C.RotationQuatBatch([[0, 0, 0, 1]])",
    "C.RotationAxisAngleBatch(E.RotationAxisAngle([0, 0, 1], degrees=10))",
    "C.ClassIdBatch(np.array([1, 2]))", "C.KeypointIdBatch([1])", "C.TensorDataBatch(np.zeros((2, 3)))",
    "C.ValueRangeBatch(slice(0, 5))", "C.Range1DBatch([0, 1])", "C.HalfSize3DBatch([[1, 2, 3]])",
    "C.Vector3DBatch(np.array([[1, 2, 3], [4, 5, 6]]))", "C.TriangleIndicesBatch([[0, 1, 2], [2, 3, 0]])",
    "C.Texcoord2DBatch([[0, 1]])", "C.ShowLabelsBatch(True)", "C.DrawOrderBatch(1)",
    "C.ScalarBatch(np.arange(3))", "C.NameBatch('x')", "C.GraphEdgeBatch([('a', 'b')])",
    "C.GraphNodeBatch(['a', 'b'])", "C.MediaTypeBatch('image/png')",
    "C.ImageFormatBatch(E.ImageFormat(2, 3, color_model='RGB', channel_datatype='U8'))",
    "C.BlobBatch(b'abc')", "C.BlobBatch([b'a', b'bc'])", "C.GeoLineStringBatch([[[1, 2], [3, 4]]])",
    "C.LatLonBatch([[1, 2]])", "C.KeyValuePairsBatch({'a': 'b'})",
    "C.KeyValuePairsBatch([{'a': 'b'}, {'c': 'd'}])",
    "C.AnnotationContextBatch([(1, 'a'), (2, 'b', [1, 2, 3])])",
    "C.ViewCoordinatesBatch(C.ViewCoordinates.RUB)", "C.Plane3DBatch(E.Plane3D.XY)",
    "C.Scale3DBatch([[1, 2, 3]])", "C.SphericalHarmonics3RgbBatch(np.zeros((1, 45)))",
    "C.TimestampBatch([1, 2])", "C.VideoTimestampBatch([1, 2])", "C.AlbedoFactorBatch([1.0, 0.5, 0.5])",
    "C.TransformRelationBatch('ChildFromParent')", "C.FillModeBatch(['solid', 'DenseWireframe'])",
    "C.VideoCodecBatch('H264')", "C.ColormapBatch(C.Colormap.Viridis)",
    "B.VisibleTimeRangeBatch(E.VisibleTimeRange('t', start=E.TimeRangeBoundary.infinite(), "
    "end=E.TimeRangeBoundary.absolute(seq=2)))",
    "B.RootContainerBatch(bytes(16))", "B.ColumnShareBatch([1, 2])", "B.PanelStateBatch('collapsed')",
]  # fmt: skip

# Component values are batches of one (0.41 cannot serialize these two kinds of value on their own).
NO_ARROW = ("C.AnnotationContext(", "C.ChannelMessageCounts(")
ARRAYS_OF_VALUES = [
    case for case in VALUES if case.startswith(("C.", "B.")) and not case.startswith(NO_ARROW)
]

REFERENCE_SCRIPT = r"""
import base64, enum, inspect, json, sys, warnings
import numpy as np, pyarrow as pa
import rerun as rr, rerun.blueprint as rrb
warnings.simplefilter("ignore")
rr.set_strict_mode(True)
namespace = {"rr": rr, "rrb": rrb, "np": np, "E": rr.encodings, "C": rr.components, "B": rrb.components}
values, arrays = json.loads(open(sys.argv[1]).read())

def ipc(array):
    sink = pa.BufferOutputStream()
    batch = pa.record_batch([array], names=["value"])
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return base64.b64encode(sink.getvalue().to_pybytes()).decode()

def run(case, arrow):
    try:
        value = eval(case, namespace)
        return {"repr": repr(value), "ipc": ipc(value.as_arrow_array()) if arrow else None}
    except Exception as err:
        return {"error": f"{type(err).__name__}: {err}"}

def signatures():
    out = {}
    for prefix, module in (("E", rr.encodings), ("C", rr.components), ("B", rrb.components)):
        for name in module.__all__:
            cls = getattr(module, name)
            plain = isinstance(cls, type) and not issubclass(cls, enum.Enum)
            if plain and not name.endswith(("Batch", "Like")):
                parameters = inspect.signature(cls.__init__).parameters.values()
                out[f"{prefix}.{name}"] = [[p.name, p.kind.name, repr(p.default)] for p in parameters]
    return out

names = {"E": rr.encodings.__all__, "C": rr.components.__all__, "B": rrb.components.__all__}
out = {"values": {c: run(c, False) for c in values}, "arrays": {c: run(c, True) for c in arrays},
       "names": {k: sorted(v) for k, v in names.items()}, "signatures": signatures()}
open(sys.argv[2], "w").write(json.dumps(out))
"""


@pytest.fixture(scope="module")
def reference(reference_python: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("encodings")
    cases, out = folder / "cases.json", folder / "out.json"
    cases.write_text(json.dumps([VALUES + BEHAVIOUR, BATCHES + ARRAYS_OF_VALUES]))
    result = run_reference(reference_python, "-c", REFERENCE_SCRIPT, cases, out, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def evaluate(case: str) -> Any:
    namespace = {"rr": rr, "rrb": rrb, "np": np, "E": rr.encodings, "C": rr.components, "B": rrb.components}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return eval(case, namespace)


def read_ipc(text: str) -> pa.Array:
    with pa.ipc.open_stream(base64.b64decode(text)) as reader:
        return reader.read_all().column("value").combine_chunks()


@pytest.mark.parametrize("case", VALUES + BEHAVIOUR)
def test_values_print_the_same(case: str, reference: dict[str, Any]) -> None:
    expected = reference["values"][case]
    assert "error" not in expected, expected
    assert repr(evaluate(case)) == expected["repr"]


@pytest.mark.parametrize("case", BATCHES + ARRAYS_OF_VALUES)
def test_arrow_arrays_are_the_same(case: str, reference: dict[str, Any]) -> None:
    expected = reference["arrays"][case]
    assert "error" not in expected, expected
    ours = evaluate(case).as_arrow_array()
    theirs = read_ipc(expected["ipc"])
    assert ours.type == theirs.type
    assert ours.to_pylist() == theirs.to_pylist()
    assert ours.equals(theirs)


def test_namespaces_export_the_same_names(reference: dict[str, Any]) -> None:
    ours = {"E": rr.encodings.__all__, "C": rr.components.__all__, "B": rrb.components.__all__}
    for key, names in reference["names"].items():
        assert sorted(ours[key]) == names, key
    assert len(rr.encodings.__all__) == 52 * 4


# ``ClassDescription`` defaults its lists to ``None`` rather than ``[]``.
NOT_LIKE_REFERENCE = {"E.ClassDescription"}


def test_constructors_take_the_same_parameters(reference: dict[str, Any]) -> None:
    namespace = {"E": rr.encodings, "C": rr.components, "B": rrb.components}
    for case, expected in reference["signatures"].items():
        if case in NOT_LIKE_REFERENCE:
            continue
        prefix, name = case.split(".")
        parameters = inspect.signature(getattr(namespace[prefix], name).__init__).parameters.values()
        assert [[p.name, p.kind.name, repr(p.default)] for p in parameters] == expected, case
