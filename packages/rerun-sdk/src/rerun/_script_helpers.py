"""``rr.script_add_args`` / ``script_setup`` / ``script_teardown``: the usual command-line flags.

``--connect`` (and ``--url``) stream over gRPC; ``--serve`` needs the web viewer, which is not built yet,
so it fails with a clear message instead of silently doing something else.
"""

from __future__ import annotations

import argparse
import uuid
from typing import Any

from rerun._recording_stream import RecordingStream

__all__ = ["script_add_args", "script_setup", "script_teardown"]


def script_add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--headless", action="store_true", help="Don't show GUI")
    parser.add_argument(
        "--connect", dest="connect", action="store_true", help="Connect to an external viewer"
    )
    parser.add_argument(
        "--serve", "--serve-web", dest="serve", action="store_true", help="Serve a web viewer"
    )
    parser.add_argument("--url", type=str, default=None, help="Connect to this gRPC url")
    parser.add_argument("--save", type=str, default=None, help="Save data to a .rrd file at this path")
    parser.add_argument("--stdout", dest="stdout", action="store_true", help="Log data to standard output")


def script_setup(
    args: argparse.Namespace, application_id: str, *, recording_id: str | uuid.UUID | None = None,
    default_blueprint: Any = None,
) -> RecordingStream:  # fmt: skip
    from rerun._global import set_global_data_recording

    recording = RecordingStream(application_id, recording_id=recording_id)
    set_global_data_recording(recording)
    if getattr(args, "stdout", False):
        recording.stdout(default_blueprint)
    elif getattr(args, "save", None):
        recording.save(args.save, default_blueprint)
    elif getattr(args, "serve", False):
        raise NotImplementedError("--serve needs the web viewer, which this build does not have yet")
    elif getattr(args, "connect", False) or getattr(args, "url", None):
        recording.connect_grpc(args.url, default_blueprint=default_blueprint)
    return recording


def script_teardown(args: argparse.Namespace) -> None:
    from rerun._global import get_data_recording

    recording = get_data_recording()
    if recording is not None:
        recording._flush_quietly()
