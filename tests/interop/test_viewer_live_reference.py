"""The reference SDK (Rerun 0.41) streams into our running viewer: its data lands in the viewer's
store as sent, and a headless screenshot taken after shows it. Loopback only, every wait bounded."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from _grpc_helpers import OURS, clean_env, free_port, process, wait_listening

from rerun_core.query import latest_at
from rerun_viewer import RecordingSet
from rerun_viewer._live import LiveSources
from rerun_viewer._time import timeline_bounds

pytestmark = [pytest.mark.reference, pytest.mark.timeout(180)]

_SENDER = """
import sys, numpy as np, rerun as rr
rr.init("reference_sdk", recording_id="from_0_41")
rr.connect_grpc(sys.argv[1])
image = np.zeros((60, 80, 3), np.uint8)
image[...] = (255, 0, 255)
rr.log("image", rr.Image(image), static=True)
for step in range(5):
    rr.set_time("step", sequence=step)
    rr.log("scalar", rr.Scalars(step * 0.5))
    rr.log("points", rr.Points2D([[step, 2 * step]], colors=[0, 255, 0]))
rr.disconnect()
"""


def _require_gpu() -> None:
    from rerun_viewer import NoGpuAdapterError, get_gpu

    try:
        get_gpu()
    except NoGpuAdapterError as err:
        pytest.skip(f"no wgpu adapter: {err}")


def test_reference_sdk_data_lands_in_the_viewer_store(reference_python: Path) -> None:
    recordings = RecordingSet()
    sources = LiveSources(recordings)
    url = sources.serve(bind="127.0.0.1", port=0)
    try:
        subprocess.run([reference_python, "-c", _SENDER, str(url)], env=clean_env(), check=True, timeout=60)
        deadline = time.monotonic() + 30
        while not sources.settled(quiet_secs=0.3):
            assert time.monotonic() < deadline, "the reference SDK's data did not arrive"
            time.sleep(0.05)
    finally:
        sources.close()
    (recording,) = [r for r in recordings.recordings() if not r.is_blueprint]
    assert (recording.store_id.application_id, recording.name) == ("reference_sdk", "from_0_41")
    store = recording.store
    assert timeline_bounds(store, "step") == (0, 4)
    scalars = latest_at(store, "/scalar", "step", 3)["Scalars:scalars"].value.to_pylist()
    points = latest_at(store, "/points", "step", 4)["Points2D:positions"].value.to_pylist()
    assert scalars == [1.5] and points == [[4.0, 8.0]]


def test_reference_sdk_streams_into_our_viewer_and_the_screenshot_shows_it(
    tmp_path: Path, reference_python: Path
) -> None:
    _require_gpu()
    from PIL import Image

    port, out = free_port(), tmp_path / "from_reference.png"
    url = f"rerun+http://127.0.0.1:{port}/proxy"
    viewer_args: list[str | Path] = [*OURS, "--port", str(port), "--bind", "127.0.0.1"]
    viewer_args += ["--screenshot-to", out, "--window-size", "640x360"]
    with process(viewer_args, stderr=subprocess.PIPE) as viewer:
        wait_listening(port, viewer)
        subprocess.run([reference_python, "-c", _SENDER, url], env=clean_env(), check=True, timeout=60)
        _, stderr = viewer.communicate(timeout=90)
    assert viewer.returncode == 0, stderr
    pixels = np.asarray(Image.open(out).convert("RGB")).astype(np.int16)
    magenta = (np.abs(pixels - (255, 0, 255)).max(axis=2) < 8).mean()
    assert magenta > 0.05, f"the reference SDK's magenta image covers {magenta:.1%} of the shot"


def test_both_sdks_stream_into_one_running_viewer_at_once(reference_python: Path) -> None:
    """The reference SDK and ours log at the same time: two recordings, each complete, both listed."""
    _require_gpu()
    import rerun as rr
    from rerun_viewer import App

    with App(width=640, height=360) as app:
        url = app.serve(bind="127.0.0.1", port=0)
        sender = subprocess.Popen([reference_python, "-c", _SENDER, str(url)], env=clean_env())
        ours = rr.RecordingStream("our_sdk", recording_id="from_ours")
        ours.connect_grpc(str(url))
        for step in range(5):
            ours.set_time("step", sequence=step)
            ours.log("scalar", rr.Scalars(-step))
        ours.disconnect()
        assert sender.wait(60) == 0
        deadline = time.monotonic() + 30
        while not _complete(app.recordings, {"from_0_41": "/points", "from_ours": "/scalar"}):
            assert time.monotonic() < deadline, "not every SDK's data arrived"
            time.sleep(0.05)
        app.render()
        assert app.viewer is not None
        assert {r.name for r in app.viewer.recordings} == {"from_0_41", "from_ours"}


def _complete(recordings: RecordingSet, last_entity: dict[str, str]) -> bool:
    """Whether each recording has step 4 of the entity its SDK logs last."""
    with recordings.reading() as now:
        found = {r.name: r.store for r in now if not r.is_blueprint}
        return all(
            name in found
            and latest_at(found[name], entity, "step", 4)
            and timeline_bounds(found[name], "step") == (0, 4)
            for name, entity in last_entity.items()
        )
