"""The blueprint store: its identity and timelines, saving ``.rbl`` files, and sending it with a recording."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest

import rerun as rr
import rerun.blueprint as rrb
from rerun.blueprint._api import blueprint_messages
from rerun_core import ArrowMsg, BlueprintActivationCommand, SetStoreInfo, StoreKind
from rerun_core.rrd import decode_rrd, read_rrd


def simple_blueprint() -> rrb.Blueprint:
    return rrb.Blueprint(rrb.Horizontal(rrb.Spatial3DView(origin="/world"), rrb.TextLogView(origin="/logs")))


def test_store_identity_and_message_order() -> None:
    messages = blueprint_messages(simple_blueprint(), "my_app", make_active=True, make_default=False)
    first, second, *chunks, last = messages
    assert isinstance(first, SetStoreInfo) and isinstance(second, SetStoreInfo)
    store_id = first.store_id
    assert store_id == second.store_id
    assert store_id.kind == StoreKind.BLUEPRINT and store_id.application_id == "my_app"
    assert re.fullmatch(r"rec_[0-9a-f]{32}", store_id.recording_id)
    assert all(isinstance(m, ArrowMsg) and m.store_id == store_id for m in chunks)
    assert last == BlueprintActivationCommand(store_id, make_active=True, make_default=False)


def test_every_row_sits_at_blueprint_time_zero() -> None:
    chunks = [
        m.chunk for m in blueprint_messages(simple_blueprint(), "app", True, True) if isinstance(m, ArrowMsg)
    ]
    assert {c.entity_path.split("/")[1] for c in chunks} == {"viewport", "container", "view"}
    for chunk in chunks:
        assert set(chunk.timelines) == {"blueprint", "log_time"}
        assert chunk.index_column("blueprint").to_pylist() == [0] * chunk.num_rows


def test_each_blueprint_gets_a_fresh_store() -> None:
    ids = {
        blueprint_messages(simple_blueprint(), "app", True, True)[0].store_id.recording_id for _ in range(2)
    }
    assert len(ids) == 2


def test_save_writes_an_rbl_named_after_the_application(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    simple_blueprint().save("my_app")
    messages = list(read_rrd(tmp_path / "my_app.rbl"))
    assert messages[-1].make_active and messages[-1].make_default
    simple_blueprint().save("my_app", tmp_path / "other.rbl")
    assert (tmp_path / "other.rbl").read_bytes()[:4] == b"RRF2"


def test_save_refuses_when_logging_is_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RERUN", "off")
    with pytest.raises(RuntimeError, match="no store info"):
        simple_blueprint().save("app", tmp_path / "off.rbl")
    assert not (tmp_path / "off.rbl").exists()


def test_views_and_containers_convert_to_blueprints() -> None:
    for part in (rrb.TextLogView(origin="/logs"), rrb.Vertical(rrb.TextLogView())):
        assert isinstance(part.to_blueprint(), rrb.Blueprint)
        assert isinstance(part.to_container(), rrb.Container)


@pytest.fixture
def no_default_recording() -> Iterator[None]:
    previous_global = rr.set_global_data_recording(None)
    previous_local = rr.set_thread_local_data_recording(None)
    yield
    rr.set_global_data_recording(previous_global)
    rr.set_thread_local_data_recording(previous_local)


@pytest.mark.usefixtures("no_default_recording")
def test_send_blueprint_needs_a_recording() -> None:
    with pytest.raises(ValueError, match=r"rerun\.init"):
        rr.send_blueprint(simple_blueprint())


def test_send_blueprint_goes_to_the_recording_with_its_application_id() -> None:
    rec = rr.RecordingStream("rec_app", send_properties=False)
    memory = rec.memory_recording()
    rr.send_blueprint(rrb.TextLogView(), make_active=False, make_default=True, recording=rec)
    messages = decode_rrd(memory.drain_as_bytes())
    activation = messages[-1]
    assert isinstance(activation, BlueprintActivationCommand)
    assert (activation.make_active, activation.make_default) == (False, True)
    assert activation.blueprint_id.application_id == "rec_app"


def test_default_blueprint_is_written_ahead_of_the_recording(tmp_path: Path) -> None:
    rec = rr.RecordingStream("app", recording_id="r1", send_properties=False)
    rec.log("x", rr.TextLog("before the sink"))
    rec.save(tmp_path / "out.rrd", default_blueprint=rrb.TextLogView(origin="/x"))
    rec.disconnect()
    kinds = [
        m.store_id.kind for m in read_rrd(tmp_path / "out.rrd") if isinstance(m, SetStoreInfo | ArrowMsg)
    ]
    first_recording = kinds.index(StoreKind.RECORDING)
    assert set(kinds[:first_recording]) == {StoreKind.BLUEPRINT}
    assert set(kinds[first_recording:]) == {StoreKind.RECORDING}
    activation = [m for m in read_rrd(tmp_path / "out.rrd") if isinstance(m, BlueprintActivationCommand)]
    assert [(a.make_active, a.make_default) for a in activation] == [(False, True)]


def test_root_container_is_stored_as_uuid_bytes() -> None:
    bp = simple_blueprint()
    chunks = [m.chunk for m in blueprint_messages(bp, "app", True, True) if isinstance(m, ArrowMsg)]
    viewport = next(c for c in chunks if c.entity_path == "/viewport")
    root = viewport.component("ViewportBlueprint:root_container")
    assert root.type.value_type == pa.list_(pa.field("item", pa.uint8(), nullable=False), 16)
    assert bytes(root.to_pylist()[0][0]) == bp.root_container.id.bytes  # type: ignore[union-attr]
