"""Remote control across implementations: 0.41's ``rerun.experimental.ViewerClient`` drives our
headless viewer (``rerun --headless``), and our ``ViewerClient`` drives 0.41's. Loopback only, every
wait bounded, every process killed at the end."""

from __future__ import annotations

import io
import json
import subprocess
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from _grpc_helpers import OURS, clean_env, free_port, process, wait_listening

from _support import FIXTURES
from rerun.experimental import ViewerClient, ViewerState
from rerun_core.proto import viewer_control_pb2 as pb
from rerun_viewer import load_recordings
from rerun_viewer._control_state import recording_schema

pytestmark = [pytest.mark.reference, pytest.mark.timeout(240)]

_LOG = """
import sys, numpy as np, rerun as rr
rr.init("control_interop", recording_id=sys.argv[2])
rr.save(sys.argv[1])
image = np.zeros((60, 80, 3), np.uint8)
image[...] = (255, 0, 255)
rr.log("image", rr.Image(image), static=True)
for step in range(5):
    rr.set_time("step", sequence=step)
    rr.log("scalar", rr.Scalars(step * 0.5))
"""

# Run by the reference Python: drives the viewer on argv[1], writes what it saw as JSON to argv[2].
_DRIVE_WITH_REFERENCE = """
import dataclasses, json, sys, time
from rerun.experimental import ViewerClient
client = ViewerClient.connect(f"rerun+http://127.0.0.1:{sys.argv[1]}/proxy")
out = sys.argv[2]
deadline = time.monotonic() + 60
while not (state := client.get_state()).recordings or state.loading:
    assert time.monotonic() < deadline, "the viewer never showed the file"
    time.sleep(0.2)
image_view = next(v for v in state.views if v.view_class == "2D")
client.save_screenshot(f"{out}/whole.png")
client.save_screenshot(f"{out}/view.png", view_id=image_view.view_id)
client.set_time("step", sequence=2)
seeked = client.get_state()
opened = client.open(sys.argv[3])
shot = client.take_screenshot(max_size=100)
closed = client.close(sys.argv[3])
errors = []
for call in (lambda: client.save_screenshot(f"{out}/x.png", view_id="not-a-uuid"),
             lambda: client.set_time("nosuch", sequence=1),
             lambda: client.highlight_rect((0, 0, 10, 10))):
    try:
        call()
    except Exception as err:
        errors.append(str(err).splitlines()[0])
result = {"before": dataclasses.asdict(state), "after": dataclasses.asdict(seeked), "errors": errors,
          "opened": dataclasses.asdict(opened), "closed": closed, "shot": shot.hex(),
          "schema": dataclasses.asdict(client.get_recording_schema()), "blueprint": client.get_blueprint().blueprint}
open(f"{out}/result.json", "w").write(json.dumps(result))
"""


def _pixels(path: Path) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(path).convert("RGB")).astype(int)


def _magenta_share(pixels: np.ndarray) -> float:
    return float((np.abs(pixels - (255, 0, 255)).max(axis=2) < 8).mean())


def _require_gpu() -> None:
    from rerun_viewer import NoGpuAdapterError, get_gpu

    try:
        get_gpu()
    except NoGpuAdapterError as err:
        pytest.skip(f"no wgpu adapter: {err}")


