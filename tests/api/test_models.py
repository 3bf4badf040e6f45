"""The models read every example of the API reference, tolerate what real responses do, and send strictly."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from gitsync.api import models as m

# A verbatim copy of the shared Deployments API reference, so the suite runs anywhere.
REFERENCE = Path(__file__).parent / "data" / "connect-deployments-api.txt"

# Section heading in the reference → the model its "Example: json" block shows.
SECTION_MODELS: dict[str, type[BaseModel]] = {
    "DeploymentDraft": m.DeploymentDraft,
    "DeploymentConnector": m.DeploymentConnector,
    "DeploymentCreator": m.DeploymentCreator,
    "DeploymentDetailsBuild": m.DeploymentDetailsBuild,
    "ApplicationDeployment": m.ApplicationDeployment,
    "ConfigurationValue": m.ConfigurationValue,
    "Redeploy": m.DeploymentRedeployAction,
}
RESPONSE_MODELS: dict[str, type[BaseModel]] = {
    "Deployment": m.Deployment,
    "DeploymentPagedQueryResponse": m.DeploymentPagedQueryResponse,
}
SENT = (m.DeploymentDraft, m.DeploymentUpdate, m.DeploymentRedeployAction, m.ConfigurationValue)


def _json_after(text: str, position: int) -> Any:
    start = text.index("{", position)
    value, _ = json.JSONDecoder().raw_decode(text, start)
    return value


def _section(lines_before: list[str]) -> str:
    for line in reversed(lines_before):
        if line.strip() in SECTION_MODELS:
            return line.strip()
    raise AssertionError("example outside a known section")


def reference_examples() -> list[tuple[str, type[BaseModel], Any]]:
    """Every JSON example of the reference, with the model it shows (found by reading the text)."""
    text = REFERENCE.read_text()
    examples: list[tuple[str, type[BaseModel], Any]] = []
    for match in re.finditer(r"^Example: json$", text, re.MULTILINE):
        name = _section(text[: match.start()].splitlines())
        examples.append((f"{name}@{match.start()}", SECTION_MODELS[name], _json_after(text, match.end())))
    for match in re.finditer(r"^\d{3} Response Example: (\w+)json$", text, re.MULTILINE):
        model = RESPONSE_MODELS[match.group(1)]
        examples.append((f"{match.group(1)}@{match.start()}", model, _json_after(text, match.end())))
    for match in re.finditer(r"--data-binary @- << DATA\n(.*?)\nDATA", text, re.DOTALL):
        body = json.loads(match.group(1))
        model = m.DeploymentUpdate if "actions" in body else m.DeploymentDraft
        examples.append((f"curl@{match.start()}", model, body))
    return examples


EXAMPLES = reference_examples()


def test_the_reference_has_the_examples_we_expect() -> None:
    kinds = [model for _, model, _ in EXAMPLES]
    assert len(EXAMPLES) == 18
    assert kinds.count(m.Deployment) == 7
    assert kinds.count(m.DeploymentUpdate) == 2
    assert set(SECTION_MODELS.values()) <= set(kinds)


@pytest.mark.parametrize(("name", "model", "example"), EXAMPLES, ids=[name for name, _, _ in EXAMPLES])
def test_every_reference_example_parses(name: str, model: type[BaseModel], example: Any) -> None:
    parsed = model.model_validate(example)
    dumped = parsed.model_dump(by_alias=True, exclude_none=True, mode="json")
    if isinstance(parsed, SENT):
        assert dumped == example  # what we send round-trips exactly
    else:
        assert _contains(dumped, example)  # nothing read is lost


def _contains(dumped: Any, original: Any) -> bool:
    if isinstance(original, dict):
        return all(key in dumped and _contains(dumped[key], value) for key, value in original.items())
    if isinstance(original, list):
        return len(dumped) == len(original) and all(map(_contains, dumped, original))
    return bool(dumped == original)


LIVE = {
    "id": "d-1",
    "key": "adyen",
    "version": 3,
    "connector": {"id": "c-1", "version": 7, "name": "Adyen", "somethingNew": {"x": 1}},
    "details": {},
    "deployedRegion": "us-east-2.aws",
    "applications": [
        {"applicationName": "processor", "securedConfiguration": [{"key": "API_KEY", "value": "******"}]}
    ],
    "status": "Hibernating",
    "type": "production",
    "rollbackRevision": 2,
}


def test_reading_is_tolerant_of_what_real_responses_do() -> None:
    deployment = m.Deployment.model_validate(LIVE)
    assert deployment.connector.key is None  # real responses omit it
    assert deployment.details.build is None and deployment.report_entries == []
    assert deployment.status == "Hibernating" and type(deployment.status) is str  # unknown kept as is
    assert deployment.type is m.DeploymentType.PRODUCTION  # known values become members
    assert deployment.deployed_region is m.Region.US_EAST_2_AWS
    assert deployment.rollback_revision == 2 and deployment.model_extra == {}  # a known field since 2026-10
    assert deployment.connector.model_extra == {"somethingNew": {"x": 1}}
    assert deployment.applications[0].secured_configuration[0].value == "******"


def test_reading_still_requires_what_planning_needs() -> None:
    with pytest.raises(ValidationError):
        m.Deployment.model_validate({k: v for k, v in LIVE.items() if k != "version"})


def test_report_entries_of_a_failed_build() -> None:
    entry = {"type": "Error", "application": "processor", "title": "Build failed", "message": "npm ERR!"}
    deployment = m.Deployment.model_validate(
        LIVE | {"status": "Failed", "details": {"build": {"id": "b", "report": {"entries": [entry]}}}}
    )
    assert deployment.status is m.DeploymentStatus.FAILED
    assert [(e.type, e.application, e.title) for e in deployment.report_entries] == [
        ("Error", "processor", "Build failed")
    ]


def test_connector_keys_with_missing_required_and_null_default() -> None:
    connector = m.Connector.model_validate(
        {
            "id": "c",
            "version": 1,
            "configurations": [
                {
                    "applicationName": "processor",
                    "applicationType": "service",
                    "standardConfiguration": [{"key": "ENV", "description": "env", "default": None}],
                    "securedConfiguration": [{"key": "API_KEY", "description": "key", "required": True}],
                }
            ],
            "globalConfiguration": {"standardConfiguration": [{"key": "LOG", "default": "info"}]},
        }
    )
    app = connector.configurations[0]
    assert app.application_type is m.ApplicationType.SERVICE
    assert app.standard_configuration[0].required is False and app.standard_configuration[0].default is None
    assert app.secured_configuration[0].required is True
    assert connector.global_configuration is not None
    assert connector.global_configuration.standard_configuration[0].default == "info"


def test_connector_staged_keeps_its_string_previewable() -> None:
    staged = m.ConnectorStaged.model_validate(
        {"id": "s", "version": 412, "isPreviewable": "true", "privateProjects": ["europe-west1.gcp:acme"]}
    )
    assert staged.is_previewable == "true" and staged.private_projects == ["europe-west1.gcp:acme"]


def test_drafts_are_strict_and_dump_camel_case_without_nones() -> None:
    draft = m.DeploymentDraft(
        key="adyen",
        connector=m.ConnectorReference(key="adyen-connector", version=7),
        region=m.Region.EUROPE_WEST1_GCP,
        configurations=[
            m.DeploymentConfigurationApplication(application_name="processor", schedule="0 * * * *")
        ],
        global_configuration=m.DeploymentGlobalConfiguration(standard_configuration=[]),
    )
    assert m.dump(draft) == {
        "key": "adyen",
        "connector": {"key": "adyen-connector", "version": 7},
        "region": "europe-west1.gcp",
        "configurations": [
            {
                "applicationName": "processor",
                "standardConfiguration": [],
                "securedConfiguration": [],
                "schedule": "0 * * * *",
            }
        ],
        "globalConfiguration": {"standardConfiguration": []},  # empty kept, absent omitted
    }
    with pytest.raises(ValidationError, match="regoin"):
        m.DeploymentDraft.model_validate({"connector": {"key": "c"}, "region": "x", "regoin": "y"})


def test_a_connector_reference_needs_an_id_or_a_key() -> None:
    with pytest.raises(ValidationError, match="id or a key"):
        m.ConnectorReference(version=1)


def test_redeploy_action_omits_what_is_not_given() -> None:
    update = m.DeploymentUpdate(version=4, actions=[m.DeploymentRedeployAction(update_connector=True)])
    assert m.dump(update) == {"version": 4, "actions": [{"action": "redeploy", "updateConnector": True}]}


def test_no_value_in_repr_or_validation_errors() -> None:
    canary = "canary-7f3a9-secret"
    value = m.ConfigurationValue(key="API_KEY", value=canary)
    app = m.DeploymentConfigurationApplication(application_name="a", secured_configuration=[value])
    assert canary not in repr(app) and canary not in str(app)
    with pytest.raises(ValidationError) as caught:
        m.DeploymentConfigurationApplication.model_validate(
            {"applicationName": "a", "securedConfiguration": [{"key": "K", "value": canary, "bogus": canary}]}
        )
    assert canary not in str(caught.value)


def test_error_response_keeps_code_specific_fields() -> None:
    body = {
        "statusCode": 409,
        "message": "Version mismatch",
        "errors": [
            {"code": "ConcurrentModification", "message": "m", "expectedVersion": 1, "currentVersion": 2},
            {"code": "DuplicateField", "field": "key", "duplicateValue": "adyen", "extraThing": True},
        ],
        "error": "whatever",
    }
    parsed = m.ErrorResponse.model_validate(body)
    assert parsed.errors[0].expected_version == 1 and parsed.errors[0].current_version == 2
    assert parsed.errors[1].field == "key" and parsed.errors[1].duplicate_value == "adyen"
    assert parsed.errors[1].model_extra == {"extraThing": True}
    assert parsed.model_extra == {"error": "whatever"}


def test_log_page() -> None:
    page = m.DeploymentLogPage.model_validate(
        {
            "data": [
                {
                    "type": "APPLICATION_TEXT",
                    "deploymentId": "d",
                    "applicationName": "processor",
                    "severity": "INFO",
                    "timestamp": "2026-11-26T12:00:00Z",
                    "details": "started",
                }
            ],
            "next": "token-2",
        }
    )
    assert page.next == "token-2" and page.data[0].application_name == "processor"
