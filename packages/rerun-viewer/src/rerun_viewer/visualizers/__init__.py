"""The built-in visualizers; importing this package registers each of them (see ``_registry``)."""

from rerun_viewer.visualizers import (  # noqa: F401
    _asset,
    _images,
    _mesh,
    _pinhole,
    _plots,
    _points_lines,
    _shapes,
    _shapes_2d,
    _tensors,
    _text,
)

__all__: list[str] = []