def test_the_reference_client_drives_our_headless_viewer(tmp_path: Path, reference_python: Path) -> None:
    _require_gpu()
    recording = tmp_path / "magenta.rrd"
    second = tmp_path / "second.rrd"
    for path, name in ((recording, "magenta"), (second, "second")):
        subprocess.run([reference_python, "-c", _LOG, path, name], env=clean_env(), check=True, timeout=60)
    port = free_port()
    viewer_args: list[str | Path] = [*OURS, "--headless", "--port", str(port), "--bind", "127.0.0.1"]
    with process([*viewer_args, "--window-size", "640x360", recording], stderr=subprocess.PIPE) as viewer:
        wait_listening(port, viewer)
        drive: list[str | Path] = [reference_python, "-c", _DRIVE_WITH_REFERENCE, str(port), tmp_path, second]
        done = subprocess.run(drive, env=clean_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "result.json").read_text())

    before, after = result["before"], result["after"]
    assert before["active_recording"] == "Recording:control_interop:magenta"
    (shown,) = before["recordings"]
    assert (shown["current_timeline"], shown["current_time"]) == ("step", 4)
    assert after["recordings"][0]["current_time"] == 2
    assert result["opened"] == {"store_ids": ["Recording:control_interop:second"], "loading": []}
    assert result["closed"] == ["Recording:control_interop:second"]
    from PIL import Image

    assert Image.open(io.BytesIO(bytes.fromhex(result["shot"]))).size == (
        100,
        56,
    )  # 640x360, longest side 100
    assert sorted(v["view_class"] for v in before["views"]) == ["2D", "TimeSeries"]
    assert [e["entity_path"] for e in result["schema"]["entities"]] == ["/image", "/scalar", "/__properties"]
    views = {(v["view_class"], v["origin"]): v["view_id"] for v in before["views"]}
    image_view = result["blueprint"][f"/view/{views['2D', '/image']}"]["ViewBlueprint"]
    assert (image_view["class_identifier"], image_view["space_origin"]) == ("2D", "/image")
    assert result["errors"] == [
        "Failed to parse view id 'not-a-uuid', expected a UUID (InvalidArgument)",
        'recording magenta has no timeline "nosuch"; available: ["log_time", "step"] (InvalidArgument)',
        "`highlight_rect` requests are not supported by this viewer (Unimplemented)",
    ]

    whole, view = _pixels(tmp_path / "whole.png"), _pixels(tmp_path / "view.png")
    assert whole.shape == (360, 640, 3)  # --window-size, written by the viewer process
    assert 0.03 < _magenta_share(whole) < 0.5
    assert view.shape[0] < 360 and view.shape[1] < 640 and _magenta_share(view) > 0.6


