"""Targets and ownership (SPEC §1.1), end to end: no prune from nothing, and targets sharing a project."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from e2e_support import (
    SEED,
    Emulator,
    by_key,
    deployment,
    gitsync,
    manifest,
    plan_json,
    processor,
    running_emulator,
    write_repo,
)

LIVE = ["pay", "stray", "legacy-1", "team-b-app"]


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    seed_live = [deployment("acme", key, configurations=[processor()]) for key in LIVE]
    with running_emulator({**SEED, "deployments": seed_live}) as running:
        yield running


# --- a target never prunes from nothing ----------------------------------------------------------------


@pytest.mark.parametrize("manifests", [None, []], ids=["absent", "empty"])
def test_a_pruning_target_without_manifests_is_a_config_error_and_nothing_is_read(
    tmp_path: Path, emulator: Emulator, manifests: list[str] | None
) -> None:
    target = {"projectKey": "acme", "prune": True, "manifests": manifests}
    write_repo(tmp_path, emulator.url, {"t": target}, {})
    config = yaml.safe_load((tmp_path / "gitsync.yaml").read_text())
    if manifests is None:
        del config["targets"]["t"]["manifests"]
    (tmp_path / "gitsync.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    before = emulator.stats()["total"]
    for command in ("plan", "validate"):
        result = gitsync(tmp_path, command)
        assert result.returncode == 1, result.stderr
        assert "gitsync.yaml:" in result.stderr and "error[schema]: targets.t" in result.stderr
        assert "manifests" in result.stderr and "hint: every target names its manifests" in result.stderr
        assert "Traceback" not in result.stderr and "delete" not in result.stdout
    assert emulator.stats()["total"] == before


def test_a_selection_that_leaves_a_pruning_target_empty_deletes_nothing(
    tmp_path: Path, emulator: Emulator
) -> None:
    write_repo(
        tmp_path, emulator.url, {"t": {"projectKey": "acme", "prune": True}}, {"t/pay.yaml": manifest("pay")}
    )
    result = gitsync(tmp_path, "plan", "--format", "json", "--only", "legacy-*")
    assert result.returncode == 1
    changes = by_key(plan_json(result))
    assert list(changes) == ["t/legacy-1"]
    legacy = changes["t/legacy-1"]
    assert (legacy["action"], legacy["request"]) == ("error", None)
    assert "target 't' prunes, but no manifest of it is selected" in legacy["error"]
    # the same target without the selection prunes as configured
    full = by_key(plan_json(gitsync(tmp_path, "plan", "--format", "json")))
    assert sorted(k for k, c in full.items() if c["action"] == "delete") == [
        "t/legacy-1",
        "t/stray",
        "t/team-b-app",
    ]


def test_paths_never_prune(tmp_path: Path, emulator: Emulator) -> None:
    write_repo(
        tmp_path,
        emulator.url,
        {"t": {"projectKey": "acme", "prune": True}, "u": {"projectKey": "acme-other", "prune": True}},
        {"t/pay.yaml": manifest("pay"), "u/xx.yaml": manifest("xx")},
    )
    # target t has no file under PATHS: its live Deployments are listed, never deleted
    result = gitsync(tmp_path, "plan", "--format", "json", "deployments/u/xx.yaml")
    assert result.returncode == 0, result.stderr
    actions = {key: change["action"] for key, change in by_key(plan_json(result)).items()}
    assert actions == {**{f"t/{key}": "unmanaged" for key in LIVE}, "u/xx": "create"}


def test_plan_without_config_and_without_paths_is_an_error(tmp_path: Path, emulator: Emulator) -> None:
    env = {
        "CTP_PROJECT_KEY": "acme",
        "CTP_CLIENT_ID": "ci",
        "CTP_CONNECT_URL": emulator.url,
        "CTP_AUTH_URL": emulator.url,
    }
    before = emulator.stats()["total"]
    result = gitsync(tmp_path, "plan", env=env)
    assert result.returncode == 1
    assert "no gitsync.yaml and no PATHS: there are no manifests to plan" in result.stderr
    assert emulator.stats()["total"] == before


# --- targets sharing a project --------------------------------------------------------------------------

SHARED = {
    "team-a": {"projectKey": "acme", "prune": True},
    "team-b": {"projectKey": "acme", "prune": True},
}


def test_two_pruning_targets_of_one_project_give_one_action_per_deployment(
    tmp_path: Path, emulator: Emulator
) -> None:
    write_repo(
        tmp_path,
        emulator.url,
        SHARED,
        {"team-a/pay.yaml": manifest("pay"), "team-b/app.yaml": manifest("team-b-app", merchant="New")},
    )
    result = gitsync(tmp_path, "plan", "--format", "json")
    assert result.returncode == 0, result.stderr
    actions = {key: change["action"] for key, change in by_key(plan_json(result)).items()}
    assert actions == {
        "team-a/pay": "noop",
        "team-a/legacy-1": "delete",
        "team-a/stray": "delete",
        "team-b/team-b-app": "redeploy",
    }


@pytest.mark.parametrize("selected", ["team-a", "team-b"])
def test_a_selected_target_never_prunes_what_an_unselected_one_declares(
    tmp_path: Path, emulator: Emulator, selected: str
) -> None:
    write_repo(
        tmp_path,
        emulator.url,
        SHARED,
        {"team-a/pay.yaml": manifest("pay"), "team-b/app.yaml": manifest("team-b-app")},
    )
    result = gitsync(tmp_path, "plan", "--format", "json", "--target", selected)
    assert result.returncode == 0, result.stderr
    actions = {change["key"]: change["action"] for change in plan_json(result)["changes"]}
    own = "pay" if selected == "team-a" else "team-b-app"
    assert actions == {own: "noop", "legacy-1": "delete", "stray": "delete"}


def test_a_key_two_targets_of_a_project_declare_is_reported_by_validate_and_plan(
    tmp_path: Path, emulator: Emulator
) -> None:
    write_repo(
        tmp_path,
        emulator.url,
        SHARED,
        {"team-a/pay.yaml": manifest("pay"), "team-b/pay.yaml": manifest("pay")},
    )
    before = emulator.stats()["total"]
    for args in (("validate",), ("plan",), ("plan", "--target", "team-a")):
        result = gitsync(tmp_path, *args)
        assert result.returncode == 1, args
        output = result.stdout + result.stderr
        assert (
            "deployments/team-b/pay.yaml:1:6: error[duplicate-deployment-key]: deployment key 'pay' is "
            in (output)
        ), args
        assert "also declared at deployments/team-a/pay.yaml:1:6 by target 'team-a'" in output
    assert emulator.stats()["total"] == before
