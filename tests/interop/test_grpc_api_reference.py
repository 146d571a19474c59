"""The live-streaming API as the reference has it: signatures (names, order, kinds and defaults of
parameters) and the order of the messages an SDK sends."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest
from _grpc_helpers import SCRIPTS, clean_env

import rerun as rr
from rerun_core import ArrowMsg, SetStoreInfo
from rerun_core.grpc.server import MessageProxyServer
from rerun_core.grpc.wire import decode_log_msg

pytestmark = pytest.mark.reference

NAMES = [
    "connect_grpc", "serve_grpc", "spawn", "GrpcSink", "GrpcServerSink", "init", "set_sinks", "disconnect",
    "RecordingStream.connect_grpc", "RecordingStream.serve_grpc", "RecordingStream.spawn",
    "RecordingStream.flush", "RecordingStream.disconnect",
]  # fmt: skip

_DESCRIBE = """
import inspect, json, sys
import rerun as rr

def describe(obj):
    return [[p.name, p.kind.name, None if p.default is inspect.Parameter.empty else repr(p.default)]
            for p in inspect.signature(obj).parameters.values() if p.name != "self"]

out = {}
for name in sys.argv[1:]:
    obj = rr
    for part in name.split("."):
        obj = getattr(obj, part)
    out[name] = describe(obj)
print(json.dumps(out))
"""


def describe(obj: object) -> list[list[str | None]]:
    return [
        [p.name, p.kind.name, None if p.default is inspect.Parameter.empty else repr(p.default)]
        for p in inspect.signature(obj).parameters.values()  # type: ignore[arg-type]
        if p.name != "self"
    ]


def test_signatures_match_the_reference(reference_python: Path) -> None:
    result = subprocess.run(
        [str(reference_python), "-c", _DESCRIBE, *NAMES],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    theirs = json.loads(result.stdout)
    for name in NAMES:
        obj: object = rr
        for part in name.split("."):
            obj = getattr(obj, part)
        assert describe(obj) == theirs[name], name


def sent_by(python: Path | str) -> list[str]:
    """What ``grpc_scripts/order.py`` sends, in arrival order, one short label per message."""
    labels = []
    with MessageProxyServer(bind="127.0.0.1", port=0) as proxy:
        arrivals = proxy.subscribe()
        subprocess.run([str(python), str(SCRIPTS / "order.py"), str(proxy.url)], env=clean_env(),
                       capture_output=True, timeout=120, check=True)  # fmt: skip
        while (message := arrivals.get(timeout=0.5)) is not None:
            msg = decode_log_msg(message)
            if isinstance(msg, SetStoreInfo):
                labels.append(f"info {msg.store_id.kind.name}")
            elif isinstance(msg, ArrowMsg):
                labels.append(f"chunk {msg.store_id.kind.name} {msg.chunk.entity_path.split('/')[1]}")
            else:
                labels.append("activate")
    return labels


def test_message_order_matches_the_reference(reference_python: Path) -> None:
    theirs, ours = sent_by(reference_python), sent_by(sys.executable)
    start = ["info RECORDING", "info RECORDING", "chunk RECORDING __properties"]  # then blueprint and data
    assert theirs[:3] == ours[:3] == start
    assert sorted(theirs) == sorted(ours)
    for labels in (theirs, ours):  # a blueprint store is announced (twice) before its chunks, activated last
        blueprint = [label for label in labels if "BLUEPRINT" in label or label == "activate"]
        assert blueprint[:2] == ["info BLUEPRINT"] * 2 and blueprint[-1] == "activate"