def test_our_client_drives_the_reference_viewer(reference_rerun: Path) -> None:
    from PIL import Image

    port = free_port()
    args: list[str | Path] = [reference_rerun, "--headless", "--port", str(port), FIXTURES / "points3d.rrd"]
    with process(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as viewer:
        wait_listening(port, viewer, timeout_secs=60)
        client = ViewerClient.connect(f"rerun+http://127.0.0.1:{port}/proxy")
        state = _wait_shown(client)
        (shown,) = state.recordings
        assert shown.store_id.startswith("Recording:") and shown.store_id.endswith(":points3d")
        frame = next(t for t in shown.timelines if t.name == "frame")
        assert (frame.time_type, frame.start, frame.end) == ("sequence", 0, 10)
        assert (shown.current_timeline, state.viewer_version) == ("frame", "0.41.0")  # it plays on load
        assert [(v.view_class, v.origin) for v in state.views] == [("3D", "/")]

        theirs = client.get_recording_schema()
        (ours,) = [r for r in load_recordings([FIXTURES / "points3d.rrd"]) if not r.is_blueprint]
        expected = recording_schema(ours, None, pb.GetRecordingSchemaRequest(with_archetypes=False))
        assert [(e.entity_path, [(c.component, c.archetype, c.component_type, c.datatype, c.has_static)
                                 for c in e.components]) for e in theirs.entities] == [
            (e.entity_path, [(c.component, c.archetype, c.component_type, c.datatype, c.has_static)
                             for c in e.components]) for e in expected.entities
        ]  # fmt: skip

        client.set_time("frame", sequence=3, play_state="paused")
        assert client.get_state().recordings[0].current_time == 3
        with pytest.raises(ConnectionError, match=r'no timeline "nosuch".*\(InvalidArgument\)'):
            client.set_time("nosuch", sequence=1)
        shot = Image.open(io.BytesIO(client.take_screenshot(max_size=400)))
        assert shot.format == "PNG" and max(shot.size) == 400
        assert client.close("current") == [shown.store_id]
        assert client.get_state().recordings == []

        client.send_table("my_table", pa.record_batch({"a": [1, 2, 3], "b": ["x", "y", "z"]}))
        deadline = time.monotonic() + 30
        while (location := client.get_state().location) != "about:table?id=my_table":
            assert time.monotonic() < deadline, f"the table never showed: {location!r}"
            time.sleep(0.2)
        assert [entry for entry in client.get_logs() if entry.level == "ERROR"] == []


def _wait_shown(client: ViewerClient, timeout_secs: float = 60) -> ViewerState:
    """The state once the viewer shows its file, with its views (it may still be starting)."""
    deadline = time.monotonic() + timeout_secs
    while True:
        try:
            state = client.get_state()
            if state.recordings and not state.loading and state.views:
                return state
        except ConnectionError:
            pass
        assert time.monotonic() < deadline, "the reference viewer never showed the file"
        time.sleep(0.2)


# Run by the reference Python: one recording and its blueprint, sent to every viewer URL given.
_SEND_WITH_BLUEPRINT = """
import sys, rerun as rr, rerun.blueprint as rrb
rr.init("bp_interop", recording_id="bp1")
rr.set_sinks(*(rr.GrpcSink(url) for url in sys.argv[1:]))
rr.send_blueprint(rrb.Blueprint(
    rrb.Horizontal(rrb.Spatial3DView(origin="/world", name="My 3D"), rrb.TimeSeriesView(origin="/plots", name="Plots"),
                   column_shares=[3, 2]),
    collapse_panels=True,
))
for step in range(3):
    rr.set_time("step", sequence=step)
    rr.log("world/points", rr.Points3D([[0, 0, step]]))
    rr.log("plots/a", rr.Scalars(step))
rr.disconnect()
"""


def test_both_viewers_report_the_blueprint_the_sdk_sent_alike(
    reference_rerun: Path, reference_python: Path
) -> None:
    """The same blueprint, streamed by 0.41's SDK to 0.41's viewer and to ours, reads back the same:
    every entity, archetype and field, and the views' ids in ``get_state`` are the blueprint's."""
    _require_gpu()
    ports = free_port(), free_port()
    urls = [f"rerun+http://127.0.0.1:{port}/proxy" for port in ports]
    ours: list[str | Path] = [*OURS, "--headless", "--bind", "127.0.0.1", "--window-size", "640x360"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    with (
        process([reference_rerun, "--headless", "--port", str(ports[0])], **quiet) as reference_viewer,
        process([*ours, "--port", str(ports[1])], **quiet) as our_viewer,
    ):
        wait_listening(ports[0], reference_viewer, timeout_secs=60)
        wait_listening(ports[1], our_viewer, timeout_secs=60)
        sender: list[str | Path] = [reference_python, "-c", _SEND_WITH_BLUEPRINT, *urls]
        subprocess.run(sender, env=clean_env(), check=True, timeout=60)
        clients = [ViewerClient.connect(url) for url in urls]
        states = [_wait_shown(client) for client in clients]
        theirs, mine = (client.get_blueprint() for client in clients)

    # 0.41's viewer notes in the blueprint that it follows live data; the SDK did not send that
    theirs.blueprint.get("/time_panel", {}).get("TimePanelBlueprint", {}).pop("play_state", None)
    assert mine.blueprint == theirs.blueprint
    assert mine.store_id == theirs.store_id == "Recording:bp_interop:bp1"
    assert mine.blueprint_id.startswith("Blueprint:bp_interop:rec_")
    assert sorted((v.view_id, v.name) for v in states[1].views) == sorted(
        (v.view_id, v.name) for v in states[0].views
    )
    assert {f"view/{v.view_id}" for v in states[1].views} == set(
        mine.blueprint[f"/container/{mine.blueprint['/viewport']['ViewportBlueprint']['root_container']}"][
            "ContainerBlueprint"
        ]["contents"]
    )
