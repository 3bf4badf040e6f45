"""Guards (SPEC §4): protect, preventDestroy, maxDeletes and the target identity check, each on its own."""

from __future__ import annotations

import dataclasses

import pytest
from plan_builders import TARGET, desired, live, plan_from_maps

from gitsync.errors import GuardError
from gitsync.manifest.model import Lifecycle
from gitsync.manifest.target import Target
from gitsync.plan.guards import (
    check_guards,
    check_identity,
    max_deletes,
    prevent_destroy,
    protect,
    refuse_destroy,
    require_guards,
)
from gitsync.plan.model import Change, Plan, TargetInfo

PROD = Target(name="prod", project_key="acme-prod", region="europe-west1.gcp", prune=True, max_deletes=2)


def _plan(*actions: tuple[str, str], targets: tuple[Target, ...] = (PROD,)) -> Plan:
    """A plan with one change per (target, action); keys are numbered."""
    changes = tuple(
        Change(target=name, key=f"d-{index}", action=action)  # type: ignore[arg-type]
        for index, (name, action) in enumerate(actions)
    )
    infos = tuple(TargetInfo(t.name, t.project_key, t.region) for t in targets)
    return Plan(targets=infos, changes=changes)


def test_protect_names_the_glob_the_target_and_where_to_change_it() -> None:
    target = dataclasses.replace(TARGET, protect=("pay-*", "billing"))
    message = protect(target, "pay-eu", "delete")
    assert message is not None
    assert "'pay-eu' matches protect glob 'pay-*' of target 'staging'" in message
    assert "targets.staging.protect" in message and "will not delete" in message
    assert protect(target, "payments", "delete") is None  # a glob, not a prefix
    assert protect(target, "billing", "replace") is not None


def test_prevent_destroy_refuses_only_a_manifest_that_sets_it() -> None:
    kept = desired("pay", lifecycle=Lifecycle(prevent_destroy=True))
    message = prevent_destroy(kept, "pay", "replace")
    assert message is not None and "sets lifecycle.preventDestroy" in message and "replace 'pay'" in message
    assert prevent_destroy(desired("pay"), "pay", "replace") is None
    assert prevent_destroy(None, "pay", "delete") is None  # a delete has no manifest


def test_refuse_destroy_puts_protect_before_prevent_destroy() -> None:
    target = dataclasses.replace(TARGET, protect=("pay",))
    kept = desired("pay", lifecycle=Lifecycle(prevent_destroy=True))
    assert "protect glob" in (refuse_destroy(target, "pay", kept, "replace") or "")
    assert "preventDestroy" in (refuse_destroy(TARGET, "pay", kept, "replace") or "")
    assert refuse_destroy(TARGET, "pay", desired("pay"), "replace") is None


def test_max_deletes_counts_deletes_and_replaces_per_target() -> None:
    other = Target(name="other", project_key="acme-other", region="europe-west1.gcp", max_deletes=0)
    at_limit = _plan(("prod", "delete"), ("prod", "replace"), ("prod", "redeploy"), ("prod", "create"))
    assert max_deletes(at_limit, [PROD]) == []
    over = _plan(("prod", "delete"), ("prod", "replace"), ("prod", "delete"), ("other", "redeploy"))
    violations = max_deletes(over, [PROD, other])
    assert [(v.target, v.guard) for v in violations] == [("prod", "maxDeletes")]
    assert "plans 3 delete(s) and replace(s), more than its maxDeletes of 2" in str(violations[0])
    assert "targets.prod.maxDeletes" in str(violations[0])
    assert check_guards(over, [PROD, other]) == violations
    assert [v.target for v in max_deletes(_plan(("other", "delete")), [other])] == ["other"]


def test_max_deletes_unset_means_no_bound() -> None:
    unbounded = dataclasses.replace(PROD, max_deletes=None)
    assert max_deletes(_plan(*[("prod", "delete")] * 50), [unbounded]) == []


def test_max_deletes_on_a_planned_prune() -> None:
    target = dataclasses.replace(PROD, max_deletes=1)
    plan = plan_from_maps([target], {"prod": [desired("kept")]}, {"prod": [live("a"), live("b")]}, {})
    assert plan.summary["delete"] == 2
    assert [v.target for v in check_guards(plan, [target])] == ["prod"]


def test_identity_matches_the_config_the_plan_was_made_with() -> None:
    assert check_identity(_plan(("prod", "create")), [PROD]) == []


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        ((dataclasses.replace(PROD, project_key="acme-staging"),), "as project 'acme-prod' in"),
        (
            (dataclasses.replace(PROD, region="us-central1.gcp"),),
            "but it is now 'acme-prod' in 'us-central1.gcp'",
        ),
        ((), "which gitsync.yaml (or --target) no longer selects"),
    ],
)
def test_identity_refuses_another_project_region_or_a_missing_target(
    current: tuple[Target, ...], expected: str
) -> None:
    violations = check_identity(_plan(("prod", "create")), current)
    assert [(v.target, v.guard) for v in violations] == [("prod", "identity")]
    assert expected in str(violations[0]) and "plan again" in str(violations[0])


def test_require_guards_raises_exit_3_naming_every_violation() -> None:
    plan = _plan(("prod", "delete"), ("prod", "delete"), ("prod", "delete"))
    moved = dataclasses.replace(PROD, region="us-central1.gcp")
    with pytest.raises(GuardError) as raised:
        require_guards(plan, [moved])
    assert raised.value.exit_code == 3
    assert "us-central1.gcp" in str(raised.value) and "maxDeletes of 2" in str(raised.value)
    require_guards(_plan(("prod", "delete")), [PROD])  # within bounds, same project: no error
