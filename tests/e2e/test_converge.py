"""A plan right after its own requests were applied is all noop (no redeploy loop), in both redeploy modes.

apply is not built yet, so the requests a plan records are sent here as apply would: secured ``${NAME}``
references revealed from the environment, the delete half of a replace first, then the clock advanced.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_support import CLIENT_SECRET, Emulator, gitsync, manifest, plan_json, running_emulator, write_repo

VALUES = {"ADYEN_API_KEY": "adyen-key-value", "HMAC_KEY": "hmac-value", "SHARED": "shared-value"}
PROJECT = "acme"


def _reveal(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"\$\{(\w+)\}", lambda m: VALUES[m.group(1)], value)
    if isinstance(value, list):
        return [_reveal(item) for item in value]
    if isinstance(value, dict):
        return {name: _reveal(item) for name, item in value.items()}
    return value


def _send(emulator: Emulator, request: Mapping[str, Any]) -> None:
    token = httpx.post(
        f"{emulator.url}/oauth/token", data={"grant_type": "client_credentials"}, auth=("ci", CLIENT_SECRET)
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    body = _reveal(request.get("body"))
    response = httpx.request(request["method"], emulator.url + request["path"], json=body, headers=headers)
    assert response.is_success, response.text


def _apply(emulator: Emulator, plan: Mapping[str, Any]) -> list[str]:
    changed = [c for c in plan["changes"] if c["action"] in ("create", "redeploy", "replace", "delete")]
    for change in changed:
        if change.get("deleteRequest"):
            _send(emulator, change["deleteRequest"])
    emulator.clock.advance(5)
    for change in changed:
        if change.get("request"):
            _send(emulator, change["request"])
    emulator.clock.advance(5)
    return [f"{c['action']} {c['key']}" for c in changed]


def _plan(root: Path) -> dict[str, Any]:
    result = gitsync(root, "plan", "--format", "json", env={"SHARED": VALUES["SHARED"]})
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
        assert sorted(_apply(emulator, first)) == sorted(f"create {c['key']}" for c in first["changes"])
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
        _apply(emulator, second)
        left = _not_noop(_plan(tmp_path))
        assert left == [], "\n".join(map(str, left))
