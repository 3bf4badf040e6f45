"""The lifecycle on a ManualClock: Deploying (accepted, then building) → Deployed | Failed; delete →
Undeploying → gone; Queued only for a deployment seeded Queued."""

from __future__ import annotations

import pytest

from tests.emulator.conftest import DEPLOY_TIME, PROJECT, Api, draft, in_process_api

PATH = f"/{PROJECT}/deployments/key=pay"
REDEPLOY = {"version": 1, "actions": [{"action": "redeploy"}]}


def _status(api: Api) -> str:
    return str(api.get(PATH).json()["status"])


def test_create_moves_deploying_then_building_then_deployed(api: Api) -> None:
    api.create()
    body = api.get(PATH).json()
    assert body["status"] == "Deploying" and body["details"] == {}
    api.clock.advance(DEPLOY_TIME * 0.3)
    body = api.get(PATH).json()
    assert body["status"] == "Deploying" and body["details"]["build"]["report"]["entries"] == []
    api.clock.advance(DEPLOY_TIME * 0.7)
    body = api.get(PATH).json()
    assert body["status"] == "Deployed" and body["version"] == 1


def test_fail_deploy_connector_ends_failed_with_an_error_entry(api: Api) -> None:
    api.create(connector={"key": "broken-connector"}, configurations=[], globalConfiguration={})
    api.settle()
    body = api.get(PATH).json()
    assert body["status"] == "Failed"
    (entry,) = body["details"]["build"]["report"]["entries"]
    assert entry["type"] == "Error" and entry["application"] == "app"
    assert entry["title"] and entry["message"] and entry["createdAt"].endswith("Z")


def test_fail_on_configuration_value(api: Api) -> None:
    api.create(
        configurations=[
            {
                "applicationName": "processor",
                "standardConfiguration": [{"key": "ADYEN_ENV", "value": "CRASH"}],
            }
        ]
    )
    api.settle()
    body = api.get(PATH).json()
    assert body["status"] == "Failed"
    assert "ADYEN_ENV=CRASH" in body["details"]["build"]["report"]["entries"][0]["message"]
    action = {
        "action": "redeploy",
        "configurationValues": [
            {"applicationName": "processor", "standardConfiguration": [{"key": "ADYEN_ENV", "value": "LIVE"}]}
        ],
    }
    assert api.post(PATH, json={"version": 1, "actions": [action]}).status_code == 201
    api.settle()
    assert _status(api) == "Deployed"


@pytest.mark.parametrize(
    ("advance", "status", "message"),
    [(0.0, "Deploying", "Already deploying"), (DEPLOY_TIME * 0.5, "Deploying", "Already deploying")],
)
def test_redeploy_while_busy_is_an_invalid_transition(
    api: Api, advance: float, status: str, message: str
) -> None:
    api.create()
    api.clock.advance(advance)
    response = api.post(PATH, json=REDEPLOY)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "DeploymentInvalidStatusTransition" and message in error["message"]


def test_redeploy_while_undeploying_is_an_invalid_transition(api: Api) -> None:
    api.create()
    api.settle()
    api.delete(PATH)
    assert "Already undeploying" in api.post(PATH, json=REDEPLOY).json()["message"]


def test_each_accepted_update_bumps_the_version_status_changes_do_not(api: Api) -> None:
    api.create()
    for version in (1, 2, 3):
        api.settle()
        assert api.get(PATH).json()["version"] == version
        body = api.post(
            PATH, json={"version": version, "actions": [{"action": "redeploy", "skipScripts": True}]}
        )
        assert body.json()["version"] == version + 1


def test_delete_undeploys_then_is_gone(api: Api) -> None:
    api.create()
    api.settle()
    assert api.delete(PATH).json()["status"] == "Undeploying"
    api.clock.advance(DEPLOY_TIME * 0.4)
    assert _status(api) == "Undeploying"
    api.clock.advance(DEPLOY_TIME * 0.2)
    assert api.get(PATH).status_code == 404
    assert api.get(f"/{PROJECT}/deployments").json()["total"] == 0
    assert api.post(f"/{PROJECT}/deployments", json=draft()).status_code == 201  # the key is free again


def test_fail_undeploy_connector_ends_undeploy_failed(api: Api) -> None:
    api.create(connector={"key": "broken-connector"}, configurations=[], globalConfiguration={})
    api.settle()
    api.delete(PATH)
    api.settle()
    body = api.get(PATH).json()
    assert body["status"] == "UndeployFailed"
    assert body["details"]["build"]["report"]["entries"][-1]["type"] == "Error"


def test_delete_while_busy_allowed_by_default(api: Api) -> None:
    api.create()
    assert api.delete(PATH).status_code == 202


def test_delete_while_busy_rejected_when_switched() -> None:
    with in_process_api(delete_while_busy="reject") as api:
        api.create()
        response = api.delete(PATH)
        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "DeploymentInvalidStatusTransition"
        api.settle()
        assert api.delete(PATH).status_code == 202
        assert api.delete(PATH).json()["errors"][0]["message"].startswith("Already undeploying")


def test_seeded_deployments_and_statuses(api: Api) -> None:
    seed = {
        "deployments": [
            {"projectKey": PROJECT, "status": "Failed", "id": "fixed-id", "version": 4, "draft": draft("aa")},
            {"projectKey": PROJECT, "status": "Deploying", "draft": draft("bb")},
        ]
    }
    assert api.client.post("/_emulator/seed", json=seed).status_code == 200
    failed = api.get(f"/{PROJECT}/deployments/fixed-id").json()
    assert (failed["key"], failed["version"], failed["status"]) == ("aa", 4, "Failed")
    assert failed["details"]["build"]["report"]["entries"][0]["type"] == "Error"
    assert api.get(f"/{PROJECT}/deployments/key=bb").json()["status"] == "Deploying"
    api.settle()
    assert api.get(f"/{PROJECT}/deployments/key=bb").json()["status"] == "Deployed"


def test_logs_route_shape(api: Api) -> None:
    created = api.create()
    for path in (f"{PATH}/logs", f"/{PROJECT}/deployments/{created['id']}/logs"):
        body = api.get(path).json()
        assert set(body) == {"data", "next"}
        entry = body["data"][0]
        assert entry["deploymentId"] == created["id"] and entry["type"] == "APPLICATION_TEXT"
        assert {"applicationName", "severity", "timestamp", "details"} <= set(entry)
    only = api.get(f"{PATH}/logs", params={"applicationName": "sync"}).json()["data"]
    assert {e["applicationName"] for e in only} == {"sync"}
    assert api.get(f"{PATH}/logs", params={"applicationName": "x"}).json()["errors"][0]["code"] == (
        "DeploymentApplicationDoesNotExist"
    )
    assert api.get(f"{PATH}/logs", params={"pageToken": "zz"}).status_code == 400
    assert api.get(f"{PATH}/logs", params={"startDate": "yesterday"}).json()["errors"][0]["code"] == (
        "DeploymentLogInvalidDate"
    )
