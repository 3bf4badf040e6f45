"""Units of apply's wiring: durations, refusals (guards, staleness, unset secrets), the replanner, dry-run."""

from __future__ import annotations

import dataclasses
import io
import json
from typing import Any

import click
import pytest

from gitsync.api.models import Deployment
from gitsync.apply.dryrun import render_dry_run_json, render_dry_run_text
from gitsync.cli.apply import ApplyArgs, Duration, check_usage, parse_duration
from gitsync.cli.options import GlobalOptions
from gitsync.core.refusals import guard_errors, secured_refs, stale_changes, unset_secrets
from gitsync.core.replan import REDEPLOY_NOTE, forced_keys, replanner
from gitsync.manifest.model import ConfigurationSet, Lifecycle, Position
from gitsync.plan.model import Change, LiveState, Plan, Request, SecretRef, TargetInfo
from gitsync.plan.planner import build_plan
from gitsync.plan.state import TargetState
from tests.plan.plan_builders import CATALOG, TARGET, desired, live, secret


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30m", 1800.0), ("90s", 90.0), ("1h", 3600.0), ("1h30m", 5400.0), ("45", 45.0), ("1.5s", 1.5)],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds
    assert Duration().convert(text, None, None) == seconds


@pytest.mark.parametrize("text", ["", "m", "30x", "1m1h", "-5s"])
def test_not_durations(text: str) -> None:
    assert parse_duration(text) is None


def test_a_zero_duration_is_refused_and_numbers_pass() -> None:
    with pytest.raises(click.BadParameter, match="is not a duration"):
        Duration().convert("0s", None, None)
    assert Duration().convert(12, None, None) == 12.0


def _args(**values: Any) -> ApplyArgs:
    fields: dict[str, Any] = dict(
        paths=(), plan_file=None, yes=False, dry_run=False, concurrency=8, wait=True, timeout=60.0,
        force=False, fmt="text", redeploy_keys=(), replace_keys=(), options=GlobalOptions(),
    )  # fmt: skip
    return ApplyArgs(**(fields | values))


def test_usage_needs_yes_off_a_terminal_but_not_for_a_dry_run() -> None:
    with pytest.raises(click.UsageError, match="needs --yes"):
        check_usage(_args(), stdin_is_terminal=False)
    check_usage(_args(dry_run=True), stdin_is_terminal=False)
    check_usage(_args(), stdin_is_terminal=True)


def _state(
    *, desired_list: tuple[Any, ...] = (), live_list: tuple[Any, ...] = (), **target: Any
) -> TargetState:
    return TargetState(dataclasses.replace(TARGET, **target), desired_list, live_list, CATALOG)


def test_guard_errors_are_told_apart_from_other_errors() -> None:
    state = _state(
        desired_list=(desired("pay-a", region="us-central1.gcp", lifecycle=Lifecycle(prevent_destroy=True)),),
        live_list=(live("pay-a"), live("old")),
        prune=True,
        protect=("ol*",),
    )
    plan = build_plan([state])
    missing = Change(target="staging", key="x", action="error", error="connector missing")
    plan = dataclasses.replace(plan, changes=(*plan.changes, missing))
    guarded, other = guard_errors(plan, [state])
    assert sorted(change.key for change in guarded) == ["old", "pay-a"]
    assert other == [missing]


def test_stale_changes_name_what_moved() -> None:
    state = _state(desired_list=(desired("pay-a"), desired("pay-b")), live_list=(live("pay-a"),))
    saved = Plan(
        targets=(TargetInfo("staging", "acme", "europe-west1.gcp"),),
        changes=(
            Change("staging", "pay-a", "redeploy", source="deployments/pay-a.yaml",
                   live=LiveState("id-pay-a", 3, "Deployed"), manifest_digest="d" * 64),
            Change("staging", "pay-b", "create", source="deployments/pay-b.yaml", manifest_digest="e" * 64),
            Change("staging", "pay-c", "create", source="deployments/pay-c.yaml", manifest_digest="d" * 64),
            Change("staging", "pay-a", "noop", live=LiveState("x", 1, "Deployed")),
            Change("staging", "pay-b", "delete"),
        ),
    )  # fmt: skip
    assert stale_changes(saved, [state]) == [
        "staging/pay-a (redeploy): live it is now version 4, Deployed (id id-pay-a); the plan saw version 3, "
        "Deployed (id id-pay-a)",
        "staging/pay-b (create): deployments/pay-b.yaml changed since the plan (it no longer hashes to the "
        "planned manifestDigest)",
        "staging/pay-c (create): no selected manifest declares it any more (the plan read "
        "deployments/pay-c.yaml)",
        "staging/pay-b (delete): deployments/pay-b.yaml now declares it; the plan deletes it",
    ]


