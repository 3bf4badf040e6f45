"""DeploymentRevisions (docs 2026-10-23): listed most recent first, successful deploys only; rollback."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.conftest import PROJECT, Api, draft, in_process_api

PATH = f"/{PROJECT}/deployments/key=pay"


def _redeploy(api: Api, version: int, adyen_env: str) -> None:
    app = {
        "applicationName": "processor",
        "standardConfiguration": [{"key": "ADYEN_ENV", "value": adyen_env}],
    }
    action = {"action": "redeploy", "configurationValues": [app]}
    assert api.post(PATH, json={"version": version, "actions": [action]}).status_code == 201
    api.settle()


def _history(api: Api) -> Api:
    """Version 1 LIVE (ok), 2 CRASH (Failed, no revision), 3 TEST (ok)."""
    api.create()
    api.settle()
    _redeploy(api, 1, "CRASH")
    _redeploy(api, 2, "TEST")
    return api


def _env(body: dict[str, Any]) -> str:
    return str(body["applications"][0]["standardConfiguration"][0]["value"])


@pytest.mark.parametrize("by", ["id", "key"])
def test_revisions_are_successful_deploys_most_recent_first(api: Api, by: str) -> None:
    _history(api)
    ref = api.get(PATH).json()["id"] if by == "id" else "key=pay"
    page = api.get(f"/{PROJECT}/deployments/{ref}/revisions").json()
    assert (page["total"], page["count"], page["offset"], page["limit"]) == (2, 2, 0, 20)
    assert [(r["revision"], r["deploymentVersion"], _env(r)) for r in page["results"]] == [
        (2, 3, "TEST"),
        (1, 1, "LIVE"),
    ]
    first = api.get(f"/{PROJECT}/deployments/{ref}/revisions/1").json()
    assert first["connector"]["version"] == 7 and first["createdAt"].endswith("Z")
    assert first["applications"][0]["securedConfiguration"] == [{"key": "ADYEN_API_KEY", "value": "*" * 10}]
    assert api.get(f"/{PROJECT}/deployments/{ref}/revisions", params={"limit": 1}).json()["count"] == 1


def test_a_deploy_in_progress_is_no_revision_yet(api: Api) -> None:
    api.create()
    assert api.get(f"{PATH}/revisions").json()["total"] == 0
    api.settle()
    assert api.get(f"{PATH}/revisions").json()["total"] == 1


def test_unknown_and_malformed_revisions(api: Api) -> None:
    _history(api)
    missing = api.get(f"{PATH}/revisions/9")
    assert missing.status_code == 404 and missing.json()["errors"][0]["code"] == "ResourceNotFound"
    assert api.get(f"{PATH}/revisions/x").json()["errors"][0]["code"] == "InvalidPathParam"


def test_rollback_deploys_the_revision_as_a_new_version(api: Api) -> None:
    _history(api)
    response = api.post(f"{PATH}/revisions/1", json={"version": 3})
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["version"], body["status"], body["rollbackRevision"], _env(body)) == (
        4,
        "Deploying",
        1,
        "LIVE",
    )
    api.settle()
    assert [r["deploymentVersion"] for r in api.get(f"{PATH}/revisions").json()["results"]] == [4, 3, 1]
    _redeploy(api, 4, "TEST")
    assert "rollbackRevision" not in api.get(PATH).json()


def test_rollback_checks_the_version_and_refuses_while_busy(api: Api) -> None:
    _history(api)
    assert api.post(f"{PATH}/revisions/1", json={"version": 1}).status_code == 409
    assert api.post(f"{PATH}/revisions/1", json={}).json()["errors"][0]["code"] == "InvalidJsonInput"
    assert api.post(f"{PATH}/revisions/1", json={"version": 3}).status_code == 201
    busy = api.post(f"{PATH}/revisions/2", json={"version": 4})
    assert busy.status_code == 400 and busy.json()["errors"][0]["code"] == "DeploymentRollbackNotAllowed"


def test_the_rollback_route_is_a_switch() -> None:
    with in_process_api(rollback_route="rollback") as api:
        _history(api)
        assert api.post(f"{PATH}/revisions/1", json={"version": 3}).status_code == 501
        assert api.post(f"{PATH}/revisions/1/rollback", json={"version": 3}).status_code == 201
    with in_process_api() as api:
        _history(api)
        assert api.post(f"{PATH}/revisions/1/rollback", json={"version": 3}).status_code == 501


def test_a_seeded_deployed_deployment_has_one_revision(api: Api) -> None:
    seed = {"deployments": [{"projectKey": PROJECT, "status": "Deployed", "version": 5, "draft": draft()}]}
    assert api.client.post("/_emulator/seed", json=seed).status_code == 200
    (revision,) = api.get(f"{PATH}/revisions").json()["results"]
    assert (revision["revision"], revision["deploymentVersion"]) == (1, 5)


def test_rollback_by_id(api: Api) -> None:
    _history(api)
    deployment_id = api.get(PATH).json()["id"]
    response = api.post(f"/{PROJECT}/deployments/{deployment_id}/revisions/2", json={"version": 3})
    assert response.status_code == 201 and response.json()["rollbackRevision"] == 2
