"""``DatasetEntry.segment_store`` on our server: the same store as the segment's RRD file, and the SDK hook."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import rerun_catalog as rc
from rerun_server import Server

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "reference-0.41"
FILES = ("points3d", "multi_timeline", "static_data")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Iterator[rc.DatasetEntry]:
    if not FIXTURES.is_dir():
        pytest.skip(f"reference fixtures are missing ({FIXTURES})")
    folder = tmp_path_factory.mktemp("fx")
    for name in FILES:
        shutil.copy(FIXTURES / f"{name}.rrd", folder / f"{name}.rrd")
    with Server(host="127.0.0.1", port=0, datasets={"fx": folder}) as running:
        yield rc.CatalogClient(running.url()).get_dataset("fx")


@pytest.mark.parametrize("segment", FILES)
def test_segment_store_is_the_files_store(dataset: rc.DatasetEntry, segment: str) -> None:
    import rerun as rr

    remote = dataset.segment_store(segment)
    local = rr.chunk.RrdReader(FIXTURES / f"{segment}.rrd").store()
    assert isinstance(remote, rr.chunk.LazyStore)
    assert len(remote) == len(local) > 0 and repr(remote) == repr(local)
    assert remote.schema().column_names() == local.schema().column_names()
    assert remote.summary() == local.summary()
    assert [c.id for c in remote.stream()] == [c.id for c in local.stream()]
    assert remote.stream().collect().summary() == local.stream().collect().summary()


def test_missing_segment_and_bad_id(dataset: rc.DatasetEntry) -> None:
    with pytest.raises(rc.NotFoundError, match="nope"):
        dataset.segment_store("nope")
    with pytest.raises(TypeError, match="segment_id must be a str"):
        dataset.segment_store(3)  # type: ignore[arg-type]


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    "imports",
    ["import rerun_catalog", "import rerun, rerun_catalog", "import rerun.catalog, rerun_catalog"],
)
def test_the_sdk_registers_lazy_store_whatever_was_imported_first(imports: str) -> None:
    done = _run(
        f"{imports}\n"
        "from rerun_catalog._segment_store import _lazy_store_factory\n"
        "from rerun.chunk import LazyStore\n"
        "assert _lazy_store_factory() is LazyStore\n"
    )
    assert done.returncode == 0, done.stderr


def test_without_the_sdk_segment_store_says_what_is_missing() -> None:
    done = _run(
        "import sys\n"
        "sys.modules['rerun'] = None  # as if rerun-sdk were not installed\n"
        "from rerun_catalog._segment_store import segment_store\n"
        "segment_store(None, 'points3d')\n"
    )
    assert done.returncode != 0
    assert (
        "ModuleNotFoundError: DatasetEntry.segment_store() returns a rerun.chunk.LazyStore, which needs the rerun-sdk package"
        in done.stderr
    )
