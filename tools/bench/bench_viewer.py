"""Viewer frame times and store ingest, on the current wgpu adapter (lavapipe on a CPU-only machine).

    .venv/bin/python tools/bench/bench_viewer.py [--frames 10] [--only points,2d] [--size 1280x720]
        [--workdir DIR] [--profile-dir DIR] [--no-reference] [--reference-timeout 60]

A benchmark, not a test: it prints times and the targets of issue #6 beside them. Each scene is
logged once with our SDK into ``--workdir`` (kept, so later runs skip the logging), loaded into the
viewer's store, and rendered by ``rerun_viewer.Viewer`` at ``--size``:

- first: the first frame (views created, everything collected, uploaded and rendered);
- redraw: the median of ``--frames`` frames with nothing changed (what an idle window repaints);
- new time: the median of ``--frames`` frames with the time cursor going back and forth between the
  recording's last two times, where the data changed (contents collected again, scenes rebuilt,
  views re-rendered; in the 5000-entity scene only every 100th entity moves);
- orbit: the median of ``--frames`` frames while the user drags the camera (3D views orbit, 2D views
  pan): every spatial view is drawn again, but nothing is collected or rebuilt;
- CPU: the process's CPU time (all its threads, lavapipe's rasterizer among them) of the new-time and
  orbit frames: steadier than wall time on a machine that other jobs load.

Every frame includes the whole UI. Window frames are drawn into a texture and waited for (as a window
presents them); screenshots (``Viewer.render()``) also read the 1280x720 frame back. The target
(issue #6) is checked against the new-time window frame. Ingest: reading and
decoding the file into a ``ChunkStore`` (chunks/s, MB/s of Arrow data), and inserting the decoded
chunks alone. For context the reference 0.41 viewer's headless screenshot of the same file is timed
too: the wall time of the whole process (start-up, loading, 10 frames and the PNG), not a frame time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent.parent
REFERENCE_RERUN = REPO / ".venv-ref" / "bin" / "rerun"
SCENE_VERSION = 2  # bump when a scene's content changes, so cached files are rewritten


@dataclass(frozen=True)
class Scene:
    name: str
    description: str
    target_ms: float
    log: Callable[[], None]


def _at(frame: int) -> None:
    import rerun as rr

    rr.set_time("frame", sequence=frame)


def _points() -> None:
    import rerun as rr

    rng = np.random.default_rng(1)
    positions = rng.normal(size=(100_000, 3)).astype(np.float32)
    colors = rng.integers(0, 255, size=(100_000, 3), dtype=np.uint8)
    for frame in (0, 1):
        _at(frame)
        rr.log("points", rr.Points3D(positions + 0.1 * frame, colors=colors, radii=0.01))


def _grid_mesh(cells: int) -> tuple[np.ndarray, np.ndarray]:
    """A wavy ``cells`` x ``cells`` grid: ``2 * cells**2`` triangles."""
    u, v = np.meshgrid(np.linspace(-1, 1, cells + 1), np.linspace(-1, 1, cells + 1))
    height = 0.2 * np.sin(4 * u) * np.cos(4 * v)
    vertices = np.stack([u, v, height], axis=-1).reshape(-1, 3).astype(np.float32)
    corner = (np.arange(cells)[:, None] * (cells + 1) + np.arange(cells)[None, :]).ravel()
    right, below = corner + 1, corner + cells + 1
    triangles = np.concatenate(
        [np.stack([corner, right, below + 1], 1), np.stack([corner, below + 1, below], 1)]
    )
    return vertices, triangles.astype(np.uint32)


def _mesh() -> None:
    import rerun as rr

    vertices, triangles = _grid_mesh(224)  # 100 352 triangles
    colors = ((vertices * 0.5 + 0.5) * 255).clip(0, 255).astype(np.uint8)
    for frame in (0, 1):
        _at(frame)
        moved = vertices * np.array([1, 1, 1 + frame], np.float32)
        rr.log("mesh", rr.Mesh3D(vertex_positions=moved, triangle_indices=triangles, vertex_colors=colors))


def _image() -> None:
    import rerun as rr

    y, x = np.mgrid[0:480, 0:640]
    rgb = np.stack([x * 255 // 639, y * 255 // 479, (x + y) % 256], axis=-1).astype(np.uint8)
    for frame in (0, 1):
        _at(frame)
        rr.log("camera/image", rr.Image(np.roll(rgb, 40 * frame, axis=1)))


def _points_2d() -> None:
    import rerun as rr

    rng = np.random.default_rng(2)
    points = rng.uniform(0, 640, size=(10_000, 2))
    strips = [np.cumsum(rng.normal(size=(20, 2)), axis=0) * 10 + 320 for _ in range(200)]
    for frame in (0, 1):
        _at(frame)
        rr.log("scene/points", rr.Points2D(points + 5 * frame, radii=-2.0))
        rr.log("scene/lines", rr.LineStrips2D([strip + 5 * frame for strip in strips]))


def _series() -> None:
    import rerun as rr

    steps = np.arange(1_000_000)
    noise = np.random.default_rng(3).normal(size=len(steps))
    for name, values in (("sin", np.sin(steps / 5_000)), ("noise", noise)):
        indexes = [rr.TimeColumn("frame", sequence=steps)]
        rr.send_columns(f"series/{name}", indexes=indexes, columns=rr.Scalars.columns(scalars=values))


def _entities() -> None:
    """Frame 0: every entity; frame 1: every 100th entity moves (an animated few among many)."""
    import rerun as rr

    rng = np.random.default_rng(4)
    offsets = rng.uniform(-50, 50, size=(5_000, 3))
    _at(0)
    for index in range(5_000):
        path = f"world/e{index}"
        rr.log(path, rr.Transform3D(translation=offsets[index]))
        rr.log(path, rr.LineStrips3D([np.cumsum(rng.normal(size=(10, 3)), axis=0)]))
    _at(1)
    for index in range(0, 5_000, 100):
        rr.log(f"world/e{index}", rr.Transform3D(translation=offsets[index] + 5))


def _full_ui() -> None:
    """Every view kind; the 3D points and the image change at the last two frames, as does the plot."""
    import rerun as rr

    rng = np.random.default_rng(5)
    steps = np.arange(10_000)
    rr.send_columns(
        "plot/value",
        indexes=[rr.TimeColumn("frame", sequence=steps)],
        columns=rr.Scalars.columns(scalars=np.cos(steps / 300)),
    )
    for row in range(200):
        _at(row * 50)
        rr.log("log", rr.TextLog(f"message {row}", level="INFO"))
    vertices, triangles = _grid_mesh(40)
    rr.log(
        "world/mesh",
        rr.Mesh3D(vertex_positions=vertices - [0, 0, 3], triangle_indices=triangles),
        static=True,
    )
    points = rng.normal(size=(10_000, 3))
    for frame in (9_998, 9_999):
        _at(frame)
        rr.log("world/points", rr.Points3D(points + 0.1 * (frame - 9_998), radii=0.02))
        rr.log("camera/image", rr.Image(rng.integers(0, 255, size=(480, 640, 3), dtype=np.uint8)))


def _ingest() -> None:
    import rerun as rr

    rng = np.random.default_rng(6)
    block = rng.normal(size=(10_000, 3)).astype(np.float32)
    for step in range(400):  # 48 MB of positions, one chunk per row
        _at(step)
        rr.log("stream", rr.Points3D(block + step))


SCENES = [
    Scene("points", "100k points (Points3D)", 100, _points),
    Scene("mesh", "100k-triangle mesh (Mesh3D)", 100, _mesh),
    Scene("image", "640x480 RGB image", 33, _image),
    Scene("points2d", "2D: 10k points + 200 line strips", 33, _points_2d),
    Scene("series", "2 x 1M-sample time series", 33, _series),
    Scene("entities", "5000 entities: Transform3D + 10-point strip", 100, _entities),
    Scene("full_ui", "full UI: 3D, mesh, image, plot, text log", 100, _full_ui),
]
INGEST = Scene("ingest", "400 chunks x 10k points (48 MB)", 0, _ingest)


def recording_file(scene: Scene, workdir: Path) -> Path:
    """The scene's RRD, logged with our SDK unless an up-to-date copy is there."""
    path = workdir / f"viewer_{scene.name}_v{SCENE_VERSION}.rrd"
    if not path.is_file():
        import rerun as rr

        rr.init(f"bench_viewer_{scene.name}", recording_id=scene.name, spawn=False)
        rr.save(str(path.with_suffix(".tmp")))
        scene.log()
        rr.disconnect()
        path.with_suffix(".tmp").rename(path)
    return path


