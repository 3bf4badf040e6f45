"""build_plan: every action and every reason rule of SPEC §3, pure and table-driven."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from plan_builders import CATALOG, CONNECTOR, TARGET, desired, live, plan_from_maps

from gitsync.live.state import ConnectorInfo, ConnectorLookup, LiveConfiguration
from gitsync.manifest.model import ConfigurationSet, ConnectorRef, Lifecycle
from gitsync.plan.model import Change, Reason
from gitsync.plan.planner import plan_deployment
from gitsync.secret import SENSITIVE


def plan_one(want: Any, have: Any, *, target: Any = TARGET, force: bool = False) -> Change:
    connector = CATALOG.get(ConnectorLookup.of(want.connector))
    return plan_deployment(target, want, have, connector, force_redeploy=force)


def paths(change: Change) -> list[str]:
    return [reason.path for reason in change.reasons]


# --- noop and redeploy reasons --------------------------------------------------------------------------

NOOP_CASES = {
    "identical": (desired(), live()),
    "entry order never matters": (
        desired(standard={"A": "1", "B": "2"}),
        live(standard={"B": "2", "A": "1"}),
    ),
    "absent default on both sides": (desired(), live()),
    "default written in manifest, absent live": (
        desired(standard={"MERCHANT": "Acme", "ADYEN_ENV": "TEST"}),
        live(),
    ),
    "default absent in manifest, written live": (
        desired(),
        live(standard={"MERCHANT": "Acme", "ADYEN_ENV": "TEST"}),
    ),
    "secured values never compared": (desired(secured=("API_KEY",)), live(secured=("API_KEY",))),
    "schedule not in manifest keeps the live one": (desired(), live(schedule="0 * * * *")),
    "live global ignored when manifest has none": (
        desired(),
        live(glob=LiveConfiguration(standard={"X": "1"}, secured=frozenset({"S"}))),
    ),
    "omitted version never upgraded": (
        desired(connector=ConnectorRef(key="adyen")),
        live(connector_version=5),
    ),
    "connector by id": (desired(connector=ConnectorRef(id="c-1", version=7)), live()),
    "live without type": (desired(type="production"), live(type=None)),
    "explicit default type": (desired(type="sandbox"), live()),
    "absent type keeps the live one": (desired(), live(type="production")),
}


@pytest.mark.parametrize("case", NOOP_CASES)
def test_noop(case: str) -> None:
    change = plan_one(*NOOP_CASES[case])
    assert change.action == "noop", change.reasons
    assert change.reasons == () and change.request is None
    assert change.live is not None and change.live.version == 4


REDEPLOY_CASES: dict[str, tuple[Any, Any, list[Reason]]] = {
    "standard value changed": (
        desired(standard={"MERCHANT": "New"}),
        live(),
        [Reason("configurations.processor.standardConfiguration.MERCHANT", "Acme", "New")],
    ),
    "standard key added": (
        desired(standard={"MERCHANT": "Acme", "EXTRA": "x"}),
        live(),
        [Reason("configurations.processor.standardConfiguration.EXTRA", None, "x")],
    ),
    "absent key compares as default": (
        desired(),
        live(standard={"MERCHANT": "Acme", "ADYEN_ENV": "LIVE"}),
        [Reason("configurations.processor.standardConfiguration.ADYEN_ENV", "LIVE", "TEST")],
    ),
    "secured key added": (
        desired(secured=("API_KEY", "HMAC")),
        live(),
        [Reason("configurations.processor.securedConfiguration.HMAC", None, SENSITIVE)],
    ),
    "schedule differs": (
        desired(schedule="*/5 * * * *"),
        live(schedule="0 * * * *"),
        [Reason("configurations.processor.schedule", "0 * * * *", "*/5 * * * *")],
    ),
    "global standard differs": (
        desired(glob=ConfigurationSet(standard={"LOG_LEVEL": "debug"})),
        live(),
        [Reason("globalConfiguration.standardConfiguration.LOG_LEVEL", "info", "debug")],
    ),
    "global secured key added": (
        desired(
            glob=ConfigurationSet(secured={"TOKEN": desired().configurations[0].values.secured["API_KEY"]})
        ),
        live(),
        [Reason("globalConfiguration.securedConfiguration.TOKEN", None, SENSITIVE)],
    ),
    "latest moves up": (
        desired(connector=ConnectorRef(key="adyen", version="latest")),
        live(connector_version=6),
        [Reason("connector.version", 6, 7, "updateConnector")],
    ),
    "pinned to latest moves up": (
        desired(),
        live(connector_version=5),
        [Reason("connector.version", 5, 7, "updateConnector")],
    ),
    "status Failed": (
        desired(),
        live(status="Failed"),
        [Reason("status", "Failed", "Deployed", "status Failed: redeploy to recover")],
    ),
    "status UndeployFailed": (
        desired(),
        live(status="UndeployFailed"),
        [Reason("status", "UndeployFailed", "Deployed", "status UndeployFailed: redeploy to recover")],
    ),
}


@pytest.mark.parametrize("case", REDEPLOY_CASES)
def test_redeploy_reasons(case: str) -> None:
    want, have, reasons = REDEPLOY_CASES[case]
    change = plan_one(want, have)
    assert change.action == "redeploy"
    assert list(change.reasons) == reasons
    assert change.request is not None and change.request.path == "/acme/deployments/key=pay"


def test_forced_redeploy_of_a_noop() -> None:
    change = plan_one(desired(), live(), force=True)
    assert change.action == "redeploy"
    assert change.reasons == (Reason("redeploy", note="requested with --redeploy"),)


def test_redeploy_request_carries_every_application_and_references() -> None:
    want = desired(
        standard={"MERCHANT": "New"},
        glob=ConfigurationSet(standard={"LOG_LEVEL": "debug"}),
        lifecycle=Lifecycle(skip_scripts=True),
        schedule="0 1 * * *",
    )
    change = plan_one(want, live(connector_version=7, version=9))
    assert change.request is not None and change.request.method == "POST"
    assert change.request.body == {
        "version": 9,
        "actions": [
            {
                "action": "redeploy",
                "configurationValues": [
                    {
                        "applicationName": "processor",
                        "standardConfiguration": [{"key": "MERCHANT", "value": "New"}],
                        "securedConfiguration": [{"key": "API_KEY", "value": "${API_KEY}"}],
                        "schedule": "0 1 * * *",
                    },
                    {"applicationName": "job", "standardConfiguration": [], "securedConfiguration": []},
                ],
                "globalConfiguration": {
                    "standardConfiguration": [{"key": "LOG_LEVEL", "value": "debug"}],
                    "securedConfiguration": [],
                },
                "updateConnector": False,
                "skipScripts": True,
            }
        ],
    }


def test_update_connector_flag_is_sent_when_moving_up() -> None:
    change = plan_one(
        desired(connector=ConnectorRef(key="adyen", version="latest")), live(connector_version=3)
    )
    assert change.request is not None and change.request.body is not None
    assert change.request.body["actions"][0]["updateConnector"] is True
    assert "globalConfiguration" not in change.request.body["actions"][0]


# --- create -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "kind", "expected_ref"),
    [
        (ConnectorRef(key="adyen", version=7), None, {"key": "adyen", "version": 7}),
        (ConnectorRef(key="adyen"), None, {"key": "adyen", "version": 7}),
        (ConnectorRef(key="adyen", version="latest"), "production", {"key": "adyen", "version": 7}),
        (ConnectorRef(id="c-1", version=6), None, {"id": "c-1", "version": 6}),
    ],
)
def test_create_request(ref: ConnectorRef, kind: str | None, expected_ref: dict[str, Any]) -> None:
    change = plan_one(desired(connector=ref, type=kind), None)
    assert change.action == "create" and change.live is None
    assert change.request is not None and change.request.path == "/acme/deployments"
    body = dict(change.request.body or {})
    assert body["connector"] == expected_ref
    assert body["key"] == "pay" and body["region"] == "europe-west1.gcp"
    assert body.get("type") == kind
    assert body["configurations"][0]["securedConfiguration"] == [{"key": "API_KEY", "value": "${API_KEY}"}]
    assert [app["applicationName"] for app in body["configurations"]] == ["processor", "job"]
    assert "globalConfiguration" not in body


def test_create_staged_sends_staged() -> None:
    staged = dataclasses.replace(CONNECTOR, staged=True)
    want = desired(connector=ConnectorRef(key="adyen", version=7, staged=True), type="preview")
    change = plan_deployment(TARGET, want, None, staged)
    assert change.request is not None and change.request.body is not None
    assert change.request.body["connector"] == {"key": "adyen", "version": 7, "staged": True}


def test_create_with_global_configuration() -> None:
    change = plan_one(desired(glob=ConfigurationSet(standard={"LOG_LEVEL": "warn"})), None)
    assert change.request is not None and change.request.body is not None
    assert change.request.body["globalConfiguration"] == {
        "standardConfiguration": [{"key": "LOG_LEVEL", "value": "warn"}],
        "securedConfiguration": [],
    }


def test_create_with_a_version_above_latest_is_an_error() -> None:
    change = plan_one(desired(connector=ConnectorRef(key="adyen", version=9)), None)
    assert change.action == "error" and change.request is None
    assert change.error is not None and "latest version is 7" in change.error


# --- replace ------------------------------------------------------------------------------------------

REPLACE_CASES: dict[str, tuple[Any, Any, list[Reason]]] = {
    "region": (
        desired(region="us-central1.gcp"),
        live(),
        [Reason("region", "europe-west1.gcp", "us-central1.gcp", "forces replacement")],
    ),
    "connector identity": (
        desired(),
        live(connector_id="c-other"),
        [Reason("connector", "id=c-other", "key=adyen (id=c-1)", "forces replacement")],
    ),
    "type": (
        desired(type="production"),
        live(),
        [Reason("type", "sandbox", "production", "forces replacement")],
    ),
    "staged": (
        desired(),
        live(preview=True, type="preview"),
        [Reason("connector.staged", True, False, "forces replacement")],
    ),
    "staged with an explicit type": (
        desired(type="sandbox"),
        live(preview=True, type="preview"),
        [
            Reason("connector.staged", True, False, "forces replacement"),
            Reason("type", "preview", "sandbox", "forces replacement"),
        ],
    ),
}


@pytest.mark.parametrize("case", REPLACE_CASES)
def test_replace_reasons(case: str) -> None:
    want, have, reasons = REPLACE_CASES[case]
    change = plan_one(want, have)
    assert change.action == "replace"
    assert list(change.reasons) == reasons
    assert change.delete_request is not None and change.delete_request.method == "DELETE"
    assert change.delete_request.path == "/acme/deployments/key=pay"
    assert change.request is not None and change.request.path == "/acme/deployments"


def test_replace_of_protected_key_is_an_error() -> None:
    target = dataclasses.replace(TARGET, protect=("pa*",))
    change = plan_one(desired(region="us-central1.gcp"), live(), target=target)
    assert change.action == "error" and paths(change) == ["region"]
    assert change.error is not None and "'pa*'" in change.error and "protect" in change.error
    assert change.request is None and change.delete_request is None


def test_replace_with_prevent_destroy_is_an_error() -> None:
    want = desired(region="us-central1.gcp", lifecycle=Lifecycle(prevent_destroy=True))
    change = plan_one(want, live())
    assert change.action == "error"
    assert (
        change.error is not None
        and "preventDestroy" in change.error
        and "deployments/pay.yaml" in change.error
    )


# --- wait and errors ----------------------------------------------------------------------------------


BUSY_NOTE = "busy: apply waits for it to settle, then plans it"


@pytest.mark.parametrize("status", ["Queued", "Deploying", "Undeploying"])
def test_busy_live_waits_and_lists_what_differs(status: str) -> None:
    change = plan_one(desired(region="us-central1.gcp", standard={"MERCHANT": "X"}), live(status=status))
    assert change.action == "wait" and change.request is None and change.delete_request is None
    assert list(change.reasons) == [
        Reason("status", status, None, BUSY_NOTE),
        Reason("region", "europe-west1.gcp", "us-central1.gcp", "forces replacement"),
    ]


def test_busy_live_lists_configuration_differences() -> None:
    change = plan_one(desired(standard={"MERCHANT": "X"}), live(status="Deploying"))
    assert change.action == "wait" and change.request is None
    assert paths(change) == ["status", "configurations.processor.standardConfiguration.MERCHANT"]


def test_busy_live_that_matches_waits_with_only_its_status() -> None:
    change = plan_one(desired(), live(status="Queued"))
    assert change.action == "wait"
    assert change.reasons == (Reason("status", "Queued", None, BUSY_NOTE),)


def test_an_unknown_live_status_is_an_error_not_a_guess() -> None:
    change = plan_one(desired(), live(status="Exploding"))
    assert change.action == "error"
    assert change.error is not None and "'Exploding' is unknown to gitsync" in change.error
    assert change.request is None


def test_draft_is_a_known_status() -> None:
    assert plan_one(desired(), live(status="Draft")).action == "noop"


@pytest.mark.parametrize(
    ("version", "live_version", "fragment"),
    [
        (6, 5, "moves only to the connector's latest, 7"),
        (4, 5, "below the live version 5"),
        (6, 7, "below the live version 7"),
    ],
)
def test_unreachable_pinned_version_is_an_error(version: int, live_version: int, fragment: str) -> None:
    change = plan_one(
        desired(connector=ConnectorRef(key="adyen", version=version)), live(connector_version=live_version)
    )
    assert change.action == "error" and change.request is None
    assert change.error is not None and fragment in change.error


def test_unknown_connector_is_an_error() -> None:
    change = plan_one(desired(connector=ConnectorRef(key="nope", staged=True)), None)
    assert change.action == "error"
    assert change.error is not None and "staged connector (draft) key=nope does not exist" in change.error


# --- live without manifest ----------------------------------------------------------------------------


def _orphans(target: Any, *live_deployments: Any) -> list[Change]:
    # the target declares one other Deployment: an empty desired set never prunes (test_planner_targets)
    plan = plan_from_maps(
        [target], {target.name: [desired("kept")]}, {target.name: list(live_deployments)}, {}
    )
    return [change for change in plan.changes if change.key != "kept"]


def test_unmanaged_without_prune() -> None:
    [change] = _orphans(TARGET, live("old"))
    assert change.action == "unmanaged" and change.request is None and change.source is None


def test_delete_with_prune() -> None:
    [change] = _orphans(dataclasses.replace(TARGET, prune=True), live("old"))
    assert change.action == "delete"
    assert change.request is not None and (change.request.method, change.request.path) == (
        "DELETE",
        "/acme/deployments/key=old",
    )
    assert change.live is not None and change.live.id == "id-old"


def test_delete_of_protected_is_an_error() -> None:
    [change] = _orphans(dataclasses.replace(TARGET, prune=True, protect=("o*",)), live("old"))
    assert change.action == "error" and change.request is None
    assert change.error is not None and "will not delete" in change.error


def test_prune_waits_for_busy_and_skips_keyless() -> None:
    target = dataclasses.replace(TARGET, prune=True)
    changes = _orphans(target, live("busy", status="Undeploying"), live("id=xyz"))
    assert [(change.key, change.action) for change in changes] == [("busy", "wait"), ("id=xyz", "unmanaged")]
    assert paths(changes[0]) == ["status", "manifest"] and changes[0].request is None


def test_prune_never_deletes_a_deployment_in_an_unknown_status() -> None:
    target = dataclasses.replace(TARGET, prune=True)
    (change,) = _orphans(target, live("odd", status="Exploding"))
    assert change.action == "error" and change.request is None


# --- whole plans --------------------------------------------------------------------------------------


def test_plan_is_sorted_by_target_then_key_and_counts_every_action() -> None:
    other = dataclasses.replace(TARGET, name="prod", project_key="acme-prod", prune=True)
    plan = plan_from_maps(
        [other, TARGET],
        {"staging": [desired("b"), desired("a", standard={"MERCHANT": "X"})], "prod": [desired("z")]},
        {"staging": [live("a"), live("b"), live("c")], "prod": [live("y")]},
        {"staging": CATALOG, "prod": CATALOG},
        redeploy_keys={"b"},
        created_at="2026-01-01T00:00:00Z",
    )
    assert [(c.target, c.key, c.action) for c in plan.changes] == [
        ("prod", "y", "delete"),
        ("prod", "z", "create"),
        ("staging", "a", "redeploy"),
        ("staging", "b", "redeploy"),
        ("staging", "c", "unmanaged"),
    ]
    assert plan.created_at == "2026-01-01T00:00:00Z"
    assert [t.name for t in plan.targets] == ["prod", "staging"]
    assert plan.summary["redeploy"] == 2 and plan.has_changes and not plan.has_errors


def test_plan_holds_no_secret_value() -> None:
    plan = plan_from_maps(
        [TARGET],
        {"staging": [desired("a"), desired("b", standard={"MERCHANT": "x"})]},
        {"staging": [live("b")]},
        {"staging": CATALOG},
    )
    assert "s3cr3t" not in repr(plan.to_dict())
    assert "${API_KEY}" in repr(plan.to_dict())


def test_changes_carry_source_and_digest() -> None:
    change = plan_one(desired(), live())
    assert change.source == "deployments/pay.yaml" and change.manifest_digest == "d" * 64


def test_connector_info_without_defaults_compares_plainly() -> None:
    bare = ConnectorInfo(id="c-1", key="adyen", version=7)
    change = plan_deployment(
        TARGET, desired(), live(standard={"MERCHANT": "Acme", "ADYEN_ENV": "TEST"}), bare
    )
    # without a default, the dropped key cannot be removed by a redeploy (test_planner_targets)
    assert change.action == "error"
    assert paths(change) == ["configurations.processor.standardConfiguration.ADYEN_ENV"]
