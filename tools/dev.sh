#!/usr/bin/env bash
# One entry point for a fresh machine: sets up what is missing, then runs a job.
#   bash tools/dev.sh demo   # the main job: log, store and print a demo recording
#   bash tools/dev.sh test   # lint + every test (incl. interop with the reference Rerun 0.41)
#   bash tools/dev.sh setup  # only set up (setup-reference: only the reference venv)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
PACKAGES=(rerun-core rerun-sdk rerun-viewer rerun-server rerun-catalog rerun-cli)
DEV_DEPS=(hatch mypy grpcio-tools==1.85.1 pytest pytest-xdist pytest-timeout hypothesis ruff "datafusion>=54")

stamp_of() { cat "$@" | sha1sum | cut -c1-16; }

# The viewer renders offscreen through wgpu; without a GPU that needs Mesa's software Vulkan (lavapipe).
setup_vulkan() {
  if compgen -G "/usr/share/vulkan/icd.d/lvp_icd*.json" >/dev/null; then return; fi
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y -q mesa-vulkan-drivers >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q mesa-vulkan-drivers >/dev/null; }
  else
    echo "note: install Mesa's Vulkan drivers (Debian: mesa-vulkan-drivers) for the viewer to render without a GPU" >&2
  fi
}

# The windowed-viewer test runs under a virtual X server (Xvfb); without one it skips.
setup_xvfb() {
  if command -v xvfb-run >/dev/null; then return; fi
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y -q xvfb xauth >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q xvfb xauth >/dev/null; }
  fi
}

setup_dev() {
  setup_vulkan
  setup_xvfb
  local stamp
  stamp=$(stamp_of packages/*/pyproject.toml tools/dev.sh)
  if [[ ! -x .venv/bin/python ]]; then "$PY" -m venv .venv; fi
  if [[ "$(cat .venv/.stamp 2>/dev/null)" != "$stamp" ]]; then
    local editable=()
    for p in "${PACKAGES[@]}"; do editable+=(-e "packages/$p"); done
    .venv/bin/pip install -q --disable-pip-version-check "${editable[@]}" "${DEV_DEPS[@]}"
    echo "$stamp" > .venv/.stamp
  fi
}

# The reference Rerun 0.41 lives in its own venv: never in ours.
setup_reference() {
  local want="rerun-sdk==0.41.0 datafusion==54.0.0"
  if [[ "$(cat .venv-ref/.stamp 2>/dev/null)" != "$want" ]]; then
    "$PY" -m venv .venv-ref
    .venv-ref/bin/pip install -q --disable-pip-version-check $want
    .venv-ref/bin/rerun analytics disable >/dev/null 2>&1 || true
    echo "$want" > .venv-ref/.stamp
  fi
}

case "${1:-test}" in
  setup) setup_dev; setup_reference ;;
  setup-reference) setup_reference ;;
  demo)
    setup_dev
    .venv/bin/python tools/demo.py "${@:2}"
    ;;
  test)
    setup_dev; setup_reference
    .venv/bin/ruff check .
    .venv/bin/ruff format --check .
    .venv/bin/mypy
    .venv/bin/python -m pytest -n auto "${@:2}"
    ;;
  *) echo "usage: $0 {demo|test|setup} [args...]" >&2; exit 2 ;;
esac
