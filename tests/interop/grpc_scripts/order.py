"""Log a little of everything to the proxy at ``URL`` (``python order.py URL``), for message-order checks."""

import sys

import rerun as rr
import rerun.blueprint as rrb

rr.init("order", recording_id="order")
rr.connect_grpc(sys.argv[1])
rr.set_time("frame", sequence=1)
rr.log("a", rr.Points3D([[1, 2, 3]]))
rr.log("s", rr.TextDocument("hi"), static=True)
rr.send_blueprint(rrb.Blueprint(rrb.TextLogView(origin="/logs")))
