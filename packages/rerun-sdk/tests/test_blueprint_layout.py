"""Containers, panels and the blueprint's root: what each builder call writes."""

from __future__ import annotations

from typing import Any

import pytest

import rerun.blueprint as rrb
from rerun.blueprint._api import blueprint_messages
from rerun_core import ArrowMsg


def entities(blueprint: Any) -> dict[str, dict[str, Any]]:
    """Entity path -> component -> the first row's value (``static:`` prefixes static components)."""
    result: dict[str, dict[str, Any]] = {}
    for msg in blueprint_messages(blueprint, "app", True, True):
        if isinstance(msg, ArrowMsg):
            prefix = "static:" if msg.chunk.is_static else ""
            components = {prefix + d.component: a.to_pylist()[0] for d, a in msg.chunk.components.items()}
            result.setdefault(msg.chunk.entity_path, {}).update(components)
    return result


def container(blueprint: Any, part: rrb.Container) -> dict[str, Any]:
    return entities(blueprint)[f"/{part.blueprint_path()}"]


def test_container_kinds_contents_and_shares() -> None:
    left, right = rrb.Spatial2DView(name="l"), rrb.Spatial2DView(name="r")
    grid = rrb.Grid(
        left, right, column_shares=[1, 2], row_shares=[3], grid_columns=2, name="g", visible=False
    )
    written = container(grid, grid)
    assert written == {
        "ContainerBlueprint:container_kind": [4],
        "ContainerBlueprint:contents": [left.blueprint_path(), right.blueprint_path()],
        "ContainerBlueprint:col_shares": [1.0, 2.0],
        "ContainerBlueprint:row_shares": [3.0],
        "ContainerBlueprint:grid_columns": [2],
        "ContainerBlueprint:display_name": ["g"],
        "ContainerBlueprint:visible": [False],
    }
    kinds = {rrb.Tabs: 1, rrb.Horizontal: 2, rrb.Vertical: 3}
    for kind, value in kinds.items():
        part = kind(rrb.TextLogView(name="t"))
        assert container(part, part)["ContainerBlueprint:container_kind"] == [value]


def test_container_contents_positionally_or_by_keyword_not_both() -> None:
    view = rrb.TextLogView(name="t")
    assert rrb.Vertical(contents=[view]).contents == [view]
    with pytest.raises(ValueError, match="both"):
        rrb.Vertical(view, contents=[view])


def test_generic_container_takes_its_kind() -> None:
    part = rrb.Container(rrb.TextLogView(name="t"), kind="horizontal", name="c")
    assert container(part, part)["ContainerBlueprint:container_kind"] == [2]


def test_active_tab_by_index_or_by_name() -> None:
    first, second = rrb.TextLogView(name="a"), rrb.TextLogView(name="b")
    by_index = rrb.Tabs(first, second, active_tab=1)
    assert container(by_index, by_index)["ContainerBlueprint:active_tab"] == [second.blueprint_path()]
    by_name = rrb.Tabs(first, second, active_tab="a")
    assert container(by_name, by_name)["ContainerBlueprint:active_tab"] == [first.blueprint_path()]
    named = rrb.Tabs(first, second)
    assert "ContainerBlueprint:active_tab" not in container(named, named)
    with pytest.raises(ValueError, match="'c' not found"):
        entities(rrb.Tabs(first, second, active_tab="c"))


def test_unnamed_views_become_the_active_tab_as_in_0_41() -> None:
    """Without ``active_tab``, 0.41 records the last view that has no name."""
    unnamed_first, named, unnamed_last = rrb.TextLogView(), rrb.TextLogView(name="n"), rrb.TextLogView()
    part = rrb.Horizontal(unnamed_first, named, unnamed_last)
    assert container(part, part)["ContainerBlueprint:active_tab"] == [unnamed_last.blueprint_path()]


def test_one_part_is_the_root_and_several_become_tabs() -> None:
    view = rrb.TextLogView(name="t")
    lone = rrb.Blueprint(view)
    assert isinstance(lone.root_container, rrb.Tabs) and lone.root_container.contents == [view]
    horizontal = rrb.Horizontal(view)
    assert rrb.Blueprint(horizontal).root_container is horizontal
    several = rrb.Blueprint(rrb.TextLogView(), rrb.Vertical())
    assert isinstance(several.root_container, rrb.Tabs) and len(several.root_container.contents) == 2


def test_without_layout_the_viewer_builds_one() -> None:
    assert entities(rrb.Blueprint())["/viewport"] == {
        "ViewportBlueprint:auto_layout": [True],
        "ViewportBlueprint:auto_views": [True],
    }
    explicit = entities(rrb.Blueprint(auto_layout=False, auto_views=False))["/viewport"]
    assert explicit == {"ViewportBlueprint:auto_layout": [False], "ViewportBlueprint:auto_views": [False]}
    with_layout = entities(rrb.Blueprint(rrb.TextLogView()))["/viewport"]
    assert set(with_layout) == {"ViewportBlueprint:root_container"}


def test_panel_parts_are_checked() -> None:
    with pytest.raises(ValueError, match="Only one time panel"):
        rrb.Blueprint(rrb.TimePanel(), rrb.TimePanel())
    with pytest.raises(ValueError, match="Unknown part type"):
        rrb.Blueprint("not a part")  # type: ignore[arg-type]


def test_panel_states() -> None:
    written = entities(rrb.Blueprint(rrb.TopPanel(state="hidden"), rrb.BlueprintPanel(expanded=True),
                                     rrb.SelectionPanel(expanded=False)))  # fmt: skip
    assert written["/top_panel"] == {"PanelBlueprint:state": [1]}
    assert written["/blueprint_panel"] == {"PanelBlueprint:state": [3]}
    assert written["/selection_panel"] == {"PanelBlueprint:state": [2]}
    with pytest.raises(ValueError, match="both"):
        rrb.TopPanel(expanded=True, state="hidden")


def test_empty_panels_write_nothing() -> None:
    assert set(entities(rrb.Blueprint(rrb.TimePanel(), rrb.SelectionPanel()))) == {"/viewport"}


def test_collapse_panels_collapses_the_ones_not_given() -> None:
    written = entities(rrb.Blueprint(rrb.TimePanel(state="expanded"), collapse_panels=True))
    assert written["/blueprint_panel"] == written["/selection_panel"] == {"PanelBlueprint:state": [2]}
    assert written["/time_panel"] == {"TimePanelBlueprint:state": [3]}
    assert "/top_panel" not in written


def test_time_panel_settings_and_static_play_state() -> None:
    panel = rrb.TimePanel(timeline="step", playback_speed=2.0, fps=30.0, play_state="following",
                          loop_mode="selection", time_selection={"min": 1, "max": 5})  # fmt: skip
    assert entities(rrb.Blueprint(panel))["/time_panel"] == {
        "TimePanelBlueprint:timeline": ["step"],
        "TimePanelBlueprint:playback_speed": [2.0],
        "TimePanelBlueprint:fps": [30.0],
        "TimePanelBlueprint:loop_mode": [2],
        "TimePanelBlueprint:time_selection": [{"min": 1, "max": 5}],
        "static:TimePanelBlueprint:play_state": [3],
    }
