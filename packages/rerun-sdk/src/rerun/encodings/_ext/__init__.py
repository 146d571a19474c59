"""Conveniences of enums, datatypes and components (``Angle(deg=)``, ``Mat3x3(columns=)``, ...).

A generated class whose registry entry names ``extension = "<name>"`` takes the mixin ``<Class>Ext``
of ``rerun.encodings._ext.<name>`` as its first base; ``convert`` entries name functions here too.
Everything here is hand-written; nothing in ``rerun/_generated`` is. Generated classes are imported
inside functions: these modules load while ``rerun._generated.encodings`` itself is loading.
"""
