"""${NAME} resolution (plan/apply) vs none (validate), secrets kept in Secret, credentials resolution."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from gitsync.errors import ConfigError, VariableError
from gitsync.manifest import load_deployments, resolve_credentials
from gitsync.manifest.target import Target

MANIFEST = """\
key: demo
connector: {key: other-connector}
region: europe-west1.gcp
configurations:
  - applicationName: processor
    schedule: "${SCHEDULE}"
    standardConfiguration:
      - {key: ADYEN_ENV, value: "${ADYEN_ENV}"}
      - {key: PRICE, value: "costs $${AMOUNT} in ${CURRENCY}"}
    securedConfiguration:
      - {key: ADYEN_API_KEY, value: "${ADYEN_API_KEY}"}
"""


def _target(tmp_path: Path, **vars: str) -> Target:
    (tmp_path / "demo.yaml").write_text(MANIFEST)
    return Target("staging", "acme", "europe-west1.gcp", ("demo.yaml",), tmp_path, vars=vars)


ENV = {"ADYEN_ENV": "from-env", "CURRENCY": "EUR", "ADYEN_API_KEY": "s3cr3t-value", "SCHEDULE": "0 * * * *"}


def test_vars_come_before_env_and_double_dollar_is_literal(tmp_path: Path) -> None:
    target = _target(tmp_path, ADYEN_ENV="LIVE")
    result = load_deployments(target, env=ENV, resolve=True, resolve_secrets=True)  # as apply loads
    assert result.problems == ()
    (app,) = result.deployments[0].configurations
    assert app.values.standard == {"ADYEN_ENV": "LIVE", "PRICE": "costs ${AMOUNT} in EUR"}
    assert app.schedule == "0 * * * *"
    secret = app.values.secured["ADYEN_API_KEY"]
    assert (secret.reference, secret.reveal()) == ("${ADYEN_API_KEY}", "s3cr3t-value")
    assert "s3cr3t-value" not in repr(result.deployments[0])


def test_plan_never_looks_a_secured_value_up(tmp_path: Path) -> None:
    result = load_deployments(_target(tmp_path, ADYEN_ENV="LIVE"), env=ENV, resolve=True)
    assert result.problems == () and result.notes == ()
    secret = result.deployments[0].configurations[0].values.secured["ADYEN_API_KEY"]
    assert (secret.reference, secret.reveal()) == ("${ADYEN_API_KEY}", "")
    unset = {key: value for key, value in ENV.items() if key != "ADYEN_API_KEY"}
    noted = load_deployments(_target(tmp_path), env=unset, resolve=True)
    assert noted.problems == () and len(noted.deployments) == 1
    assert [str(note) for note in noted.notes] == [
        "demo.yaml:11:37: note: secured variable 'ADYEN_API_KEY' is not set; plan does not need it, "
        "apply will (set it where apply runs)"
    ]
    applying = load_deployments(_target(tmp_path), env=unset, resolve=True, resolve_secrets=True)
    assert [p.code for p in applying.problems] == ["missing-variable"] and applying.notes == ()


def test_plan_notes_an_empty_secured_variable_as_apply_will_refuse_it(tmp_path: Path) -> None:
    noted = load_deployments(_target(tmp_path), env={**ENV, "ADYEN_API_KEY": ""}, resolve=True)
    assert noted.problems == ()
    assert [str(note) for note in noted.notes] == [
        "demo.yaml:11:37: note: secured variable 'ADYEN_API_KEY' is not set; plan does not need it, "
        "apply will (set it where apply runs)"
    ]


def test_missing_variable_is_a_problem_at_the_value(tmp_path: Path) -> None:
    env = {key: value for key, value in ENV.items() if key != "CURRENCY"}
    result = load_deployments(_target(tmp_path), env=env, resolve=True)
    assert result.deployments == ()
    (problem,) = result.problems
    assert (problem.file, problem.line, problem.col, problem.code) == ("demo.yaml", 9, 29, "missing-variable")
    assert "'CURRENCY'" in problem.message and "staging" in problem.message


def test_validate_mode_looks_nothing_up(tmp_path: Path) -> None:
    result = load_deployments(_target(tmp_path), env={}, resolve=False)
    assert result.problems == ()
    (deployment,) = result.deployments
    (app,) = deployment.configurations
    assert app.values.standard["ADYEN_ENV"] == "${ADYEN_ENV}"
    secret = app.values.secured["ADYEN_API_KEY"]
    assert (secret.reference, secret.reveal()) == ("${ADYEN_API_KEY}", "")
    assert deployment.source == "demo.yaml"
    assert deployment.position is not None and str(deployment.position) == "demo.yaml:1:1"
    assert deployment.digest == hashlib.sha256((tmp_path / "demo.yaml").read_bytes()).hexdigest()


def test_plan_mode_records_the_manifest_digest(tmp_path: Path) -> None:
    (deployment,) = load_deployments(_target(tmp_path), env=ENV, resolve=True).deployments
    assert deployment.digest == hashlib.sha256((tmp_path / "demo.yaml").read_bytes()).hexdigest()


def test_allowed_plaintext_secret_is_marked_literal(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(MANIFEST.replace('"${ADYEN_API_KEY}"', "hunter2"))
    target = Target("t", "p", "europe-west1.gcp", ("demo.yaml",), tmp_path)
    refused = load_deployments(target, env=ENV, resolve=True)
    assert [p.code for p in refused.problems] == ["plaintext-secret"]
    allowed = load_deployments(
        target, env=ENV, resolve=True, allow_plaintext_secrets=True, resolve_secrets=True
    )
    secret = allowed.deployments[0].configurations[0].values.secured["ADYEN_API_KEY"]
    assert (secret.reference, secret.reveal()) == ("(literal)", "hunter2")
    assert "hunter2" not in repr(allowed)


def test_credentials_resolve_from_vars_and_env() -> None:
    target = Target(
        "t", "p", "r", credentials={"clientId": "${ID}", "clientSecret": "${SECRET}", "scopes": "a ${MORE}"}
    )
    creds = resolve_credentials(target, {"ID": "client", "SECRET": "top-secret", "MORE": "b c"})
    assert (creds.client_id, creds.client_secret.reveal(), creds.scopes) == (
        "client",
        "top-secret",
        ("a", "b", "c"),
    )
    assert "top-secret" not in repr(creds) and "top-secret" not in str(creds.client_secret)


def test_credentials_errors_name_the_variable_never_a_value() -> None:
    target = Target("t", "p", "r", credentials={"clientId": "${ID}", "clientSecret": "${SECRET}"})
    with pytest.raises(VariableError) as caught:
        resolve_credentials(target, {"ID": "the-client-id"})
    assert "SECRET" in str(caught.value) and "the-client-id" not in str(caught.value)
    with pytest.raises(
        ConfigError, match=r"lacks CTP_PROJECT_KEY, .*, CTP_CLIENT_ID, CTP_CLIENT_SECRET; set them"
    ):
        resolve_credentials(Target("default", "", "", implicit=True), {})
