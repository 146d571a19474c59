"""Rerun 0.41's enums by name: the values their components (and struct fields) store, and each one's name.

Arrow stores an enum as a bare integer; the selection panel shows the name (``RGB``, not ``2``).
Keyed by the type's full name; datatypes (``rerun.datatypes.*``) appear as fields of structs such as
``ImageFormat``, matched by field name in :data:`FIELD_ENUMS`.
"""

from __future__ import annotations

__all__ = ["ENUMS", "FIELD_ENUMS", "enum_name"]


def _named(*names: tuple[str, int]) -> dict[int, str]:
    return {value: name for name, value in names}


ENUMS: dict[str, dict[int, str]] = {
    "rerun.components.AggregationPolicy": _named(
        ("Off", 1), ("Average", 2), ("Max", 3), ("Min", 4), ("MinMax", 5), ("MinMaxAverage", 6)
    ),
    "rerun.components.Colormap": _named(
        ("Grayscale", 1),
        ("Inferno", 2),
        ("Magma", 3),
        ("Plasma", 4),
        ("Turbo", 5),
        ("Viridis", 6),
        ("CyanToYellow", 7),
        ("Spectral", 8),
        ("Twilight", 9),
        ("RvizMap", 10),
        ("RvizCostmap", 11),
        ("Costmap", 12),
    ),
    "rerun.components.EntryKind": _named(
        ("Dataset", 1),
        ("DatasetView", 2),
        ("Table", 3),
        ("TableView", 4),
        ("BlueprintDataset", 5),
        ("AssetDataset", 6),
    ),
    "rerun.components.FillMode": _named(
        ("MajorWireframe", 1), ("DenseWireframe", 2), ("Solid", 3), ("TransparentFillMajorWireframe", 4)
    ),
    "rerun.components.GraphType": _named(("Undirected", 1), ("Directed", 2)),
    "rerun.components.InterpolationMode": _named(
        ("Linear", 1), ("StepAfter", 2), ("StepBefore", 3), ("StepMid", 4)
    ),
    "rerun.components.MagnificationFilter": _named(("Nearest", 1), ("Linear", 2), ("Bicubic", 3)),
    "rerun.components.MarkerShape": _named(
        ("Circle", 1),
        ("Diamond", 2),
        ("Square", 3),
        ("Cross", 4),
        ("Plus", 5),
        ("Up", 6),
        ("Down", 7),
        ("Left", 8),
        ("Right", 9),
        ("Asterisk", 10),
    ),
    "rerun.components.MeshFaceRendering": _named(("DoubleSided", 1), ("Front", 2), ("Back", 3)),
    "rerun.components.PointShading": _named(("Gradient", 1), ("Flat", 2)),
    "rerun.components.TransformRelation": _named(("ParentFromChild", 1), ("ChildFromParent", 2)),
    "rerun.components.VideoCodec": _named(
        ("AV1", 1635135537),
        ("H264", 1635148593),
        ("H265", 1751479857),
        ("VP8", 1987063864),
        ("VP9", 1987063865),
    ),
    "rerun.blueprint.components.BackgroundKind": _named(
        ("GradientDark", 1), ("GradientBright", 2), ("SolidColor", 3)
    ),
    "rerun.blueprint.components.ColumnDisplayMode": _named(("Compact", 1), ("Component", 2), ("Full", 3)),
    "rerun.blueprint.components.ContainerKind": _named(
        ("Tabs", 1), ("Horizontal", 2), ("Vertical", 3), ("Grid", 4)
    ),
    "rerun.blueprint.components.Corner2D": _named(
        ("LeftTop", 1), ("RightTop", 2), ("LeftBottom", 3), ("RightBottom", 4)
    ),
    "rerun.blueprint.components.Eye3DKind": _named(("FirstPerson", 1), ("Orbital", 2)),
    "rerun.blueprint.components.LinkAxis": _named(("Independent", 1), ("LinkToGlobal", 2)),
    "rerun.blueprint.components.LoopMode": _named(("Off", 1), ("Selection", 2), ("All", 3)),
    "rerun.blueprint.components.MapProvider": _named(
        ("OpenStreetMap", 1),
        ("MapboxStreets", 2),
        ("MapboxDark", 3),
        ("MapboxSatellite", 4),
        ("MapboxLight", 5),
    ),
    "rerun.blueprint.components.PanelState": _named(("Hidden", 1), ("Collapsed", 2), ("Expanded", 3)),
    "rerun.blueprint.components.PlayState": _named(("Paused", 1), ("Playing", 2), ("Following", 3)),
    "rerun.blueprint.components.PointsDisplay": _named(("OnHover", 1), ("Always", 2)),
    "rerun.blueprint.components.TableLayoutKind": _named(("Table", 1), ("Cards", 2)),
    "rerun.blueprint.components.TooltipMode": _named(("Nearest", 1), ("All", 2)),
    "rerun.blueprint.components.ViewFit": _named(("Original", 1), ("Fill", 2), ("FillKeepAspectRatio", 3)),
    "rerun.datatypes.ChannelDatatype": _named(
        ("U8", 6),
        ("I8", 7),
        ("U16", 8),
        ("I16", 9),
        ("U32", 10),
        ("I32", 11),
        ("U64", 12),
        ("I64", 13),
        ("F16", 33),
        ("F32", 34),
        ("F64", 35),
    ),
    "rerun.datatypes.ColorModel": _named(("L", 1), ("RGB", 2), ("RGBA", 3), ("BGR", 4), ("BGRA", 5)),
    "rerun.datatypes.PixelFormat": _named(
        ("Y_U_V12_LimitedRange", 20),
        ("NV12", 26),
        ("YUY2", 27),
        ("Y8_FullRange", 30),
        ("Y_U_V24_LimitedRange", 39),
        ("Y_U_V24_FullRange", 40),
        ("Y8_LimitedRange", 41),
        ("Y_U_V12_FullRange", 44),
        ("Y_U_V16_LimitedRange", 49),
        ("Y_U_V16_FullRange", 50),
        ("BayerRGGB8", 128),
        ("BayerBGGR8", 129),
        ("BayerGBRG8", 130),
        ("BayerGRBG8", 131),
    ),
    "rerun.datatypes.ViewDir": _named(
        ("Up", 1), ("Down", 2), ("Right", 3), ("Left", 4), ("Forward", 5), ("Back", 6)
    ),
}

FIELD_ENUMS: dict[str, str] = {  # struct fields that hold an enum datatype -> its type
    "pixel_format": "rerun.datatypes.PixelFormat",
    "color_model": "rerun.datatypes.ColorModel",
    "channel_datatype": "rerun.datatypes.ChannelDatatype",
}


def enum_name(enum_type: str | None, value: object) -> str | None:
    """The name of ``value`` in the enum ``enum_type``; ``None`` when that is no enum or no known value."""
    names = ENUMS.get(enum_type or "")
    return None if names is None or not isinstance(value, int) else names.get(value)
