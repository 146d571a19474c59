import sys

import rerun as rr

rr.init("corpus", recording_id="properties", send_properties=False)
rr.save(sys.argv[1])
rr.send_recording_start_time_nanos(1_700_000_000_000_000_000)
rr.send_recording_name("my recording")
rr.send_property("experiment", rr.AnyValues(operator="alice", trial=3))
rr.log("data", rr.Scalars(1.0))
