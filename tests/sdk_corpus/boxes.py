import sys

import rerun as rr

rr.init("corpus", recording_id="boxes", send_properties=False)
rr.save(sys.argv[1])
rr.set_time("frame", sequence=0)
rr.log(
    "world/boxes",
    rr.Boxes3D(
        centers=[[0, 0, 0], [2, 0, 0], [4, 0, 0]],
        half_sizes=[[0.5, 0.5, 0.5], [1, 0.5, 0.25], [0.2, 0.2, 1]],
        quaternions=[rr.Quaternion(xyzw=[0, 0, 0, 1])] * 3,
        colors=[[255, 0, 0], [0, 255, 0], [0, 0, 255]],
        labels=["a", "b", "c"],
        fill_mode="solid",
    ),
)
rr.set_time("frame", sequence=1)
rr.log("world/boxes_sizes", rr.Boxes3D(mins=[0, 0, 0], sizes=[2, 4, 6]))
rr.log(
    "world/rotated",
    rr.Boxes3D(half_sizes=[1, 1, 1], rotations=rr.RotationAxisAngle(axis=[0, 0, 1], degrees=45)),
)
rr.log("image/boxes", rr.Boxes2D(mins=[[0, 0], [10, 10]], sizes=[[5, 5], [2, 3]], labels=["x", "y"]))
rr.log("image/xyxy", rr.Boxes2D(array=[0, 0, 4, 2], array_format=rr.Box2DFormat.XYXY))
