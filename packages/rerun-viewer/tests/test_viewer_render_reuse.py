"""A new time re-makes GPU objects only for what changed, and the view still draws every entity where it
is now: the static mesh keeps its object, the moved points (as many as before) take their new positions
into the object they had, and going back in time draws them where they were."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pygfx as gfx
from _viewer_support import require_gpu

import rerun as rr
from rerun_viewer import ViewKind, load_recordings
from rerun_viewer._heuristics import ViewSpec
from rerun_viewer._time import TimeCursor, default_cursor
from rerun_viewer._view_core import ViewContents, collect

SIZE = (320, 240)
RED, BLUE = (255, 0, 0), (0, 0, 255)


def _contents_at_both_times(tmp_path: Path) -> tuple[ViewContents, ViewContents]:
    path = tmp_path / "reuse.rrd"
    stream = rr.RecordingStream("reuse_test", recording_id="reuse_test")
    stream.save(str(path))
    square = np.array([[-4, -4, -1], [4, -4, -1], [4, 4, -1], [-4, 4, -1]], np.float32)
    stream.log(
        "world/floor",
        rr.Mesh3D(vertex_positions=square, triangle_indices=[[0, 1, 2], [0, 2, 3]], vertex_colors=BLUE),
        static=True,
    )
    for frame, x in ((0, -2.5), (1, 2.5)):  # off the grid's unit lines
        stream.set_time("frame", sequence=frame)
        stream.log("world/dot", rr.Points3D([[x, 0.5, 0]], colors=RED, radii=0.5))
    stream.disconnect()
    (recording,) = load_recordings([path])
    spec = ViewSpec(ViewKind.SPATIAL_3D, "/world", ("/world/floor", "/world/dot"))
    last = default_cursor(recording.store)
    first = TimeCursor(last.timeline, 0)
    return collect(recording.store, spec, first), collect(recording.store, spec, last)


def _kinds(renderer: object) -> dict[type, Any]:
    content = renderer._content  # type: ignore[attr-defined]
    return {type(child): child for child in content.children}


def test_a_new_time_keeps_unchanged_objects_and_draws_the_moved_ones(tmp_path: Path) -> None:
    require_gpu()
    from rerun_viewer._gpu import get_gpu
    from rerun_viewer.views._spatial import SpatialRenderer

    before, after = _contents_at_both_times(tmp_path)
    gpu = get_gpu()
    renderer = SpatialRenderer(gpu)
    renderer.render(before, *SIZE)
    first = _kinds(renderer)
    renderer.render(after, *SIZE)
    second = _kinds(renderer)
    assert second[gfx.Mesh] is first[gfx.Mesh], "the static mesh must keep its uploaded object"
    assert second[gfx.Points] is first[gfx.Points], "one point moved: its object takes the new position"
    assert second[gfx.Points].geometry.positions.data[0].tolist() == [2.5, 0.5, 0.0]
    _assert_colors(renderer, gpu, {(2.5, 0.5, 0.0): RED, (-2.5, 0.5, -1.0): BLUE})  # it left the left side
    renderer.render(before, *SIZE)
    assert _kinds(renderer)[gfx.Points] is first[gfx.Points]
    _assert_colors(renderer, gpu, {(-2.5, 0.5, 0.0): RED, (2.5, 0.5, -1.0): BLUE})  # and came back


def _assert_colors(
    renderer: Any, gpu: Any, expected: dict[tuple[float, float, float], tuple[int, ...]]
) -> None:
    """The view's pixels around each scene position are of the expected hue."""
    from rerun_viewer._gpu import read_texture

    pixels = read_texture(gpu.device, renderer.display_texture)[..., :3].astype(np.int16)
    projection = renderer.projection
    assert projection is not None
    places, _ = projection.to_pixels(np.array(list(expected)))
    for (x, y), color in zip(places, expected.values(), strict=True):
        x, y = round(float(x)), round(float(y))
        patch = pixels[y - 1 : y + 2, x - 1 : x + 2]
        hue = int(np.argmax(color))
        assert (patch[..., hue] > 2 * np.delete(patch, hue, axis=2).max(axis=2)).all(), (x, y, patch)
