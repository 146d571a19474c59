"""Text forms shared by the commands: sizes, counts, times and cells."""

from __future__ import annotations

import pyarrow as pa
import pytest

from rerun_cli.rrd._cells import format_cell
from rerun_cli.rrd._fmt import format_bytes, format_duration_iso, format_timestamp, format_uint
from rerun_core.arrow_names import rust_type_name as type_name


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0 B"), (5, "5 B"), (912, "912 B"), (1434, "1.4 KiB"), (140_000, "137 KiB"), (2 << 20, "2.0 MiB")],
)
def test_format_bytes(value: int, text: str) -> None:
    assert format_bytes(value) == text


def test_format_uint() -> None:
    assert format_uint(65536) == "65\u2009536" and format_uint(12) == "12"


def test_times() -> None:
    assert format_timestamp(1_704_110_400_000_000_000) == "2024-01-01T12:00:00"
    assert format_timestamp(1_704_110_400_020_000_000) == "2024-01-01T12:00:00.020"
    assert format_timestamp(1_704_110_400_009_999_872) == "2024-01-01T12:00:00.009999872"
    assert format_duration_iso(0) == "P0D" and format_duration_iso(500_000_000) == "PT0.5S"
    assert format_duration_iso(86_400_000_000_000 + 1_000_000_000) == "P1DT1S"


def test_cells_and_types() -> None:
    floats = pa.array([[1.5, 2.0], None], pa.list_(pa.float32()))
    assert [format_cell(floats, i) for i in range(2)] == ["[1.5, 2.0]", "null"]
    assert type_name(floats.type) == "List(Float32)"
    points = pa.array([[[1.0, 2.0, 3.0]] * 100], pa.list_(pa.list_(pa.float32(), 3)))
    text = format_cell(points, 0, budget=40)
    assert len(text) == 40 and text.endswith("…")
    assert type_name(points.type) == "List(FixedSizeList(3 x Float32))"
    assert format_cell(pa.array([{"x": 1, "y": "a"}]), 0) == "{x: 1, y: a}"
    axis_angle = pa.struct(
        [pa.field("axis", pa.list_(pa.field("item", pa.float32(), nullable=False), 3), nullable=False),
         pa.field("angle", pa.float32(), nullable=False)]
    )  # fmt: skip
    # as 0.41's `rerun rrd print -vv` shows RotationAxisAngle: field names quoted
    assert type_name(pa.list_(axis_angle)) == (
        'List(Struct("axis": non-null FixedSizeList(3 x non-null Float32), "angle": non-null Float32))'
    )
    assert format_cell(pa.array([0.30000000000000004]), 0) == "0.30000000000000004"
