"""The visualizer registry: each visualizer registers for an (archetype, view kind) pair.

Views never import a visualizer: they ask :func:`visualizers_for` which archetypes they can show
and call what is registered. The built-in visualizers live in :mod:`rerun_viewer.visualizers`,
loaded once by :func:`load_builtin_visualizers`.
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rerun_viewer._entity_query import EntityQuery
    from rerun_viewer._primitives import Primitive

__all__ = [
    "ViewKind",
    "Visualizer",
    "VisualizerFn",
    "load_builtin_visualizers",
    "register",
    "visualizer",
    "visualizers_for",
]


class ViewKind(enum.Enum):
    """The kinds of views; the value is the reference's view class name."""

    SPATIAL_3D = "3D"
    SPATIAL_2D = "2D"
    TIME_SERIES = "TimeSeries"
    TEXT_LOG = "TextLog"
    TEXT_DOCUMENT = "TextDocument"
    BAR_CHART = "BarChart"
    TENSOR = "Tensor"


VisualizerFn = Callable[["EntityQuery"], "list[Primitive]"]


@dataclass(frozen=True)
class Visualizer:
    """Turns one entity's data (of one archetype) into primitives for one kind of view."""

    archetype: str
    view_kind: ViewKind
    run: VisualizerFn


_REGISTRY: dict[tuple[str, ViewKind], Visualizer] = {}


def register(archetype: str, view_kind: ViewKind, run: VisualizerFn) -> Visualizer:
    """Add (or replace) the visualizer of ``archetype`` in views of ``view_kind``."""
    entry = Visualizer(archetype, view_kind, run)
    _REGISTRY[(archetype, view_kind)] = entry
    return entry


def visualizer(archetype: str, *view_kinds: ViewKind) -> Callable[[VisualizerFn], VisualizerFn]:
    """Decorator form of :func:`register`, for one or more view kinds."""

    def decorate(run: VisualizerFn) -> VisualizerFn:
        for kind in view_kinds:
            register(archetype, kind, run)
        return run

    return decorate


def visualizers_for(view_kind: ViewKind) -> dict[str, Visualizer]:
    """Every registered visualizer for a kind of view, by archetype short name."""
    load_builtin_visualizers()
    return {archetype: entry for (archetype, kind), entry in _REGISTRY.items() if kind == view_kind}


def load_builtin_visualizers() -> None:
    """Import the built-in visualizers package once (it registers itself on import)."""
    importlib.import_module("rerun_viewer.visualizers")
