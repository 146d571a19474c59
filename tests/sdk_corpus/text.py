import sys

import rerun as rr

rr.init("corpus", recording_id="text", send_properties=False)
rr.save(sys.argv[1])
levels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL"]
for step in range(12):
    rr.set_time("step", sequence=step)
    rr.log("logs", rr.TextLog(f"message {step}", level=levels[step % 6]))
rr.log("logs/colored", rr.TextLog("custom", level="USER", color=[255, 0, 255]))
rr.log("readme", rr.TextDocument("# Hello\nworld", media_type="text/markdown"), static=True)
