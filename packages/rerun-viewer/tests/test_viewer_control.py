"""Remote control of a running viewer (``ViewerControlService``): requests queued for the UI thread,
the state and schema it reports, screenshots of the whole viewer or one view, the time cursor,
opening and closing recordings, and the errors of what it cannot do. Loopback only, waits bounded."""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import numpy as np
import pytest
from _viewer_support import fixture, require_gpu

import rerun as rr
from rerun.experimental import ViewerClient, ViewerState
from rerun_core.log_msg import StoreId, StoreKind
from rerun_core.proto import viewer_control_pb2 as pb
from rerun_core.proto import viewer_control_pb2_grpc
from rerun_viewer import App, RecordingSet, load_recordings
from rerun_viewer._control import ControlError, UiQueue
from rerun_viewer._control_state import format_store_id, parse_store_id, recording_schema
from rerun_viewer._live import LiveSources

pytestmark = pytest.mark.timeout(120)
MAGENTA = np.array([255, 0, 255])


# ---- without a GPU ------------------------------------------------------------------------------


def test_ui_queue_runs_work_on_the_ui_thread_and_hands_back_results_and_errors() -> None:
    ui = UiQueue()
    ran_on: list[str] = []
    results: dict[str, object] = {}

    def work() -> int:
        ran_on.append(threading.current_thread().name)
        return 42

    def caller() -> None:
        results["value"] = ui.call(work)
        try:
            ui.call(lambda: 1 / 0)
        except ZeroDivisionError as err:
            results["error"] = err

    thread = threading.Thread(target=caller, name="grpc-thread")
    thread.start()
    deadline = time.monotonic() + 10
    while thread.is_alive():
        assert time.monotonic() < deadline, "the caller never got its answers"
        if ui.wait(0.05):
            ui.run_pending()
    assert ran_on == [threading.current_thread().name]
    assert results["value"] == 42 and isinstance(results["error"], ZeroDivisionError)


def test_ui_queue_gives_up_when_the_ui_thread_never_runs_it() -> None:
    ui, ran = UiQueue(), []
    with pytest.raises(ControlError) as caught:
        ui.call(lambda: ran.append(1), timeout_secs=0.1)
    assert caught.value.code == "DEADLINE_EXCEEDED" and "0.1 s" in str(caught.value)
    assert ui.run_pending() == 0 and ran == []  # cancelled: it never runs later


def test_store_ids_escape_colons_in_the_application_id() -> None:
    store_id = StoreId(StoreKind.RECORDING, r"app:with\colon", "rec:1")
    text = format_store_id(store_id)
    assert text == r"Recording:app\:with\\colon:rec:1"
    assert parse_store_id(text) == store_id
    assert parse_store_id("Blueprint:app:bp") == StoreId(StoreKind.BLUEPRINT, "app", "bp")
    for bad in ("bogus", "Recording:only_app", "Table:a:b"):
        with pytest.raises(ControlError, match="is not a store id") as caught:
            parse_store_id(bad)
        assert caught.value.code == "INVALID_ARGUMENT"


