"""What the viewer shows, as ``ViewerControlService`` messages: store ids, timelines, views, schemas.

Plain functions of the recordings and the viewer's state, so they are testable without a GPU or a
server. Store ids read ``{kind}:{application_id}:{recording_id}`` with the application id's colons
and backslashes escaped (``\\:``, ``\\\\``), as 0.41 writes them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from urllib.parse import parse_qs, urlencode, urlsplit

import pyarrow as pa

from rerun_core.arrow_names import rust_type_name
from rerun_core.entity_path import RECORDING_PROPERTIES_PATH
from rerun_core.log_msg import StoreId, StoreKind
from rerun_core.proto import common_pb2
from rerun_core.proto import viewer_control_pb2 as pb
from rerun_core.store import ChunkStore
from rerun_core.timeline import TimeType
from rerun_viewer._control import ControlError
from rerun_viewer._recording import Recording
from rerun_viewer._time import TimeCursor, timeline_bounds
from rerun_viewer._transforms import is_under
from rerun_viewer._viewport import Viewport

__all__ = [
    "format_store_id",
    "parse_recording_location",
    "parse_store_id",
    "recording_location",
    "recording_schema",
    "time_type_name",
    "view_ids",
    "viewer_recording",
    "viewer_timelines",
    "viewer_views",
]

_KIND_NAMES = {StoreKind.RECORDING: "Recording", StoreKind.BLUEPRINT: "Blueprint"}
_KINDS = {name: kind for kind, name in _KIND_NAMES.items()}
_AUTO_VIEW_NAMESPACE = uuid.UUID("5c1a0e4e-3a0e-4b8e-9f57-2f0b6c2d9a41")  # ids of automatic views
_MAX_ENTITIES = 100
_MAX_ENTITY_PATHS = 10_000


def format_store_id(store_id: StoreId) -> str:
    application = store_id.application_id.replace("\\", "\\\\").replace(":", "\\:")
    return f"{_KIND_NAMES[store_id.kind]}:{application}:{store_id.recording_id}"


def parse_store_id(text: str) -> StoreId:
    """The store id written by :func:`format_store_id`; a malformed one is an ``INVALID_ARGUMENT``."""
    kind, _, rest = text.partition(":")
    application, index, escaped = [], 0, False
    while index < len(rest) and (escaped or rest[index] != ":"):
        escaped = not escaped and rest[index] == "\\"
        if not escaped:
            application.append(rest[index])
        index += 1
    if kind not in _KINDS or index >= len(rest):
        raise ControlError(
            "INVALID_ARGUMENT",
            f"invalid store_id: {text!r} is not a store id: expected `kind:application_id:recording_id`",
        )
    return StoreId(_KINDS[kind], "".join(application), rest[index + 1 :])


def recording_location(store_id: StoreId) -> str:
    """Where a recording shows, as a viewer location (what ``get_state`` reports)."""
    query = urlencode({"app_id": store_id.application_id, "recording_id": store_id.recording_id})
    return f"about:recording?{query}"


def time_type_name(time_type: TimeType) -> str:
    """``TIME_TYPE_SEQUENCE``, ...: how a ``rerun.common.v1alpha1.TimeType`` field takes it."""
    return common_pb2.TimeType.Name(int(time_type))


def parse_recording_location(location: str) -> StoreId:
    """The recording a :func:`recording_location` names; anything else is an ``INVALID_ARGUMENT``."""
    parts = urlsplit(location)
    query = parse_qs(parts.query)
    if (parts.scheme, parts.path) != ("about", "recording") or not {"app_id", "recording_id"} <= set(query):
        raise ControlError(
            "INVALID_ARGUMENT",
            f"unknown location {location!r}: this viewer shows recordings, "
            "at about:recording?app_id=…&recording_id=…",
        )
    return StoreId(StoreKind.RECORDING, query["app_id"][0], query["recording_id"][0])


def viewer_timelines(store: ChunkStore, cursor: TimeCursor | None) -> list[pb.ViewerTimeline]:
    """Every timeline with its time range; the cursor's own also says where the cursor is."""
    timelines = []
    for name, timeline in store.timelines().items():
        message = pb.ViewerTimeline(
            timeline=common_pb2.Timeline(name=name), time_type=time_type_name(timeline.typ)
        )
        if (bounds := timeline_bounds(store, name)) is not None:
            message.time_range.CopyFrom(common_pb2.TimeRange(start=bounds[0], end=bounds[1]))
        if cursor is not None and cursor.timeline_name == name:
            message.current_time.CopyFrom(common_pb2.TimelineTime(time=cursor.at))
        timelines.append(message)
    return timelines


