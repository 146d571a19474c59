"""A recording's blueprint as ``get_blueprint`` answers it: blueprint entity path -> archetype -> field.

Read from the blueprint store the viewer shows, at its latest values, written the way 0.41 writes
them: enums by name, uuids as text, a single value bare rather than in a list. A recording shown
without a blueprint store gets the layout the viewer made for it (its automatic views).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from rerun_core import BlueprintActivationCommand
from rerun_core.log_msg import StoreId, StoreKind
from rerun_core.store import ChunkStore
from rerun_viewer._blueprint import active_blueprint_store, latest_cells
from rerun_viewer._control_state import format_store_id, view_ids
from rerun_viewer._enum_names import ENUMS
from rerun_viewer._heuristics import ViewSpec
from rerun_viewer._recording import Recording
from rerun_viewer._viewport import Viewport

__all__ = ["automatic_blueprint", "blueprint_json", "shown_blueprint"]

BlueprintJson = dict[str, dict[str, dict[str, Any]]]
_ROOT_NAMESPACE = uuid.UUID("0b6f3c1e-52d4-4a49-9d0e-7f1a8e2c6b35")  # root containers of automatic layouts


def shown_blueprint(
    recordings: Sequence[Recording],
    recording: Recording,
    activations: Sequence[BlueprintActivationCommand],
    viewport: Viewport,
) -> tuple[StoreId, BlueprintJson]:
    """The id and contents of the blueprint ``recording`` is shown with (``viewport``: its views)."""
    store = active_blueprint_store(recordings, recording, activations)
    if store is not None:
        return store.store_id, blueprint_json(store.store)
    application = recording.store_id.application_id
    layout = automatic_blueprint(format_store_id(recording.store_id), viewport.views, view_ids(viewport))
    return StoreId(StoreKind.BLUEPRINT, application, application), layout


def blueprint_json(store: ChunkStore) -> BlueprintJson:
    """Every entity's latest archetype fields in a blueprint store."""
    blueprint: BlueprintJson = {}
    for entity in store.entity_paths():
        descriptors = {column.component: column.descriptor for column in store.columns(entity)}
        for name, cell in sorted(latest_cells(store, entity).items()):
            descriptor = descriptors[name]
            is_uuid = _is_uuid(cell.value.type)
            values = [
                _plain(value, descriptor.component_type, is_uuid=is_uuid) for value in cell.value.to_pylist()
            ]
            if not values:
                continue
            archetype = (descriptor.archetype or "AnyValues").rsplit(".", 1)[-1]
            field = name.split(":", 1)[-1]
            blueprint.setdefault(entity, {}).setdefault(archetype, {})[field] = _bare(values)
    return blueprint


def automatic_blueprint(layout_key: str, views: Sequence[ViewSpec], view_ids: Sequence[str]) -> BlueprintJson:
    """The automatic layout as a blueprint: a grid of the views (one view: a tab), each showing its
    entities; ``layout_key`` (the recording) makes the root container's id."""
    root = str(uuid.uuid5(_ROOT_NAMESPACE, layout_key))
    contents = [f"/view/{view_id}" for view_id in view_ids]
    blueprint: BlueprintJson = {
        "/viewport": {"ViewportBlueprint": {"root_container": root}},
        f"/container/{root}": {
            "ContainerBlueprint": {
                "container_kind": "Tabs" if len(views) == 1 else "Grid",
                "contents": _bare(contents),
                "visible": True,
            }
        },
    }
    for view_id, spec in zip(view_ids, views, strict=True):
        view = {"class_identifier": spec.kind.value, "space_origin": spec.origin, "visible": True}
        blueprint[f"/view/{view_id}"] = {"ViewBlueprint": view}
        query = [f"+ {entity}" for entity in spec.entities]
        blueprint[f"/view/{view_id}/ViewContents"] = {"ViewContents": {"query": _bare(query)}}
    return blueprint


def _plain(value: Any, component_type: str | None, *, is_uuid: bool) -> Any:
    """A stored value as JSON: an enum's name, a uuid's text, else the value as stored."""
    names = ENUMS.get(component_type or "")
    if names is not None and isinstance(value, int):
        return names.get(value, value)
    if is_uuid and value is not None:
        return str(uuid.UUID(bytes=bytes(value)))
    return value


def _is_uuid(arrow_type: pa.DataType) -> bool:
    """Whether values are ``rerun.datatypes.Uuid``: 16 bytes in a fixed-size list."""
    fixed = pa.types.is_fixed_size_list(arrow_type)
    return fixed and arrow_type.list_size == 16 and pa.types.is_uint8(arrow_type.value_type)


def _bare(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values
