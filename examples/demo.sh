#!/usr/bin/env bash
# The gitsync demo, end to end on the embedded emulator, from a fresh clone:
#   validate (offline) → schema pull → plan (text, then the Markdown a pull request would show).
# It makes .venv if there is none, installs gitsync into it, serves the emulator on a free loopback port for
# the length of the run (examples/gitsync.emulator.yaml points at ${GITSYNC_DEMO_PORT}) and stops it on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${GITSYNC_VENV:-.venv}   # tests point this at their own environment
if [ ! -x "$venv/bin/gitsync" ]; then
  echo "==> installing gitsync into $venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -e .
fi
PATH="$venv/bin:$PATH"

log=$(mktemp)
# --port 0: the system picks a free port (8080 may be taken); the emulator prints its URL first
gitsync emulator --seed examples/emulator-seed.yaml --port 0 --deploy-time 2s >"$log" 2>/dev/null &
emulator=$!
trap 'kill "$emulator" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do grep -q http "$log" && break; sleep 0.1; done
url=$(head -n 1 "$log")
case "$url" in
  http://127.0.0.1:[0-9]*) ;;
  *) echo "the emulator did not start (it printed: ${url:-nothing})" >&2; exit 1 ;;
esac
export GITSYNC_DEMO_PORT=${url##*:}
echo "==> emulator at $url"

set -a && . examples/.env.example && set +a   # demo credentials and placeholder secrets

step() { printf '\n==> %s\n' "$*"; "$@"; }
step gitsync validate --config examples/gitsync.yaml
step gitsync schema pull --config examples/gitsync.emulator.yaml --out "$(mktemp -d)"
step gitsync plan --config examples/gitsync.emulator.yaml --out "${TMPDIR:-/tmp}/gitsync-demo-plan.json"
step gitsync show "${TMPDIR:-/tmp}/gitsync-demo-plan.json" --format markdown
echo
echo "==> done: the plan above is what a pull request would show; apply arrives with the apply issue."
