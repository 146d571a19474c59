import sys

import rerun as rr

rr.init("corpus", recording_id="transforms", send_properties=False)
rr.save(sys.argv[1])
rr.log(
    "world",
    rr.ViewCoordinates.RIGHT_HAND_Z_UP
    if hasattr(rr.ViewCoordinates, "RIGHT_HAND_Z_UP")
    else rr.ViewCoordinates(xyz=[3, 5, 1]),
    static=True,
)
rr.log("world/robot", rr.Transform3D(translation=[0, 0, 1]), static=True)
for step in range(20):
    rr.set_time("step", sequence=step)
    rr.log(
        "world/robot/arm",
        rr.Transform3D(
            rotation=rr.RotationAxisAngle(axis=[0, 0, 1], degrees=step * 5), translation=[1, 0, 0]
        ),
    )
    rr.log(
        "world/robot/arm/hand", rr.Transform3D(translation=[0.5, 0, 0], scale=1.5, quaternion=[0, 0, 0, 1])
    )
    rr.log("world/robot/arm/hand/tip", rr.Points3D([0, 0, 0]))
rr.log("world/robot/arm/hand", rr.TransformAxes3D(axis_length=0.2), static=True)
rr.log("world/mat", rr.Transform3D(mat3x3=[1, 0, 0, 0, 1, 0, 0, 0, 1]))
