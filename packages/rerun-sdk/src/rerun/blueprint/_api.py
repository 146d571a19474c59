"""The blueprint as a whole, and how it becomes a blueprint store.

A blueprint is written as its own store (kind ``BLUEPRINT``, id ``rec_<32 hex digits>``, the
application's id): the store info (twice, as a stream attached to a sink sends it), one row per
entity at sequence 0 of the ``blueprint`` timeline (plus ``log_time``), and finally a
``BlueprintActivationCommand`` saying whether the viewer should make it active and/or default.
"""

from __future__ import annotations

import os
import uuid
from typing import TypeAlias

from rerun._batcher import ChunkBatcherConfig
from rerun._generated.blueprint_archetypes import ViewportBlueprint
from rerun._recording_stream import RecordingStream
from rerun._sinks import BufferSink, FileSink
from rerun.blueprint._containers import Container, Tabs
from rerun.blueprint._panels import BlueprintPanel, Panel, SelectionPanel, TimePanel, TopPanel
from rerun.blueprint._view import View, uuid_bytes
from rerun_core import BlueprintActivationCommand, LogMsg, StoreId, StoreKind

__all__ = ["Blueprint", "BlueprintLike", "BlueprintPart", "blueprint_messages"]

BlueprintPart: TypeAlias = Container | View | TopPanel | BlueprintPanel | SelectionPanel | TimePanel

_PANEL_SLOTS: tuple[tuple[type[Panel], str, str], ...] = (
    (TopPanel, "top_panel", "top panel"),
    (BlueprintPanel, "blueprint_panel", "blueprint panel"),
    (SelectionPanel, "selection_panel", "selection panel"),
    (TimePanel, "time_panel", "time panel"),
)


class Blueprint:
    """The whole layout: one root container (several parts become tabs) and the panels' states.

    With no views or containers, ``auto_layout`` and ``auto_views`` default to on, so the viewer
    builds the layout itself; pass ``False`` explicitly for an empty viewport.
    """

    def __init__(
        self,
        *parts: BlueprintPart,
        auto_layout: bool | None = None,
        auto_views: bool | None = None,
        collapse_panels: bool = False,
    ) -> None:
        self.collapse_panels = collapse_panels
        self.auto_layout = auto_layout
        self.auto_views = auto_views
        self.root_container: Container | None = None
        self.top_panel: TopPanel | None = None
        self.blueprint_panel: BlueprintPanel | None = None
        self.selection_panel: SelectionPanel | None = None
        self.time_panel: TimePanel | None = None
        contents: list[Container | View] = []
        for part in parts:
            if isinstance(part, Container | View):
                contents.append(part)
            else:
                self._add_panel(part)
        if not contents:
            self.auto_views = True if self.auto_views is None else self.auto_views
            self.auto_layout = True if self.auto_layout is None else self.auto_layout
        elif len(contents) == 1:
            self.root_container = contents[0].to_container()
        else:
            self.root_container = Tabs(contents=contents)

    def _add_panel(self, part: object) -> None:
        for panel_type, attribute, label in _PANEL_SLOTS:
            if isinstance(part, panel_type):
                if getattr(self, attribute) is not None:
                    raise ValueError(f"Only one {label} can be provided")
                setattr(self, attribute, part)
                return
        raise ValueError(f"Unknown part type: {part}")

    def to_blueprint(self) -> Blueprint:
        return self

    def _log_to_stream(self, stream: RecordingStream) -> None:
        """The layout, the viewport pointing at its root, then the panels (collapsed ones if asked)."""
        root = None
        if self.root_container is not None:
            self.root_container._log_to_stream(stream)
            root = uuid_bytes(self.root_container.id)
        viewport = ViewportBlueprint(
            root_container=root, auto_layout=self.auto_layout, auto_views=self.auto_views
        )
        stream.log("viewport", viewport)
        if self.top_panel is not None:
            self.top_panel._log_to_stream(stream)
        for panel, fallback in (
            (self.blueprint_panel, BlueprintPanel),
            (self.selection_panel, SelectionPanel),
            (self.time_panel, TimePanel),
        ):
            if panel is None and self.collapse_panels:
                panel = fallback(state="collapsed")
            if panel is not None:
                panel._log_to_stream(stream)

    def save(self, application_id: str, path: str | os.PathLike[str] | None = None) -> None:
        """Write the blueprint to an ``.rbl`` file (default ``<application_id>.rbl``) for that application."""
        messages = blueprint_messages(self, application_id, make_active=True, make_default=True)
        if len(messages) == 1:  # only the activation: logging is off (``RERUN=off``), as 0.41 refuses too
            raise RuntimeError("Blueprint stream has no store info: logging is disabled")
        sink = FileSink(f"{application_id}.rbl" if path is None else path)
        try:
            for msg in messages:
                sink.send(msg)
        finally:
            sink.close()

    def connect_grpc(
        self,
        application_id: str,
        *,
        url: str | None = None,
        make_active: bool = True,
        make_default: bool = True,
    ) -> None:
        """Send the blueprint to the viewer or proxy at ``url`` (default ``rerun+http://127.0.0.1:9876/proxy``)."""
        from rerun._grpc_sinks import GrpcSink

        sink = GrpcSink(url)
        try:
            for msg in blueprint_messages(self, application_id, make_active, make_default):
                sink.send(msg)
        finally:
            sink.close()

    def spawn(
        self,
        application_id: str,
        *,
        port: int = 9876,
        memory_limit: str = "75%",
        hide_welcome_screen: bool = False,
        detach_process: bool = True,
    ) -> None:
        """Start a viewer on ``port`` (unless one already listens there) and send it the blueprint."""
        from rerun._spawn import spawn_viewer

        spawn_viewer(
            port=port,
            memory_limit=memory_limit,
            server_memory_limit="1GiB",
            hide_welcome_screen=hide_welcome_screen,
            detach_process=detach_process,
            executable_name="rerun",
            executable_path=None,
        )
        self.connect_grpc(application_id, url=f"rerun+http://127.0.0.1:{port}/proxy")

    def __repr__(self) -> str:
        return f"Blueprint(root={self.root_container!r}, auto_layout={self.auto_layout}, auto_views={self.auto_views})"


BlueprintLike: TypeAlias = Blueprint | View | Container


def blueprint_messages(
    blueprint: BlueprintLike, application_id: str, make_active: bool, make_default: bool
) -> list[LogMsg]:
    """Everything sending a blueprint writes: its whole store, then the command that activates it."""
    store_id, messages = _blueprint_store(blueprint.to_blueprint(), application_id)
    return [*messages, BlueprintActivationCommand(store_id, make_active, make_default)]


def _blueprint_store(blueprint: Blueprint, application_id: str) -> tuple[StoreId, list[LogMsg]]:
    """Log the blueprint into a fresh blueprint stream at ``blueprint`` time 0 and collect its messages."""
    stream = RecordingStream(
        application_id,
        recording_id=f"rec_{uuid.uuid4().hex}",
        send_properties=False,
        batcher_config=ChunkBatcherConfig.NEVER,  # type: ignore[attr-defined]
        _store_kind=StoreKind.BLUEPRINT,
    )
    sink = BufferSink()
    stream.set_sinks(sink)
    stream.set_time("blueprint", sequence=0)
    blueprint._log_to_stream(stream)
    stream.flush()
    return stream.store_id, sink.messages
