"""Constructor conveniences of archetypes (``Boxes3D(sizes=...)``, ``Image(ndarray)``, ...).

The generated ``__init__`` of an archetype whose registry entry names ``extension = "<name>"``
hands its arguments to ``rerun._ext.<name>.init``, which derives the stored fields and calls
``_set``. Everything here is hand-written; nothing in ``_generated`` is.
"""
