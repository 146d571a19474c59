import sys

import numpy as np

import rerun as rr

rr.init("corpus", recording_id="points2d", send_properties=False)
rr.save(sys.argv[1])
for frame in range(5):
    rr.set_time("frame", sequence=frame)
    rr.log(
        "image/keypoints",
        rr.Points2D(
            np.arange(100, dtype=np.float32).reshape(50, 2) + frame,
            colors=(0, 128, 255, 200),
            radii=1.5,
            draw_order=10,
        ),
    )
