#!/usr/bin/env bash
# Mutation testing of the modules that decide actions, requests and problem codes (issue 7, item 5):
# gitsync/plan/planner.py, gitsync/plan/compare.py, gitsync/manifest/checks.py,
# gitsync/manifest/interpolate.py, against their fast tests (tests/plan, tests/manifest). Config: [tool.mutmut]
# in pyproject.toml. Takes many minutes on 2 cores, so it is not part of .ci/run.
#
#   pip install -e '.[dev,mutation]'
#   tools/mutation.sh [MAX_SECONDS]       # default 3600; prints the survivors at the end
#
# A surviving mutant that changes an action, a request or a problem code is a missing test; one that only
# changes message text is acceptable. `mutmut show NAME` prints a survivor's diff.
set -euo pipefail
cd "$(dirname "$0")/.."
limit="${1:-3600}"
rm -rf mutants  # a fresh copy: mutmut caches results by source, a stale cache hides new survivors
status=0
timeout --signal=INT "$limit" python -m mutmut run --max-children "${MUTMUT_CHILDREN:-2}" || status=$?
python -m mutmut results
exit "$status"
