"""The planner's target rules: no prune from an empty desired set, targets sharing a project, removed
configuration keys under per-key merge, and ``--replace KEY``."""

from __future__ import annotations

import dataclasses

import pytest
from plan_builders import CATALOG, CONNECTOR, TARGET, desired, live, plan_from_maps

from gitsync.live.state import LiveConfiguration, LiveDeployment
from gitsync.manifest.model import ConfigurationSet, DesiredDeployment, Lifecycle
from gitsync.plan.model import Change, Reason
from gitsync.plan.planner import orphan_owners, plan_deployment
from gitsync.plan.removed import removed_key, settle_removed_keys
from gitsync.secret import SENSITIVE

PRUNING = dataclasses.replace(TARGET, prune=True)


def _actions(changes: tuple[Change, ...] | list[Change]) -> list[tuple[str, str, str]]:
    return [(change.target, change.key, change.action) for change in changes]


# --- an empty desired set never prunes (SPEC §1.1) ---------------------------------------------------


def test_a_pruning_target_with_no_desired_deployment_deletes_nothing() -> None:
    plan = plan_from_maps([PRUNING], {"staging": []}, {"staging": [live("a"), live("b")]}, {})
    assert _actions(plan.changes) == [("staging", "a", "error"), ("staging", "b", "error")]
    assert all(change.request is None for change in plan.changes)
    error = plan.changes[0].error
    assert error is not None
    assert "target 'staging' prunes, but no manifest of it is selected" in error
    assert "will not delete 'a'" in error
    assert plan.summary["delete"] == 0


def test_one_desired_deployment_is_enough_to_prune_the_rest() -> None:
    plan = plan_from_maps(
        [PRUNING], {"staging": [desired("a")]}, {"staging": [live("a"), live("b")]}, {"staging": CATALOG}
    )
    assert _actions(plan.changes) == [("staging", "a", "noop"), ("staging", "b", "delete")]


def test_no_desired_deployment_without_prune_stays_unmanaged() -> None:
    plan = plan_from_maps([TARGET], {}, {"staging": [live("a")]}, {})
    assert _actions(plan.changes) == [("staging", "a", "unmanaged")]


# --- targets sharing a project ------------------------------------------------------------------------

TEAM_A = dataclasses.replace(PRUNING, name="team-a")
TEAM_B = dataclasses.replace(PRUNING, name="team-b")
QUIET = dataclasses.replace(TARGET, name="quiet")
OTHER_PROJECT = dataclasses.replace(TARGET, name="prod", project_key="acme-prod")


def test_prune_never_deletes_what_another_target_of_the_project_declares() -> None:
    # both prune and both read the same live project: each key gets exactly one action
    live_state = [live("a"), live("b"), live("stray")]
    plan = plan_from_maps(
        [TEAM_A, TEAM_B],
        {"team-a": [desired("a")], "team-b": [desired("b", standard={"MERCHANT": "New"})]},
        {"team-a": live_state, "team-b": live_state},
        {"team-a": CATALOG, "team-b": CATALOG},
        foreign_keys={"team-a": {"b"}, "team-b": {"a"}},
    )
    assert _actions(plan.changes) == [
        ("team-a", "a", "noop"),
        ("team-a", "stray", "delete"),
        ("team-b", "b", "redeploy"),
    ]


def test_an_unselected_targets_keys_are_left_alone() -> None:
    # --target team-a: team-b is not planned, but its keys were read and are never pruned
    plan = plan_from_maps(
        [TEAM_A],
        {"team-a": [desired("a")]},
        {"team-a": [live("a"), live("b")]},
        {"team-a": CATALOG},
        foreign_keys={"team-a": {"b"}},
    )
    assert _actions(plan.changes) == [("team-a", "a", "noop")]


