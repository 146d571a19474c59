"""Containers lay out views and other containers: side by side, stacked, in a grid, or as tabs.

Each container is logged as a ``ContainerBlueprint`` at ``/container/<uuid>``, after its contents,
which it lists by their blueprint paths (``view/<uuid>``, ``container/<uuid>``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeAlias

from rerun._generated.blueprint_archetypes import ContainerBlueprint
from rerun._generated.enums import BlueprintContainerKind as ContainerKind
from rerun._recording_stream import RecordingStream
from rerun.blueprint._view import View

if TYPE_CHECKING:
    from rerun.blueprint._api import Blueprint

__all__ = ["Container", "ContainerLike", "Grid", "Horizontal", "Tabs", "Vertical"]


class Container:
    """A layout of views and containers; prefer ``Horizontal``, ``Vertical``, ``Grid`` or ``Tabs``."""

    def __init__(
        self,
        *args: Container | View,
        contents: Iterable[Container | View] | None = None,
        kind: Any,
        column_shares: Any = None,
        row_shares: Any = None,
        grid_columns: int | None = None,
        active_tab: int | str | None = None,
        name: str | None,
        visible: bool | None = None,
    ) -> None:
        if args and contents is not None:
            raise ValueError("Cannot provide both positional and keyword arguments for contents")
        self.contents: list[Container | View] = list(contents) if contents is not None else list(args)
        self.id = uuid.uuid4()
        self.kind = kind
        self.column_shares = column_shares
        self.row_shares = row_shares
        self.grid_columns = grid_columns
        self.active_tab = active_tab
        self.name = name
        self.visible = visible

    def blueprint_path(self) -> str:
        """Where the container lives in the blueprint store."""
        return f"container/{self.id}"

    def to_container(self) -> Container:
        return self

    def to_blueprint(self) -> Blueprint:
        from rerun.blueprint._api import Blueprint

        return Blueprint(self)

    def _log_to_stream(self, stream: RecordingStream) -> None:
        """Log the contents first, then the container that lists them."""
        for sub in self.contents:
            sub._log_to_stream(stream)
        archetype = ContainerBlueprint(
            self.kind,
            contents=[sub.blueprint_path() for sub in self.contents],
            col_shares=self.column_shares,
            row_shares=self.row_shares,
            visible=self.visible,
            grid_columns=self.grid_columns,
            active_tab=self._active_tab_path(),
            display_name=self.name,
        )
        stream.log(self.blueprint_path(), archetype)

    def _active_tab_path(self) -> str | None:
        """The tab picked by index or by view name; the last match wins.

        As in 0.41, a missing ``active_tab`` (``None``) matches every unnamed view, so a container
        holding unnamed views records the last of them as its active tab.
        """
        path = None
        for index, sub in enumerate(self.contents):
            if index == self.active_tab or (isinstance(sub, View) and sub.name == self.active_tab):
                path = sub.blueprint_path()
        if self.active_tab is not None and path is None:
            raise ValueError(f"Active tab '{self.active_tab}' not found in the container contents.")
        return path

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.contents)} items, name={self.name!r}, id={self.id})"


ContainerLike: TypeAlias = Container | View


class Horizontal(Container):
    """Contents side by side; ``column_shares`` weighs their widths."""

    def __init__(
        self,
        *args: Container | View,
        contents: Iterable[Container | View] | None = None,
        column_shares: Any = None,
        name: str | None = None,
        visible: bool | None = None,
    ) -> None:
        super().__init__(*args, contents=contents, kind=ContainerKind.Horizontal, column_shares=column_shares,
                         name=name, visible=visible)  # fmt: skip


class Vertical(Container):
    """Contents stacked top to bottom; ``row_shares`` weighs their heights."""

    def __init__(
        self,
        *args: Container | View,
        contents: Iterable[Container | View] | None = None,
        row_shares: Any = None,
        name: str | None = None,
        visible: bool | None = None,
    ) -> None:
        super().__init__(*args, contents=contents, kind=ContainerKind.Vertical, row_shares=row_shares,
                         name=name, visible=visible)  # fmt: skip


class Grid(Container):
    """Contents in a grid of ``grid_columns`` columns (automatic when not given)."""

    def __init__(
        self,
        *args: Container | View,
        contents: Iterable[Container | View] | None = None,
        column_shares: Any = None,
        row_shares: Any = None,
        grid_columns: int | None = None,
        name: str | None = None,
        visible: bool | None = None,
    ) -> None:
        super().__init__(*args, contents=contents, kind=ContainerKind.Grid, column_shares=column_shares,
                         row_shares=row_shares, grid_columns=grid_columns, name=name, visible=visible)  # fmt: skip


class Tabs(Container):
    """One tab per content; ``active_tab`` is an index or a view's name."""

    def __init__(
        self,
        *args: Container | View,
        contents: Iterable[Container | View] | None = None,
        active_tab: int | str | None = None,
        name: str | None = None,
        visible: bool | None = None,
    ) -> None:
        super().__init__(*args, contents=contents, kind=ContainerKind.Tabs, active_tab=active_tab,
                         name=name, visible=visible)  # fmt: skip
