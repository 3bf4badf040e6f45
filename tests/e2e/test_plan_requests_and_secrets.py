"""`gitsync plan` makes the fewest requests (SPEC §7) and never shows a secret value (SPEC §5)."""

from __future__ import annotations

import json
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


def _secrets_repo(root: Path, url: str) -> Path:
    manifests = {
        "staging/new.yaml": manifest("new", secured=("ADYEN_API_KEY", "HMAC_KEY")),
        "staging/changed.yaml": manifest("changed", merchant="${MERCHANT}"),
    }
    target = {"projectKey": "acme", "vars": {"MERCHANT": "Other"}}
    return write_repo(root, url, {"staging": target}, manifests)


def _without_created_at(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    data.pop("createdAt")
    return data


def test_plan_needs_no_secured_value_and_notes_each_unset_one(tmp_path: Path) -> None:
    """SPEC §2: a pull-request job plans without production secrets; unset ones are notes, not errors."""
    unset = ("ADYEN_API_KEY", "HMAC_KEY")
    with running_emulator(SEED) as emulator:
        emulator.seed({"deployments": [deployment("acme", "changed", configurations=[_processor()])]})
        root = _secrets_repo(tmp_path, emulator.url)
        text = gitsync(root, "plan", "--detailed-exitcode", "--out", "unset.json", unset=unset)
        as_json = gitsync(root, "plan", "--format", "json", unset=unset)
    assert text.returncode == 2, text.stderr
    assert "+ create new" in text.stdout and "~ redeploy changed" in text.stdout
    notes = [line for line in text.stderr.splitlines() if ": note: " in line]
    assert notes == [
        "deployments/staging/changed.yaml:12:12: note: secured variable 'ADYEN_API_KEY' is not set; "
        "plan does not need it, apply will (set it where apply runs)",
        "deployments/staging/new.yaml:12:12: note: secured variable 'ADYEN_API_KEY' is not set; "
        "plan does not need it, apply will (set it where apply runs)",
        "deployments/staging/new.yaml:14:12: note: secured variable 'HMAC_KEY' is not set; "
        "plan does not need it, apply will (set it where apply runs)",
    ]
    assert as_json.returncode == 0, as_json.stderr
    saved = (root / "unset.json").read_text()
    assert '"value": "${ADYEN_API_KEY}"' in saved and '"value": "${HMAC_KEY}"' in saved
    assert _without_created_at(saved) == _without_created_at(as_json.stdout)
    # each reference is marked as secured, at the place its note names (apply names it there if unset)
    marked = by_key(json.loads(saved))["staging/new"]["request"]["secrets"]
    assert [(ref["name"], ref["pointer"], f"{ref['file']}:{ref['line']}:{ref['col']}") for ref in marked] == [
        (
            "ADYEN_API_KEY",
            "/configurations/0/securedConfiguration/0/value",
            "deployments/staging/new.yaml:12:12",
        ),
        ("HMAC_KEY", "/configurations/0/securedConfiguration/1/value", "deployments/staging/new.yaml:14:12"),
    ]


def test_a_set_secured_value_is_never_looked_up_into_a_plan(tmp_path: Path) -> None:
    """With the secrets set to a canary, every output and the saved plan are what they are without them."""
    canaries = {"ADYEN_API_KEY": CANARY, "HMAC_KEY": CANARY + "-hmac"}
    with running_emulator(SEED) as emulator:
        emulator.seed({"deployments": [deployment("acme", "changed", configurations=[_processor()])]})
        root = _secrets_repo(tmp_path, emulator.url)
        runs = [
            gitsync(root, "-v", "plan", "--out", "set.json", "--detailed-exitcode", env=canaries),
            gitsync(root, "plan", "--format", "markdown", env=canaries),
            gitsync(root, "plan", "--format", "json", "--redeploy", "changed", env=canaries),
        ]
        gitsync(root, "plan", "--out", "unset.json", unset=tuple(canaries))
        shown = gitsync(root, "show", "set.json", "--format", "json")
    assert [run.returncode for run in runs] == [2, 0, 0], [run.stderr for run in runs]
    for run in [*runs, shown]:
        assert CANARY not in run.stdout + run.stderr
        assert ": note: " not in run.stderr  # set: nothing to note
    saved = (root / "set.json").read_text()
    assert CANARY not in saved and '"value": "${HMAC_KEY}"' in saved
    assert _without_created_at(saved) == _without_created_at((root / "unset.json").read_text())


def test_a_missing_standard_variable_is_still_an_error(tmp_path: Path) -> None:
    with running_emulator(SEED) as emulator:
        root = _secrets_repo(tmp_path, emulator.url)
        config = (root / "gitsync.yaml").read_text().replace("MERCHANT: Other", "OTHER: unused")
        (root / "gitsync.yaml").write_text(config)
        result = gitsync(root, "-v", "plan", unset=("ADYEN_API_KEY", "HMAC_KEY", "MERCHANT"))
        requests = emulator.stats()["total"]
    assert result.returncode == 1, result.stderr
    assert (
        "deployments/staging/changed.yaml:9:12: error[missing-variable]: variable 'MERCHANT' has no value"
        in result.stderr
    )
    assert "HMAC_KEY" not in result.stderr  # the secured ones are not errors (nor noted: nothing was planned)
    assert requests == 0


def test_an_empty_out_file_is_usage_before_any_request(tmp_path: Path) -> None:
    with running_emulator(SEED) as emulator:
        root = _secrets_repo(tmp_path, emulator.url)
        results = [gitsync(root, "plan", "--out", name) for name in ("", " ")]
        requests = emulator.stats()["total"]
    for result in results:
        assert result.returncode == 64, result.stderr
        assert "Invalid value for --out: an empty file name" in result.stderr
    assert requests == 0
    assert sorted(path.name for path in root.iterdir()) == ["deployments", "gitsync.yaml"]
