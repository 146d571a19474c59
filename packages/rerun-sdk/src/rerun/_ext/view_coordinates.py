"""``ViewCoordinates`` constants: every axis convention by letters (``RDF``) and by handedness."""

from __future__ import annotations

from itertools import permutations, product
from typing import Any

_CODES = {"U": 1, "D": 2, "R": 3, "L": 4, "F": 5, "B": 6}
_NAMED = {
    "LEFT_HAND_X_DOWN": "DRF", "LEFT_HAND_X_UP": "URB", "LEFT_HAND_Y_DOWN": "RDB", "LEFT_HAND_Y_UP": "RUF",
    "LEFT_HAND_Z_DOWN": "RFD", "LEFT_HAND_Z_UP": "RBU", "RIGHT_HAND_X_DOWN": "DRB", "RIGHT_HAND_X_UP": "URF",
    "RIGHT_HAND_Y_DOWN": "RDF", "RIGHT_HAND_Y_UP": "RUB", "RIGHT_HAND_Z_DOWN": "RBD", "RIGHT_HAND_Z_UP": "RFU",
}  # fmt: skip


def extend(cls: Any) -> None:
    """Attach the 48 letter constants (one axis of each pair, any order) and the 12 handedness ones."""
    for pairs in product("UD", "RL", "FB"):
        for letters in permutations(pairs):
            code = "".join(letters)
            setattr(cls, code, cls(xyz=[[_CODES[c] for c in code]]))
    for name, code in _NAMED.items():
        setattr(cls, name, getattr(cls, code))
