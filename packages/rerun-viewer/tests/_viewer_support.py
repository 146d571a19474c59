"""Shared by the viewer tests: fixtures' location, a GPU or a clear skip, and golden-image comparison."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "reference-0.41"
SCREENS = Path(__file__).resolve().parent / "screens"
REFERENCE_RERUN = Path(__file__).resolve().parents[3] / ".venv-ref" / "bin" / "rerun"
GOLDEN_SIZE = (320, 180)
UPDATE_ENV = "RERUN_VIEWER_UPDATE_SCREENS"


def _missing(what: str) -> None:
    """Skip locally, but fail in CI, where the test command sets everything up."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI")
    pytest.skip(f"{what} is missing")


def fixture(name: str) -> Path:
    path = FIXTURES / name
    if not path.is_file():
        _missing(f"reference fixture {path}")
    return path


def require_gpu() -> None:
    """Skip (locally) or fail (CI) when wgpu cannot create an adapter, saying why."""
    from rerun_viewer import NoGpuAdapterError, get_gpu

    try:
        get_gpu()
    except NoGpuAdapterError as err:
        _missing(f"a wgpu adapter (tools/dev.sh installs lavapipe; {err})")


def small(pixels: np.ndarray) -> np.ndarray:
    """A render shrunk to the golden size (box filter), RGB."""
    from PIL import Image

    return np.asarray(Image.fromarray(pixels[..., :3]).resize(GOLDEN_SIZE, Image.Resampling.BOX))


def compare_with_golden(pixels: np.ndarray, name: str) -> None:
    """Our render against the committed small PNG of an earlier render of ours, with a tolerance.

    Set RERUN_VIEWER_UPDATE_SCREENS=1 to rewrite the goldens (then look at them before committing).
    """
    from PIL import Image

    shrunk = small(pixels)
    golden_path = SCREENS / f"{name}.png"
    if os.environ.get(UPDATE_ENV):
        SCREENS.mkdir(exist_ok=True)
        Image.fromarray(shrunk).save(golden_path, optimize=True)
    assert golden_path.is_file(), f"no golden {golden_path}; run with {UPDATE_ENV}=1 to create it"
    golden = np.asarray(Image.open(golden_path).convert("RGB")).astype(np.int16)
    difference = np.abs(shrunk.astype(np.int16) - golden).max(axis=2)
    mean, far = float(difference.mean()), float((difference > 48).mean())
    assert mean < 4.0 and far < 0.01, f"{name}: mean difference {mean:.2f}, {far:.2%} of pixels far off"


def reference_screenshot(
    tmp_path: Path,
    *files: Path,
    loaded: Callable[[np.ndarray], bool] = lambda shot: True,
    attempts: int = 5,
    window_size: tuple[int, int] = (1280, 720),
) -> np.ndarray:
    """The reference viewer's headless shot of ``files`` (RGB; HiDPI, so twice ``window_size``).

    It shoots after a fixed number of frames, sometimes before the data is in: the shot is taken again
    until ``loaded(pixels)`` says the data shows (the last try is returned either way).
    """
    from PIL import Image

    if not REFERENCE_RERUN.exists():
        _missing(f"reference Rerun ({REFERENCE_RERUN})")
    runtime = tmp_path / "xdg"
    runtime.mkdir(mode=0o700, exist_ok=True)
    out = tmp_path / "reference.png"
    env = dict(os.environ, RUST_LOG="error", XDG_RUNTIME_DIR=str(runtime), RERUN_ANALYTICS="0")
    size = f"{window_size[0]}x{window_size[1]}"
    command = [REFERENCE_RERUN, "--headless", "--port", "auto", "--screenshot-to", out, "--window-size", size]
    for _ in range(attempts):
        subprocess.run(
            [*map(str, command), *map(str, files)], env=env, timeout=90, check=True, capture_output=True
        )
        shot = np.asarray(Image.open(out).convert("RGB"))
        if loaded(shot):
            break
    return shot
