"""Cross-check entity path escaping, parsing, warnings and ordering against the reference Rerun 0.41.

All inputs go to ONE subprocess of the reference interpreter, which reports, per input:
``escape_entity_path_part``, ``new_entity_path``, the parsed path (or the error), the WARN printed
while logging it, and the entity path the logged row has when read back from the recording.
"""

from __future__ import annotations

import json
import random
import string
import subprocess
import unicodedata
import warnings
from pathlib import Path
from typing import Any

import pytest

from rerun_core.entity_path import (
    EntityPath,
    EntityPathWarning,
    dataframe_column_name,
    escape_entity_path_part,
    new_entity_path,
)

REF_PYTHON = Path(__file__).resolve().parents[2] / ".venv-ref" / "bin" / "python"

pytestmark = [
    pytest.mark.reference,
    pytest.mark.skipif(
        not REF_PYTHON.exists(), reason=f"reference Rerun 0.41 interpreter not found at {REF_PYTHON}"
    ),
]

# Runs inside the reference interpreter; reads {"inputs": [...], "names": [...], "rrd": path}.
REFERENCE_SCRIPT = r"""
import json, os, re, sys, tempfile
import rerun as rr
from rerun.chunk import Chunk, ChunkStore, RrdReader

job = json.load(sys.stdin)
ansi = re.compile(r"\x1b\[[0-9;]*m")
sink = tempfile.TemporaryFile()

def call(fn, *args):
    try:
        return {"ok": fn(*args)}
    except Exception as exc:
        return {"error": type(exc).__name__}

def log_capturing_warning(rec, index, text):
    saved = os.dup(2)
    sink.seek(0)
    sink.truncate()
    os.dup2(sink.fileno(), 2)
    try:
        rec.log(text, rr.TextDocument(str(index)))
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    sink.seek(0)
    found = re.search(r"parse_path: (.*)\n", ansi.sub("", sink.read().decode("utf-8")), re.S)
    return found.group(1) if found else None

COLUMNS = list(rr.TextDocument.columns(text=["t"]))
rec = rr.RecordingStream("entity-path-interop")
mem = rec.memory_recording()
results = []
for index, text in enumerate(job["inputs"]):
    row = {"escape": call(rr.escape_entity_path_part, text),
           "new": call(rr.new_entity_path, [text, 7, text])}
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        pass  # log() would only emit a RerunWarning; "parsed" below records the error
    else:
        row["warning"] = log_capturing_warning(rec, index, text)
    row["parsed"] = call(lambda t: Chunk.from_columns(t, [], COLUMNS).entity_path, text)
    results.append(row)
rec.flush()
with open(job["rrd"], "wb") as f:
    f.write(mem.drain_as_bytes())
for chunk in RrdReader(job["rrd"]).stream().to_chunks():
    batch = chunk.to_record_batch()
    if "TextDocument:text" in batch.schema.names:
        for cell in batch.column("TextDocument:text").to_pylist():
            results[int(cell[0])]["logged"] = {"ok": chunk.entity_path}

chunks = [Chunk.from_columns(n, [], COLUMNS) for n in job["names"]]
columns = ChunkStore.from_chunks(chunks).schema().column_names()
print(json.dumps({"results": results, "columns": columns}))
"""