def test_undeclared_deployments_belong_to_the_first_pruning_target_of_their_project() -> None:
    assert orphan_owners([QUIET, TEAM_A, TEAM_B, OTHER_PROJECT]) == {"team-a", "prod"}
    assert orphan_owners([QUIET, dataclasses.replace(QUIET, name="quiet-2")]) == {"quiet"}
    plan = plan_from_maps(
        [QUIET, TEAM_A],
        {"quiet": [desired("q")], "team-a": [desired("a")]},
        {"quiet": [live("q"), live("a"), live("stray")], "team-a": [live("q"), live("a"), live("stray")]},
        {"quiet": CATALOG, "team-a": CATALOG},
        foreign_keys={"quiet": {"a"}, "team-a": {"q"}},
    )
    assert _actions(plan.changes) == [
        ("quiet", "q", "noop"),
        ("team-a", "a", "noop"),
        ("team-a", "stray", "delete"),
    ]


def test_non_pruning_targets_of_one_project_list_an_unmanaged_deployment_once() -> None:
    quiet_2 = dataclasses.replace(QUIET, name="quiet-2")
    plan = plan_from_maps(
        [QUIET, quiet_2],
        {"quiet": [desired("q")], "quiet-2": [desired("r")]},
        {"quiet": [live("q"), live("r"), live("x")], "quiet-2": [live("q"), live("r"), live("x")]},
        {"quiet": CATALOG, "quiet-2": CATALOG},
        foreign_keys={"quiet": {"r"}, "quiet-2": {"q"}},
    )
    assert _actions(plan.changes) == [
        ("quiet", "q", "noop"),
        ("quiet", "x", "unmanaged"),
        ("quiet-2", "r", "noop"),
    ]


# --- removed configuration keys (SPEC §6: a redeploy merges per key) ---------------------------------


@pytest.mark.parametrize(
    ("want", "have", "path", "named"),
    [
        (
            desired(standard={}),
            live(),
            "configurations.processor.standardConfiguration.MERCHANT",
            "application 'processor' standard key 'MERCHANT'",
        ),
        (
            desired(secured=()),
            live(),
            "configurations.processor.securedConfiguration.API_KEY",
            "application 'processor' secured key 'API_KEY'",
        ),
    ],
    ids=["standard", "secured"],
)
def test_a_removed_key_alone_is_an_error_naming_it_and_the_remedy(
    want: DesiredDeployment, have: LiveDeployment, path: str, named: str
) -> None:
    change = plan_deployment(TARGET, want, have, CONNECTOR)
    assert change.action == "error" and change.request is None
    assert [(reason.path, reason.note) for reason in change.reasons] == [
        (path, "stays live: a redeploy cannot remove a key; gitsync plan --replace pay removes it")
    ]
    assert change.error is not None
    assert f"target 'staging', deployment 'pay': {named} set live but not in the manifest" in change.error
    assert "gitsync plan --replace pay" in change.error and "put the key back" in change.error
    # stable: the same inputs plan the same error again (no redeploy that could loop)
    assert plan_deployment(TARGET, want, have, CONNECTOR) == change


def test_a_removed_global_key_is_named_as_global() -> None:
    want = desired(glob=ConfigurationSet(standard={}))
    have = live(glob=LiveConfiguration(standard={"REGION_HINT": "eu"}, secured=frozenset({"TOKEN"})))
    change = plan_deployment(TARGET, want, have, CONNECTOR)
    assert change.action == "error"
    assert change.error is not None
    assert "globalConfiguration secured key 'TOKEN'; globalConfiguration standard key 'REGION_HINT'" in (
        change.error
    )


def test_a_removed_key_beside_a_real_change_is_a_redeploy_with_a_note_that_it_stays() -> None:
    want = desired(standard={"ADYEN_ENV": "LIVE"})
    change = plan_deployment(TARGET, want, live(), CONNECTOR)
    assert change.action == "redeploy"
    by_path = {reason.path: reason for reason in change.reasons}
    kept = by_path["configurations.processor.standardConfiguration.MERCHANT"]
    assert kept.note == "stays live: a redeploy cannot remove a key; gitsync plan --replace pay removes it"
    assert by_path["configurations.processor.standardConfiguration.ADYEN_ENV"].note is None


