"""Our SDK and the reference SDK, running the same user scripts, record the same data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from _support import run_reference

CORPUS = Path(__file__).resolve().parent / "sdk_corpus"
SCRIPTS = sorted(p.name for p in CORPUS.glob("*.py"))


def _run(python: str | Path, script: Path, output: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env["RERUN_STRICT"] = "1"
    env["RERUN_FLUSH_TICK_SECS"] = "1000"  # chunk boundaries must not depend on how busy the machine is
    return subprocess.run(
        [str(python), str(script), str(output)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


@pytest.mark.reference
@pytest.mark.parametrize("script", SCRIPTS)
def test_same_recording_as_reference(
    script: str, reference_python: Path, reference_rerun: Path, tmp_path: Path
) -> None:
    ours, theirs = tmp_path / "ours.rrd", tmp_path / "theirs.rrd"
    ran_ours = _run(sys.executable, CORPUS / script, ours)
    assert ran_ours.returncode == 0, ran_ours.stderr
    ran_theirs = _run(reference_python, CORPUS / script, theirs)
    assert ran_theirs.returncode == 0, ran_theirs.stderr
    verified = run_reference(reference_rerun, "rrd", "verify", ours)
    assert verified.returncode == 0, verified.stderr
    compared = run_reference(reference_rerun, "rrd", "compare", "--unordered", ours, theirs)
    assert compared.returncode == 0, compared.stdout[-3000:] + compared.stderr[-3000:]


def test_every_script_saves_to_its_argument() -> None:
    for script in SCRIPTS:
        text = (CORPUS / script).read_text()
        assert "rr.save(sys.argv[1])" in text and "send_properties=False" in text, script