def _inputs() -> list[str]:
    """A few hundred tricky inputs: all printable ASCII, a Unicode sample, escapes, random mixes."""
    rng = random.Random(41)
    items: list[str] = []
    for ch in string.printable:
        items += [ch, f"a{ch}b", f"\\{ch}", f"x\\{ch}y"]
    sample = [0x0, 0x7F, 0x85, 0xA0, 0xE9, 0x301, 0x1680, 0x200B, 0x2028, 0x3000, 0xFEFF, 0x1F680, 0xE000]
    sample += [rng.randrange(0x80, 0x30000) for _ in range(60)]
    for code in sample:
        if not 0xD800 <= code <= 0xDFFF:
            items += [chr(code), f"a\\{chr(code)} b"]
    items += ["", "/", "//", "a//b/", ".", "..", "a/./b", "\\", "a\\", "a\\\\/b", "\\u{5C}/b", "\ud800x"]
    items += ["\\u{41}", "\\u{}", "\\u{1f680}", "\\u{D800}", "\\u{110000}", "\\u{0000041}", "\\u{a b}"]
    items += ["\\uyyyyyyy Y", "\\uyyyyyyyy Y", "\\uaaaaaaa\xa0", "\\u{éééé Y", "\\u\\/ x", "a b\\q"]
    atoms = [*"ab/\\ u{}01F9x_.-:$é\t", "\\u{", "\\u", "\\/", "\\\\", "\xa0", "🚀", "\u0301", "41"]
    items += ["".join(rng.choice(atoms) for _ in range(rng.randint(1, 10))) for _ in range(250)]
    return list(dict.fromkeys(items))


def _order_names() -> list[str]:
    rng = random.Random(7)
    names = {"".join(rng.choice("aAbB0019_ .-é") for _ in range(rng.randint(1, 6))) for _ in range(150)}
    return sorted(name for name in names if not name.startswith("__"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The single reference run shared by every test in this module."""
    rrd = tmp_path_factory.mktemp("entity-path-reference") / "x.rrd"
    names = [new_entity_path([name]) for name in _order_names()]
    job = {"inputs": _inputs(), "names": names, "rrd": str(rrd)}
    proc = subprocess.run(
        [str(REF_PYTHON), "-c", REFERENCE_SCRIPT],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def _call(fn: Any, *args: Any) -> dict[str, Any]:
    try:
        return {"ok": fn(*args)}
    except Exception as exc:
        return {"error": type(exc).__name__}


def _ours(text: str) -> dict[str, Any]:
    """Our answers, in the shape the reference script reports."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always", EntityPathWarning)
        parsed = _call(EntityPath.parse, text)
    result = {
        "escape": _call(escape_entity_path_part, text),
        "new": _call(new_entity_path, [text, 7, text]),
        "parsed": {"ok": str(parsed["ok"])} if "ok" in parsed else parsed,
        "warning": str(record[0].message) if record else None,
    }
    if "ok" in parsed:
        # A recording stores the path as text, and reading it back parses that text again.
        result["logged"] = {"ok": str(EntityPath.parse(str(parsed["ok"])))}
    return result


def _python_knows_all_chars(text: str) -> bool:
    """Warning text quotes the input with Rust's Unicode tables; ours are exact for assigned chars."""
    return all(unicodedata.category(ch) != "Cn" for ch in text)


def _problem_and_outcome(message: str) -> str:
    """The part of a warning after the quoted input: the problem and the reinterpreted path."""
    start = max(message.rfind(": Unescaped whitespace. "), message.rfind(": Unknown escape sequence: "))
    return message[start:]


def test_entity_paths_agree_with_reference(reference: dict[str, Any]) -> None:
    inputs = _inputs()
    assert len(inputs) > 300
    mismatches = []
    for text, theirs in zip(inputs, reference["results"], strict=True):
        ours = {key: value for key, value in _ours(text).items() if key in theirs}
        theirs = dict(theirs)
        if ours.get("warning") and theirs.get("warning") and not _python_knows_all_chars(text):
            ours["warning"] = _problem_and_outcome(ours["warning"])
            theirs["warning"] = _problem_and_outcome(theirs["warning"])
        if ours != theirs:
            mismatches.append((text, ours, theirs))
    assert not mismatches, mismatches[:5]


def test_ordering_agrees_with_reference(reference: dict[str, Any]) -> None:
    paths = sorted(EntityPath([name]) for name in _order_names())
    assert reference["columns"] == [dataframe_column_name(p, "TextDocument:text") for p in paths]