def test_recording_schema_lists_what_the_reference_viewer_lists() -> None:
    """Facts from 0.41's answer for points3d.rrd: path order with the properties last, components
    sorted, value datatypes as Rust prints them, statics flagged."""
    (recording,) = [r for r in load_recordings([fixture("points3d.rrd")]) if not r.is_blueprint]
    schema = recording_schema(recording, None, pb.GetRecordingSchemaRequest(with_archetypes=False))
    assert [e.entity_path for e in schema.entities] == ["/world/labeled", "/world/points", "/__properties"]
    labeled = {c.component: c for c in schema.entities[0].components}
    assert list(labeled) == [
        f"Points3D:{name}" for name in ("class_ids", "colors", "labels", "positions", "radii")
    ]
    positions = labeled["Points3D:positions"]
    assert (positions.archetype, positions.component_type) == (
        "rerun.archetypes.Points3D",
        "rerun.components.Position3D",
    )
    assert positions.datatype == "FixedSizeList(3 x non-null Float32)" and not positions.has_static
    assert (
        labeled["Points3D:labels"].datatype == "Utf8" and labeled["Points3D:class_ids"].datatype == "UInt16"
    )
    (start_time,) = schema.entities[2].components
    assert start_time.datatype == "Int64" and start_time.has_static
    frame = schema.timelines[0]
    assert (frame.timeline.name, frame.time_range.start, frame.time_range.end) == ("frame", 0, 10)

    paths_only = recording_schema(
        recording,
        None,
        pb.GetRecordingSchemaRequest(entity_path="/world", max_entities=1, with_components=False),
    )
    assert [e.entity_path for e in paths_only.entities] == [
        "/world/labeled"
    ] and paths_only.omitted_entities == 1
    assert list(paths_only.entities[0].archetypes) == ["rerun.archetypes.Points3D"]
    assert not paths_only.entities[0].components


# ---- a served viewer ----------------------------------------------------------------------------


def _log_file(path: Path, recording_id: str, color: tuple[int, int, int] = (255, 0, 255)) -> Path:
    """A solid 80x60 image (static) and a scalar on ``step`` 0..4, as our SDK writes them."""
    stream = rr.RecordingStream("control_test", recording_id=recording_id)
    stream.save(str(path))
    image = np.empty((60, 80, 3), np.uint8)
    image[...] = color
    stream.log("image", rr.Image(image), static=True)
    for step in range(5):
        stream.set_time("step", sequence=step)
        stream.log("scalar", rr.Scalars(step * 0.5))
    stream.flush()
    stream.disconnect()
    return path


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[App, ViewerClient]]:
    """An app at 800x450 showing one recording, a UI thread answering requests, and our client."""
    require_gpu()
    with App(width=800, height=450) as app:
        url = app.serve(bind="127.0.0.1", port=0)
        app.open(str(_log_file(tmp_path / "first.rrd", "first")))
        while app.sources.loading:
            time.sleep(0.02)
        stop = threading.Event()

        def ui_thread() -> None:
            while not stop.is_set():
                app.ui.wait(0.05)
                app.process_requests()

        thread = threading.Thread(target=ui_thread, name="ui")
        thread.start()
        try:
            yield app, ViewerClient.connect(str(url))
        finally:
            stop.set()
            thread.join(10)


