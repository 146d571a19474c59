"""The Rerun catalog client (`rerun.catalog`); lands with the catalog issue."""

__version__ = "0.41.0"
