"""Deployment routes: create, get, update (redeploy), delete by id and by key, and the representation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.conftest import PROJECT, Api, draft, in_process_api


def test_create_answers_201_deploying_with_empty_details_like_the_real_sample(any_api: Api) -> None:
    body = any_api.create()
    assert body["key"] == "pay" and body["version"] == 1 and body["status"] == "Deploying"
    assert body["type"] == "sandbox" and body["preview"] is False and body["details"] == {}
    assert body["deployedRegion"] == "europe-west1.gcp"
    assert [a["applicationName"] for a in body["applications"]] == ["processor", "notifier", "sync"]


def test_connector_snapshot_omits_the_key_like_real_responses(any_api: Api) -> None:
    connector = any_api.create()["connector"]
    assert "key" not in connector
    assert connector["version"] == 7 and connector["integrationTypes"] == ["psp"]
    assert "failOnConfiguration" not in connector and "staged" not in connector
    seeded = any_api.get("/connectors/key=adyen-connector").json()
    assert connector["id"] == seeded["id"]


def test_secured_values_are_masked_length_preserving_in_every_response(any_api: Api) -> None:
    created = any_api.create(
        globalConfiguration={
            "standardConfiguration": [{"key": "REGION_NAME", "value": "eu"}],
            "securedConfiguration": [{"key": "CTP_CLIENT_SECRET", "value": "s3cr3t"}],
        }
    )
    fetched = any_api.get(f"/{PROJECT}/deployments/key=pay").json()
    for body in (created, fetched):
        processor = body["applications"][0]
        assert processor["securedConfiguration"] == [{"key": "ADYEN_API_KEY", "value": "*" * 10}]
        assert processor["standardConfiguration"] == [{"key": "ADYEN_ENV", "value": "LIVE"}]
        assert body["globalConfiguration"]["securedConfiguration"] == [
            {"key": "CTP_CLIENT_SECRET", "value": "******"}
        ]
        assert "abcdefghij" not in str(body) and "s3cr3t" not in str(body)


def test_no_response_of_any_route_shows_a_secured_value(any_api: Api) -> None:
    secret, path, create = (
        "canary-secured-0xfeed",
        f"/{PROJECT}/deployments/key=pay",
        f"/{PROJECT}/deployments",
    )
    app = {
        "applicationName": "processor",
        "securedConfiguration": [{"key": "ADYEN_API_KEY", "value": secret}],
    }
    wrong = {**app, "securedConfiguration": [{"key": "NOPE", "value": secret}]}
    answers = [any_api.post(create, json=draft(configurations=[app]))]
    answers.append(any_api.post(create, json=draft(configurations=[app])))  # the key is taken
    answers.append(any_api.post(create, json=draft("other", configurations=[wrong])))  # unknown key
    any_api.settle()
    redeploy = {"action": "redeploy", "configurationValues": [app], "globalConfiguration": {
        "securedConfiguration": [{"key": "CTP_CLIENT_SECRET", "value": secret}]}}  # fmt: skip
    answers.append(any_api.post(path, json={"version": 1, "actions": [redeploy]}))
    answers.append(any_api.post(path, json={"version": 1, "actions": [redeploy]}))  # stale version
    answers += [any_api.get(path), any_api.get(create), any_api.get(f"{path}/logs")]
    answers += [any_api.delete(path), any_api.get(path)]
    assert [a.status_code for a in answers] == [201, 400, 400, 201, 409, 200, 200, 200, 202, 200]
    assert all(secret not in answer.text for answer in answers)
    assert answers[3].text.count("*" * len(secret)) == 2  # the application's and the global secured value


def test_only_values_sent_are_stored_no_defaults_filled(api: Api) -> None:
    body = api.create(configurations=[])
    assert body["applications"][0]["standardConfiguration"] == []
    assert body["applications"][0]["securedConfiguration"] == []


def test_application_kinds_get_url_topic_and_schedule(api: Api) -> None:
    body = api.create(configurations=[{"applicationName": "sync", "schedule": "0 * * * *"}])
    apps = {a["applicationName"]: a for a in body["applications"]}
    assert apps["processor"]["url"].startswith("https://")
    assert "topic" in apps["notifier"] and "url" not in apps["notifier"]
    assert apps["sync"]["schedule"] == "0 * * * *"


@pytest.mark.parametrize("by", ["id", "key"])
def test_get_update_and_delete_by_id_and_by_key(any_api: Api, by: str) -> None:
    created = any_api.create()
    path = f"/{PROJECT}/deployments/" + (created["id"] if by == "id" else "key=pay")
    assert any_api.get(path).json()["id"] == created["id"]
    any_api.settle()
    redeploy = {"version": 1, "actions": [{"action": "redeploy"}]}
    updated = any_api.post(path, json=redeploy)
    assert (
        updated.status_code == 201
        and updated.json()["version"] == 2
        and updated.json()["status"] == "Deploying"
    )
    assert updated.json()["details"] == {}
    any_api.settle()
    deleted = any_api.delete(path)
    assert deleted.status_code == 202 and deleted.json()["status"] == "Undeploying"
    assert deleted.json()["version"] == 2


@pytest.mark.parametrize(
    "path", ["/acme/deployments/nope", "/acme/deployments/key=nope", "/other/deployments/key=pay"]
)
def test_unknown_deployment_is_404_resource_not_found(api: Api, path: str) -> None:
    api.create()
    response = api.get(path)
    assert response.status_code == 404
    body = response.json()
    assert body["statusCode"] == 404 and body["errors"][0]["code"] == "ResourceNotFound"
    assert (
        "does not exist" in body["message"] and path.rsplit("/", 1)[1].removeprefix("key=") in body["message"]
    )


def test_stale_version_is_409_with_expected_and_current(api: Api) -> None:
    api.create()
    api.settle()
    response = api.post(
        f"/{PROJECT}/deployments/key=pay", json={"version": 5, "actions": [{"action": "redeploy"}]}
    )
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert error["code"] == "ConcurrentModification"
    assert (error["expectedVersion"], error["currentVersion"]) == (5, 1)


def _redeploy_processor_log_level_debug(api: Api) -> dict[str, Any]:
    """Redeploy version 1 of ``pay`` sending only processor's LOG_LEVEL=debug; the answered Deployment."""
    action = {
        "action": "redeploy",
        "configurationValues": [
            {
                "applicationName": "processor",
                "standardConfiguration": [{"key": "LOG_LEVEL", "value": "debug"}],
            }
        ],
    }
    response = api.post(f"/{PROJECT}/deployments/key=pay", json={"version": 1, "actions": [action]})
    assert response.status_code == 201, response.text  # the RAML's answer to an update
    return dict(response.json())


