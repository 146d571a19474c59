"""Progress bars for long reads: shown on stderr only when it is a terminal and the input is large.

Pipelines (``cat a.rrd | rerun rrd filter ... > b.rrd``) and tests never see them, so output stays
byte-for-byte the same whether or not a human is watching.
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TransferSpeedColumn

from rerun_cli._streams import Streams

__all__ = ["LARGE_INPUT_BYTES", "ReadProgress"]

LARGE_INPUT_BYTES = 16 << 20


class ReadProgress:
    """One bar per input, advanced from the decoder's byte offset; a no-op when not wanted."""

    def __init__(self, streams: Streams, *, enabled: bool = True) -> None:
        self._progress: Progress | None = None
        if enabled and streams.stderr_is_tty():
            console = Console(file=streams.stderr)
            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                console=console, transient=True,
            )  # fmt: skip

    def add(self, description: str, total_bytes: int | None) -> TaskID | None:
        """Start a bar for one input; small inputs (known to be under the threshold) get none."""
        if self._progress is None or (total_bytes is not None and total_bytes < LARGE_INPUT_BYTES):
            return None
        if not self._progress.live.is_started:
            self._progress.start()
        return self._progress.add_task(description, total=total_bytes)

    def update(self, task: TaskID | None, completed_bytes: int) -> None:
        if task is not None and self._progress is not None:
            self._progress.update(task, completed=completed_bytes)

    def __enter__(self) -> ReadProgress:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None and self._progress.live.is_started:
            self._progress.stop()
