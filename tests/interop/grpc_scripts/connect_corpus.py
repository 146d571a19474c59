"""Run an SDK-corpus script with ``rr.save(path)`` turned into ``rr.connect_grpc(URL)``.

    python connect_corpus.py URL SCRIPT OUT

Works under our SDK and the reference alike (only public API). ``OUT`` is passed to the script as its
output path (some scripts put helper files beside it) but nothing is saved there.
"""

import runpy
import sys

import rerun as rr

url, script, out = sys.argv[1:4]
rr.save = lambda path, default_blueprint=None, recording=None, **_: rr.connect_grpc(  # type: ignore[assignment]
    url, default_blueprint=default_blueprint, recording=recording
)
sys.argv = [script, out]
runpy.run_path(script, run_name="__main__")
