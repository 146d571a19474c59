import sys
from datetime import datetime, timedelta, timezone

import numpy as np

import rerun as rr

rr.init("corpus", recording_id="timelines", send_properties=False)
rr.save(sys.argv[1])
start = datetime(2024, 1, 1, 12, tzinfo=timezone.utc)
for i in range(20):
    rr.set_time("frame_nr", sequence=i)
    rr.set_time("sensor_time", timestamp=start + timedelta(milliseconds=10 * i))
    rr.set_time("elapsed", duration=0.5 * i)
    rr.log("sensor/value", rr.Scalars(i * 0.1))
rr.disable_timeline("sensor_time")
rr.log("sensor/only_frame_and_elapsed", rr.Scalars(1.0))
rr.reset_time()
rr.log("sensor/no_user_timeline", rr.Scalars(2.0))
rr.set_time("sensor_time", timestamp=np.datetime64("2024-01-01T12:00:01", "ns"))
rr.set_time("elapsed", duration=np.timedelta64(1500, "ms"))
rr.set_time("float_ts", timestamp=1704110400.25)
rr.log("sensor/np_time", rr.Scalars(3.0))
