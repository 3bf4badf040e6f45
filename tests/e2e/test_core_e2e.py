"""The planning core through `gitsync plan` and in-process: shared projects read once, guards reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from e2e_support import (
    by_key,
    cli_env,
    deployment,
    gitsync,
    manifest,
    plan_json,
    processor,
    running_emulator,
    write_repo,
)

from gitsync.core.inputs import PlanQuery, load_inputs
from gitsync.core.make import make_plan
from gitsync.errors import ManifestError

PAGES = "GET /{projectKey}/deployments"


def test_targets_sharing_a_project_read_its_pages_once(tmp_path: Path) -> None:
    with running_emulator() as emulator:
        emulator.seed({"deployments": [deployment("acme", "pay-a", configurations=[processor()])]})
        targets = {"team-a": {"projectKey": "acme"}, "team-b": {"projectKey": "acme"}}
        manifests = {"team-a/a.yaml": manifest("pay-a"), "team-b/b.yaml": manifest("pay-b")}
        root = write_repo(tmp_path, emulator.url, targets, manifests)
        result = gitsync(root, "plan", "--format", "json")
        stats = emulator.stats()
    assert result.returncode == 0, result.stderr
    changes = by_key(plan_json(result))
    assert (changes["team-a/pay-a"]["action"], changes["team-b/pay-b"]["action"]) == ("noop", "create")
    assert stats["requests"].get(PAGES) == 1, stats


def test_plan_warns_when_a_target_exceeds_max_deletes(tmp_path: Path) -> None:
    live = [deployment("acme", key, configurations=[processor()]) for key in ("pay-a", "old-1", "old-2")]
    with running_emulator() as emulator:
        emulator.seed({"deployments": live})
        target = {"projectKey": "acme", "prune": True, "maxDeletes": 1}
        root = write_repo(tmp_path, emulator.url, {"prod": target}, {"prod/a.yaml": manifest("pay-a")})
        result = gitsync(root, "plan")
    assert result.returncode == 0, result.stderr  # plan reports the guard; apply is the one that refuses
    assert "warning: target 'prod' plans 2 delete(s) and replace(s), more than its maxDeletes of 1" in (
        result.stderr
    )


def test_make_plan_keeps_each_targets_live_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    live = [deployment("acme", key, configurations=[processor()]) for key in ("pay-a", "gone")]
    with running_emulator() as emulator:
        emulator.seed({"deployments": live})
        target = {"projectKey": "acme", "prune": True}
        root = write_repo(tmp_path, emulator.url, {"prod": target}, {"prod/a.yaml": manifest("pay-a")})
        inputs = load_inputs(PlanQuery(), cli_env(), root)
        run = make_plan(inputs, cli_env())
    [state] = run.states
    assert state.target.name == "prod" and [d.key for d in state.desired] == ["pay-a"]
    assert sorted(d.key for d in state.live) == ["gone", "pay-a"]
    assert {change.key: change.action for change in run.plan.changes} == {"pay-a": "noop", "gone": "delete"}
    assert run.guards == ()


def test_load_inputs_raises_every_problem_before_any_call(tmp_path: Path) -> None:
    bad = manifest("pay-a") | {"region": 7}
    root = write_repo(tmp_path, "http://127.0.0.1:9", {"prod": {"projectKey": "acme"}}, {"prod/a.yaml": bad})
    with pytest.raises(ManifestError) as raised:
        load_inputs(PlanQuery(), cli_env(), root)
    codes = {getattr(problem, "code", None) for problem in raised.value.problems}
    assert "schema" in codes and "nothing was planned" in str(raised.value)
