"""A create lists the fields it will set (text and Markdown), secured values as (sensitive)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from render_builders import CREATED_AT, STAGING, secured_body

from gitsync.plan.model import Change, Plan, Reason, Request
from gitsync.render import render_plan
from gitsync.render.fields import Field, created_fields

BODY: dict[str, Any] = {
    "key": "new-one",
    "connector": {"key": "adyen", "version": 7, "staged": True},
    "region": "europe-west1.gcp",
    "configurations": [
        {
            "applicationName": "processor",
            "standardConfiguration": [{"key": "MERCHANT", "value": "Acme | <b>"}],
            "securedConfiguration": [{"key": "ADYEN_API_KEY", "value": "${ADYEN_API_KEY}"}],
        },
        {
            "applicationName": "sync",
            "standardConfiguration": [],
            "securedConfiguration": [],
            "schedule": "0 1 * * *",
        },
    ],
    "globalConfiguration": {
        "standardConfiguration": [{"key": "LOG_LEVEL", "value": "debug"}],
        "securedConfiguration": [{"key": "SHARED", "value": "${SHARED}"}],
    },
}


def _create(body: Any) -> Change:
    request = Request("POST", "/acme-staging/deployments", body)
    return Change("staging", "new-one", "create", "deployments/staging/new.yaml", None, (), request)


def _render(change: Change, fmt: str) -> str:
    stream = io.StringIO()
    render_plan(Plan(targets=(STAGING,), changes=(change,), created_at=CREATED_AT), fmt, stream)
    return stream.getvalue()


def test_text_lists_every_field_under_the_create_line() -> None:
    lines = _render(_create(BODY), "text").splitlines()
    start = lines.index("  + create new-one  (deployments/staging/new.yaml)")
    assert lines[start + 1 : start + 11] == [
        '    connector.key: "adyen"',
        "    connector.version: 7",
        "    connector.staged: true",
        '    type: "preview" (API default)',
        '    region: "europe-west1.gcp"',
        '    configurations.processor.standardConfiguration.MERCHANT: "Acme | <b>"',
        "    configurations.processor.securedConfiguration.ADYEN_API_KEY: (sensitive)",
        '    configurations.sync.schedule: "0 1 * * *"',
        '    globalConfiguration.standardConfiguration.LOG_LEVEL: "debug"',
        "    globalConfiguration.securedConfiguration.SHARED: (sensitive)",
    ]
    assert lines[start + 11] == ""


def test_markdown_has_a_field_table_with_escaped_values() -> None:
    output = _render(_create({**BODY, "type": "production"}), "markdown")
    diff = output[output.index("```diff\n") : output.index("\n```\n")]
    assert '+ type = "production"' in diff
    assert "+ connector.version = 7" in diff
    assert '"Acme | <b>"' in diff  # a diff block is literal: nothing to escape, nothing to break
    assert "+ processor.ADYEN_API_KEY = (sensitive)" in diff
    assert "API default" not in output


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_secured_references_are_shown_as_sensitive_only(fmt: str) -> None:
    output = _render(_create(secured_body("new-one", "${CANARY_REF}")), fmt)
    assert "CANARY_REF" not in output
    assert "(sensitive)" in output


def test_type_defaults_to_sandbox_for_a_published_connector() -> None:
    fields = created_fields(_create({"connector": {"key": "adyen", "version": 7}, "region": "r"}))
    assert Field("type", "sandbox", "API default") in fields


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        {"connector": "adyen", "configurations": "x"},
        {
            "configurations": [
                1,
                {"applicationName": 3},
                {"applicationName": "a", "standardConfiguration": [7]},
            ]
        },
        {"globalConfiguration": {"securedConfiguration": [{"key": 1}]}},
    ],
)
def test_a_hand_edited_body_never_crashes(body: Any) -> None:
    fields = created_fields(_create(body))
    assert [field.path for field in fields if field.path != "type"] == []
    assert "+ create new-one" in _render(_create(body), "text")


def test_a_replace_lists_the_new_deployment_after_its_reasons() -> None:
    request = Request("POST", "/acme-staging/deployments", BODY)
    reason = Reason("region", "us-central1.gcp", "europe-west1.gcp", "forces replacement")
    replace = Change("staging", "new-one", "replace", "x.yaml", None, (reason,), request)
    assert created_fields(replace) == created_fields(_create(BODY))
    lines = _render(replace, "text").splitlines()
    reason_at = next(i for i, line in enumerate(lines) if "forces replacement" in line)
    assert lines[reason_at + 1].strip() == "then created with:"
    assert any("connector.key" in line for line in lines[reason_at + 2 :])


def test_other_actions_list_no_fields() -> None:
    request = Request("POST", "/acme-staging/deployments/key=new-one", BODY)
    redeploy = Change("staging", "new-one", "redeploy", "x.yaml", None, (), request)
    assert created_fields(redeploy) == []
    assert "connector.key" not in _render(redeploy, "text")


def test_400_creates_with_long_values_stay_under_the_comment_limit() -> None:
    standard = [{"key": f"K{n}", "value": "v" * 2_000} for n in range(20)]
    app = {"applicationName": "processor", "standardConfiguration": standard, "securedConfiguration": []}
    changes = tuple(
        _create({**BODY, "key": f"d-{index:03d}", "configurations": [app]}) for index in range(400)
    )
    output = _render_plan(Plan(targets=(STAGING,), changes=changes, created_at=CREATED_AT))
    assert len(output) < 65_536
    assert "| **staging** · `acme-staging` · europe-west1.gcp | 400 |" in output
    assert 1 <= output.count("<details>") < 400
    assert output.count("new-one") >= 400  # every change named, details or not (all share the key)
    assert "Details of " in output and "left out" in output


def _render_plan(plan: Plan) -> str:
    stream = io.StringIO()
    render_plan(plan, "markdown", stream)
    return stream.getvalue()
