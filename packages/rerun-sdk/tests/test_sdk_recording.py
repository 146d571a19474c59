"""Recording streams: sinks, time, batching, static data, properties."""

from __future__ import annotations

import pyarrow as pa
import pytest

import rerun as rr
from rerun_core import ArrowMsg, SetStoreInfo
from rerun_core.rrd import decode_rrd


def chunks_of(data: bytes) -> list:
    return [m.chunk for m in decode_rrd(data) if isinstance(m, ArrowMsg)]


def test_memory_recording_holds_what_was_logged() -> None:
    rec = rr.RecordingStream("app", recording_id="r1", send_properties=False)
    memory = rec.memory_recording()
    for i in range(10):
        rec.set_time("frame", sequence=i)
        rec.log("pts", rr.Points3D([[i, 0, 0]]))
    data = memory.drain_as_bytes()
    assert data[:4] == b"RRF2"
    messages = decode_rrd(data)
    assert isinstance(messages[0], SetStoreInfo) and messages[0].store_id.recording_id == "r1"
    (chunk,) = chunks_of(data)
    assert chunk.num_rows == 10 and set(chunk.timelines) == {"frame", "log_time"}
    assert chunk.index_column("frame").to_pylist() == list(range(10))


def test_static_rows_have_no_timelines_and_properties_come_first() -> None:
    rec = rr.RecordingStream("app", recording_id="r2")
    memory = rec.memory_recording()
    rec.set_time("frame", sequence=3)
    rec.log("config", rr.Scalars(1.0), static=True)
    rec.send_recording_name("my run")
    chunks = chunks_of(memory.drain_as_bytes())
    assert chunks[0].entity_path == "/__properties" and chunks[0].is_static
    config = next(c for c in chunks if c.entity_path == "/config")
    assert config.is_static


def test_set_time_kinds_and_errors() -> None:
    rec = rr.RecordingStream("app", send_properties=False)
    memory = rec.memory_recording()
    rec.set_time("seq", sequence=1)
    rec.set_time("dur", duration=1.5)
    rec.set_time("ts", timestamp=2.0)
    rec.log("x", rr.Scalars(1.0))
    (chunk,) = chunks_of(memory.drain_as_bytes())
    assert chunk.timelines["dur"].arrow_type == pa.duration("ns")
    assert chunk.index_column("dur").cast(pa.int64()).to_pylist() == [1_500_000_000]
    assert chunk.index_column("ts").cast(pa.int64()).to_pylist() == [2_000_000_000]
    with pytest.raises(ValueError, match="Exactly one of"):
        rec.set_time("bad", sequence=1, duration=2)


def test_disable_and_reset_time() -> None:
    rec = rr.RecordingStream("app", send_properties=False)
    memory = rec.memory_recording()
    rec.set_time("a", sequence=1)
    rec.set_time("b", sequence=2)
    rec.disable_timeline("a")
    rec.log("one", rr.Scalars(1.0))
    rec.reset_time()
    rec.log("two", rr.Scalars(1.0))
    chunks = {c.entity_path: c for c in chunks_of(memory.drain_as_bytes())}
    assert set(chunks["/one"].timelines) == {"b", "log_time"}
    assert set(chunks["/two"].timelines) == {"log_time"}


def test_disabled_recording_logs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RERUN", "off")
    rec = rr.RecordingStream("app")
    memory = rec.memory_recording()
    rec.log("x", rr.Scalars(1.0))
    assert chunks_of(memory.drain_as_bytes()) == []


def test_thread_local_default_via_context_manager() -> None:
    rec = rr.RecordingStream("app", send_properties=False)
    memory = rec.memory_recording()
    with rec:
        rr.log("ctx", rr.Scalars(1.0))
    assert [c.entity_path for c in chunks_of(memory.drain_as_bytes())] == ["/ctx"]


def test_send_columns_style_columns_partition() -> None:
    columns = rr.Points3D.columns(positions=[[0, 0, 0]] * 6).partition([2, 4])
    (column,) = columns
    assert column.as_arrow_array().to_pylist() == [[[0, 0, 0]] * 2, [[0, 0, 0]] * 4]


def test_saved_file_has_footer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rec = rr.RecordingStream("app", send_properties=False)
    path = tmp_path / "out.rrd"
    rec.save(str(path))
    rec.log("x", rr.Scalars(1.0))
    rec.disconnect()
    data = path.read_bytes()
    assert data[-12:-4] == b"RRF2FOOT"
    assert len(chunks_of(data)) == 1


def test_misuse_warns_names_the_field_and_is_recorded(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rr.set_strict_mode(False)
    rec = rr.RecordingStream("app", send_properties=False)
    memory = rec.memory_recording()
    try:
        with rec, pytest.warns(rr.RerunWarning, match="Position3DBatch"):
            rr.log("pts", rr.Points3D([[1, 2]]))
        (tmp_path / "data.npy").write_bytes(b"\x93NUMPY")
        with rec, pytest.warns(rr.RerunWarning, match="No importer support"):
            rr.log_file_from_path(tmp_path / "data.npy")
    finally:
        rr.set_strict_mode(True)
    chunks = chunks_of(memory.drain_as_bytes())
    (points,) = [c for c in chunks if c.entity_path == "/pts"]
    assert points.component("Points3D:positions").to_pylist() == [[]]  # the bad field is dropped
    texts = [
        t[0]
        for c in chunks
        if c.entity_path == "/__warnings"
        for t in c.component("TextLog:text").to_pylist()
    ]
    assert len(texts) == 2
    assert "Position3DBatch" in texts[0] and "test_sdk_recording.py" in texts[0]


def test_forked_child_does_not_write_into_the_parents_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    rec = rr.RecordingStream("app", send_properties=False)
    path = tmp_path / "out.rrd"
    rec.save(str(path))
    rec.log("parent", rr.Scalars(1.0))
    rec.flush()
    pid = os.fork()
    if pid == 0:  # child: logging must be a harmless no-op
        rec.log("child", rr.Scalars(2.0))
        rr.rerun_shutdown()
        os._exit(0)
    os.waitpid(pid, 0)
    rec.disconnect()
    assert [c.entity_path for c in chunks_of(path.read_bytes())] == ["/parent"]


def test_exit_flushes_and_writes_footer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    path = tmp_path / "exit.rrd"
    script = f"import rerun as rr\nrr.init('app')\nrr.save({str(path)!r})\nrr.log('x', rr.Scalars(1.0))\n"
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    data = path.read_bytes()
    assert data[-12:-4] == b"RRF2FOOT" and any(c.entity_path == "/x" for c in chunks_of(data))
