"""`gitsync plan` makes the fewest requests (SPEC §7) and never shows a secret value (SPEC §5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from e2e_support import (
    ADYEN,
    OTHER,
    SEED,
    by_key,
    deployment,
    gitsync,
    manifest,
    plan_json,
    running_emulator,
    write_repo,
)

THIRD: dict[str, Any] = {**OTHER, "key": "third", "id": "c-third", "version": 1}


def _worker_manifest(key: str, connector: str) -> dict[str, Any]:
    return {
        "key": key,
        "connector": {"key": connector},
        "region": "europe-west1.gcp",
        "configurations": [
            {"applicationName": "worker", "standardConfiguration": [{"key": "MODE", "value": "fast"}]}
        ],
    }


def _worker_app() -> list[dict[str, Any]]:
    return [{"applicationName": "worker", "standardConfiguration": [{"key": "MODE", "value": "fast"}]}]


def test_1200_deployments_3_connectors_at_most_7_requests(tmp_path: Path) -> None:
    connectors = ["adyen", "other", "third"]
    live, manifests = [], {}
    for index in range(1200):
        connector = connectors[index % 3]
        key = f"dep-{index:04d}"
        if connector == "adyen":
            live.append(deployment("acme", key, configurations=[_processor()]))
            manifests[f"staging/{key}.yaml"] = manifest(key)
        else:
            live.append(deployment("acme", key, connector=connector, configurations=_worker_app()))
            manifests[f"staging/{key}.yaml"] = _worker_manifest(key, connector)
    with running_emulator({"connectors": [ADYEN, OTHER, THIRD]}) as emulator:
        emulator.seed({"deployments": live})
        root = write_repo(tmp_path, emulator.url, {"staging": {"projectKey": "acme"}}, manifests)
        before = emulator.stats()["total"]
        result = gitsync(root, "plan", "--format", "json")
        stats = emulator.stats()
    plan = plan_json(result)
    assert result.returncode == 0, result.stderr
    assert plan["summary"]["noop"] == 1200, plan["summary"]
    assert stats["total"] - before <= 1 + 3 + 3, stats
    assert stats["requests"].get("GET /{projectKey}/deployments") == 3, stats


def _processor() -> dict[str, Any]:
    return {
        "applicationName": "processor",
        "standardConfiguration": [{"key": "MERCHANT", "value": "Acme"}],
        "securedConfiguration": [{"key": "ADYEN_API_KEY", "value": "live-value"}],
    }


CANARY = "CANARY-5d41402abc4b2a76b9719d911017c592"


def test_canary_secret_never_shows(tmp_path: Path) -> None:
    with running_emulator(SEED) as emulator:
        emulator.seed({"deployments": [deployment("acme", "changed", configurations=[_processor()])]})
        manifests = {
            "staging/new.yaml": manifest("new", secured=("ADYEN_API_KEY", "HMAC_KEY")),
            "staging/changed.yaml": manifest("changed", merchant="Other"),
        }
        root = write_repo(tmp_path, emulator.url, {"staging": {"projectKey": "acme"}}, manifests)
        env = {"ADYEN_API_KEY": CANARY, "HMAC_KEY": CANARY + "-hmac", "CTP_CLIENT_SECRET": CANARY + "-client"}
        saved = tmp_path / "plan.json"
        runs = [
            gitsync(root, "plan", env=env),
            gitsync(root, "plan", "--format", "json", env=env),
            gitsync(root, "plan", "--format", "markdown", env=env),
            gitsync(root, "-v", "plan", "--out", str(saved), env=env),
            gitsync(root, "plan", "-v", "--format", "json", "--redeploy", "changed", env=env),
        ]
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert CANARY not in run.stdout and CANARY not in run.stderr
    assert CANARY not in saved.read_text()
    assert "${ADYEN_API_KEY}" in saved.read_text()
    verbose_lines = runs[3].stderr
    assert "/oauth/token" in verbose_lines and "/acme/deployments" in verbose_lines
    assert by_key(plan_json(runs[1]))["staging/new"]["action"] == "create"
