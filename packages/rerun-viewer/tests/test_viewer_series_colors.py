"""Time series logged without colors take 0.41's automatic colors: one per series (an entity's scalars
per row are several series), from the hash of the entity path, the automatic visualizer's mapping of
its values from ``Scalars:scalars`` and the series index; not the entity's own automatic color."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from _viewer_support import reference_screenshot, require_gpu

import rerun as rr
from rerun_viewer import Viewer, load_recordings
from rerun_viewer._colors import auto_color, series_color

pytestmark = pytest.mark.timeout(120)

# Read from the real viewer's screenshot of a recording with these series (legend dots and lines).
REFERENCE_SERIES_COLORS = {
    ("/plots/a", 0): (77, 188, 177),
    ("/plots/b", 0): (134, 77, 188),
    ("/plots/c", 0): (188, 77, 136),
    ("/multi", 0): (188, 77, 128),
    ("/multi", 1): (188, 152, 77),
    ("/multi", 2): (188, 136, 77),
}


def test_series_colors_equal_the_references() -> None:
    ours = {key: series_color(*key)[:3] for key in REFERENCE_SERIES_COLORS}
    assert ours == REFERENCE_SERIES_COLORS
    assert series_color("/plots/a", 0) != auto_color("/plots/a"), "not the entity's own color"


def _record(tmp_path: Path, series: dict[str, int], points: tuple[str, ...] = ()) -> Path:
    """One entity per key with that many scalars per row, 50 rows of waves; ``points`` drawn as points."""
    path = tmp_path / "series.rrd"
    rec = rr.RecordingStream("series_colors", recording_id="series")
    rec.save(str(path))
    for entity in points:
        rec.log(entity, rr.SeriesPoints(marker_sizes=4.0), static=True)
    for step in range(50):
        rec.set_time("step", sequence=step)
        for offset, (entity, count) in enumerate(series.items()):
            rec.log(entity, rr.Scalars([math.sin(step / 8 + k + offset) + 3 * k for k in range(count)]))
    rec.disconnect()
    return path


def _area(pixels: np.ndarray, color: tuple[int, ...], tolerance: int = 0) -> int:
    return int(
        (np.abs(pixels[..., :3].astype(np.int16) - np.array(color[:3])).max(axis=2) <= tolerance).sum()
    )


def test_our_plots_draw_each_series_in_its_color(tmp_path: Path) -> None:
    require_gpu()
    recording = _record(tmp_path, {"multi": 3, "plots/a": 1})
    with Viewer(load_recordings([recording]), width=1280, height=720) as viewer:
        pixels = viewer.render()
    for key in [("/multi", 0), ("/multi", 1), ("/multi", 2), ("/plots/a", 0)]:
        assert _area(pixels, REFERENCE_SERIES_COLORS[key], tolerance=6) > 60, key


@pytest.mark.reference
def test_the_reference_draws_series_in_our_colors(tmp_path: Path) -> None:
    """Paths of several lengths (the hash's byte-length classes), a three-series entity, and points."""
    series = {"x": 1, "a_rather_long_entity_part": 1, "world/robot/arm": 1, "triple": 3, "dots": 2}
    expected = [
        series_color(f"/{entity}", index)[:3] for entity, count in series.items() for index in range(count)
    ]

    def loaded(shot: np.ndarray) -> bool:
        return all(_area(shot, color) > 300 for color in expected)

    shot = reference_screenshot(tmp_path, _record(tmp_path, series, points=("dots",)), loaded=loaded)
    assert {color: _area(shot, color) > 300 for color in expected} == dict.fromkeys(expected, True)
