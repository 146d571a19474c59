"""The main job, for now: write a demo recording with our codec, then read it back and print it.

Later issues extend this (log through ``rr``, serve it, query it, render it).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
import pyarrow as pa

from rerun_core import (
    ArrowMsg,
    Chunk,
    ComponentDescriptor,
    SetStoreInfo,
    StoreId,
    StoreKind,
    Timeline,
    TimeType,
)
from rerun_core.rrd import RrdDecoder, RrdEncoder

STEP = Timeline("step", TimeType.SEQUENCE)
POSITIONS = ComponentDescriptor(
    "Points3D:positions", "rerun.archetypes.Points3D", "rerun.components.Position3D"
)
COLORS = ComponentDescriptor("Points3D:colors", "rerun.archetypes.Points3D", "rerun.components.Color")
SCALARS = ComponentDescriptor("Scalars:scalars", "rerun.archetypes.Scalars", "rerun.components.Scalar")
TEXT = ComponentDescriptor("TextLog:text", "rerun.archetypes.TextLog", "rerun.components.Text")
VEC3 = pa.list_(pa.field("item", pa.float32(), nullable=False), 3)


def demo_chunks(steps: int = 100) -> list[Chunk]:
    """A spiral of points over time, a sine wave and a text log."""
    rng = np.random.default_rng(0)
    step_column = pa.array(np.arange(steps, dtype=np.int64))
    spirals = []
    for step in range(steps):
        t = np.linspace(0, 4 * math.pi, 200) + step * 0.05
        spirals.append(np.stack([np.cos(t) * t, np.sin(t) * t, t], axis=1).astype(np.float32).tolist())
    colors = rng.integers(0, 2**32, size=(steps, 1), dtype=np.uint32).tolist()
    sine = [[math.sin(step / 10)] for step in range(steps)]
    return [
        Chunk.build(
            "/world/spiral",
            timelines={STEP: step_column},
            components={
                POSITIONS: pa.array(spirals, pa.list_(VEC3)),
                COLORS: pa.array(colors, pa.list_(pa.uint32())),
            },
        ),
        Chunk.build(
            "/plots/sine",
            timelines={STEP: step_column},
            components={SCALARS: pa.array(sine, pa.list_(pa.float64()))},
        ),
        Chunk.build(
            "/log",
            timelines={STEP: pa.array([0, steps - 1], pa.int64())},
            components={TEXT: pa.array([["demo started"], ["demo finished"]], pa.list_(pa.utf8()))},
        ),
    ]


def write_demo(path: Path) -> None:
    store = StoreId(StoreKind.RECORDING, "rerun_demo", "demo")
    with path.open("wb") as sink, RrdEncoder(sink) as encoder:
        encoder.append(SetStoreInfo(store))
        for chunk in demo_chunks():
            encoder.append(ArrowMsg(store, chunk))


def print_recording(path: Path) -> None:
    with path.open("rb") as source:
        decoder = RrdDecoder(source)
        for msg in decoder:
            if isinstance(msg, SetStoreInfo):
                print(
                    f"store {msg.store_id.kind.name.lower()} app={msg.store_id.application_id} id={msg.store_id.recording_id}"
                )
            elif isinstance(msg, ArrowMsg):
                chunk = msg.chunk
                names = ", ".join(d.component for d in chunk.components)
                ranges = ", ".join(f"{t} {chunk.time_range(t)}" for t in chunk.timelines)
                print(f"  chunk {chunk.id} {chunk.entity_path}: {chunk.num_rows} rows [{ranges}] {names}")
        manifests = decoder.manifests()
    print(
        f"footer: {len(manifests)} manifest(s), {sum(m.chunks.num_rows for m in manifests)} chunk(s) indexed"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("out/demo.rrd"), help="where to write the recording")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_demo(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    print_recording(args.out)


if __name__ == "__main__":
    main()
