"""The app state: the one source of truth that the shell reads and the UI (or a script) changes.

Everything the user can change lives here — the time cursor, what is selected or hovered, which
entities are hidden, playback, how each view's camera was moved — so a frame is a pure function of
the recordings and this state. Camera states are frozen (hashable) so they can key render caches.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field, replace

from rerun_viewer._time import TimeCursor
from rerun_viewer._transforms import is_under

__all__ = ["PLAYBACK_SPEEDS", "AppState", "CameraState", "LoopMode", "Playback", "PlotRange", "Selection"]

PLAYBACK_SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
_MAX_PITCH = math.radians(89.0)


class LoopMode(enum.Enum):
    """What playback does at the end of the timeline: stop there, or start over."""

    OFF = "off"
    ALL = "all"


@dataclass(frozen=True)
class Selection:
    """An entity, or one instance of it (``instance`` is its index in the entity's batch); with
    ``blueprint``, a container or view of the blueprint tree (``entity`` is then its tree path)."""

    entity: str
    instance: int | None = None
    blueprint: bool = False


@dataclass(frozen=True)
class CameraState:
    """How the user moved a view's camera away from its automatic framing.

    Relative to that framing, so it survives data changes: ``yaw``/``pitch`` orbit (radians, 3D),
    ``zoom`` > 1 comes closer, ``pan`` moves the target by fractions of the framed extent.
    """

    yaw: float = 0.0
    pitch: float = 0.0
    zoom: float = 1.0
    pan: tuple[float, float] = (0.0, 0.0)

    def orbited(self, yaw: float, pitch: float) -> CameraState:
        limited = min(max(self.pitch + pitch, -_MAX_PITCH), _MAX_PITCH)
        return replace(self, yaw=self.yaw + yaw, pitch=limited)

    def panned(self, right: float, up: float) -> CameraState:
        return replace(self, pan=(self.pan[0] + right, self.pan[1] + up))

    def zoomed(self, factor: float) -> CameraState:
        if not factor > 0:
            raise ValueError(f"zoom factor must be positive, got {factor}")
        return replace(self, zoom=min(max(self.zoom * factor, 1e-3), 1e3))


@dataclass(frozen=True)
class PlotRange:
    """The time range a user zoomed or panned a time-series view to.

    ``lo``/``hi`` are timeline units after ``origin`` (floats: a pan may move by a fraction of a frame;
    an integer origin keeps nanosecond timestamps exact).
    """

    origin: int
    lo: float
    hi: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lo) and math.isfinite(self.hi) and self.lo < self.hi):
            raise ValueError(f"plot range must be finite and increasing, got {self.lo}..{self.hi}")

    def relative_to(self, origin: int) -> tuple[float, float]:
        """The range in timeline units after another origin."""
        shift = float(self.origin - origin)
        return self.lo + shift, self.hi + shift


@dataclass
class Playback:
    """The time panel's controls: playing or paused, speed, loop mode, and sequence steps per second."""

    playing: bool = False
    speed: float = 1.0
    loop: LoopMode = LoopMode.OFF
    fps: float = 30.0
    carry: float = 0.0  # the part of a time unit played but not yet shown (sequences move whole steps)


@dataclass
class AppState:
    """What the viewer shows and how; mutated by the UI and by :class:`~rerun_viewer.Viewer`'s methods."""

    cursor: TimeCursor
    recording: str = ""  # the active recording's id; the UI switches recordings by changing it
    selection: Selection | None = None
    hover: Selection | None = None
    hidden: set[str] = field(default_factory=set)
    playback: Playback = field(default_factory=Playback)
    cameras: dict[str, CameraState] = field(default_factory=dict)
    expanded: set[str] = field(default_factory=set)  # rows opened in the blueprint tree
    plot_ranges: dict[str, PlotRange] = field(default_factory=dict)  # time-series views' zoom and pan
    active_tabs: dict[str, int] = field(default_factory=dict)  # tab containers' clicked tab, by path
    times: dict[str, tuple[TimeCursor, Playback]] = field(default_factory=dict)  # other recordings' time
    time_owner: str = ""  # the recording the cursor and playback belong to (``recording`` may change first)

    def __post_init__(self) -> None:
        self.time_owner = self.time_owner or self.recording

    def show(self, recording: str, cursor: TimeCursor) -> None:
        """Switch to another recording: nothing selected, hidden or moved, but its own time as 0.41 keeps
        it per recording (timeline, time, playback); ``cursor`` for one shown the first time, paused."""
        self.times[self.time_owner] = (self.cursor, self.playback)
        kept = self.times.pop(recording, None)
        if kept is None:
            kept = cursor, replace(self.playback, playing=False, carry=0.0)
        self.recording = self.time_owner = recording
        self.cursor, self.playback = kept
        self.selection = self.hover = None
        self.hidden, self.cameras, self.expanded, self.plot_ranges = set(), {}, set(), {}
        self.active_tabs = {}

    def is_visible(self, entity: str) -> bool:
        """Hidden entities hide their whole subtree, as in the reference's blueprint tree."""
        return not any(is_under(entity, hidden) for hidden in self.hidden)

    def set_visible(self, entity: str, visible: bool) -> None:
        if visible:
            self.hidden.discard(entity)
        else:
            self.hidden.add(entity)

    def select(self, entity: str | None, instance: int | None = None) -> None:
        self.selection = None if entity is None else Selection(entity, instance)

    def select_item(self, path: str) -> None:
        """Select a container or view of the blueprint tree (by its tree path)."""
        self.selection = Selection(path, blueprint=True)

    def camera(self, view_key: str) -> CameraState:
        return self.cameras.get(view_key, CameraState())

    def set_camera(self, view_key: str, camera: CameraState) -> None:
        if camera == CameraState():
            self.cameras.pop(view_key, None)
        else:
            self.cameras[view_key] = camera