def test_unset_secrets_look_in_vars_then_the_environment() -> None:
    refs = tuple(SecretRef(f"/p/{n}", name, "a.yaml", 3, n) for n, name in enumerate(("A", "B", "C")))
    request = Request("POST", "/acme/deployments", {"x": 1}, refs)
    plan = Plan(targets=(), changes=(Change("staging", "k", "create", request=request),))
    state = _state(vars={"A": "from-vars"})
    unset = unset_secrets(plan, [state], {"B": "from-env"})
    assert [str(item) for item in unset] == ["a.yaml:3:2: secured variable 'C' of staging/k is not set"]
    assert len(unset_secrets(plan, [], {})) == 3  # a target that is not configured reveals nothing


def test_a_wait_needs_the_secured_values_of_its_manifest() -> None:
    glob = ConfigurationSet(
        secured={"SHARED": secret("SHARED")}, secured_at={"SHARED": Position("b.yaml", 7, 9)}
    )
    busy = desired("busy", glob=glob, secured=("API_KEY",), position=Position("b.yaml", 1, 1))
    state = _state(desired_list=(busy,), live_list=(live("busy", status="Deploying"),))
    plan = build_plan([state])
    assert [change.action for change in plan.changes] == ["wait"]
    unset = unset_secrets(plan, [state], {"API_KEY": "set"})
    assert [str(item) for item in unset] == [
        "b.yaml:7:9: secured variable 'SHARED' of staging/busy is not set"
    ]
    assert [ref.name for ref in secured_refs(busy)] == ["SHARED", "API_KEY"]
    assert unset_secrets(plan, [state], {"API_KEY": "set", "SHARED": "set"}) == []


def _api(key: str, version: int, status: str = "Deployed") -> Deployment:
    app = {
        "applicationName": "processor",
        "standardConfiguration": [{"key": "MERCHANT", "value": "Acme"}],
        "securedConfiguration": [{"key": "API_KEY", "value": "****"}],
    }
    return Deployment.model_validate(
        {
            "id": f"id-{key}", "key": key, "version": version, "status": status,
            "connector": {"id": "c-1", "version": 7}, "deployedRegion": "europe-west1.gcp", "type": "sandbox",
            "applications": [app],
        }
    )  # fmt: skip


def test_the_replanner_plans_one_deployment_again() -> None:
    state = _state(desired_list=(desired("pay-a"),), prune=True)
    replan = replanner([state], redeploy_keys={"pay-a"})
    planned = Change("staging", "pay-a", "redeploy")
    fresh = replan(planned, _api("pay-a", 9))
    assert (fresh.action, fresh.live) == ("redeploy", LiveState("id-pay-a", 9, "Deployed"))
    assert replan(planned, None).action == "create"
    assert replanner([state])(planned, _api("pay-a", 9)).action == "noop"
    orphan = Change("staging", "old", "delete")
    assert replan(orphan, _api("old", 2)).action == "delete"
    assert replan(orphan, None).action == "noop"


def test_forced_keys_come_from_the_reason_notes() -> None:
    state = _state(
        desired_list=(desired("pay-a"), desired("pay-b")), live_list=(live("pay-a"), live("pay-b"))
    )
    plan = build_plan([state], redeploy_keys={"pay-b"})
    assert forced_keys(plan, REDEPLOY_NOTE) == frozenset({"pay-b"})


def test_dry_run_masks_every_secured_place_and_lists_waits() -> None:
    state = _state(
        desired_list=(desired("pay-a", secret_value="canary-x"), desired("pay-b"), desired("busy")),
        live_list=(live("pay-b", region="us-central1.gcp"), live("busy", status="Deploying")),
    )
    plan = build_plan([state])
    text, as_json = io.StringIO(), io.StringIO()
    render_dry_run_text(plan, text)
    render_dry_run_json(plan, as_json)
    out = text.getvalue()
    assert out.index("DELETE /acme/deployments/key=pay-b") < out.index("POST /acme/deployments\n")
    assert "# staging/busy: wait (Deploying): would wait for it to settle, then plan it again" in out
    assert "${API_KEY}" not in out and '"value": "(sensitive)"' in out
    assert "Dry run: 3 request(s) would be sent; nothing was sent." in out
    document = json.loads(as_json.getvalue())
    assert [(r["key"], r["method"]) for r in document["requests"]] == [
        ("pay-b", "DELETE"),
        ("pay-a", "POST"),
        ("pay-b", "POST"),
    ]
    assert document["waits"] == [{"target": "staging", "key": "busy"}]
    assert "canary-x" not in out + as_json.getvalue()
