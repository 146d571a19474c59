"""The main job: log a demo recording with ``rerun``, store it, read it back and query it, serve it from
``rerun server`` and query it through the catalog client, then show it.

    python tools/demo.py [--out out/demo.rrd] [--screenshot-to out/demo.png]

With a display the recording opens in the viewer's window (close it to end); without one (or with
``--screenshot-to``) the viewer renders it headless to a PNG, and the demo says where.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

import rerun as rr
from rerun_core import ArrowMsg, SetStoreInfo
from rerun_core.query import DataframeQuery
from rerun_core.rrd import RrdDecoder
from rerun_core.store import ChunkStore


def log_demo(path: Path, steps: int = 100) -> None:
    """3D points, a mesh, an image, a time series and a text log, on a `step` timeline."""
    rr.init("rerun_demo", recording_id="demo")
    rr.save(str(path))
    rr.log("world", rr.ViewCoordinates.RIGHT_HAND_Z_UP, static=True)
    rr.log(
        "world/mesh",
        rr.Mesh3D(
            vertex_positions=[[0, 0, 0], [4, 0, 0], [0, 4, 0], [0, 0, 4]],
            triangle_indices=[[0, 1, 2], [0, 1, 3], [0, 2, 3], [1, 2, 3]],
            vertex_colors=[[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]],
        ),
        static=True,
    )
    rr.log("plots/sine", rr.SeriesLines(colors=[255, 128, 0], names="sin(step / 10)"), static=True)
    t = np.linspace(0, 4 * math.pi, 200)
    for step in range(steps):
        rr.set_time("step", sequence=step)
        spiral = np.stack([np.cos(t + step * 0.05) * t, np.sin(t + step * 0.05) * t, t], axis=1)
        rr.log("world/spiral", rr.Points3D(spiral, colors=[80, 160, 255], radii=0.05))
        rr.log("plots/sine", rr.Scalars(math.sin(step / 10)))
        if step % 25 == 0:
            gradient = np.zeros((48, 64, 3), np.uint8)
            gradient[..., 0] = np.linspace(0, 255, 64, dtype=np.uint8)
            gradient[..., 1] = step * 2
            rr.log("camera/image", rr.Image(gradient))
            rr.log("log", rr.TextLog(f"reached step {step}", level="INFO"))
    rr.disconnect()


def print_recording(path: Path) -> None:
    """What is in the file (per entity), then a dataframe query over it."""
    store = ChunkStore()
    with path.open("rb") as source:
        decoder = RrdDecoder(source)
        for msg in decoder:
            if isinstance(msg, SetStoreInfo):
                print(
                    f"store {msg.store_id.kind.name.lower()} app={msg.store_id.application_id} id={msg.store_id.recording_id}"
                )
            elif isinstance(msg, ArrowMsg):
                store.insert(msg.chunk)
    print(
        f"{store.num_chunks} chunks, {store.nbytes / 1e6:.2f} MB of Arrow data, footer manifests: {len(decoder.manifests())}"
    )
    for entity in store.entity_paths():
        components = sorted(info.component for info in store.columns(entity))
        print(f"  {entity}: {', '.join(components)}")
    table = DataframeQuery(store, "step", contents="/plots/**").read_all()
    sine = table.column("/plots/sine:Scalars:scalars").to_pylist()
    print(f"query step x /plots/**: {table.num_rows} rows; first values {[round(v[0], 3) for v in sine[:4]]}")


def serve_and_query(path: Path) -> None:
    """The recording's folder as a dataset of our redap server (loopback), read back with ``rr.catalog``."""
    from datafusion import col, lit

    with rr.server.Server(host="127.0.0.1", datasets={"demo": [path]}) as server:
        dataset = server.client().get_dataset("demo")
        rows = (
            dataset.reader("step")
            .filter(col("step") >= lit(90))
            .select("rerun_segment_id", "step", "/plots/sine:Scalars:scalars")
            .to_arrow_table()
        )
        print(
            f"served at {server.url()}: dataset demo, segments {dataset.segment_ids()}; "
            f"catalog query step >= 90: {rows.num_rows} rows"
        )


def show(path: Path, screenshot_to: Path | None) -> None:
    """The recording in the viewer: a window when there is a display, else a screenshot PNG."""
    from rerun_cli.main import main as rerun
    from rerun_viewer import display_problem, screenshot

    problem = display_problem()
    if screenshot_to is None and problem is None:
        print(f"opening {path} in the viewer (close its window to end)")
        rerun([str(path)])
        return
    png = screenshot([path], screenshot_to or path.with_suffix(".png"), window_size=(1280, 720))
    reason = "as asked" if screenshot_to else f"as there is no window here ({problem})"
    print(f"wrote a screenshot of the viewer showing it to {png}, {reason}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("out/demo.rrd"), help="where to write the recording")
    parser.add_argument(
        "--screenshot-to", type=Path, help="render the viewer to this PNG instead of a window"
    )
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    log_demo(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    print_recording(args.out)
    serve_and_query(args.out)
    show(args.out, args.screenshot_to)


if __name__ == "__main__":
    main()
