"""SegmentationImage as 0.41 draws it, checked on the pixels of whole renders: alone it is opaque and
class 0 takes a color like any class (the class id's automatic color, or its AnnotationContext color);
over an Image it is drawn at half opacity, mixed in linear light. The colors below were read from the
real viewer's screenshots of these recordings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from _viewer_support import reference_screenshot, require_gpu

import rerun as rr
from rerun_viewer import Viewer, load_recordings

pytestmark = pytest.mark.timeout(120)

Logger = Callable[[rr.RecordingStream], None]
CLASS_IDS = np.repeat(np.arange(4, dtype=np.uint8), 16)[None, :].repeat(40, axis=0)  # 4 bands of 16 columns

AUTOMATIC = [(188, 77, 77), (77, 123, 188), (154, 188, 77), (188, 77, 178)]  # classes 0-3, no context
ANNOTATED = [(0, 255, 0), (255, 0, 0), (154, 188, 77), (188, 77, 178)]  # 0 and 1 colored, 2 without
OVER_WHITE = [(225, 194, 194), (194, 203, 225), (212, 225, 194), (225, 194, 221)]
OVER_BLACK = [(137, 55, 55), (55, 89, 137), (112, 137, 55), (137, 55, 130)]


def _alone(rec: rr.RecordingStream) -> None:
    rec.log("seg", rr.SegmentationImage(CLASS_IDS), static=True)


def _annotated(rec: rr.RecordingStream) -> None:
    context = [(0, "bg", (0, 255, 0)), (1, "red", (255, 0, 0)), (2, "no color")]
    rec.log("/", rr.AnnotationContext(context), static=True)
    _alone(rec)


def _over_an_image(rec: rr.RecordingStream) -> None:
    image = np.zeros((40, 64, 3), np.uint8)
    image[:20] = 255  # white above, black below
    rec.log("rgb", rr.Image(image), static=True)
    _alone(rec)


def _record(tmp_path: Path, log: Logger) -> Path:
    path = tmp_path / f"{log.__name__.strip('_')}.rrd"
    rec = rr.RecordingStream("segmentation_fidelity", recording_id=path.stem)
    rec.save(str(path))
    log(rec)
    rec.disconnect()
    return path


def _area(pixels: np.ndarray, color: tuple[int, int, int], tolerance: int = 2) -> int:
    """How many pixels show ``color``."""
    return int((np.abs(pixels[..., :3].astype(np.int16) - color).max(axis=2) <= tolerance).sum())


CASES = [(_alone, AUTOMATIC), (_annotated, ANNOTATED), (_over_an_image, OVER_WHITE + OVER_BLACK)]


@pytest.mark.parametrize(("log", "colors"), CASES, ids=["alone", "annotated", "over_an_image"])
def test_segmentation_shows_the_references_colors(tmp_path: Path, log: Logger, colors: list) -> None:
    require_gpu()
    with Viewer(load_recordings([_record(tmp_path, log)]), width=1280, height=720) as viewer:
        pixels = viewer.render()
    areas = {color: _area(pixels, color) for color in colors}
    assert all(area > 5_000 for area in areas.values()), areas


@pytest.mark.reference
@pytest.mark.parametrize(("log", "colors"), CASES, ids=["alone", "annotated", "over_an_image"])
def test_the_reference_shows_the_same_colors(tmp_path: Path, log: Logger, colors: list) -> None:
    def loaded(shot: np.ndarray) -> bool:
        return all(_area(shot, color) > 20_000 for color in colors)

    shot = reference_screenshot(tmp_path, _record(tmp_path, log), loaded=loaded)
    areas = {color: _area(shot, color) for color in colors}
    assert all(area > 20_000 for area in areas.values()), areas