def test_redeploy_replace_mode_replaces_sent_lists_and_keeps_the_rest() -> None:
    with in_process_api(redeploy_mode="replace") as api:
        _replace_processor_values(api)


def _replace_processor_values(api: Api) -> None:
    api.create(
        configurations=[
            {
                "applicationName": "processor",
                "standardConfiguration": [
                    {"key": "ADYEN_ENV", "value": "LIVE"},
                    {"key": "LOG_LEVEL", "value": "info"},
                ],
            },
            {"applicationName": "sync", "standardConfiguration": [], "schedule": "@daily"},
        ]
    )
    api.settle()
    body = _redeploy_processor_log_level_debug(api)
    apps = {a["applicationName"]: a for a in body["applications"]}
    assert apps["processor"]["standardConfiguration"] == [{"key": "LOG_LEVEL", "value": "debug"}]
    assert apps["sync"]["schedule"] == "@daily"


def test_redeploy_merges_per_key_by_default(api: Api) -> None:
    api.create()
    api.settle()
    body = _redeploy_processor_log_level_debug(api)
    assert body["applications"][0]["standardConfiguration"] == [
        {"key": "ADYEN_ENV", "value": "LIVE"},
        {"key": "LOG_LEVEL", "value": "debug"},
    ]
    assert body["applications"][0]["securedConfiguration"] == [{"key": "ADYEN_API_KEY", "value": "*" * 10}]


def test_redeploy_merge_mode_merges_per_key() -> None:
    with in_process_api(redeploy_mode="merge") as api:
        api.create()
        api.settle()
        body = _redeploy_processor_log_level_debug(api)
    assert body["applications"][0]["standardConfiguration"] == [
        {"key": "ADYEN_ENV", "value": "LIVE"},
        {"key": "LOG_LEVEL", "value": "debug"},
    ]


def test_redeploy_global_configuration_and_update_connector(api: Api) -> None:
    api.create()
    api.settle()
    newer = dict(api.app.seed_data["connectors"][0], version=8)
    newer["configurations"] = [
        *newer["configurations"],
        {"applicationName": "extra", "applicationType": "job"},
    ]
    assert api.client.post("/_emulator/seed", json={"connectors": [newer]}).status_code == 200
    assert api.get(f"/{PROJECT}/deployments/key=pay").json()["connector"]["version"] == 7
    action = {
        "action": "redeploy",
        "updateConnector": True,
        "globalConfiguration": {"standardConfiguration": [{"key": "REGION_NAME", "value": "us"}]},
    }
    body = api.post(f"/{PROJECT}/deployments/key=pay", json={"version": 1, "actions": [action]}).json()
    assert body["connector"]["version"] == 8
    assert [a["applicationName"] for a in body["applications"]][-1] == "extra"
    assert body["globalConfiguration"]["standardConfiguration"] == [{"key": "REGION_NAME", "value": "us"}]
    assert body["applications"][0]["standardConfiguration"] == [{"key": "ADYEN_ENV", "value": "LIVE"}]


def test_staged_connector_defaults_to_preview(api: Api) -> None:
    body = api.create(
        connector={"key": "preview-connector", "staged": True}, configurations=[], globalConfiguration={}
    )
    assert body["type"] == "preview" and body["preview"] is True and body["connector"]["version"] == 3


def test_connector_routes_published_and_drafts(api: Api) -> None:
    published = api.get("/connectors/key=adyen-connector").json()
    assert (
        published["key"] == "adyen-connector"
        and published["version"] == 7
        and "failOnConfiguration" not in published
    )
    assert api.get(f"/connectors/{published['id']}").json()["id"] == published["id"]
    staged = api.get("/connectors/drafts/key=preview-connector").json()
    assert staged["isPreviewable"] == "true" and "privateProjects" in staged
    assert api.get(f"/connectors/drafts/{staged['id']}").json()["key"] == "preview-connector"
    assert api.get("/connectors/key=preview-connector").status_code == 404
    assert api.get("/connectors/drafts/key=adyen-connector").json()["errors"][0]["code"] == "ResourceNotFound"


def test_unknown_route_and_method(api: Api) -> None:
    assert api.get("/acme/nothing").status_code == 404
    response = api.request("PUT", f"/{PROJECT}/deployments")
    assert response.status_code == 405 and response.json()["errors"][0]["code"] == "MethodNotAllowed"