def _png(data: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def _share(pixels: np.ndarray, color: np.ndarray) -> float:
    return float((np.abs(pixels - color).max(axis=2) < 8).mean())


def test_state_reports_the_recording_its_cursor_and_views_with_stable_ids(
    served: tuple[App, ViewerClient],
) -> None:
    _, client = served
    state = client.get_state()
    assert state.active_recording == "Recording:control_test:first" and state.viewer_version == "0.41.0"
    (recording,) = state.recordings
    assert recording.location == "about:recording?app_id=control_test&recording_id=first"
    step = next(t for t in recording.timelines if t.name == "step")
    assert (step.time_type, step.start, step.end) == ("sequence", 0, 4)
    assert (recording.current_timeline, recording.current_time) == ("step", 4)
    assert sorted((v.view_class, v.origin) for v in state.views) == [
        ("2D", "/image"),
        ("TimeSeries", "/scalar"),
    ]
    assert [v.view_id for v in client.get_state().views] == [v.view_id for v in state.views]
    assert state.loading == [] and state.location == recording.location == client.get_location()


def test_screenshots_of_the_viewer_and_of_one_view(served: tuple[App, ViewerClient], tmp_path: Path) -> None:
    _, client = served
    whole = _png(client.take_screenshot())
    assert whole.shape == (450, 800, 3)
    assert 0.05 < _share(whole, MAGENTA) < 0.5  # the image, among panels
    image_view = next(v for v in client.get_state().views if v.view_class == "2D")
    view = _png(client.take_screenshot(image_view.view_id))
    assert view.shape[0] < 450 and view.shape[1] < 800
    assert _share(view, MAGENTA) > 0.6  # the view is (almost) all image
    assert max(_png(client.take_screenshot(max_size=200)).shape[:2]) == 200

    target = tmp_path / "shot.png"
    client.save_screenshot(str(target), view_id=image_view.view_id)
    assert np.array_equal(_png(target.read_bytes()), view)


def test_screenshot_errors_say_what_was_wrong_and_land_in_the_logs(
    served: tuple[App, ViewerClient], tmp_path: Path
) -> None:
    _, client = served
    with pytest.raises(
        ConnectionError, match=r"Failed to parse view id 'nope', expected a UUID \(InvalidArgument\)"
    ):
        client.take_screenshot("nope")
    with pytest.raises(
        ConnectionError, match=r"View 00000000-0000-0000-0000-000000000000 not found \(NotFound\)"
    ):
        client.take_screenshot("00000000-0000-0000-0000-000000000000")
    missing = tmp_path / "no_such_dir" / "shot.png"
    with pytest.raises(ConnectionError, match=r"Failed to save screenshot to .*no_such_dir.* \(Internal\)"):
        client.save_screenshot(str(missing))
    (entry,) = [e for e in client.get_logs() if "Failed to save screenshot" in e.message]
    assert entry.level == "ERROR" and client.get_logs(after_sequence=entry.sequence) == []


def test_time_cursor_timeline_and_play_state(served: tuple[App, ViewerClient]) -> None:
    app, client = served
    client.set_time("step", sequence=2)
    (recording,) = client.get_state().recordings
    assert (recording.current_timeline, recording.current_time) == ("step", 2)
    client.set_time(play_state="playing")
    assert app.ui.call(lambda: app.viewer is not None and app.viewer.state.playback.playing)
    client.set_time(play_state="following")
    assert client.get_state().recordings[0].current_time == 4
    assert not app.ui.call(lambda: app.viewer is not None and app.viewer.state.playback.playing)
    with pytest.raises(ConnectionError, match=r'has no timeline "nosuch"; available: \["log_time", "step"\]'):
        client.set_time("nosuch", sequence=1)
    with pytest.raises(ConnectionError, match=r"recording Recording:a:b is not open \(NotFound\)"):
        client.set_time("step", sequence=1, recording="Recording:a:b")


def test_open_and_close_recordings(served: tuple[App, ViewerClient], tmp_path: Path) -> None:
    _, client = served
    second = _log_file(tmp_path / "second.rrd", "second", color=(0, 255, 0))
    opened = client.open(str(second), navigate=False)
    assert opened.store_ids == ["Recording:control_test:second"] and opened.loading == []
    assert client.get_state().active_recording == "Recording:control_test:first"
    locations = {r.store_id: r.location for r in client.get_state().recordings}
    client.set_location(locations["Recording:control_test:second"])
    assert client.get_state().active_recording == "Recording:control_test:second"
    client.set_location(locations["Recording:control_test:first"])
    with pytest.raises(ConnectionError, match=r"unknown location 'settings'.*\(InvalidArgument\)"):
        client.set_location("settings")
    with pytest.raises(ConnectionError, match=r"does not have .*recording_id=nope open \(NotFound\)"):
        client.set_location("about:recording?app_id=control_test&recording_id=nope")
    assert client.open(str(second)).store_ids == opened.store_ids  # already open: only shown
    assert client.get_state().active_recording == "Recording:control_test:second"
    assert _share(_png(client.take_screenshot()), np.array([0, 255, 0])) > 0.05

    with pytest.raises(ConnectionError, match=r"no such file: '/nonexistent\.rrd' \(NotFound\)"):
        client.open("/nonexistent.rrd")
    with pytest.raises(ConnectionError, match=r"no such recording: Recording:a:b \(NotFound\)"):
        client.close(store_ids=["Recording:a:b", "Recording:control_test:first"])
    assert len(client.get_state().recordings) == 2  # an unknown id closes nothing
    assert client.close(str(second)) == ["Recording:control_test:second"]
    assert client.get_state().active_recording == "Recording:control_test:first"
    assert client.close("all") == ["Recording:control_test:first"]
    state = client.get_state()
    assert (state.recordings, state.active_recording, state.views) == ([], None, [])
    with pytest.raises(ConnectionError, match=r"no active recording to close \(NotFound\)"):
        client.close("current")


def test_requests_it_does_not_serve_are_refused_by_name(served: tuple[App, ViewerClient]) -> None:
    _, client = served
    proxy = client.url.removeprefix("rerun+http://").removesuffix("/proxy")
    with grpc.insecure_channel(proxy) as channel:
        stub = viewer_control_pb2_grpc.ViewerControlServiceStub(channel)
        with pytest.raises(grpc.RpcError) as caught:
            stub.ViewerControl(pb.ViewerControlRequest(highlight_rect=pb.HighlightRectRequest()), timeout=10)
        assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED
        assert "`highlight_rect`" in str(caught.value.details())
        with pytest.raises(grpc.RpcError) as caught:
            stub.ViewerControl(pb.ViewerControlRequest(), timeout=10)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "kind` is unset" in str(caught.value.details())


def test_a_spawned_headless_viewer_serves_control_and_renders_on_request(tmp_path: Path) -> None:
    """``ViewerClient.spawn(headless=True)`` starts our ``rerun --headless``: no window, but it opens
    files, shoots on request (the PNG written by the viewer process), and ``quit`` ends it."""

    require_gpu()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    rerun_cli = Path(sys.executable).with_name("rerun")
    client = ViewerClient.spawn(headless=True, port=port, executable_path=str(rerun_cli))
    try:
        assert _answering(client, lambda state: True).recordings == []  # it may start slowly under load
        opened = client.open(str(_log_file(tmp_path / "spawned.rrd", "spawned")))
        assert opened.store_ids == ["Recording:control_test:spawned"]
        target = tmp_path / "spawned.png"
        client.save_screenshot(str(target))
        pixels = _png(target.read_bytes())
        assert pixels.shape == (1080, 1920, 3) and _share(pixels, MAGENTA) > 0.03  # 0.41's headless size
    finally:
        process = client._process
        client.quit()
    assert process is not None and process.returncode is not None


def test_a_stopped_source_keeps_what_it_delivered_and_reads_no_more() -> None:
    """What ``close`` by URL does to the source: its reader ends at the next message, unread."""
    from rerun_core.grpc.server import MessageProxyServer

    with MessageProxyServer(bind="127.0.0.1", port=0) as proxy:
        recordings = RecordingSet()
        sources = LiveSources(recordings)
        stream = rr.RecordingStream("stop_test", recording_id="stopped")
        stream.connect_grpc(str(proxy.url))
        try:
            sources.open(str(proxy.url))
            stream.log("first", rr.Scalars(1.0))
            stream.flush()
            _wait_until(lambda: _entities(recordings) >= {"/first"})
            (reader,) = [t for t in threading.enumerate() if t.name == f"rerun-viewer {proxy.url}"]
            sources.stop_reading(sources.source_name(str(proxy.url)))
            stream.log("second", rr.Scalars(2.0))
            stream.flush()
            _wait_until(lambda: not reader.is_alive())
            assert "/second" not in _entities(recordings) and "/first" in _entities(recordings)
        finally:
            stream.disconnect()
            sources.close()


def _entities(recordings: RecordingSet) -> set[str]:
    with recordings.reading() as now:
        return {path for r in now if not r.is_blueprint for path in r.store.entity_paths()}


def _wait_until(condition: Callable[[], bool], timeout_secs: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_secs
    while not condition():
        assert time.monotonic() < deadline, f"still waiting after {timeout_secs}s"
        time.sleep(0.02)


def test_blueprints_read_back_from_the_store_or_from_the_automatic_layout(
    served: tuple[App, ViewerClient],
) -> None:
    _, client = served
    automatic = client.get_blueprint()
    assert automatic.store_id == "Recording:control_test:first"
    (root,) = [path for path in automatic.blueprint if path.startswith("/container/")]
    grid = automatic.blueprint[root]["ContainerBlueprint"]
    views = client.get_state().views
    assert grid["container_kind"] == "Grid" and grid["contents"] == [f"/view/{v.view_id}" for v in views]
    scalar_view = next(v for v in views if v.view_class == "TimeSeries")
    assert automatic.blueprint[f"/view/{scalar_view.view_id}/ViewContents"] == {
        "ViewContents": {"query": "+ /scalar"}
    }

    for name in ("scalars_seq.rrd", "text_log.rrd", "blueprint.rbl"):  # the .rbl's application is theirs
        client.open(str(fixture(name)))
    stored = client.get_blueprint(store_id="Recording:rerun_ref_fixtures:scalars_seq")
    assert stored.blueprint_id.startswith("Blueprint:rerun_ref_fixtures:rec_")
    viewport = stored.blueprint["/viewport"]["ViewportBlueprint"]
    top = stored.blueprint[f"/container/{viewport['root_container']}"]["ContainerBlueprint"]
    assert (top["container_kind"], top["col_shares"]) == ("Horizontal", [3.0, 2.0])
    assert stored.blueprint["/time_panel"] == {"TimePanelBlueprint": {"timeline": "step"}}
    shown = {v.view_id: (v.view_class, v.origin) for v in client.get_state().views}
    described = {
        path.removeprefix("/view/"): (
            entry["ViewBlueprint"]["class_identifier"],
            entry["ViewBlueprint"]["space_origin"],
        )
        for path, entry in stored.blueprint.items()
        if "ViewBlueprint" in entry
    }
    assert shown == described  # the views' ids are the blueprint's
    assert sorted(described.values()) == [("3D", "/world"), ("TextLog", "/logs"), ("TimeSeries", "/plots")]
    with pytest.raises(ConnectionError, match=r"no tables.*\(NotFound\)"):
        client.get_blueprint("table")


def test_a_missing_file_is_named_not_mistaken_for_a_busy_port() -> None:

    require_gpu()
    args = [sys.executable, "-m", "rerun_cli", "--headless", "--port", "0", "/nonexistent.rrd"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "no such file: '/nonexistent.rrd'" in done.stderr and "cannot listen" not in done.stderr


def test_in_a_window_requests_run_between_frames(tmp_path: Path) -> None:
    """The window's draw loop answers too (on a virtual X display, where Xvfb is installed)."""

    require_gpu()
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed: no display to open a window on")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    recording = _log_file(tmp_path / "windowed.rrd", "windowed")
    viewer = [sys.executable, "-m", "rerun_cli", "--port", str(port), "--bind", "127.0.0.1"]
    args = ["xvfb-run", "-a", *viewer, "--window-size", "640x360", str(recording)]
    process = subprocess.Popen(
        args, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        client = ViewerClient.connect(f"rerun+http://127.0.0.1:{port}/proxy")
        _answering(client, lambda state: bool(state.views), process)
        client.set_time("step", sequence=1)
        assert client.get_state().recordings[0].current_time == 1
        shot = _png(client.take_screenshot())
        assert shot.shape == (360, 640, 3) and _share(shot, MAGENTA) > 0.03
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def _answering(
    client: ViewerClient, ready: Callable[[ViewerState], bool], process: subprocess.Popen[bytes] | None = None
) -> ViewerState:
    """The viewer's state once it answers and is ``ready`` (a starting viewer refuses connections)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            if ready(state := client.get_state()):
                return state
        except ConnectionError:
            pass
        assert process is None or process.poll() is None, "the viewer exited"
        assert time.monotonic() < deadline, "the viewer never answered"
        time.sleep(0.2)