def viewer_recording(recording: Recording, cursor: TimeCursor, *, playing: bool) -> pb.ViewerRecording:
    """One recording as ``get_state`` lists it, with its time cursor and play state."""
    message = pb.ViewerRecording(
        store_id=format_store_id(recording.store_id),
        timelines=viewer_timelines(recording.store, cursor),
        location=recording_location(recording.store_id),
        play_state=pb.PLAY_STATE_PLAYING if playing else pb.PLAY_STATE_PAUSED,
    )
    if cursor.timeline is not None:
        message.current_time.CopyFrom(
            pb.TimeCursor(
                timeline=common_pb2.Timeline(name=cursor.timeline.name),
                time_type=time_type_name(cursor.timeline.typ),
                time=common_pb2.TimelineTime(time=cursor.at),
            )
        )
    return message


def view_ids(viewport: Viewport) -> list[str]:
    """An id per view of ``viewport``, stable across frames: a blueprint view's own uuid, else one
    derived from the view's class and origin (automatic views have none of their own)."""
    from_blueprint: dict[int, str] = {}
    stack = [viewport.tree]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.index is not None and node.path.startswith("/view/"):
            from_blueprint[node.index] = node.path.removeprefix("/view/")
    ids: list[str] = []
    for index, spec in enumerate(viewport.views):
        seed, repeat = f"{spec.kind.value}:{spec.origin}:{spec.title}", 0
        view_id = from_blueprint.get(index) or str(uuid.uuid5(_AUTO_VIEW_NAMESPACE, seed))
        while view_id in ids:  # two automatic views alike
            repeat += 1
            view_id = str(uuid.uuid5(_AUTO_VIEW_NAMESPACE, f"{seed}#{repeat}"))
        ids.append(view_id)
    return ids


def viewer_views(viewport: Viewport) -> list[pb.ViewerView]:
    views = []
    for view_id, spec in zip(view_ids(viewport), viewport.views, strict=True):
        view = pb.ViewerView(view_id=view_id, name=spec.title, origin=spec.origin, visible=True)
        setattr(view, "class", spec.kind.value)  # a Python keyword
        views.append(view)
    return views


def recording_schema(
    recording: Recording, cursor: TimeCursor | None, request: pb.GetRecordingSchemaRequest
) -> pb.GetRecordingSchemaResponse:
    """The recording's timelines and entities (under ``entity_path``), with components or archetypes."""
    store = recording.store
    with_components = not request.HasField("with_components") or request.with_components
    with_archetypes = not request.HasField("with_archetypes") or request.with_archetypes
    default_max = _MAX_ENTITIES if with_components else _MAX_ENTITY_PATHS
    max_entities = request.max_entities if request.HasField("max_entities") else default_max
    root = request.entity_path if request.HasField("entity_path") else "/"
    paths = _ordered([path for path in store.entity_paths() if is_under(path, root)])
    entities = [
        _entity_schema(store, path, with_components, with_archetypes) for path in paths[:max_entities]
    ]
    return pb.GetRecordingSchemaResponse(
        store_id=format_store_id(recording.store_id),
        timelines=viewer_timelines(store, cursor),
        entities=entities,
        omitted_entities=max(len(paths) - max_entities, 0),
    )


def _ordered(paths: Sequence[str]) -> list[str]:
    """Entities in path order, the recording's properties last (as 0.41 lists them)."""
    return sorted(paths, key=lambda path: (is_under(path, RECORDING_PROPERTIES_PATH), path))


def _entity_schema(
    store: ChunkStore, path: str, with_components: bool, with_archetypes: bool
) -> pb.RecordingEntitySchema:
    columns = sorted(store.columns(path), key=lambda column: column.component)
    message = pb.RecordingEntitySchema(entity_path=path)
    if with_archetypes:
        message.archetypes.extend(sorted({name for c in columns if (name := c.descriptor.archetype)}))
    if with_components:
        for column in columns:
            component = pb.RecordingComponentSchema(
                component=column.component,
                datatype=_value_type_name(column.datatype),
                has_static=column.is_static,
            )
            if column.descriptor.archetype:
                component.archetype = column.descriptor.archetype
            if column.descriptor.component_type:
                component.component_type = column.descriptor.component_type
            message.components.append(component)
    return message


def _value_type_name(column_type: pa.DataType) -> str:
    """The type of one value: a component column holds a list of them per row."""
    is_list = pa.types.is_list(column_type) or pa.types.is_large_list(column_type)
    return rust_type_name(column_type.value_type if is_list else column_type)
