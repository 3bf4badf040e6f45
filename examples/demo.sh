#!/usr/bin/env bash
# The gitsync demo, end to end on the embedded emulator, from a fresh clone:
#   validate (offline) → schema pull → plan (text, then the Markdown a pull request would show)
#   → apply --yes (waits for every Deployment) → plan again: no changes (exit 0 with --detailed-exitcode).
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
gitsync emulator --seed examples/emulator-seed.yaml --port 0 --deploy-time 1s >"$log" 2>/dev/null &
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
# the merge-to-main job: apply what was reviewed, exactly (a stale plan would be refused), and wait
step gitsync apply --config examples/gitsync.emulator.yaml --plan "${TMPDIR:-/tmp}/gitsync-demo-plan.json" --yes
# --detailed-exitcode: 0 means no changes, so `set -e` stops the demo here if apply did not converge
step gitsync plan --config examples/gitsync.emulator.yaml --detailed-exitcode
echo
echo "==> done: validate found no problems, the plan created 6 Deployments and redeployed 1, apply ran"
echo "    exactly that saved plan and waited until every Deployment was Deployed, and planning again"
echo "    shows no changes (exit 0 with --detailed-exitcode): the emulator now matches the manifests."
