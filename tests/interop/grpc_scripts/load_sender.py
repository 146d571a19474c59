"""Send ``N`` one-row chunks (``rr.send_columns``) as recording ``proc<K>`` to the proxy at ``URL``.

    python load_sender.py URL K N

Row ``i`` holds the scalar ``K * 1e6 + i`` on sequence timeline ``i``, so a receiver can check that every
chunk arrived, once, intact. The flush at exit is bounded; its time is printed.
"""

import sys
import time

import rerun as rr

url, k, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rr.init("load", recording_id=f"proc{k}", send_properties=False)
rr.connect_grpc(url)
started = time.monotonic()
for i in range(n):
    rr.send_columns(
        "data", indexes=[rr.TimeColumn("i", sequence=[i])], columns=rr.Scalars.columns(scalars=[k * 1e6 + i])
    )
rr.get_global_data_recording().flush(timeout_sec=120)
print(f"proc{k}: {n} chunks in {time.monotonic() - started:.1f}s", flush=True)
