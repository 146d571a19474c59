"""Where everything goes in the window: the shell's panels and the grid of views (pure geometry)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from rerun_viewer._blueprint import PanelState
from rerun_viewer._theme import THEME
from rerun_viewer._ui import Rect

__all__ = ["ShellLayout", "grid_shape", "shell_layout", "view_cells"]


@dataclass(frozen=True)
class ShellLayout:
    top_bar: Rect
    left: Rect
    right: Rect
    views: Rect
    time_panel: Rect


def shell_layout(width: float, height: float, panels: Mapping[str, PanelState] | None = None) -> ShellLayout:
    """The reference's arrangement at 1280×720; side panels and the time panel shrink in small windows.

    ``panels`` (a blueprint's panel states by panel name) hides panels: a collapsed time panel keeps
    its controls row, every other collapsed or hidden panel takes no room.
    """
    states = panels or {}

    def shown(name: str) -> bool:
        return states.get(name, PanelState.EXPANDED) == PanelState.EXPANDED

    top = THEME.top_bar_height if shown("top_panel") else 0.0
    time_height = min(THEME.time_panel_height, 0.35 * height)
    if states.get("time_panel") == PanelState.COLLAPSED:
        time_height = THEME.time_controls_height
    elif states.get("time_panel") == PanelState.HIDDEN:
        time_height = 0.0
    left_width = min(THEME.left_panel_width, 0.16 * width) if shown("blueprint_panel") else 0.0
    right_width = min(THEME.right_panel_width, 0.24 * width) if shown("selection_panel") else 0.0
    middle = max(height - top - time_height, 1)
    return ShellLayout(
        top_bar=Rect(0, 0, width, top),
        left=Rect(0, top, left_width, middle),
        right=Rect(width - right_width, top, right_width, middle),
        views=Rect(left_width, top, max(width - left_width - right_width, 1), middle),
        time_panel=Rect(0, top + middle, width, time_height),
    )


def grid_shape(count: int) -> tuple[int, int]:
    """Columns and rows for ``count`` views: side by side up to three, then a near-square grid."""
    if count <= 3:
        return max(count, 1), 1
    columns = math.ceil(math.sqrt(count))
    return columns, math.ceil(count / columns)


def view_cells(area: Rect, count: int) -> list[Rect]:
    """One rectangle per view, row by row."""
    columns, rows = grid_shape(count)
    cells = [cell for row in area.split_rows(rows) for cell in row.split_columns(columns)]
    return cells[:count]
