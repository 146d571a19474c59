import sys

import rerun as rr

rr.init("corpus", recording_id="partial_updates", send_properties=False)
rr.save(sys.argv[1])
rr.set_time("frame", sequence=0)
rr.log("pts", rr.Points3D([[0, 0, 0], [1, 1, 1]], colors=[255, 0, 0]))
rr.set_time("frame", sequence=1)
rr.log("pts", rr.Points3D.from_fields(radii=[0.1, 0.2]))
rr.set_time("frame", sequence=2)
rr.log("pts", rr.Points3D.cleared())
rr.log(["list", "of parts", 3], rr.Points3D([1, 2, 3]))
rr.log(
    "extra",
    rr.Points3D([1, 2, 3]),
    [rr.components.ColorBatch([0, 0, 255]).described(rr.Points3D.descriptor_colors())],
)
