"""The dark theme: colors and sizes sampled from the reference viewer's 1280×720 screens."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["THEME", "Theme", "font_path"]

RGBA = tuple[int, int, int, int]


@dataclass(frozen=True)
class Theme:
    background: RGBA = (13, 13, 13, 255)
    view_background: str = "#0d0d0d"
    separator: RGBA = (53, 52, 52, 255)
    text: RGBA = (204, 204, 204, 255)
    text_strong: RGBA = (255, 255, 255, 255)
    text_weak: RGBA = (125, 125, 125, 255)
    header_background: RGBA = (23, 23, 23, 255)
    row_line: RGBA = (33, 33, 33, 255)
    header_line: RGBA = (44, 43, 43, 255)  # under a table's header row
    selection: RGBA = (24, 106, 221, 255)
    critical_background: RGBA = (181, 32, 50, 255)
    tick: RGBA = (150, 150, 150, 255)
    chevron: RGBA = (100, 100, 100, 255)  # the tree's open/close arrows
    cursor: RGBA = (230, 230, 230, 255)
    plot_grid: RGBA = (255, 255, 255, 18)
    grid: str = "#3a3a3a"
    font_size: float = 14.0
    top_bar_height: float = 36.0
    left_panel_width: float = 200.0
    right_panel_width: float = 300.0
    time_panel_height: float = 251.0
    time_controls_height: float = 30.0
    view_title_height: float = 28.0
    row_height: float = 24.0


THEME = Theme()


def font_path() -> Path:
    """Roboto, shipped with imgui-bundle (the reference uses Inter, which no dependency ships)."""
    import imgui_bundle

    return Path(imgui_bundle.__file__).parent / "assets" / "fonts" / "Roboto" / "Roboto-Regular.ttf"
