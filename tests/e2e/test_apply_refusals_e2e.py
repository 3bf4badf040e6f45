"""Everything `gitsync apply` refuses, it refuses before the first write (emulator stats: no POST, no DELETE):
guards and stale or foreign saved plans exit 3, other plan errors and unset secured variables exit 1, a
missing --yes off a terminal exits 64 before anything is read."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from apply_e2e_support import LiveEmulator, assert_no_canary, gitsync, live_emulator
from e2e_support import deployment, manifest, processor, write_repo

PROJECT = "acme"


def _live(emulator: LiveEmulator, *keys: str, **draft: Any) -> None:
    emulator.seed(
        {"deployments": [deployment(PROJECT, k, configurations=[processor()], **draft) for k in keys]}
    )


def _repo(root: Path, emulator: LiveEmulator, manifests: dict[str, Any], **target: Any) -> Path:
    return write_repo(root, emulator.url, {"prod": {"projectKey": PROJECT, **target}}, manifests)


def test_protect_refuses_with_exit_3_and_sends_nothing(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        _live(emulator, "pay-keep", "pay-old")
        root = _repo(tmp_path, emulator, {"prod/a.yaml": manifest("pay-keep")}, prune=True, protect=["pay-*"])
        result = gitsync(root, "apply", "--yes", "--force")
        writes = emulator.writes()
    assert result.returncode == 3, result.stderr
    assert "apply refused by a guard; nothing was sent" in result.stderr
    assert "prod/pay-old: deployment 'pay-old' matches protect glob 'pay-*'" in result.stderr
    assert writes == {}


def test_prevent_destroy_refuses_a_replace_with_exit_3(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        _live(emulator, "pay-a", region="us-central1.gcp")
        document = manifest("pay-a", lifecycle={"preventDestroy": True})
        result = gitsync(_repo(tmp_path, emulator, {"prod/a.yaml": document}), "apply", "--yes")
        writes = emulator.writes()
    assert result.returncode == 3, result.stderr
    assert "sets lifecycle.preventDestroy, so gitsync will not replace 'pay-a'" in result.stderr
    assert writes == {}


def test_max_deletes_refuses_unless_forced(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        _live(emulator, "keep", "old-1", "old-2")
        root = _repo(tmp_path, emulator, {"prod/a.yaml": manifest("keep")}, prune=True, maxDeletes=1)
        refused = gitsync(root, "apply", "--yes")
        writes_refused = emulator.writes()
        forced = gitsync(root, "apply", "--yes", "--force")
        writes_forced = emulator.writes()
    assert refused.returncode == 3, refused.stderr
    assert "apply refused by maxDeletes (--force applies past it)" in refused.stderr
    assert "plans 2 delete(s) and replace(s), more than its maxDeletes of 1" in refused.stderr
    assert writes_refused == {}
    assert forced.returncode == 0, forced.stderr
    assert writes_forced == {"DELETE /{projectKey}/deployments/key={key}": 2}


def test_a_plan_error_that_is_no_guard_exits_1_and_sends_nothing(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        manifests = {
            "prod/a.yaml": manifest("pay-a"),
            "prod/b.yaml": manifest("pay-b", connector={"key": "nope"}),
        }
        result = gitsync(_repo(tmp_path, emulator, manifests), "apply", "--yes")
        writes = emulator.writes()
    assert result.returncode == 1, result.stderr
    assert "the plan has changes that cannot be applied; nothing was sent" in result.stderr
    assert "prod/pay-b:" in result.stderr
    assert writes == {}


def test_missing_yes_off_a_terminal_exits_64_before_any_request(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        result = gitsync(_repo(tmp_path, emulator, {"prod/a.yaml": manifest("pay-a")}), "apply")
        total = emulator.stats()["total"]
    assert result.returncode == 64, result.stderr
    assert "apply needs --yes when stdin is not a terminal" in result.stderr
    assert total == 0  # not even a token: nothing is read, nothing is sent


def test_unset_secured_variables_exit_1_naming_each_place(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        document = manifest("pay-a", secured=("ADYEN_API_KEY", "HMAC_KEY"))
        root = _repo(tmp_path, emulator, {"prod/a.yaml": document})
        result = gitsync(root, "apply", "--yes", unset=("ADYEN_API_KEY", "HMAC_KEY"))
        writes = emulator.writes()
    assert result.returncode == 1, result.stderr
    assert "secured variables the plan sends are not set" in result.stderr
    for name in ("ADYEN_API_KEY", "HMAC_KEY"):
        pattern = rf"deployments/prod/a\.yaml:\d+:\d+: secured variable '{name}' of prod/pay-a is not set"
        assert re.search(pattern, result.stderr), result.stderr
    assert writes == {}


def test_an_empty_secured_variable_is_refused_like_an_unset_one(tmp_path: Path) -> None:
    """GitHub passes a secret missing from an environment as "": apply must not send an empty secret."""
    with live_emulator() as emulator:
        document = manifest("pay-a", secured=("ADYEN_API_KEY",))
        root = _repo(tmp_path, emulator, {"prod/a.yaml": document})
        result = gitsync(root, "apply", "--yes", env={"ADYEN_API_KEY": ""})
        dry = gitsync(root, "apply", "--dry-run", env={"ADYEN_API_KEY": ""})
        writes = emulator.writes()
    for run in (result, dry):
        assert run.returncode == 1, run.stderr
        pattern = r"deployments/prod/a\.yaml:\d+:\d+: secured variable 'ADYEN_API_KEY' of prod/pay-a is empty"
        assert re.search(pattern, run.stderr), run.stderr
    assert writes == {}


def test_a_saved_plan_applies_exactly_and_converges(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        _live(emulator, "pay-a")
        root = _repo(tmp_path, emulator, {"prod/a.yaml": manifest("pay-a", merchant="New")})
        planned = gitsync(root, "plan", "--out", "plan.json")
        applied = gitsync(root, "apply", "--plan", "plan.json", "--yes")
        again = gitsync(root, "plan", "--detailed-exitcode")
    assert planned.returncode == 0, planned.stderr
    assert applied.returncode == 0, applied.stderr
    assert "Applying the saved plan plan.json" in applied.stderr
    assert "Apply: 1 applied." in applied.stdout
    assert again.returncode == 0, again.stdout
    assert_no_canary(planned, applied, again)


def test_a_saved_plan_whose_manifest_changed_is_stale(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        _live(emulator, "pay-a")
        root = _repo(tmp_path, emulator, {"prod/a.yaml": manifest("pay-a", merchant="New")})
        gitsync(root, "plan", "--out", "plan.json")
        (root / "deployments/prod/a.yaml").write_text(yaml.safe_dump(manifest("pay-a", merchant="Newer")))
        result = gitsync(root, "apply", "--plan", "plan.json", "--yes")
        writes = emulator.writes()
    assert result.returncode == 3, result.stderr
    assert "the saved plan is stale; nothing was sent; run `gitsync plan` again" in result.stderr
    assert "prod/pay-a (redeploy): deployments/prod/a.yaml changed since the plan" in result.stderr
    assert writes == {}


def test_a_saved_plan_whose_live_deployment_moved_is_stale(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        _live(emulator, "pay-a", "pay-b")
        manifests = {
            "prod/a.yaml": manifest("pay-a", merchant="New"),
            "prod/b.yaml": manifest("pay-b", merchant="B"),
        }
        root = _repo(tmp_path, emulator, manifests)
        gitsync(root, "plan", "--out", "plan.json")
        moved = gitsync(root, "apply", "--yes", "--only", "pay-b")  # someone applied pay-b since the review
        writes_before = emulator.writes()
        result = gitsync(root, "apply", "--plan", "plan.json", "--yes")
        writes_after = emulator.writes()
    assert moved.returncode == 0, moved.stderr
    assert result.returncode == 3, result.stderr
    assert "prod/pay-b (redeploy): live it is now version 2, Deployed" in result.stderr
    assert "the plan saw version 1, Deployed" in result.stderr
    assert "pay-a (redeploy)" not in result.stderr  # only the stale change is named
    assert writes_after == writes_before


def test_a_saved_plan_for_another_project_is_refused(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        root = _repo(tmp_path, emulator, {"prod/a.yaml": manifest("pay-a")})
        gitsync(root, "plan", "--out", "plan.json")
        config = yaml.safe_load((root / "gitsync.yaml").read_text())
        config["targets"]["prod"]["projectKey"] = "elsewhere"
        (root / "gitsync.yaml").write_text(yaml.safe_dump(config))
        before = emulator.stats()["total"]
        result = gitsync(root, "apply", "--plan", "plan.json", "--yes")
        after = emulator.stats()["total"]
    assert result.returncode == 3, result.stderr
    assert "the plan was made for target 'prod' as project 'acme'" in result.stderr
    assert "but it is now 'elsewhere'" in result.stderr
    assert after == before  # refused before any request, reads included


def test_plan_with_paths_or_selection_is_a_usage_error(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        root = _repo(tmp_path, emulator, {"prod/a.yaml": manifest("pay-a")})
        result = gitsync(root, "apply", "--plan", "plan.json", "--only", "pay-*", "--yes")
        total = emulator.stats()["total"]
    assert result.returncode == 64
    assert "--plan applies a saved plan exactly as reviewed and does not take --only" in result.stderr
    assert total == 0


def test_a_damaged_saved_plan_exits_1_before_any_request(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        root = _repo(tmp_path, emulator, {"prod/a.yaml": manifest("pay-a")})
        (root / "plan.json").write_text(json.dumps({"formatVersion": 1}))
        result = gitsync(root, "apply", "--plan", "plan.json", "--yes")
        total = emulator.stats()["total"]
    assert result.returncode == 1
    assert "plan.json: " in result.stderr and "formatVersion 1" in result.stderr
    assert total == 0


def test_a_saved_plan_delete_is_refused_when_protect_now_covers_it(tmp_path: Path) -> None:
    """protect added to gitsync.yaml after the review is a guard apply must still honour (exit 3)."""
    with live_emulator() as emulator:
        _live(emulator, "pay-keep", "pay-old")
        manifests = {"prod/a.yaml": manifest("pay-keep")}
        root = _repo(tmp_path, emulator, manifests, prune=True)
        planned = gitsync(root, "plan", "--out", "plan.json")
        _repo(tmp_path, emulator, manifests, prune=True, protect=["pay-old"])
        result = gitsync(root, "apply", "--plan", "plan.json", "--yes")
        writes = emulator.writes()
    assert planned.returncode == 0, planned.stderr
    assert result.returncode == 3, result.stderr
    assert "matches protect glob 'pay-old'" in result.stderr
    assert writes == {}


def test_a_saved_plan_that_names_one_deployment_twice_is_refused(tmp_path: Path) -> None:
    """A hand-merged plan file with the same change twice must not create (or redeploy) twice."""
    with live_emulator() as emulator:
        root = _repo(tmp_path, emulator, {"prod/a.yaml": manifest("pay-a")})
        planned = gitsync(root, "plan", "--out", "plan.json")
        document = json.loads((root / "plan.json").read_text())
        document["changes"] = document["changes"] * 2
        (root / "plan.json").write_text(json.dumps(document))
        result = gitsync(root, "apply", "--plan", "plan.json", "--yes")
        writes = emulator.writes()
    assert planned.returncode == 0, planned.stderr
    assert result.returncode == 1, result.stderr
    assert "prod/pay-a" in result.stderr
    assert writes == {}


def test_a_saved_change_whose_request_addresses_another_deployment_is_refused(tmp_path: Path) -> None:
    """A plan file whose redeploy of pay-a sends its call to pay-b must not move pay-b."""
    with live_emulator() as emulator:
        _live(emulator, "pay-a", "pay-b")
        manifests = {"prod/a.yaml": manifest("pay-a", merchant="New"), "prod/b.yaml": manifest("pay-b")}
        root = _repo(tmp_path, emulator, manifests)
        planned = gitsync(root, "plan", "--out", "plan.json")
        document = json.loads((root / "plan.json").read_text())
        (change,) = [c for c in document["changes"] if c["action"] == "redeploy"]
        change["request"]["path"] = change["request"]["path"].replace("key=pay-a", "key=pay-b")
        (root / "plan.json").write_text(json.dumps(document))
        result = gitsync(root, "apply", "--plan", "plan.json", "--yes")
        writes = emulator.writes()
    assert planned.returncode == 0, planned.stderr
    assert result.returncode == 1, result.stderr
    assert "pay-a" in result.stderr
    assert writes == {}