def test_a_removed_key_beside_a_forced_redeploy_is_a_redeploy() -> None:
    change = plan_deployment(TARGET, desired(standard={}), live(), CONNECTOR, force_redeploy=True)
    assert change.action == "redeploy"
    assert [reason.path for reason in change.reasons][-1] == "redeploy"


def test_a_removed_key_with_a_connector_default_is_not_a_removed_key() -> None:
    # ADYEN_ENV has a default: compared (and sent) as the default, so it converges
    change = plan_deployment(
        TARGET, desired(), live(standard={"MERCHANT": "Acme", "ADYEN_ENV": "LIVE"}), CONNECTOR
    )
    assert change.action == "redeploy"


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        (
            Reason("configurations.app.standardConfiguration.K", "v", None),
            "application 'app' standard key 'K'",
        ),
        (
            Reason("globalConfiguration.securedConfiguration.S", SENSITIVE, None),
            "globalConfiguration secured key 'S'",
        ),
        (Reason("configurations.app.standardConfiguration.K", None, "v"), None),
        (Reason("configurations.app.standardConfiguration.K", "a", "b"), None),
        (Reason("configurations.app.schedule", "* * * * *", None), None),
        (Reason("configurations.app.standardConfiguration", "x", None), None),
        (Reason("manifest", "pay", None), None),
        (Reason("status", "Failed", None), None),
    ],
)
def test_removed_key_recognises_only_configuration_keys_set_live_and_absent(
    reason: Reason, expected: str | None
) -> None:
    assert removed_key(reason) == expected


def test_settle_leaves_reasons_without_removed_keys_untouched() -> None:
    reasons = (Reason("configurations.app.standardConfiguration.K", "a", "b"),)
    assert settle_removed_keys("t", "d", reasons) == (reasons, None)


# --- --replace KEY ------------------------------------------------------------------------------------


def test_replace_requested_is_a_replace_with_its_reason() -> None:
    change = plan_deployment(TARGET, desired(), live(), CONNECTOR, force_replace=True)
    assert change.action == "replace"
    assert change.reasons == (Reason("replace", note="requested with --replace"),)
    assert change.delete_request is not None and change.delete_request.method == "DELETE"
    assert change.request is not None and change.request.method == "POST"
    assert change.request.path == "/acme/deployments"


def test_replace_wins_over_redeploy_and_over_a_removed_key() -> None:
    change = plan_deployment(
        TARGET, desired(standard={}), live(), CONNECTOR, force_redeploy=True, force_replace=True
    )
    assert change.action == "replace"


def test_replace_of_a_protected_or_prevent_destroy_deployment_is_an_error() -> None:
    protected = dataclasses.replace(TARGET, protect=("p*",))
    change = plan_deployment(protected, desired(), live(), CONNECTOR, force_replace=True)
    assert change.action == "error" and change.request is None and change.delete_request is None
    assert change.error is not None and "protect glob 'p*'" in change.error
    assert "will not replace it" in change.error
    kept = desired(lifecycle=Lifecycle(prevent_destroy=True))
    change = plan_deployment(TARGET, kept, live(), CONNECTOR, force_replace=True)
    assert change.action == "error"
    assert change.error is not None and "preventDestroy" in change.error


def test_replace_of_a_deployment_not_live_is_a_create_and_of_a_busy_one_a_wait() -> None:
    assert plan_deployment(TARGET, desired(), None, CONNECTOR, force_replace=True).action == "create"
    busy = live(status="Deploying")
    assert plan_deployment(TARGET, desired(), busy, CONNECTOR, force_replace=True).action == "wait"


def test_build_plan_passes_replace_keys_by_key() -> None:
    plan = plan_from_maps(
        [TARGET],
        {"staging": [desired("a"), desired("b")]},
        {"staging": [live("a"), live("b")]},
        {"staging": CATALOG},
        replace_keys={"b"},
    )
    assert _actions(plan.changes) == [("staging", "a", "noop"), ("staging", "b", "replace")]
