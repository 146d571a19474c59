"""The Rerun logging SDK (``import rerun as rr``), drop-in compatible with rerun-sdk 0.41.

The logging API lands with the SDK issue; this package currently only fixes its place in the
monorepo: it depends on ``rerun_core`` and nothing else of ours.
"""

__version__ = "0.41.0"
