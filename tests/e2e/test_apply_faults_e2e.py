"""`gitsync apply` against a flaky API (issue 10, "Done when"): 100 Deployments under 20 % injected
429/502/503 plus latency and lost create answers converge: apply exits 0, a plan right after is all
noop, and no Deployment was created twice (the emulator accepted at most one create per key and never
answered ``DuplicateField``, the API's answer to a second create of a key).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from apply_faults_support import (
    CREATE_PATH,
    assert_all_noop,
    gitsync_cli,
    key_name,
    live_emulator,
    report_of,
    write_deployments,
)

COUNT = 100


def test_100_creates_under_20_percent_429_503_and_latency_converge_without_a_duplicate(
    tmp_path: Path,
) -> None:
    keys = [key_name(index) for index in range(COUNT)]
    options: dict[str, Any] = {
        "error_rate": 0.2,
        "random_seed": 20261130,
        "latency": 0.01,
        "deploy_time": 0.3,
    }
    with live_emulator(**options) as live:
        # five creates are performed and then answered 503: the outcome is unknown, apply must read back
        lost = {"method": "POST", "path": CREATE_PATH, "status": 503, "after": True, "times": 5}
        live.admin("POST", "faults", {"faults": [lost]})
        root = write_deployments(tmp_path, live.url, keys)
        started = time.monotonic()
        result = gitsync_cli(root, "apply", "--yes", "--format", "json", "--timeout", "60s")
        elapsed = time.monotonic() - started
        report = report_of(result)
        assert result.returncode == 0, (result.stderr[-2000:], report.get("summary"))
        outcomes = {(r["key"], r["action"], r["outcome"]) for r in report["results"]}
        assert outcomes == {(key, "create", "applied") for key in keys}
        assert_all_noop(root)
        calls = live.recorder.snapshot()
        codes = live.recorder.codes()
        assert live.keys() == keys  # one Deployment per key, no other
    creates = live.recorder.creates_by_key()
    assert max(creates.values()) == 1 and set(creates) <= set(keys)  # lost answers are not 201s
    assert codes["DuplicateField"] == 0, codes
    # the faults really happened, and were retried through
    assert sum(1 for c in calls if c.status in (429, 502, 503)) >= 0.1 * len(calls), codes
    assert sum(1 for c in calls if c.path == CREATE_PATH and c.status == 503) >= 5
    assert elapsed < 60, elapsed
