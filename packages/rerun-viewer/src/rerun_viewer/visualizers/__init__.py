"""The built-in visualizers; importing this package registers each of them (see ``_registry``)."""

from rerun_viewer.visualizers import _images, _mesh, _plots, _points_lines, _shapes, _text  # noqa: F401

__all__: list[str] = []
