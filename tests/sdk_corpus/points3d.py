import sys

import numpy as np

import rerun as rr

rr.init("corpus", recording_id="points3d", send_properties=False)
rr.save(sys.argv[1])
rng = np.random.default_rng(0)
for frame in range(10):
    rr.set_time("frame", sequence=frame)
    rr.log(
        "world/points",
        rr.Points3D(
            rng.random((100, 3)), colors=rng.integers(0, 255, (100, 3), dtype=np.uint8), radii=rng.random(100)
        ),
    )
rr.log(
    "world/labeled",
    rr.Points3D(
        [[0, 0, 0], [1, 1, 1], [2, 2, 2]],
        colors=[255, 0, 0],
        radii=0.2,
        labels=["a", "b", "c"],
        class_ids=[1, 2, 3],
    ),
)
rr.log("world/shaded", rr.Points3D([1, 2, 3], point_shading="flat", show_labels=False, keypoint_ids=[4]))
