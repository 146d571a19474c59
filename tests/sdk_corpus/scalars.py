import math
import sys

import rerun as rr

rr.init("corpus", recording_id="scalars", send_properties=False)
rr.save(sys.argv[1])
rr.log("plots/sin", rr.SeriesLines(colors=[255, 0, 0], names="sin(x)"), static=True)
rr.log("plots/cos", rr.SeriesLines(colors=[0, 255, 0], names="cos(x)", widths=2.0), static=True)
rr.log("plots/pts", rr.SeriesPoints(markers="diamond", marker_sizes=3.0, colors=[0, 0, 255]), static=True)
for step in range(300):
    rr.set_time("step", sequence=step)
    rr.log("plots/sin", rr.Scalars(math.sin(step / 10)))
    rr.log("plots/cos", rr.Scalars(math.cos(step / 10)))
    rr.log("plots/pts", rr.Scalars([step, -step]))
