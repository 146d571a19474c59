import sys

import numpy as np

import rerun as rr

rr.init("corpus", recording_id="lines", send_properties=False)
rr.save(sys.argv[1])
t = np.linspace(0, 10, 64)
helix = np.stack([np.cos(t), np.sin(t), t / 10], axis=1)
rr.log(
    "world/strips",
    rr.LineStrips3D(
        [helix, [[0, 0, 0], [1, 0, 0], [1, 1, 0]], [[0, 0, 1], [0, 0, 2]]],
        colors=[[255, 0, 0], [0, 255, 0], [0, 0, 255]],
        radii=[0.01, 0.02, 0.03],
        labels=["helix", "corner", "segment"],
    ),
)
rr.log("image/strips", rr.LineStrips2D([[[0, 0], [1, 1], [2, 0]]], radii=0.5, draw_order=3))
rr.log(
    "world/arrows",
    rr.Arrows3D(vectors=[[1, 0, 0], [0, 1, 0]], origins=[[0, 0, 0], [1, 1, 1]], colors=[255, 255, 0]),
)
rr.log("image/arrows", rr.Arrows2D(vectors=[[1, 0]], origins=[[0, 0]]))
