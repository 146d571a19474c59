import sys

import numpy as np

import rerun as rr

rr.init("corpus", recording_id="images", send_properties=False)
rr.save(sys.argv[1])
rng = np.random.default_rng(1)
for frame in range(3):
    rr.set_time("frame", sequence=frame)
    rr.log("camera/rgb", rr.Image(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8)))
rr.log("camera/gray", rr.Image(rng.random((8, 6), dtype=np.float32)))
rr.log("camera/rgba16", rr.Image(rng.integers(0, 60000, (4, 5, 4), dtype=np.uint16)))
rr.log("camera/bgr", rr.Image(rng.integers(0, 255, (4, 5, 3), dtype=np.uint8), color_model="BGR"))
rr.log("camera/nv12", rr.Image(bytes=bytes(range(24)), width=4, height=4, pixel_format=rr.PixelFormat.NV12))
rr.log("camera", rr.Pinhole(focal_length=50, width=64, height=48), static=True)
rr.log(
    "camera/depth",
    rr.DepthImage(rng.integers(0, 5000, (48, 64), dtype=np.uint16), meter=1000, colormap="viridis"),
)
rr.log("camera/seg", rr.SegmentationImage(rng.integers(0, 4, (48, 64), dtype=np.uint8), opacity=0.5))
