"""A plan right after its own requests were applied is all noop (no redeploy loop), in both redeploy modes.

The requests a plan records are sent through apply's own contract (``send_planned``): secured references
revealed at their marked places, the delete half of a replace first, then the clock advanced.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from e2e_support import REQUEST_VALUES, apply_plan, gitsync, manifest, plan_json, running_emulator, write_repo

PROJECT = "acme"


def _plan(root: Path) -> dict[str, Any]:
    result = gitsync(root, "plan", "--format", "json", env={"SHARED": REQUEST_VALUES["SHARED"]})
    assert result.returncode == 0, result.stderr
    return plan_json(result)


def _not_noop(plan: Mapping[str, Any]) -> list[Any]:
    return [(c["key"], c["action"], c.get("reasons")) for c in plan["changes"] if c["action"] != "noop"]


def _first_manifests() -> dict[str, dict[str, Any]]:
    sync = {
        "applicationName": "sync",
        "schedule": "*/5 * * * *",
        "standardConfiguration": [{"key": "BATCH", "value": "7"}],
    }
    glob = {
        "standardConfiguration": [{"key": "LOG_LEVEL", "value": "debug"}],
        "securedConfiguration": [{"key": "SHARED_SECRET", "value": "${SHARED}"}],
    }
    return {
        "s/plain.yaml": manifest("plain"),
        "s/typed.yaml": manifest("typed", type="production", secured=("ADYEN_API_KEY", "HMAC_KEY")),
        "s/latest.yaml": manifest("latest", connector={"key": "adyen", "version": "latest"}),
        "s/pinned.yaml": manifest("pinned", connector={"key": "adyen", "version": 6}),
        "s/glob.yaml": manifest("glob", globalConfiguration=glob),
        "s/job.yaml": {**manifest("job"), "configurations": [manifest("job")["configurations"][0], sync]},
        "s/other.yaml": {
            "key": "other-one",
            "connector": {"key": "other"},
            "region": "europe-west1.gcp",
            "configurations": [
                {"applicationName": "worker", "standardConfiguration": [{"key": "MODE", "value": "a"}]}
            ],
        },
    }


def _edit(manifests: dict[str, dict[str, Any]], mode: str) -> None:
    """Second round: change, add and remove values, a schedule, a secured key, the global section.

    A removed key with no connector default rides along a real change only under "replace": under a
    per-key merge it stays live and the plan says so (test_removed_keys.py covers that case).
    """
    plain = manifests["s/plain.yaml"]["configurations"][0]
    plain["standardConfiguration"] = [
        {"key": "MERCHANT", "value": "Changed"},
        {"key": "ADYEN_ENV", "value": "LIVE"},
    ]
    typed = manifests["s/typed.yaml"]["configurations"][0]
    typed["standardConfiguration"] = [{"key": "MERCHANT", "value": "Typed"}]
    if mode == "replace":
        typed["securedConfiguration"] = typed["securedConfiguration"][:1]  # HMAC_KEY removed
    job = manifests["s/job.yaml"]["configurations"][1]
    job["schedule"] = "0 1 * * *"
    job["standardConfiguration"] = []  # BATCH back to the connector default
    glob = manifests["s/glob.yaml"]["globalConfiguration"]
    glob["standardConfiguration"] = []  # LOG_LEVEL back to the connector default
    manifests["s/other.yaml"]["configurations"][0]["standardConfiguration"][0]["value"] = "b"


@pytest.mark.parametrize("mode", ["replace", "merge"])
def test_a_plan_after_applying_its_requests_is_all_noop(tmp_path: Path, mode: str) -> None:
    with running_emulator(redeploy_mode=mode) as emulator:
        manifests = _first_manifests()
        write_repo(tmp_path, emulator.url, {"s": {"projectKey": PROJECT}}, manifests)
        first = _plan(tmp_path)
        assert sorted(apply_plan(emulator, first)) == sorted(f"create {c['key']}" for c in first["changes"])
        left = _not_noop(_plan(tmp_path))
        assert left == [], "\n".join(map(str, left))
        _edit(manifests, mode)
        write_repo(tmp_path, emulator.url, {"s": {"projectKey": PROJECT}}, manifests)
        second = _plan(tmp_path)
        assert {c["key"] for c in second["changes"] if c["action"] == "redeploy"} == {
            "plain",
            "typed",
            "job",
            "glob",
            "other-one",
        }
        apply_plan(emulator, second)
        left = _not_noop(_plan(tmp_path))
        assert left == [], "\n".join(map(str, left))
