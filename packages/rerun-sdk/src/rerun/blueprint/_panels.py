"""The viewer's panels around the viewport: top bar, blueprint tree, selection and time panel.

Each is one entity of the blueprint store (``/top_panel``, ``/blueprint_panel``, ``/selection_panel``,
``/time_panel``) holding a ``PanelBlueprint`` (the time panel: a ``TimePanelBlueprint``).
"""

from __future__ import annotations

from typing import Any, TypeAlias

from rerun._generated.blueprint_archetypes import PanelBlueprint, TimePanelBlueprint
from rerun._generated.enums import BlueprintPanelState as PanelState
from rerun._recording_stream import RecordingStream

__all__ = [
    "BlueprintPanel",
    "Panel",
    "PanelState",
    "PanelStateLike",
    "SelectionPanel",
    "TimePanel",
    "TopPanel",
]

PanelStateLike: TypeAlias = PanelState | str | int


def _to_state(expanded: bool | None, state: PanelStateLike | None) -> PanelStateLike | None:
    """``expanded=`` is the older spelling of ``state=``; giving both is an error."""
    if expanded is not None and state is not None:
        raise ValueError("Cannot set both 'expanded' and 'state'")
    if state is not None:
        return state
    if expanded is not None:
        return PanelState.Expanded if expanded else PanelState.Collapsed
    return None


class Panel:
    """A panel's state (expanded, collapsed or hidden); prefer the concrete panels."""

    def __init__(
        self, *, blueprint_path: str, expanded: bool | None = None, state: PanelStateLike | None = None
    ) -> None:
        self._blueprint_path = blueprint_path
        self.state = _to_state(expanded, state)

    def blueprint_path(self) -> str:
        return self._blueprint_path

    def _log_to_stream(self, stream: RecordingStream) -> None:
        stream.log(self.blueprint_path(), PanelBlueprint(state=self.state))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(state={self.state!r})"


class TopPanel(Panel):
    """The top bar; collapsed and hidden both hide it."""

    def __init__(self, *, expanded: bool | None = None, state: PanelStateLike | None = None) -> None:
        super().__init__(blueprint_path="top_panel", expanded=expanded, state=state)


class BlueprintPanel(Panel):
    """The blueprint tree on the left; collapsed and hidden both hide it."""

    def __init__(self, *, expanded: bool | None = None, state: PanelStateLike | None = None) -> None:
        super().__init__(blueprint_path="blueprint_panel", expanded=expanded, state=state)


class SelectionPanel(Panel):
    """The selection panel on the right; collapsed and hidden both hide it."""

    def __init__(self, *, expanded: bool | None = None, state: PanelStateLike | None = None) -> None:
        super().__init__(blueprint_path="selection_panel", expanded=expanded, state=state)


class TimePanel(Panel):
    """The time panel: its state, the timeline it shows, and how playback starts."""

    def __init__(
        self,
        *,
        expanded: bool | None = None,
        state: PanelStateLike | None = None,
        timeline: str | None = None,
        playback_speed: float | None = None,
        fps: float | None = None,
        play_state: Any = None,
        loop_mode: Any = None,
        time_selection: Any = None,
    ) -> None:
        super().__init__(blueprint_path="time_panel", expanded=expanded, state=state)
        self.timeline = timeline
        self.playback_speed = playback_speed
        self.fps = fps
        self.play_state = play_state
        self.loop_mode = loop_mode
        self.time_selection = time_selection

    def _log_to_stream(self, stream: RecordingStream) -> None:
        """Everything but the play state at blueprint time 0; the play state static, as 0.41 writes it."""
        archetype = TimePanelBlueprint(
            state=self.state,
            timeline=self.timeline,
            playback_speed=self.playback_speed,
            fps=self.fps,
            loop_mode=self.loop_mode,
            time_selection=self.time_selection,
        )
        stream.log(self.blueprint_path(), archetype)
        if self.play_state is not None:
            stream.log(self.blueprint_path(), TimePanelBlueprint(play_state=self.play_state), static=True)
