"""A logger whose endpoint dies and comes back, driven step by step through stdin/stdout.

    python fault_sender.py URL

1. logs values 0..99 and flushes, prints ``SENT 0``, waits for a line on stdin;
2. logs 100..199 (10 ms apart: the test kills the receiver meanwhile), then ``flush(timeout_sec=1)``;
   prints ``LOGGED <slowest log call, s> FLUSH <flush seconds> <error or ok>``, waits for a line;
3. logs 200..299, flushes (30 s), prints ``SENT 2`` and exits through the normal at-exit flush.
"""

import sys
import time

import rerun as rr


def log_range(start: int, stop: int, pause: float = 0.0) -> float:
    slowest = 0.0
    for i in range(start, stop):
        began = time.monotonic()
        rr.set_time("i", sequence=i)
        rr.log("value", rr.Scalars(float(i)))
        slowest = max(slowest, time.monotonic() - began)
        time.sleep(pause)
    return slowest


rr.init("fault", recording_id="fault", send_properties=False)
rr.connect_grpc(sys.argv[1])
recording = rr.get_global_data_recording()
log_range(0, 100)
recording.flush(timeout_sec=30)
print("SENT 0", flush=True)
sys.stdin.readline()
slowest = log_range(100, 200, pause=0.01)
began = time.monotonic()
try:
    recording.flush(timeout_sec=1)
    outcome = "ok"
except RuntimeError as err:
    outcome = type(err).__name__
print(f"LOGGED {slowest:.3f} FLUSH {time.monotonic() - began:.3f} {outcome}", flush=True)
sys.stdin.readline()
log_range(200, 300)
recording.flush(timeout_sec=30)
print("SENT 2", flush=True)
