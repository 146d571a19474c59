"""The single `rerun` command composing SDK, viewer, server and catalog; lands with the CLI issues."""

__version__ = "0.41.0"
