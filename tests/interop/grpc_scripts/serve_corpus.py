"""Log several SDK-corpus scripts into one in-process proxy (``GrpcServerSink``), then keep serving.

    python serve_corpus.py PORT OUT_DIR SCRIPT...

Each script runs with ``rr.save(path)`` turned into ``rr.set_sinks(<the shared proxy sink>)`` and
``OUT_DIR/<script name>/out.rrd`` as its output path. Prints ``READY <url>`` once everything is in the
proxy, and serves until standard input closes.
"""

import runpy
import sys
from pathlib import Path

import rerun as rr

port, out_dir, scripts = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
sink = rr.GrpcServerSink(bind_ip="127.0.0.1", port=port)
rr.save = lambda path, default_blueprint=None, recording=None, **_: rr.set_sinks(  # type: ignore[assignment]
    sink, default_blueprint=default_blueprint, recording=recording
)
for script in scripts:
    sys.argv = [script, str(out_dir / Path(script).stem / "out.rrd")]
    runpy.run_path(script, run_name="__main__")
rr.rerun_shutdown()  # every recording's last batch into the proxy
print("READY", sink.uri, flush=True)
sys.stdin.read()