@dataclass
class FrameTimes:
    load_s: float
    first_ms: float
    redraw_ms: float  # window frames: drawn into a texture, finished on the GPU, not read back
    new_time_ms: float
    orbit_ms: float
    redraw_shot_ms: float  # screenshots: render() with the 1280x720 readback
    new_time_shot_ms: float
    new_time_cpu_ms: float  # CPU time of the process (every thread, lavapipe's too) per new-time frame
    orbit_cpu_ms: float


def _median_ms(seconds: list[float]) -> float:
    return 1000 * statistics.median(seconds)


class _Frames:
    """Frames of one viewer, as a window draws them and as screenshots."""

    def __init__(self, viewer: Any) -> None:
        import wgpu

        self.viewer = viewer
        self.end = viewer.cursor.at
        self.target = viewer.gpu.device.create_texture(
            size=(viewer.width, viewer.height, 1), format="rgba8unorm",
            usage=wgpu.TextureUsage.RENDER_ATTACHMENT | wgpu.TextureUsage.COPY_SRC,
        )  # fmt: skip

    def window(self) -> None:
        """One UI pass drawn into a texture; reading one pixel back waits until the GPU is done."""
        self.viewer.frame(self.target)
        self.viewer.gpu.device.queue.read_texture(
            {"texture": self.target, "origin": (0, 0, 0), "mip_level": 0},
            {"offset": 0, "bytes_per_row": 256, "rows_per_image": 1},
            (1, 1, 1),
        )

    def shot(self) -> None:
        self.viewer.render()

    def orbit(self, index: int) -> None:
        """One step of a camera drag, back and forth: 3D views orbit, 2D views pan."""
        from rerun_viewer.views._spatial import SpatialRenderer

        step = 0.05 if index % 2 else -0.05
        state = self.viewer.state
        for key, renderer in self.viewer._frame.cache.items():
            if isinstance(renderer, SpatialRenderer):
                camera = state.camera(key)
                state.set_camera(key, camera.panned(step, 0) if renderer.flat else camera.orbited(step, 0))

    def next_time(self, index: int) -> None:
        """Back and forth between the last two times, where the data differs."""
        self.viewer.set_time(self.end - index % 2)


