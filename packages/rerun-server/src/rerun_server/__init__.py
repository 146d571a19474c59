"""The Rerun redap server (`rerun server`); lands with the server issue."""

__version__ = "0.41.0"
