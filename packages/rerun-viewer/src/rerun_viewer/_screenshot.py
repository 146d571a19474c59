"""Headless shots: files in, a PNG out — what ``rerun --screenshot-to`` does."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from rerun_viewer._png import write_png
from rerun_viewer._recording import RecordingSet, load_file
from rerun_viewer._viewer import Viewer

__all__ = ["DEFAULT_WINDOW_SIZE", "parse_window_size", "render_files", "screenshot"]

DEFAULT_WINDOW_SIZE = (1280, 720)


def parse_window_size(text: str) -> tuple[int, int]:
    """``"1280x720"`` to ``(1280, 720)``; a :class:`ValueError` names the bad value."""
    match = re.fullmatch(r"\s*(\d+)\s*[xX]\s*(\d+)\s*", text)
    if match is None or min(int(match[1]), int(match[2])) < 64:
        raise ValueError(f"window_size must look like 1280x720 (each side at least 64), got {text!r}")
    return int(match[1]), int(match[2])


def render_files(
    paths: Iterable[str | os.PathLike[str]], *, window_size: tuple[int, int] = DEFAULT_WINDOW_SIZE
) -> np.ndarray:
    """Load every file, then render one frame with the cursor at the end of the active timeline."""
    width, height = window_size
    loaded = RecordingSet()
    for path in paths:
        load_file(Path(path), loaded)
    activations = loaded.blueprint_activations
    with Viewer(loaded.recordings(), width=width, height=height, blueprint_activations=activations) as viewer:
        return viewer.render()


def screenshot(
    paths: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    window_size: tuple[int, int] = DEFAULT_WINDOW_SIZE,
) -> Path:
    """Write the frame :func:`render_files` draws as a PNG at ``out``; returns its path."""
    return write_png(render_files(paths, window_size=window_size), out)
