"""Every documented validation error: code, status and a message that says what is wrong."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.conftest import PROJECT, Api, draft, in_process_api, make_app

PROCESSOR = "processor"


def _app(
    standard: list[dict[str, str]] | None = None,
    secured: list[dict[str, str]] | None = None,
    name: str = PROCESSOR,
) -> dict[str, Any]:
    return {
        "applicationName": name,
        "standardConfiguration": standard or [],
        "securedConfiguration": secured or [],
    }


CREATE_CASES = {
    "unknown connector": ({"connector": {"key": "nope"}}, "ConnectorReferenceNotFound", "Connector 'nope'"),
    "old version": (
        {"connector": {"key": "adyen-connector", "version": 6}},
        "ConnectorReferenceNotFound",
        "Connector 'adyen-connector' with version 6 not found",
    ),
    "staged not preview": (
        {
            "connector": {"key": "preview-connector", "staged": True},
            "type": "sandbox",
            "configurations": [],
            "globalConfiguration": {},
        },
        "DeploymentInvalidType",
        "sandbox",
    ),
    "published preview": ({"type": "preview"}, "DeploymentInvalidType", "preview"),
    "region of connector": ({"region": "us-central1.gcp"}, "DeploymentUnsupportedRegion", "us-central1.gcp"),
    "not a region": ({"region": "mars-1"}, "DeploymentUnsupportedRegion", "mars-1"),
    "unknown app": (
        {"configurations": [_app(name="ghost")]},
        "DeploymentUnknownApplicationConfiguration",
        "ghost",
    ),
    "unknown standard key": (
        {"configurations": [_app([{"key": "NOPE", "value": "x"}])]},
        "DeploymentUnknownApplicationConfigurationKey",
        "standard configuration key 'NOPE'",
    ),
    "standard key sent secured": (
        {"configurations": [_app(secured=[{"key": "ADYEN_ENV", "value": "x"}])]},
        "DeploymentUnknownApplicationConfigurationKey",
        "secret configuration key 'ADYEN_ENV'",
    ),
    "unknown global": (
        {
            "globalConfiguration": {
                "standardConfiguration": [
                    {"key": "REGION_NAME", "value": "eu"},
                    {"key": "GHOST", "value": "x"},
                ]
            }
        },
        "DeploymentUnknownGlobalConfigurationKey",
        "GHOST",
    ),
    "missing global": ({"globalConfiguration": {}}, "DeploymentMissingGlobalConfigurationKey", "REGION_NAME"),
    "empty global": (
        {"globalConfiguration": {"standardConfiguration": [{"key": "REGION_NAME", "value": ""}]}},
        "DeploymentEmptyRequiredGlobalConfigurationKey",
        "REGION_NAME",
    ),
    "bad key": ({"key": "no spaces"}, "InvalidJsonInput", "Request body does not contain valid JSON."),
    # the API's pattern has no Python $ (which also ends before a final newline)
    "key with a final newline": ({"key": "payments\n"}, "InvalidJsonInput", "Request body"),
    "non-string value": (
        {"configurations": [_app([{"key": "ADYEN_ENV", "value": 8080}])]},  # type: ignore[dict-item]
        "InvalidJsonInput",
        "Request body",
    ),
    "no region": ({"region": None}, "InvalidJsonInput", "Request body"),
    "bad type": ({"type": "staging"}, "InvalidJsonInput", "Request body"),
}


@pytest.mark.parametrize(("overrides", "code", "text"), CREATE_CASES.values(), ids=CREATE_CASES.keys())
def test_create_errors(api: Api, overrides: dict[str, Any], code: str, text: str) -> None:
    response = api.post(f"/{PROJECT}/deployments", json=draft(**overrides))
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["statusCode"] == 400 and body["errors"][0]["code"] == code
    assert text in body["message"] and body["message"] == body["errors"][0]["message"]
    assert api.get(f"/{PROJECT}/deployments").json()["total"] == 0


def test_invalid_json_has_a_detailed_message(api: Api) -> None:
    response = api.post(
        f"/{PROJECT}/deployments", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    error = response.json()["errors"][0]
    assert (
        response.status_code == 400
        and error["code"] == "InvalidJsonInput"
        and "detailedErrorMessage" in error
    )


def test_several_configuration_errors_in_one_answer(api: Api) -> None:
    body = draft(configurations=[_app([{"key": "A1", "value": "x"}, {"key": "B2", "value": "y"}])])
    errors = api.post(f"/{PROJECT}/deployments", json=body).json()["errors"]
    assert [e["code"] for e in errors] == ["DeploymentUnknownApplicationConfigurationKey"] * 2


def test_taken_key_is_duplicate_field(api: Api) -> None:
    api.create()
    response = api.post(f"/{PROJECT}/deployments", json=draft())
    error = response.json()["errors"][0]
    assert response.status_code == 400
    assert error["code"] == "DuplicateField" and error["field"] == "key" and error["duplicateValue"] == "pay"


def test_taken_key_is_a_409_when_switched() -> None:
    with in_process_api(duplicate_key="conflict") as api:
        api.create()
        response = api.post(f"/{PROJECT}/deployments", json=draft())
    body = response.json()
    assert response.status_code == 409 and body["statusCode"] == 409
    assert body["errors"] == [
        {"code": "DuplicateField", "message": "A deployment with key 'pay' already exists.", "field": "key",
         "duplicateValue": "pay"}
    ]  # fmt: skip


@pytest.mark.parametrize(
    "setting",
    [{"redeploy_mode": "append"}, {"delete_while_busy": "never"}, {"duplicate_key": "DuplicateField"}],
)
def test_an_unknown_behaviour_switch_is_refused(setting: dict[str, str]) -> None:
    name, value = next(iter(setting.items()))
    with pytest.raises(ValueError, match=f"{name}={value!r}"):
        make_app(**setting)


def test_the_same_key_in_another_project_is_fine(api: Api) -> None:
    api.create()
    assert api.post("/other/deployments", json=draft()).status_code == 201


def test_production_deactivated_project(api: Api) -> None:
    response = api.post("/no-prod/deployments", json=draft(type="production"))
    assert response.json()["errors"][0]["code"] == "DeploymentProductionDeactivated"
    assert api.post(f"/{PROJECT}/deployments", json=draft(type="production")).json()["type"] == "production"


REDEPLOY_CASES = {
    "empty configurationValues": ({"configurationValues": []}, "DeploymentApplicationRequired"),
    "app not in deployment": (
        {"configurationValues": [_app(name="ghost")]},
        "DeploymentApplicationDoNotBelong",
    ),
    "unknown key": (
        {"configurationValues": [_app(secured=[{"key": "NOPE", "value": "x"}])]},
        "DeploymentUnknownApplicationConfigurationKey",
    ),
    "unknown global": (
        {"globalConfiguration": {"securedConfiguration": [{"key": "NOPE", "value": "x"}]}},
        "DeploymentUnknownGlobalConfigurationKey",
    ),
    "empty global": (
        {"globalConfiguration": {"standardConfiguration": [{"key": "REGION_NAME", "value": ""}]}},
        "DeploymentEmptyRequiredGlobalConfigurationKey",
    ),
    "unknown action field type": ({"skipScripts": "yes"}, "InvalidJsonInput"),
}


@pytest.mark.parametrize(("action", "code"), REDEPLOY_CASES.values(), ids=REDEPLOY_CASES.keys())
def test_redeploy_errors(api: Api, action: dict[str, Any], code: str) -> None:
    api.create()
    api.settle()
    body = {"version": 1, "actions": [{"action": "redeploy", **action}]}
    response = api.post(f"/{PROJECT}/deployments/key=pay", json=body)
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == code
    assert api.get(f"/{PROJECT}/deployments/key=pay").json()["version"] == 1


@pytest.mark.parametrize("body", [{"actions": []}, {"version": 1, "actions": [{"action": "setKey"}]}, []])
def test_malformed_update_bodies(api: Api, body: Any) -> None:
    api.create()
    response = api.post(f"/{PROJECT}/deployments/key=pay", json=body)
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "InvalidJsonInput"
