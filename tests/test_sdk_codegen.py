"""The SDK's generated classes are fresh, complete, and every extension hook exists."""

from __future__ import annotations

import importlib
import subprocess
import sys

import tomllib

import rerun as rr
from _support import REPO

REGISTRY = tomllib.loads((REPO / "tools" / "codegen" / "types.toml").read_text())


def test_generated_code_is_fresh() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "codegen" / "gen_sdk.py"), "--check"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_all_archetypes_exist() -> None:
    core = [k.rsplit(".", 1)[1] for k in REGISTRY["archetypes"] if k.startswith("rerun.archetypes.")]
    assert len(core) == 54
    for name in core:
        assert hasattr(rr.archetypes, name), name
        if name != "RecordingInfo":
            assert getattr(rr, name) is getattr(rr.archetypes, name)
    assert not hasattr(rr, "RecordingInfo")


def test_every_extension_module_has_an_init() -> None:
    for name, spec in REGISTRY["archetypes"].items():
        if "extension" in spec:
            module = importlib.import_module(f"rerun._ext.{spec['extension']}")
            assert callable(module.init), name


def test_descriptors_name_archetype_field_and_type() -> None:
    descriptor = rr.Points3D.descriptor_positions()
    assert descriptor.component == "Points3D:positions"
    assert descriptor.archetype == "rerun.archetypes.Points3D"
    assert descriptor.component_type == "rerun.components.Position3D"


def test_every_component_has_a_batch_class() -> None:
    for name in REGISTRY["components"]:
        if name.startswith("rerun.components."):
            assert hasattr(rr.components, name.rsplit(".", 1)[1] + "Batch"), name


def test_public_api_resolves_and_import_is_lazy() -> None:
    """Every name in ``rr.__all__`` resolves, while ``import rerun`` alone loads neither numpy nor pyarrow."""
    for name in rr.__all__:
        assert getattr(rr, name) is not None, name
    probe = (
        "import sys, rerun; print(sorted(m for m in ('numpy', 'pyarrow', 'rerun_core') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
