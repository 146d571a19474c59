"""Regenerate ``rerun_cli/rrd/_known_types.json`` (what ``rerun rrd verify`` checks columns against).

Source: ``shared/spec/archetypes-0.41.json``, the archetypes of rerun-sdk 0.41 with their fields,
component types and Arrow types. Run: ``python packages/rerun-cli/tools/gen_known_types.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
TARGET = PACKAGE / "src" / "rerun_cli" / "rrd" / "_known_types.json"
SPEC = PACKAGE.parents[2] / "shared" / "spec" / "archetypes-0.41.json"


def generate(spec_path: Path = SPEC) -> str:
    spec = json.loads(spec_path.read_text())
    archetypes: dict[str, dict[str, str]] = {}
    component_types: dict[str, str] = {}
    for archetype, info in sorted(spec["archetypes"].items()):
        archetypes[archetype] = {field["component"]: field["component_type"] for field in info["fields"]}
        for field in info["fields"]:
            component_types[field["component_type"]] = field["arrow_type"]
    document = {
        "generated_from": f"shared/spec/archetypes-0.41.json by packages/rerun-cli/tools/{Path(__file__).name}; do not edit",
        "rerun_version": spec["rerun_version"],
        "archetypes": archetypes,
        "component_types": dict(sorted(component_types.items())),
    }
    return json.dumps(document, indent=1, sort_keys=False) + "\n"


if __name__ == "__main__":
    TARGET.write_text(generate(Path(sys.argv[1]) if len(sys.argv) > 1 else SPEC))
    print(f"wrote {TARGET}")
