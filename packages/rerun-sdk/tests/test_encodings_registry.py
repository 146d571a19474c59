"""The registry's datatype entries: every hook it names exists, and generated classes follow their entries."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
import tomllib

import rerun as rr
import rerun.blueprint as rrb
from rerun._generated import components as generated_components
from rerun._generated import encodings as generated

REGISTRY = tomllib.loads(
    (Path(__file__).resolve().parents[3] / "tools" / "codegen" / "types.toml").read_text()
)


def _function(name: str) -> Any:
    if "." in name:
        module, function = name.split(".", 1)
        return getattr(importlib.import_module(f"rerun.encodings._ext.{module}"), function)
    return getattr(importlib.import_module("rerun._converters"), name)


def _entries() -> list[tuple[str, dict[str, Any]]]:
    """Registry entries that name a hook (an extension module, ``extend`` or a ``convert`` function)."""
    named = [(name, spec) for name, spec in REGISTRY["datatypes"].items()]
    named += [(full.rsplit(".", 1)[1], spec) for full, spec in REGISTRY["components"].items()]
    named += [(name, spec) for name, spec in REGISTRY["enums"].items()]
    hooks = ("extension", "extend", "convert")
    return [(n, s) for n, s in named if any(k in e for e in [s, *s.get("fields", [])] for k in hooks)]


@pytest.mark.parametrize(("name", "spec"), _entries(), ids=[name for name, _ in _entries()])
def test_every_named_hook_exists(name: str, spec: dict[str, Any]) -> None:
    if "extension" in spec:
        module = importlib.import_module(f"rerun.encodings._ext.{spec['extension']}")
        assert isinstance(getattr(module, f"{name}Ext"), type)
    if "extend" in spec:
        assert callable(importlib.import_module(f"rerun.encodings._ext.{spec['extend']}").extend)
    for entry in [spec, *spec.get("fields", [])]:
        if isinstance(entry.get("convert"), str):
            assert callable(_function(entry["convert"])), entry["convert"]


def test_datatype_classes_follow_the_registry() -> None:
    for name, spec in REGISTRY["datatypes"].items():
        cls = getattr(generated, name)
        assert [field.name for field in cls._FIELDS] == [f["name"] for f in spec["fields"]], name
        assert getattr(generated, f"{name}Batch")._ARROW_TYPE == cls._ARROW_TYPE
        public = rrb.encodings if spec.get("namespace") == "blueprint.encodings" else rr.encodings
        assert cls is getattr(public, name)


def test_components_derive_from_their_datatype() -> None:
    for full_name, spec in REGISTRY["components"].items():
        name = full_name.rsplit(".", 1)[1]
        cls = getattr(generated_components, f"Blueprint{name}" if ".blueprint." in full_name else name)
        if "datatype" in spec:
            assert issubclass(cls, getattr(generated, spec["datatype"])), full_name
            assert cls._ARROW_TYPE == getattr(generated, spec["datatype"])._ARROW_TYPE
