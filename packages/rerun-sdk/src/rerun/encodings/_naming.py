"""Public names of generated classes that live in ``rerun._generated`` under another name.

Blueprint components and enums carry a ``Blueprint`` prefix there (``BlueprintPanelState``) so they
do not clash with core ones; users meet them as ``rerun.blueprint.components.PanelState``, which is
how they print and pickle.
"""

from __future__ import annotations

__all__ = ["publish"]


def publish(cls: type, module: str, name: str) -> None:
    """Make ``cls`` print as ``name`` and pickle as ``module.name``."""
    cls.__name__ = cls.__qualname__ = name
    cls.__module__ = module
