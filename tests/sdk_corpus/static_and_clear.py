import sys

import rerun as rr

rr.init("corpus", recording_id="static_and_clear", send_properties=False)
rr.save(sys.argv[1])
rr.log("/", rr.ViewCoordinates(xyz=[3, 1, 6]), static=True)
rr.log("config/value", rr.Scalars(1.0), static=True)
rr.log("config/value", rr.Scalars(2.0), static=True)
for step in range(3):
    rr.set_time("step", sequence=step)
    rr.log("temporal", rr.Scalars(float(step)))
rr.log("temporal", rr.Clear(recursive=False))
rr.log("gone", rr.Clear(recursive=True))
