"""Issue 9: merge redeploys, the status timeline the official CLI survives, empty updates, preview rules,
job schedules, log rules and the connector routes the emulator does not serve."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.conftest import DEPLOY_TIME, PROJECT, Api, draft, in_process_api

PATH = f"/{PROJECT}/deployments/key=pay"


def _cli_style_redeploy(log_level: str) -> dict[str, Any]:
    """What `connect deployment redeploy --configuration processor.LOG_LEVEL=…` sends (facts §1.8)."""
    empty = {"standardConfiguration": [], "securedConfiguration": []}
    apps = [{"applicationName": name, **empty} for name in ("processor", "notifier", "sync")]
    apps[0]["standardConfiguration"] = [{"key": "LOG_LEVEL", "value": log_level}]
    return {"action": "redeploy", "configurationValues": apps, "globalConfiguration": dict(empty)}


def test_a_one_key_redeploy_keeps_every_other_value_by_default(api: Api) -> None:
    api.create()
    api.settle()
    response = api.post(PATH, json={"version": 1, "actions": [_cli_style_redeploy("debug")]})
    assert response.status_code == 201, response.text
    body = response.json()
    processor = body["applications"][0]
    assert processor["standardConfiguration"] == [
        {"key": "ADYEN_ENV", "value": "LIVE"},
        {"key": "LOG_LEVEL", "value": "debug"},
    ]
    assert processor["securedConfiguration"] == [{"key": "ADYEN_API_KEY", "value": "*" * 10}]
    assert body["globalConfiguration"]["standardConfiguration"] == [{"key": "REGION_NAME", "value": "eu"}]


def test_replace_mode_refuses_a_redeploy_that_would_empty_required_keys() -> None:
    with in_process_api(redeploy_mode="replace") as api:
        api.create()
        api.settle()
        response = api.post(PATH, json={"version": 1, "actions": [_cli_style_redeploy("debug")]})
        assert response.status_code == 400
        codes = sorted((e["code"], e["message"]) for e in response.json()["errors"])
        assert [c for c, _ in codes] == [
            "DeploymentEmptyRequiredApplicationConfigurationKey",
            "DeploymentEmptyRequiredGlobalConfigurationKey",
        ]
        assert "ADYEN_API_KEY" in codes[0][1] and "REGION_NAME" in codes[1][1]
        assert api.get(PATH).json()["version"] == 1  # nothing changed


@pytest.mark.parametrize("mode", ["merge", "replace"])
def test_a_required_key_sent_empty_is_refused_in_both_modes(mode: str) -> None:
    with in_process_api(redeploy_mode=mode) as api:
        api.create()
        api.settle()
        secured = {
            "applicationName": "processor",
            "securedConfiguration": [{"key": "ADYEN_API_KEY", "value": ""}],
        }
        glob = {"standardConfiguration": [{"key": "REGION_NAME", "value": ""}]}
        action = {"action": "redeploy", "configurationValues": [secured], "globalConfiguration": glob}
        response = api.post(PATH, json={"version": 1, "actions": [action]})
        codes = sorted(e["code"] for e in response.json()["errors"])
        assert response.status_code == 400 and codes == [
            "DeploymentEmptyRequiredApplicationConfigurationKey",
            "DeploymentEmptyRequiredGlobalConfigurationKey",
        ]


def test_create_refuses_a_required_application_key_sent_empty(api: Api) -> None:
    app = {"applicationName": "processor", "securedConfiguration": [{"key": "ADYEN_API_KEY", "value": ""}]}
    response = api.post(f"/{PROJECT}/deployments", json=draft(configurations=[app]))
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "DeploymentEmptyRequiredApplicationConfigurationKey"


def _follow_like_the_cli(api: Api, step: float) -> dict[str, Any]:
    """connectorstaged deploy: poll while Deploying, then read details.build.report (facts §1.8)."""
    body: dict[str, Any] = api.get(PATH).json()
    while body["status"] == "Deploying":
        api.clock.advance(step)
        body = api.get(PATH).json()
    return body


@pytest.mark.parametrize("first_poll", [0.0, 0.1, 0.3, 0.99, 1.0, 2.0])
def test_a_client_following_the_real_samples_never_meets_a_status_without_a_build(first_poll: float) -> None:
    with in_process_api() as api:
        created = api.create()
        assert created["status"] == "Deploying" and created["details"] == {}
        api.clock.advance(DEPLOY_TIME * first_poll)
        body = _follow_like_the_cli(api, DEPLOY_TIME / 7)
        assert body["status"] == "Deployed" and body["details"]["build"]["report"] == {"entries": []}
        redeployed = api.post(PATH, json={"version": 1, "actions": [{"action": "redeploy"}]}).json()
        assert redeployed["status"] == "Deploying" and redeployed["details"] == {}
        api.clock.advance(DEPLOY_TIME * first_poll)
        assert "report" in _follow_like_the_cli(api, DEPLOY_TIME / 7)["details"]["build"]


def test_queued_only_for_a_deployment_seeded_queued(api: Api) -> None:
    seed = {"deployments": [{"projectKey": PROJECT, "status": "Queued", "draft": draft()}]}
    assert api.client.post("/_emulator/seed", json=seed).status_code == 200
    assert api.get(PATH).json()["status"] == "Queued"
    api.clock.advance(DEPLOY_TIME * 0.5)
    body = api.get(PATH).json()
    assert body["status"] == "Deploying" and "report" in body["details"]["build"]
    api.settle()
    assert api.get(PATH).json()["status"] == "Deployed"


def test_an_update_with_no_actions_changes_nothing(api: Api) -> None:
    api.create()
    api.settle()
    before = api.get(PATH).json()
    response = api.post(PATH, json={"version": 1, "actions": []})
    assert response.status_code == 201 and response.json() == before
    assert api.get(PATH).json()["version"] == 1 and api.get(PATH).json()["status"] == "Deployed"
    assert api.post(PATH, json={"version": 9, "actions": []}).status_code == 409


def _staged(**fields: Any) -> dict[str, Any]:
    connector = {"key": "pv", "version": 1, "staged": True, "configurations": [{"applicationName": "app"}]}
    return {"connectors": [connector | fields]}


def _create_preview(api: Api) -> Any:
    body = {"key": "prev", "connector": {"key": "pv", "staged": True}, "region": "europe-west1.gcp"}
    return api.post(f"/{PROJECT}/deployments", json=body)


@pytest.mark.parametrize("previewable", ["false", "pending", "none"])
def test_a_staged_connector_that_is_not_previewable_is_refused(api: Api, previewable: str) -> None:
    assert api.client.post("/_emulator/seed", json=_staged(isPreviewable=previewable)).status_code == 200
    response = _create_preview(api)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "ConnectorStagedNotPreviewable"


def test_private_projects_are_enforced_once_listed(api: Api) -> None:
    assert api.client.post(
        "/_emulator/seed", json=_staged(privateProjects=["europe-west1.gcp:other"])
    ).is_success
    refused = _create_preview(api)
    assert (
        refused.status_code == 400 and refused.json()["errors"][0]["code"] == "ConnectorStagedNotPreviewable"
    )
    assert "europe-west1.gcp:acme" in refused.json()["message"]
    listed = _staged(version=2, privateProjects=["europe-west1.gcp:other", f"europe-west1.gcp:{PROJECT}"])
    assert api.client.post("/_emulator/seed", json=listed).is_success
    assert _create_preview(api).status_code == 201


def test_job_applications_carry_the_connector_schedule_unless_overridden(api: Api) -> None:
    seed = api.app.seed_data["connectors"][0] | {"version": 8}
    seed["configurations"] = [dict(a) for a in seed["configurations"]]
    seed["configurations"][2]["schedule"] = "0 3 * * *"
    assert api.client.post("/_emulator/seed", json={"connectors": [seed]}).is_success
    body = api.create(connector={"key": "adyen-connector", "version": 8})
    assert body["applications"][2]["schedule"] == "0 3 * * *"
    assert (
        "schedule" not in body["connector"]["configurations"][2]
    )  # not a ConnectorConfigurationApplication field
    assert "schedule" not in api.get("/connectors/key=adyen-connector").json()["configurations"][2]
    other = api.create("pay2", connector={"key": "adyen-connector", "version": 8},
                       configurations=[{"applicationName": "sync", "schedule": "@hourly"}])  # fmt: skip
    assert other["applications"][2]["schedule"] == "@hourly"


def test_logs_of_an_aws_deployment_need_an_application_name(api: Api) -> None:
    api.create(connector={"key": "broken-connector"}, configurations=[], globalConfiguration={},
               region="us-east-2.aws")  # fmt: skip
    missing = api.get(f"{PATH}/logs")
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["code"] == "DeploymentLogMissingApplicationName"
    assert api.get(f"{PATH}/logs", params={"applicationName": "app"}).status_code == 200


def test_logs_start_date_reaches_at_most_30_days_back(api: Api) -> None:
    api.create()
    now = api.get(f"{PATH}/logs").json()["data"][0]["timestamp"]
    from datetime import datetime, timedelta

    moment = datetime.fromisoformat(now.replace("Z", "+00:00"))
    too_old = (moment - timedelta(days=31)).isoformat()
    fine = (moment - timedelta(days=29)).isoformat()
    refused = api.get(f"{PATH}/logs", params={"startDate": too_old})
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "DeploymentLogInvalidDate"
    assert api.get(f"{PATH}/logs", params={"startDate": fine}).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/connectors/drafts"), ("POST", "/connectors/drafts"), ("GET", "/connectors/search"),
     ("DELETE", "/connectors/drafts/key=preview-connector")],
)  # fmt: skip
def test_connector_collection_routes_are_answered_as_not_served(api: Api, method: str, path: str) -> None:
    response = api.request(method, path)
    assert response.status_code == 501
    error = response.json()["errors"][0]
    assert error["code"] == "NotImplemented" and "does not serve" in error["message"]
    assert "does not exist" not in response.text


def test_update_connector_to_a_new_required_global_key_needs_its_value(api: Api) -> None:
    api.create()
    api.settle()
    newer = dict(api.app.seed_data["connectors"][0], version=8)
    required = [{"key": "REGION_NAME", "description": "r", "required": True},
                {"key": "TENANT", "description": "t", "required": True}]  # fmt: skip
    newer["globalConfiguration"] = {"standardConfiguration": required}
    assert api.client.post("/_emulator/seed", json={"connectors": [newer]}).is_success
    action: dict[str, Any] = {"action": "redeploy", "updateConnector": True}
    missing = api.post(PATH, json={"version": 1, "actions": [action]})
    assert missing.status_code == 400
    assert [e["code"] for e in missing.json()["errors"]] == ["DeploymentMissingGlobalConfigurationKey"]
    action["globalConfiguration"] = {"standardConfiguration": [{"key": "TENANT", "value": "t1"}]}
    body = api.post(PATH, json={"version": 1, "actions": [action]}).json()
    assert body["connector"]["version"] == 8
    assert body["globalConfiguration"]["standardConfiguration"] == [
        {"key": "REGION_NAME", "value": "eu"},
        {"key": "TENANT", "value": "t1"},
    ]


def test_a_request_body_nested_too_deeply_is_invalid_json(api: Api) -> None:
    response = api.post(f"/{PROJECT}/deployments", content=b"[" * 100_000 + b"]" * 100_000)
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "InvalidJsonInput"
    seeded = api.client.post("/_emulator/seed", content=b'{"connectors": ' + b"[" * 100_000)
    assert seeded.status_code == 400
