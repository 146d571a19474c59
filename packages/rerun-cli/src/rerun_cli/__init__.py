"""The ``rerun`` command: ``rerun rrd …`` today; the viewer and server modes join with later issues.

Entry point: :func:`rerun_cli.main.main` (also ``python -m rerun_cli``). Commands are records in a
registry (:mod:`rerun_cli._command`), one module per ``rrd`` subcommand under :mod:`rerun_cli.rrd`.
"""

__version__ = "0.41.0"
