"""What a viewer reports, as ``ViewerClient`` returns it: plain dataclasses, built from the
``rerun.viewer_control.v1alpha1`` response messages (the same classes and fields as 0.41's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "Blueprint",
    "BlueprintInfo",
    "ComponentSchema",
    "EntitySchema",
    "LoadingSource",
    "LogEntry",
    "OpenResult",
    "Recording",
    "RecordingSchema",
    "StoreId",
    "Timeline",
    "View",
    "ViewReport",
    "ViewerState",
    "entity_from",
    "optional",
    "recording_from",
    "timeline_from",
    "view_from",
]

StoreId = str
"""A recording in the viewer: ``{kind}:{application_id}:{recording_id}`` (colons in the application
id escaped as ``\\:``); pass it back whole."""


@dataclass
class Timeline:
    """A timeline of a recording and the times it holds (``None`` without data)."""

    name: str
    time_type: str  # sequence, duration or timestamp
    start: int | None
    end: int | None


@dataclass
class Recording:
    """A recording open in the viewer, and where its time cursor is."""

    store_id: StoreId
    location: str
    timelines: list[Timeline]
    current_timeline: str | None
    current_time: int | None


@dataclass
class ViewReport:
    """A problem a view reported (``warning`` or ``error``)."""

    severity: str
    summary: str
    details: str | None


@dataclass
class View:
    """A view of the viewer's layout; ``view_id`` is what ``save_screenshot`` takes."""

    view_id: str
    view_class: str
    name: str
    origin: str
    visible: bool
    reports: list[ViewReport]


@dataclass
class LoadingSource:
    """A source still loading, with the status the viewer shows for it."""

    name: str
    status: str


@dataclass
class ViewerState:
    """What the viewer shows right now."""

    location: str
    active_recording: StoreId | None
    recordings: list[Recording]
    views: list[View]
    loading: list[LoadingSource]  # poll until empty to know a load finished
    catalog_url: str | None
    viewer_version: str | None


@dataclass
class OpenResult:
    """The recordings ``open`` loaded, and the URLs still loading when it answered."""

    store_ids: list[StoreId]
    loading: list[str]


@dataclass
class LogEntry:
    """A message the viewer logged; ``sequence`` grows by one per message."""

    sequence: int
    level: str
    target: str
    message: str


@dataclass
class ComponentSchema:
    """A component logged on an entity."""

    component: str  # e.g. ``Points3D:positions``
    archetype: str | None
    component_type: str | None
    datatype: str  # the Arrow type of one value, as 0.41 prints it
    has_static: bool


@dataclass
class EntitySchema:
    entity_path: str
    components: list[ComponentSchema]


@dataclass
class RecordingSchema:
    """A recording's timelines and entities; ``omitted_entities`` fell over ``max_entities``."""

    store_id: StoreId
    timelines: list[Timeline]
    entities: list[EntitySchema]
    omitted_entities: int


@dataclass
class BlueprintInfo:
    """Which blueprint was read: its store, and the recording (or table) it belongs to."""

    blueprint_id: str
    store_id: StoreId | None
    table_url: str | None


@dataclass
class Blueprint(BlueprintInfo):
    """A whole blueprint: blueprint entity path -> archetype -> field -> value."""

    blueprint: dict[str, Any]


def _time_type(value: int) -> str:
    """``sequence``, ``duration`` or ``timestamp`` for a ``rerun.common.v1alpha1.TimeType``."""
    from rerun_core.proto import common_pb2

    return common_pb2.TimeType.Name(value).removeprefix("TIME_TYPE_").removesuffix("_NS").lower()


def optional(message: Any, name: str) -> Any:
    """An optional field of a response: its value, ``None`` when unset."""
    return getattr(message, name) if message.HasField(name) else None


def timeline_from(message: Any) -> Timeline:
    has_range = message.HasField("time_range")
    return Timeline(
        name=message.timeline.name,
        time_type=_time_type(message.time_type),
        start=message.time_range.start if has_range else None,
        end=message.time_range.end if has_range else None,
    )


def recording_from(message: Any) -> Recording:
    cursor = optional(message, "current_time")
    return Recording(
        store_id=message.store_id,
        location=message.location,
        timelines=[timeline_from(timeline) for timeline in message.timelines],
        current_timeline=cursor.timeline.name if cursor is not None and cursor.HasField("timeline") else None,
        current_time=cursor.time.time if cursor is not None and cursor.HasField("time") else None,
    )


def view_from(message: Any) -> View:
    return View(
        view_id=message.view_id,
        view_class=getattr(message, "class"),
        name=message.name,
        origin=message.origin,
        visible=message.visible,
        reports=[ViewReport(r.severity, r.summary, optional(r, "details")) for r in message.reports],
    )


def entity_from(message: Any) -> EntitySchema:
    return EntitySchema(
        entity_path=message.entity_path,
        components=[
            ComponentSchema(
                component=c.component,
                archetype=optional(c, "archetype"),
                component_type=optional(c, "component_type"),
                datatype=c.datatype,
                has_static=c.has_static,
            )
            for c in message.components
        ],
    )
