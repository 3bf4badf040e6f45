"""Planner decisions that mutation testing found unpinned (issue 7, item 5): each test kills a mutant."""

from __future__ import annotations

import dataclasses
from typing import Any

from plan_builders import CATALOG, CONNECTOR, TARGET, desired, live, plan_from_maps

from gitsync.live.state import LiveApplication
from gitsync.manifest.model import ApplicationConfiguration, ConfigurationSet, ConnectorRef, Lifecycle
from gitsync.plan.model import Change, LiveState, Reason, TargetInfo
from gitsync.plan.planner import plan_deployment
from gitsync.secret import SENSITIVE


def plan_one(want: Any, have: Any) -> Change:
    return plan_deployment(TARGET, want, have, CONNECTOR)


def test_a_replace_to_a_version_above_the_latest_is_an_error_not_a_replace() -> None:
    """Apply would delete the live Deployment, then fail to create it: refuse before the delete."""
    want = desired(region="us-central1.gcp", connector=ConnectorRef(key="adyen", version=9))
    change = plan_one(want, live())
    assert change.action == "error"
    assert change.request is None and change.delete_request is None
    assert change.error is not None and "connector.version 9 does not exist" in change.error
    assert [reason.path for reason in change.reasons] == ["region"]


def test_a_replace_to_the_latest_version_is_a_replace() -> None:
    want = desired(region="us-central1.gcp", connector=ConnectorRef(key="adyen", version=7))
    assert plan_one(want, live(connector_version=5)).action == "replace"


def test_a_live_deployment_without_a_region_is_never_replaced_for_it() -> None:
    """Older responses lack deployedRegion: unknown is not different (a replace would delete production)."""
    change = plan_one(desired(), live(region=None))
    assert change.action == "noop" and change.reasons == ()


def test_a_live_application_the_connector_does_not_list_is_reported() -> None:
    have = live(
        applications={
            "processor": LiveApplication(standard={"MERCHANT": "Acme"}, secured=frozenset({"API_KEY"})),
            "legacy": LiveApplication(standard={"X": "1"}, secured=frozenset({"S"})),
        }
    )
    change = plan_one(desired(), have)
    # a merging redeploy cannot remove them: an error that names both, never a silent noop
    assert change.action == "error"
    assert [reason.path for reason in change.reasons] == [
        "configurations.legacy.securedConfiguration.S",
        "configurations.legacy.standardConfiguration.X",
    ]
    assert [(reason.before, reason.after) for reason in change.reasons] == [(SENSITIVE, None), ("1", None)]


def test_an_application_only_the_manifest_has_is_compared_and_sent() -> None:
    extra = ApplicationConfiguration("extra", ConfigurationSet(standard={"MODE": "on"}))
    want = desired()
    want = dataclasses.replace(want, configurations=(*want.configurations, extra))
    change = plan_one(want, live())
    assert change.action == "redeploy"
    assert change.reasons == (Reason("configurations.extra.standardConfiguration.MODE", None, "on"),)
    assert change.request is not None and change.request.body is not None
    sent = change.request.body["actions"][0]["configurationValues"]
    assert [app["applicationName"] for app in sent] == ["processor", "job", "extra"]
    assert sent[2]["standardConfiguration"] == [{"key": "MODE", "value": "on"}]


def test_an_application_missing_from_the_live_side_compares_as_empty() -> None:
    have = live(applications={})
    change = plan_one(desired(), have)
    assert change.action == "redeploy"
    assert list(change.reasons) == [
        Reason("configurations.processor.securedConfiguration.API_KEY", None, SENSITIVE),
        Reason("configurations.processor.standardConfiguration.MERCHANT", None, "Acme"),
    ]
    job_only = live(applications={"processor": live().applications["processor"]})
    assert plan_one(desired(), job_only).action == "noop"


def test_a_prune_delete_names_its_reason() -> None:
    target = dataclasses.replace(TARGET, prune=True)
    plan = plan_from_maps(
        [target], {target.name: [desired()]}, {target.name: [live(), live("old")]}, {target.name: CATALOG}
    )
    change = next(change for change in plan.changes if change.key == "old")
    assert change.action == "delete"
    assert change.reasons == (Reason("manifest", "old", None, "no manifest; the target prunes"),)


# --- found by tools/mutation.sh -----------------------------------------------------------------------


def test_a_target_missing_from_the_live_and_connector_maps_plans_without_crashing() -> None:
    plan = plan_from_maps([TARGET], {"staging": [desired()]}, {}, {})
    (change,) = plan.changes
    assert change.action == "error" and change.live is None
    assert plan.targets == (TargetInfo("staging", "acme", "europe-west1.gcp"),)


def test_a_target_missing_from_the_live_map_creates() -> None:
    plan = plan_from_maps([TARGET], {"staging": [desired()]}, {}, {"staging": CATALOG})
    assert [change.action for change in plan.changes] == ["create"]


def test_the_change_records_the_live_state_it_saw() -> None:
    """apply --plan compares id, version and status to find a stale plan (SPEC §3.2)."""
    change = plan_one(desired(), live(status="Failed", version=9))
    assert change.live == LiveState(id="id-pay", version=9, status="Failed")


def test_a_protected_prune_delete_keeps_its_reason() -> None:
    target = dataclasses.replace(TARGET, prune=True, protect=("o*",))
    plan = plan_from_maps([target], {target.name: [desired()]}, {target.name: [live(), live("old")]}, {})
    change = next(change for change in plan.changes if change.key == "old")
    assert change.action == "error"
    assert change.reasons == (Reason("manifest", "old", None, "no manifest; the target prunes"),)
    assert change.error == (
        "deployment 'old' matches protect glob 'o*' of target 'staging', so gitsync will not delete it; "
        "revert the change that requires it, or remove the glob from targets.staging.protect in gitsync.yaml"
    )


def test_a_protected_replace_names_the_verb() -> None:
    target = dataclasses.replace(TARGET, protect=("pay",))
    change = plan_deployment(target, desired(region="us-central1.gcp"), live(), CONNECTOR)
    assert change.error is not None and "so gitsync will not replace it;" in change.error


def test_prevent_destroy_message() -> None:
    want = desired(region="us-central1.gcp", lifecycle=Lifecycle(prevent_destroy=True))
    assert plan_one(want, live()).error == (
        "deployments/pay.yaml sets lifecycle.preventDestroy, so gitsync will not replace 'pay'; revert "
        "the change that requires it, or set preventDestroy: false"
    )


def test_unknown_status_message() -> None:
    assert plan_one(desired(), live(status="Exploding")).error == (
        "live status 'Exploding' is unknown to gitsync, so it will not act on this Deployment; "
        "check it in the Merchant Center, or upgrade gitsync"
    )


def test_missing_connector_messages() -> None:
    by_key = plan_deployment(TARGET, desired(connector=ConnectorRef(key="nope")), None, None)
    assert by_key.error == (
        "published connector key=nope does not exist (or the API client may not read it): "
        "check connector.key and connector.staged in deployments/pay.yaml"
    )
    by_id = plan_deployment(TARGET, desired(connector=ConnectorRef(id="c-9", staged=True)), None, None)
    assert by_id.error == (
        "staged connector (draft) id=c-9 does not exist (or the API client may not read it): "
        "check connector.id and connector.staged in deployments/pay.yaml"
    )
