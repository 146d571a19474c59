"""Value classes from the registry: datatypes (``rerun.encodings``) and the fields of components.

A value class declares its fields (``_FIELDS``), its Arrow type and the converter of its batches;
``rerun.encodings._datatype`` does the rest. ``gen_sdk.py`` writes the modules; this file only
turns registry entries into source lines.
"""

from __future__ import annotations

from graphlib import TopologicalSorter

from arrow_types import arrow_type_source, parse_arrow_type

__all__ = [
    "VALUE_NAMESPACES",
    "base_classes",
    "batch_converter_source",
    "class_body",
    "default_converter",
    "encodings_module",
    "enum_like_lines",
    "ext_modules",
    "init_lines",
    "lazy_namespace",
    "like_lines",
    "parse_arrow_type",
    "topological",
]

_SCALARS = {"float": "float", "int": "int", "bool": "bool", "str": "str"}
_FLAVOURS = {
    "float": "FloatValue", "int": "IntValue", "bool": "BoolValue", "str": "StrValue",
    "array": "ArrayValue", "raw": "ArrayValue", "datatype_list": "ListValue", "enum_list": "ListValue",
}  # fmt: skip
VALUE_NAMESPACES = ("encodings", "blueprint.encodings")  # enums used as datatypes, with batches of their own
_LIKES = {"float": "float | int", "int": "int", "bool": "bool", "str": "str", "array": "npt.ArrayLike"}


def topological(datatypes: dict[str, dict]) -> list[str]:
    """Datatype names, each after the datatypes its fields refer to."""
    graph = {
        name: sorted(f["type"] for f in spec["fields"] if f["kind"].startswith("datatype"))
        for name, spec in sorted(datatypes.items())
    }
    return list(TopologicalSorter(graph).static_order())


def ext_modules(entries: list[dict]) -> list[str]:
    """Every extension module the entries name, as an extension or in a ``convert``."""
    names = {entry[key] for entry in entries for key in ("extension", "extend") if key in entry}
    for entry in entries:
        for value in [entry.get("convert"), *(f.get("convert") for f in entry.get("fields", []))]:
            if value and "." in value:
                names.add(value.split(".", 1)[0])
    return sorted(names)


def function_source(name: str) -> str:
    """``module.function`` of ``rerun/encodings/_ext``, or a bare name of ``rerun._converters``."""
    if "." in name:
        module, function = name.split(".", 1)
        return f"_x_{module}.{function}"
    return f"_convert.{name}"


def is_struct(arrow: str) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_struct(parse_arrow_type(arrow)))


def base_classes(mixin_name: str, spec: dict, dt: str) -> list[str]:
    """The extension mixin (if any), then the flavour: what one stored value makes the class behave like."""
    fields = spec["fields"]
    flavour = "Datatype"
    if len(fields) == 1 and not is_struct(spec["arrow"]) and not spec["arrow"].startswith("dense_union"):
        flavour = _FLAVOURS[fields[0]["kind"]]
    mixin = [f"_x_{spec['extension']}.{mixin_name}Ext"] if "extension" in spec else []
    return [*mixin, f"{dt}.{flavour}"]


def batch_converter_source(spec: dict, default: str) -> str:
    return function_source(spec["convert"]) if "convert" in spec else default


def _field_source(field: dict, arrow: str, qualify: str) -> str:
    """``_dt.<kind>(...)`` constructing the ``Field`` (``qualify`` prefixes datatype names)."""
    kind, name = field["kind"], repr(field["name"])
    extra = ", optional=True" if field.get("optional") else ""
    if "convert" in field:
        extra += f", convert={function_source(field['convert'])}"
    if kind in _SCALARS:
        return f"_dt.scalar({name}, {_SCALARS[kind]}{extra})"
    if kind == "array":
        dtype = f"np.{field['dtype']}" if "dtype" in field else "None"
        shape = _nested_shape(arrow)
        return f"_dt.array({name}, {dtype}{f', shape={shape}' if shape else ''}{extra})"
    if kind in ("datatype", "datatype_list"):
        return f"_dt.{kind}({name}, {qualify}{field['type']}{extra})"
    if kind == "enum":
        return f"_dt.enum_of({name}, _enums.{field['type']}{extra})"
    if kind == "enum_list":
        return f"_dt.enum_list({name}, _enums.{field['type']}{extra})"
    if kind == "raw":
        return f"_dt.raw({name}{extra})"
    raise ValueError(f"unknown field kind {kind!r} of {field['name']!r}")


def _nested_shape(arrow: str) -> tuple[int, ...] | None:
    """``(15, 3)`` for a fixed-size list of fixed-size lists: the shape of one value's Arrow form."""
    import pyarrow as pa

    typ = parse_arrow_type(arrow)
    if not (pa.types.is_fixed_size_list(typ) and pa.types.is_fixed_size_list(typ.value_type)):
        return None
    return (typ.list_size, typ.value_type.list_size)


