"""``rerun rrd migrate``: rewrite .rrd files in place in the current format, keeping a backup.

``foo.rrd`` becomes ``foo.backup.rrd`` (the original bytes) and a new ``foo.rrd`` written by our
encoder, with footer and manifests. A file whose backup already exists is left alone. When a file
cannot be read, it is put back as it was and the command fails after trying the others.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rerun_cli._command import Command
from rerun_cli._streams import Streams
from rerun_cli.errors import CliError
from rerun_cli.rrd._input import Inputs
from rerun_cli.rrd._output import open_output

__all__ = ["COMMAND", "backup_path"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", metavar="PATH_TO_INPUT_RRDS", help="recordings to migrate in place"
    )


def run(args: argparse.Namespace, streams: Streams) -> int:
    paths = [Path(path) for path in args.paths]
    missing = next((path for path in paths if not path.is_file()), None)
    if missing is not None:
        raise CliError(f"No such file: {missing}")
    streams.error(f"Migrating {len(paths)} .rrd file(s)…")
    failures = []
    for path in paths:
        problem = _migrate(path, streams)
        if problem:
            failures.append(f"  {path}: {problem}")
    if failures:
        streams.error(f"❌ Failed to migrate {len(failures)}/{len(paths)} file(s):\n")
        streams.error("\n".join(failures) + "\n")
        raise CliError(f"Failed to migrate {len(failures)}/{len(paths)} file(s)")
    streams.error(f"✅ {len(paths)} file(s) successfully migrated.")
    return 0


def backup_path(path: Path) -> Path:
    """``dir/foo.rrd`` -> ``dir/foo.backup.rrd``."""
    return path.with_name(f"{path.stem}.backup{path.suffix}")


def _migrate(path: Path, streams: Streams) -> str | None:
    """Migrate one file; returns what went wrong, if anything."""
    backup = backup_path(path)
    if backup.exists():
        streams.error(f"Ignoring migration of {path}: {backup} already exists")
        return None
    os.replace(path, backup)
    inputs = Inputs([str(backup)], streams, progress=True)
    try:
        with open_output(str(path), streams) as encoder:
            for item in inputs.items():
                encoder.append(item.msg)
    except (CliError, OSError) as err:
        inputs.failures += 1
        streams.error(f"ERROR {err}")
    if inputs.failures:
        os.replace(backup, path)
        return "the file could not be read completely (see the errors above); it was left as it was"
    return None


COMMAND = Command(
    name="migrate",
    summary="Rewrite .rrd files in place in the current format, keeping a .backup copy",
    description=(
        "Rewrite recordings in place in the current format.\n\n"
        "Example: rerun rrd migrate runs/*.rrd (each run.rrd keeps its original as run.backup.rrd)"
    ),
    configure=configure,
    run=run,
)
