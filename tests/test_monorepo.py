"""The monorepo's shape: one distribution per folder, dependencies pointing only downward."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import tomllib

from _support import REPO

PACKAGES = REPO / "packages"

# distribution -> (import name, our distributions it may depend on)
ALLOWED = {
    "rerun-core": ("rerun_core", set()),
    "rerun-sdk": ("rerun", {"rerun-core"}),
    "rerun-viewer": ("rerun_viewer", {"rerun-core"}),
    "rerun-server": ("rerun_server", {"rerun-core"}),
    "rerun-catalog": ("rerun_catalog", {"rerun-core"}),
    "rerun-cli": ("rerun_cli", {"rerun-core", "rerun-sdk", "rerun-viewer", "rerun-server", "rerun-catalog"}),
}
IMPORT_TO_DIST = {module: dist for dist, (module, _) in ALLOWED.items()}


def pyproject(dist: str) -> dict:
    return tomllib.loads((PACKAGES / dist / "pyproject.toml").read_text())


def test_every_folder_is_a_known_distribution() -> None:
    assert sorted(p.name for p in PACKAGES.iterdir() if p.is_dir()) == sorted(ALLOWED)


@pytest.mark.parametrize("dist", sorted(ALLOWED))
def test_declared_dependencies_point_downward(dist: str) -> None:
    project = pyproject(dist)["project"]
    assert project["name"] == dist and project["version"]
    ours = {req.split("=")[0].split(">")[0].split("<")[0].strip() for req in project["dependencies"]}
    assert ours & set(ALLOWED) <= ALLOWED[dist][1]


@pytest.mark.parametrize("dist", sorted(ALLOWED))
def test_imports_point_downward(dist: str) -> None:
    allowed = ALLOWED[dist][1]
    offenders = []
    for source in (PACKAGES / dist / "src").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                target = IMPORT_TO_DIST.get(name.split(".")[0])
                if target and target != dist and target not in allowed:
                    offenders.append(f"{source.relative_to(REPO)} imports {name}")
    assert not offenders, offenders


@pytest.mark.parametrize("dist", sorted(ALLOWED))
def test_wheel_builds(dist: str, tmp_path: Path) -> None:
    """Each package builds its own wheel with hatchling, holding its import package."""
    pytest.importorskip("hatchling")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path),
         str(PACKAGES / dist)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob(f"{dist.replace('-', '_')}-0.41.0-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert f"{ALLOWED[dist][0]}/__init__.py" in names
    if dist == "rerun-core":
        assert "rerun_core/proto/log_msg_pb2.py" in names and "rerun_core/rrd/decoder.py" in names