def _annotation(field: dict, like_prefix: str) -> str:
    kind = field["kind"]
    if kind in ("datatype", "enum"):
        text = f"{like_prefix if kind == 'datatype' else '_enums.'}{field['type']}Like"
    elif kind in ("datatype_list", "enum_list"):
        text = f"Sequence[{like_prefix if kind == 'datatype_list' else '_enums.'}{field['type']}Like]"
    else:
        text = {"array": "npt.ArrayLike", "raw": "Any"}.get(kind, _SCALARS.get(kind, "Any"))
    return f"{text} | None" if field.get("optional") else text


def init_lines(name: str, spec: dict, like_prefix: str) -> list[str]:
    """``__init__`` storing the fields; parameters as the registry's ``init`` lists them."""
    fields = {f["name"]: f for f in spec["fields"]}
    init = spec.get("init", ", ".join(fields))
    defaults = spec.get("init_defaults", {})
    required = set(spec.get("init_required", []))
    params, names = ["self"], []
    for token in (t.strip() for t in init.split(",") if t.strip()):
        if token == "*":
            params.append("*")
            continue
        names.append(token)
        field = fields[token]
        own = len(fields) == 1 and not is_struct(spec["arrow"])
        annotation = f"{name}Like" if own else _annotation(field, like_prefix)
        optional = field.get("optional") and token not in required
        default = defaults.get(token, "None" if optional else None)
        if default is None:
            params.append(f"{token}: {annotation}")
            continue
        if default == "None" and not annotation.endswith("| None"):
            annotation += " | None"
        params.append(f"{token}: {annotation} = {default}")
    arguments = ", ".join(f"{n}={n}" for n in names)
    return [
        f"    def __init__({', '.join(params)}) -> None:",
        f"        self._set_fields({arguments})",
    ]


def _attribute_type(field: dict, qualify: str) -> str:
    kind = field["kind"]
    if kind == "array":
        text = f"npt.NDArray[np.{field['dtype']}]" if "dtype" in field else "npt.NDArray[Any]"
    elif kind in ("datatype", "datatype_list"):
        text = f"{qualify}{field['type']}"
    elif kind in ("enum", "enum_list"):
        text = f"_enums.{field['type']}"
    else:
        text = _SCALARS.get(kind, "Any")
    text = f"list[{text}]" if kind.endswith("_list") else text
    return f"{text} | None" if field.get("optional") else text


def class_body(name: str, spec: dict, *, qualify: str = "", like_prefix: str = "") -> list[str]:
    """Stored attributes, fields and (unless the extension has one) ``__init__``."""
    arrow = spec["arrow"]
    fields = ", ".join(_field_source(f, arrow, qualify) for f in spec["fields"])
    lines = [f"    {f['name']}: {_attribute_type(f, qualify)}" for f in spec["fields"]]
    lines += [f"    _FIELDS = ({fields},)"]
    if not spec.get("ext_init"):
        lines += ["", *init_lines(name, spec, like_prefix)]
    return lines


def arrow_source(spec: dict) -> str:
    return arrow_type_source(spec["arrow"])


def like_lines(name: str, spec: dict) -> list[str]:
    """``<Name>Like`` (one value) and ``<Name>ArrayLike`` (a batch) type aliases."""
    fields = spec["fields"]
    single = len(fields) == 1 and not is_struct(spec["arrow"])
    extra = spec.get("like") or (_LIKES.get(fields[0]["kind"]) if single else None)
    like = f"{name} | {extra}" if extra else name
    numeric = single and fields[0]["kind"] in ("float", "int", "bool", "array")
    array_like = f"{name} | Sequence[{name}Like]" + (" | npt.ArrayLike" if numeric else "")
    return [f"{name}Like: TypeAlias = {like}", f"{name}ArrayLike: TypeAlias = {array_like}"]


def enum_like_lines(class_name: str, members: list[str]) -> list[str]:
    """Aliases for an enum: a member, its name in either case, or its number."""
    names = sorted({*members, *(m.lower() for m in members)})
    literal = ", ".join(repr(n) for n in names)
    return [
        f"{class_name}Like: TypeAlias = {class_name} | Literal[{literal}] | int",
        f"{class_name}ArrayLike: TypeAlias = {class_name}Like | Sequence[{class_name}Like]",
    ]


