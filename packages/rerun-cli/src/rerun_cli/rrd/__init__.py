"""``rerun rrd``: commands that inspect, check and rewrite .rrd/.rbl recordings.

Each subcommand lives in its own module and exposes a ``COMMAND`` record; :data:`GROUP` lists them.
"""

from __future__ import annotations

from rerun_cli._command import CommandGroup
from rerun_cli.rrd import compare, merge, migrate, optimize, route, split, stats, verify
from rerun_cli.rrd import filter as filter_
from rerun_cli.rrd import print as print_

__all__ = ["GROUP"]

GROUP = CommandGroup(
    name="rrd",
    summary="Inspect, check and rewrite .rrd and .rbl recordings",
    description="Inspect, verify, compare, merge, filter, optimize, split, route and migrate recordings.",
    commands=(
        compare.COMMAND,
        filter_.COMMAND,
        merge.COMMAND,
        migrate.COMMAND,
        optimize.COMMAND,
        print_.COMMAND,
        route.COMMAND,
        split.COMMAND,
        stats.COMMAND,
        verify.COMMAND,
    ),
)
