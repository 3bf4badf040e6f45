"""`gitsync apply` against the emulator over loopback: it converges (plan again is all noop, under both
redeploy semantics), replaces by delete → 404 → create, reports failures, and `--dry-run` sends nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from apply_e2e_support import CANARY, LiveEmulator, assert_no_canary, gitsync, live_emulator
from e2e_support import ADYEN, SEED, by_key, deployment, manifest, processor, write_repo

PROJECT = "acme"


def _repo(root: Path, emulator: LiveEmulator, **target: Any) -> Path:
    """One target: a create (new), a redeploy (merchant changed) and a noop (same)."""
    manifests = {
        "prod/new.yaml": manifest("pay-new"),
        "prod/moved.yaml": manifest("pay-moved", merchant="Moved"),
        "prod/same.yaml": manifest("pay-same"),
    }
    return write_repo(root, emulator.url, {"prod": {"projectKey": PROJECT, **target}}, manifests)


def _seed_live(emulator: LiveEmulator) -> None:
    live = [deployment(PROJECT, key, configurations=[processor()]) for key in ("pay-moved", "pay-same")]
    emulator.seed({"deployments": live})


@pytest.mark.parametrize("mode", ["merge", "replace"])
def test_apply_then_plan_is_all_noop(tmp_path: Path, mode: str) -> None:
    with live_emulator(redeploy_mode=mode) as emulator:
        _seed_live(emulator)
        root = _repo(tmp_path, emulator)
        applied = gitsync(root, "apply", "--yes")
        again = gitsync(root, "plan", "--format", "json", "--detailed-exitcode")
    assert applied.returncode == 0, applied.stderr
    rows = {line.split()[0]: line.split()[1:4] for line in applied.stdout.splitlines()[1:4]}
    assert rows == {
        "prod/pay-moved": ["redeploy", "applied", "Deployed"],
        "prod/pay-new": ["create", "applied", "Deployed"],
        "prod/pay-same": ["noop", "skipped", "-"],
    }
    assert "Apply: 2 applied, 1 skipped." in applied.stdout
    assert again.returncode == 0, again.stdout + again.stderr
    assert {change["action"] for change in json.loads(again.stdout)["changes"]} == {"noop"}
    assert_no_canary(applied, again)


def test_apply_with_nothing_to_do_says_no_changes_and_sends_nothing(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        emulator.seed({"deployments": [deployment(PROJECT, "pay-same", configurations=[processor()])]})
        root = write_repo(
            tmp_path, emulator.url, {"prod": {"projectKey": PROJECT}}, {"prod/a.yaml": manifest("pay-same")}
        )
        result = gitsync(root, "apply", "--yes")
        writes = emulator.writes()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("No changes.")
    assert writes == {}


def test_dry_run_prints_every_request_masked_and_writes_nothing(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        _seed_live(emulator)
        root = _repo(tmp_path, emulator)
        result = gitsync(root, "apply", "--dry-run", "-v")
        as_json = gitsync(root, "apply", "--dry-run", "--format", "json")
        writes = emulator.writes()
    assert result.returncode == 0, result.stderr
    assert writes == {}
    out = result.stdout
    assert "POST /acme/deployments\n" in out
    assert "POST /acme/deployments/key=pay-moved\n" in out
    assert '"value": "(sensitive)"' in out
    assert "Dry run: 2 request(s) would be sent; nothing was sent." in out
    document = json.loads(as_json.stdout)
    assert document["formatVersion"] == 1 and document["dryRun"] is True
    assert [(r["method"], r["path"]) for r in document["requests"]] == [
        ("POST", "/acme/deployments/key=pay-moved"),
        ("POST", "/acme/deployments"),
    ]
    assert_no_canary(result, as_json)


def test_replace_deletes_waits_for_404_then_creates(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        old = deployment(PROJECT, "pay-moved", configurations=[processor()], region="us-central1.gcp")
        emulator.seed({"deployments": [old]})
        root = write_repo(
            tmp_path, emulator.url, {"prod": {"projectKey": PROJECT}}, {"prod/a.yaml": manifest("pay-moved")}
        )
        before = by_key(json.loads(gitsync(root, "plan", "--format", "json").stdout))["prod/pay-moved"]
        result = gitsync(root, "apply", "--yes")
        after = json.loads(gitsync(root, "plan", "--format", "json").stdout)
        writes = emulator.writes()
    assert before["action"] == "replace"
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    order = [lines.index(text) for text in ("prod/pay-moved: delete sent", "prod/pay-moved: gone")]
    order.append(lines.index("prod/pay-moved: create sent"))
    assert order == sorted(order), result.stderr  # the create went out only once the key was gone (404)
    assert writes == {"DELETE /{projectKey}/deployments/key={key}": 1, "POST /{projectKey}/deployments": 1}
    live = by_key(after)["prod/pay-moved"]
    assert live["action"] == "noop" and live["live"]["id"] != before["live"]["id"]


def test_a_failing_connector_ends_exit_1_with_its_report_entries(tmp_path: Path) -> None:
    seed = {"connectors": [{**ADYEN, "failDeploy": True}, *SEED["connectors"][1:]]}
    with live_emulator(seed) as emulator:
        root = write_repo(
            tmp_path, emulator.url, {"prod": {"projectKey": PROJECT}}, {"prod/a.yaml": manifest("pay-new")}
        )
        result = gitsync(root, "apply", "--yes", "-v")
        as_json = gitsync(root, "apply", "--yes", "--format", "json")
    assert result.returncode == 1, result.stderr
    row = result.stdout.splitlines()[1].split()
    assert row[:4] == ["prod/pay-new", "create", "failed", "Failed"]
    assert "prod/pay-new: failed: Failed: ended Failed; see the build report entries" in result.stdout
    assert "  Error processor:" in result.stdout  # the build report entry: type, application, title…
    assert "  Error processor:" in result.stderr  # …and in the progress lines as it happened
    # the second apply plans a redeploy (status Failed) and fails again: its JSON report says so
    assert as_json.returncode == 1
    report = json.loads(as_json.stdout)
    assert report["formatVersion"] == 1
    failed = report["results"][0]
    assert (failed["action"], failed["outcome"], failed["status"]) == ("redeploy", "failed", "Failed")
    assert failed["reportEntries"] and failed["reportEntries"][0]["type"] == "Error"
    assert_no_canary(result, as_json)


def test_json_report_is_versioned_and_lists_every_deployment(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        _seed_live(emulator)
        root = _repo(tmp_path, emulator)
        result = gitsync(root, "apply", "--yes", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["formatVersion"] == 1 and report["interrupted"] is False
    assert report["summary"]["applied"] == 2 and report["summary"]["skipped"] == 1
    outcomes = {(r["key"], r["action"], r["outcome"], r["status"]) for r in report["results"]}
    assert ("pay-new", "create", "applied", "Deployed") in outcomes
    assert all(set(r) >= {"version", "durationSeconds", "error", "reportEntries"} for r in report["results"])
    assert CANARY not in result.stdout + result.stderr


def test_no_wait_reports_what_the_api_accepted(tmp_path: Path) -> None:
    with live_emulator(deploy_time=30) as emulator:
        root = write_repo(
            tmp_path, emulator.url, {"prod": {"projectKey": PROJECT}}, {"prod/a.yaml": manifest("pay-new")}
        )
        result = gitsync(root, "apply", "--yes", "--no-wait", timeout=20)
    assert result.returncode == 0, result.stderr
    row = result.stdout.splitlines()[1].split()
    assert row[:3] == ["prod/pay-new", "create", "applied"]
    assert row[3] in ("Queued", "Deploying")  # as the API answered the create: not waited for


def test_timeout_ends_a_deployment_that_does_not_settle_as_failed(tmp_path: Path) -> None:
    with live_emulator(deploy_time=30) as emulator:
        root = write_repo(
            tmp_path, emulator.url, {"prod": {"projectKey": PROJECT}}, {"prod/a.yaml": manifest("pay-new")}
        )
        result = gitsync(root, "apply", "--yes", "--timeout", "1s", timeout=20)
    assert result.returncode == 1, result.stderr
    assert "prod/pay-new: failed: Timeout: still" in result.stdout


def test_a_removed_key_is_refused_then_replace_removes_it(tmp_path: Path) -> None:
    with live_emulator(redeploy_mode="merge") as emulator:
        # HMAC_KEY is live and gone from the manifest: a redeploy that merges per key cannot remove it
        live = processor(secured=("ADYEN_API_KEY", "HMAC_KEY"))
        emulator.seed({"deployments": [deployment(PROJECT, "pay-a", configurations=[live])]})
        root = write_repo(
            tmp_path, emulator.url, {"prod": {"projectKey": PROJECT}}, {"prod/a.yaml": manifest("pay-a")}
        )
        refused = gitsync(root, "apply", "--yes")
        writes_refused = emulator.writes()
        replaced = gitsync(root, "apply", "--yes", "--replace", "pay-a")
        again = gitsync(root, "plan", "--detailed-exitcode")
    assert refused.returncode == 1, refused.stderr
    assert "--replace" in refused.stderr and "HMAC_KEY" in refused.stderr
    assert writes_refused == {}
    assert replaced.returncode == 0, replaced.stderr
    assert again.returncode == 0, again.stdout + again.stderr