def encodings_module(header: str, datatypes: dict[str, dict], enums: dict[str, dict]) -> str:
    """``rerun/_generated/encodings.py``: every datatype class, a batch class for each, and the aliases."""
    enum_names = sorted(n for n, e in enums.items() if e["namespace"] in VALUE_NAMESPACES)
    entries = [datatypes[n] for n in datatypes]
    lines = [
        header,
        '"""Datatypes: the values components are made of, each with a batch class and type aliases."""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Sequence",
        "from typing import Any, TypeAlias",
        "",
        "import numpy as np",
        "import numpy.typing as npt",
        "import pyarrow as pa",
        "",
        "from rerun import _converters as _convert",
        "from rerun._generated import enums as _enums",
        f"from rerun._generated.enums import {', '.join(enum_names)}",
        "from rerun.encodings import _datatype as _dt",
        *(f"from rerun.encodings._ext import {m} as _x_{m}" for m in ext_modules(entries)),
        "",
    ]
    for name in topological(datatypes):
        lines += _datatype_lines(name, datatypes[name])
    for name in enum_names:
        lines += _enum_batch_lines(name, enums[name])
    lines.append("")
    for name in enum_names:
        lines += [
            f"{name}Like: TypeAlias = _enums.{name}Like",
            f"{name}ArrayLike: TypeAlias = _enums.{name}ArrayLike",
        ]
    for name in topological(datatypes):  # aliases may name the aliases of other datatypes
        lines += like_lines(name, datatypes[name])
    for name in sorted(n for n, spec in datatypes.items() if spec.get("extend")):
        lines += ["", f"_x_{datatypes[name]['extend']}.extend({name})"]
    return "\n".join(lines) + "\n"


def default_converter(arrow: str) -> str:
    """The converter for batches of an Arrow type, unless the registry names one."""
    import pyarrow as pa

    typ = parse_arrow_type(arrow)
    if pa.types.is_string(typ):
        return "_convert.utf8"
    if pa.types.is_primitive(typ):
        return "_convert.primitive"
    if pa.types.is_fixed_size_list(typ) and pa.types.is_primitive(typ.value_type):
        return "_convert.fixed_vector"
    if pa.types.is_fixed_size_list(typ) and pa.types.is_fixed_size_list(typ.value_type):
        return "_convert.fixed_matrix"
    if pa.types.is_list(typ) and typ.value_type == pa.uint8():
        return "_convert.blob"
    if pa.types.is_list(typ) and pa.types.is_fixed_size_list(typ.value_type):
        return "_convert.list_of_vectors"
    return "_convert.structured"


def _datatype_lines(name: str, spec: dict) -> list[str]:
    converter = batch_converter_source(spec, default_converter(spec["arrow"]))
    coerce = is_struct(spec["arrow"]) and "convert" not in spec
    return [
        "",
        f"class {name}({', '.join(base_classes(name, spec, '_dt'))}):",
        f'    """``rerun.{spec.get("namespace", "encodings")}.{name}``."""',
        "",
        f"    _ARROW_TYPE = {arrow_source(spec)}",
        f"    _CONVERT = staticmethod({converter})",
        *class_body(name, spec),
        "",
        "",
        f"class {name}Batch(_dt.BaseBatch):",
        f'    """A batch of ``{name}`` values."""',
        "",
        f"    _ARROW_TYPE = {name}._ARROW_TYPE",
        f"    _CONVERT = staticmethod({converter})",
        *([f"    _COERCE_TO = {name}"] if coerce else []),
        "",
    ]


def _enum_batch_lines(name: str, enum: dict) -> list[str]:
    return [
        "",
        f"class {name}Batch(_dt.BaseBatch):",
        f'    """A batch of ``{name}`` values."""',
        "",
        f"    _ARROW_TYPE = {arrow_type_source(enum['arrow'])}",
        f"    _CONVERT = staticmethod(_convert.enum_of({name}))",
        "",
    ]


def lazy_namespace(header: str, doc: str, exports: dict[str, list[str]], extra: str = "") -> str:
    """A public module whose names load on first use (PEP 562), with ``__all__`` and a ``__dir__``."""
    everything = sorted(n for names in exports.values() for n in names)
    lines = [header, f'"""{doc}"""', "", "from __future__ import annotations", "", "import importlib",
             "from typing import TYPE_CHECKING, Any", "",
             "_EXPORTS: dict[str, tuple[str, ...]] = {"]  # fmt: skip
    for module, names in exports.items():
        lines += [f"    {module!r}: (", *(f"        {n!r}," for n in sorted(names)), "    ),"]
    lines += ["}", "_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}", ""]
    lines += ["__all__ = [", *(f"    {n!r}," for n in everything), "]", ""]
    lines += [
        "",
        "def __getattr__(name: str) -> Any:",
        "    if name not in _WHERE:",
        "        raise AttributeError(f'module {__name__!r} has no attribute {name!r}')",
        "    value = getattr(importlib.import_module(_WHERE[name]), name)",
        "    globals()[name] = value",
        "    return value",
        "",
        "",
        "def __dir__() -> list[str]:",
        "    return sorted(set(globals()) | set(__all__))",
        "",
        "",
        "if TYPE_CHECKING:",
    ]
    for module, names in exports.items():
        lines.append(f"    from {module} import {', '.join(sorted(names))}")
    return "\n".join(lines) + "\n" + extra