def time_frames(path: Path, size: tuple[int, int], frames: int, profile: Path | None) -> FrameTimes:
    from rerun_viewer import Viewer, load_recordings

    started = time.perf_counter()
    recordings = load_recordings([path])
    load_s = time.perf_counter() - started
    with Viewer(recordings, width=size[0], height=size[1]) as viewer:
        started = time.perf_counter()
        viewer.render()
        first = time.perf_counter() - started
        run = _Frames(viewer)
        redraw = [_timed(run.window) for _ in range(frames)]
        redraw_shot = [_timed(run.shot) for _ in range(frames)]
        orbit: list[float] = []
        orbit_cpu: list[float] = []
        for index in range(1, frames + 1):
            run.orbit(index)
            orbit.append(_timed(run.window, orbit_cpu))
        new_time: list[float] = []
        new_time_cpu: list[float] = []
        new_time_shot: list[float] = []
        for index in range(1, 2 * frames + 1):
            run.next_time(index)
            if index <= frames:
                new_time.append(_timed(run.window, new_time_cpu))
            else:
                new_time_shot.append(_timed(run.shot))
        if profile is not None:
            profiler = cProfile.Profile()
            profiler.enable()
            for index in range(1, frames + 1):
                run.next_time(index)
                run.window()
            profiler.disable()
            profiler.dump_stats(profile)
    timed = (redraw, new_time, orbit, redraw_shot, new_time_shot, new_time_cpu, orbit_cpu)
    return FrameTimes(load_s, 1000 * first, *[_median_ms(times) for times in timed])


def _timed(work: Callable[[], object], cpu: list[float] | None = None) -> float:
    """Wall seconds of ``work()``; its process CPU seconds appended to ``cpu``: on a machine shared with
    other jobs, wall times swing with their load, CPU times much less."""
    started, started_cpu = time.perf_counter(), time.process_time()
    work()
    if cpu is not None:
        cpu.append(time.process_time() - started_cpu)
    return time.perf_counter() - started


@dataclass
class Ingest:
    chunks: int
    arrow_mb: float
    read_and_insert_s: float
    insert_only_s: float


def time_ingest(path: Path) -> Ingest:
    """Decode+insert (what loading a file costs) and insert alone (what a live stream costs the store)."""
    from rerun_core import ArrowMsg
    from rerun_core.rrd import read_rrd
    from rerun_core.store import ChunkStore
    from rerun_viewer import load_recordings

    started = time.perf_counter()
    (recording,) = [r for r in load_recordings([path]) if not r.is_blueprint]
    read_and_insert = time.perf_counter() - started
    chunks = [msg.chunk for msg in read_rrd(path) if isinstance(msg, ArrowMsg)]
    store = ChunkStore(recording.store_id)
    started = time.perf_counter()
    for chunk in chunks:
        store.insert(chunk)
    insert_only = time.perf_counter() - started
    arrow_bytes = sum(chunk.to_record_batch().nbytes for chunk in chunks)
    return Ingest(len(chunks), arrow_bytes / 1e6, read_and_insert, insert_only)


