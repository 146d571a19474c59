"""``ViewCoordinates`` constants on the archetype: the component's values, shared.

As in Rerun 0.41, ``rr.ViewCoordinates.RDF is rr.components.ViewCoordinates.RDF``: one constant works
where an archetype is logged (``rr.log("world", rr.ViewCoordinates.RDF)``) and where a component is
expected (``rr.Pinhole(camera_xyz=rr.ViewCoordinates.RDF)``).
"""

from __future__ import annotations

from typing import Any

from rerun.encodings._ext.components import VIEW_COORDINATES_CONSTANTS


def extend(cls: Any) -> None:
    """Copy the 60 axis-convention constants of the component class onto the archetype."""
    from rerun._generated.components import ViewCoordinates as component

    for code in VIEW_COORDINATES_CONSTANTS:
        setattr(cls, code, getattr(component, code))