def reference_screenshot_s(path: Path, size: tuple[int, int], timeout_s: float) -> float | str:
    """Wall seconds of the reference viewer's whole headless screenshot run, or why there is none."""
    if not REFERENCE_RERUN.is_file():
        return "no .venv-ref"
    with tempfile.TemporaryDirectory() as scratch:
        command = [
            str(REFERENCE_RERUN), "--headless", "--screenshot-to", f"{scratch}/shot.png",
            "--window-size", f"{size[0]}x{size[1]}", str(path),
        ]  # fmt: skip
        started = time.perf_counter()
        try:
            environment = {**os.environ, "RUST_LOG": "error"}
            subprocess.run(command, env=environment, capture_output=True, timeout=timeout_s, check=True)
        except subprocess.TimeoutExpired:
            return f">{timeout_s:.0f}s"
        except (subprocess.SubprocessError, OSError):
            return "failed"
        return time.perf_counter() - started


def _parse_size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    return int(width), int(height)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frames", type=int, default=10, help="frames per median (default 10)")
    parser.add_argument(
        "--only", default="", help="comma-separated scene names or their endings, e.g. 2d, ui (default: all)"
    )
    parser.add_argument(
        "--size", type=_parse_size, default=(1280, 720), help="WIDTHxHEIGHT (default 1280x720)"
    )
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "rerun_bench_viewer")
    parser.add_argument(
        "--profile-dir", type=Path, help="also profile the new-time frames: DIR/<scene>.pstats"
    )
    parser.add_argument("--no-reference", action="store_true", help="skip timing the reference viewer")
    parser.add_argument(
        "--reference-timeout",
        type=float,
        default=60.0,
        help="seconds before a reference run is given up (60)",
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.profile_dir:
        args.profile_dir.mkdir(parents=True, exist_ok=True)
    wanted = set(filter(None, args.only.split(",")))
    from rerun_viewer import get_gpu

    print(f"adapter: {get_gpu().description}; {args.size[0]}x{args.size[1]}, medians of {args.frames} frames")
    header = (
        f"{'scene':<46} {'first':>7} {'redraw':>7} {'new time':>8} {'target':>6}      {'orbit':>6} "
        f"{'redraw':>7} {'new time':>8}  {'load':>6}  {'new time':>7} {'orbit':>7}  {'reference*':>10}"
    )
    print(
        f"{'':<46} {'':>7} {'window frames (no readback)':^42}{'screenshots':^18}{'':>8}"
        f"{'CPU of window frames':^16}"
    )
    print(header)
    print("-" * len(header))
    for scene in SCENES:
        if wanted and not any(scene.name.endswith(name) for name in wanted):
            continue
        path = recording_file(scene, args.workdir)
        profile = args.profile_dir / f"{scene.name}.pstats" if args.profile_dir else None
        t = time_frames(path, args.size, args.frames, profile)
        reference = (
            "-" if args.no_reference else reference_screenshot_s(path, args.size, args.reference_timeout)
        )
        verdict = "ok" if t.new_time_ms <= scene.target_ms else "SLOW"
        print(
            f"{scene.description:<46} {t.first_ms:>5.0f}ms {t.redraw_ms:>5.0f}ms {t.new_time_ms:>6.0f}ms "
            f"{scene.target_ms:>4.0f}ms {verdict:>4} {t.orbit_ms:>4.0f}ms {t.redraw_shot_ms:>5.0f}ms {t.new_time_shot_ms:>6.0f}ms  "
            f"{t.load_s:>5.2f}s  {t.new_time_cpu_ms:>5.0f}ms {t.orbit_cpu_ms:>5.0f}ms  "
            + (f"{reference:>9.1f}s" if isinstance(reference, float) else f"{reference:>10}"),
            flush=True,
        )
    print("* the reference viewer's whole headless run (start-up, load, 10 frames, PNG): not a frame time")
    if not wanted or "ingest" in wanted:
        ingest = time_ingest(recording_file(INGEST, args.workdir))
        print(
            f"ingest {INGEST.description}: read+decode+insert {ingest.chunks / ingest.read_and_insert_s:,.0f} chunks/s, "
            f"{ingest.arrow_mb / ingest.read_and_insert_s:,.0f} MB/s; insert only "
            f"{ingest.chunks / ingest.insert_only_s:,.0f} chunks/s, {ingest.arrow_mb / ingest.insert_only_s:,.0f} MB/s"
        )


if __name__ == "__main__":
    main()
