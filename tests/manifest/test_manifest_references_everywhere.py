"""``${NAME}`` in any string value (SPEC §1.2): validate accepts it, plan checks the resolved value."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from manifest_helpers import write_connector_schema

from gitsync.manifest import load_deployments
from gitsync.manifest.target import Target

MANIFEST = """\
key: "${PREFIX}-payments"
connector:
  key: "${CONNECTOR}"
  version: "${VERSION}"
type: "${TYPE}"
region: "${REGION}"
configurations:
  - applicationName: "${APP}"
    schedule: "${SCHEDULE}"
    standardConfiguration:
      - {key: "${SETTING}", value: "x-${PREFIX}"}
      - {key: MERCHANT, value: m}
    securedConfiguration:
      - {key: ADYEN_API_KEY, value: "${ADYEN_API_KEY}"}
"""
GOOD = {
    "PREFIX": "acme",
    "CONNECTOR": "demo-connector",
    "VERSION": "7",
    "TYPE": "production",
    "REGION": "us-central1.gcp",
    "APP": "processor",
    "SCHEDULE": "0 * * * *",
    "SETTING": "ADYEN_ENV",
    "ADYEN_API_KEY": "s3cr3t-value",
}


def _target(tmp_path: Path, text: str = MANIFEST, name: str = "demo.yaml") -> Target:
    (tmp_path / name).write_text(text)
    write_connector_schema(tmp_path)  # demo-connector: processor needs ADYEN_ENV, MERCHANT, ADYEN_API_KEY
    return Target("staging", "acme", "europe-west1.gcp", ("*.yaml",), tmp_path)


def _problems(tmp_path: Path, **changes: str) -> list[tuple[int, int, str, str]]:
    result = load_deployments(_target(tmp_path), env={**GOOD, **changes}, resolve=True)
    return [(p.line, p.col, p.code, p.message) for p in result.problems]


def test_validate_accepts_a_reference_in_every_string_value(tmp_path: Path) -> None:
    result = load_deployments(_target(tmp_path), env={}, resolve=False)
    assert result.problems == ()
    assert result.deployments[0].region == "${REGION}"


def test_plan_resolves_every_string_value(tmp_path: Path) -> None:
    # every one: secured values too, as apply resolves them (plan leaves them as ${NAME})
    result = load_deployments(_target(tmp_path), env=GOOD, resolve=True, resolve_secrets=True)
    assert result.problems == ()
    (deployment,) = result.deployments
    assert (deployment.key, deployment.region, deployment.type) == (
        "acme-payments",
        "us-central1.gcp",
        "production",
    )
    assert (deployment.connector.key, deployment.connector.version) == ("demo-connector", 7)
    (app,) = deployment.configurations
    assert (app.application_name, app.schedule) == ("processor", "0 * * * *")
    assert app.values.standard == {"ADYEN_ENV": "x-acme", "MERCHANT": "m"}
    secret = app.values.secured["ADYEN_API_KEY"]
    assert (secret.reference, secret.reveal()) == ("${ADYEN_API_KEY}", "s3cr3t-value")


def test_a_resolved_value_is_checked_against_its_rule_where_it_is_written(tmp_path: Path) -> None:
    assert _problems(tmp_path, REGION="eu-west1")[:1] == [
        (
            6,
            9,
            "schema",
            "region 'eu-west1' is not one of: europe-west1.gcp, us-central1.gcp, australia-southeast1.gcp, "
            "us-east-2.aws, eu-central-1.aws; did you mean 'europe-west1.gcp'? (resolved from '${REGION}')",
        )
    ]
    assert _problems(tmp_path, VERSION="seven") == [
        (
            4,
            12,
            "schema",
            "connector.version 'seven' must be an integer >= 1 or \"latest\" (resolved from '${VERSION}')",
        )
    ]
    assert [p[:3] for p in _problems(tmp_path, PREFIX="a b")] == [(1, 6, "schema")]
    assert [p[:3] for p in _problems(tmp_path, VERSION="latest")] == []


def test_connector_checks_run_on_resolved_values(tmp_path: Path) -> None:
    (unknown_app,) = _problems(tmp_path, APP="procesor")
    assert unknown_app[:3] == (8, 22, "unknown-application") and "did you mean 'processor'?" in unknown_app[3]
    (unknown_key,) = _problems(tmp_path, SETTING="ADYEN_ENVV")
    assert unknown_key[:3] == (11, 15, "unknown-config-key")
    (region,) = _problems(tmp_path, REGION="us-east-2.aws")
    assert region[:3] == (6, 9, "unsupported-region")


def test_staged_and_duplicates_are_checked_after_resolution(tmp_path: Path) -> None:
    staged = MANIFEST.replace('version: "${VERSION}"', "staged: true")
    result = load_deployments(_target(tmp_path, staged), env=GOOD, resolve=True)
    assert [(p.line, p.col, p.code) for p in result.problems] == [(5, 7, "staged-needs-preview")]
    (tmp_path / "demo.yaml").unlink()
    target = _target(tmp_path, MANIFEST.replace('"${SETTING}"', "MERCHANT"))
    duplicate = load_deployments(target, env=GOOD, resolve=True)
    assert [(p.line, p.col, p.code) for p in duplicate.problems] == [(12, 15, "duplicate-config-key")]


def test_deployment_keys_and_only_use_resolved_keys(tmp_path: Path) -> None:
    target = _target(tmp_path)
    (tmp_path / "other.yaml").write_text(MANIFEST.replace('"${PREFIX}-payments"', "acme-payments"))
    clash = load_deployments(target, env=GOOD, resolve=True)
    assert [(p.file, p.line, p.code) for p in clash.problems] == [
        ("other.yaml", 1, "duplicate-deployment-key")
    ]
    (tmp_path / "other.yaml").write_text(MANIFEST.replace('"${PREFIX}-payments"', "other-payments"))
    only = load_deployments(target, env=GOOD, resolve=True, only=("acme-*",))
    assert [d.key for d in only.deployments] == ["acme-payments"]


def test_a_resolved_secret_is_never_echoed(tmp_path: Path) -> None:
    text = MANIFEST.replace("key: ADYEN_API_KEY", 'key: "${SECRET_KEY_NAME}"')
    result = load_deployments(
        _target(tmp_path, text), env={**GOOD, "SECRET_KEY_NAME": "bad key"}, resolve=True
    )
    assert [(p.line, p.col, p.code) for p in result.problems] == [
        (8, 5, "missing-required-key"),
        (14, 15, "schema"),
        (14, 15, "unknown-config-key"),
    ]
    assert "s3cr3t-value" not in str(result)


def test_plan_reports_a_bad_resolved_value_before_any_api_call(tmp_path: Path) -> None:
    (tmp_path / "gitsync.yaml").write_text(
        "targets:\n  staging:\n    projectKey: acme\n    region: europe-west1.gcp\n"
        "    manifests: [deployments]\n    vars: {REGION: eu-west1}\n"
        "    connectUrl: http://127.0.0.1:9\n    authUrl: http://127.0.0.1:9\n"
        "    credentials: {clientId: ci, clientSecret: not-a-real-secret}\n"
    )
    (tmp_path / "deployments").mkdir()
    (tmp_path / "deployments" / "a.yaml").write_text('key: a-1\nconnector: {key: c-1}\nregion: "${REGION}"\n')
    result = subprocess.run(
        [sys.executable, "-m", "gitsync", "-v", "plan"],
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if not k.startswith("CTP_")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("deployments/a.yaml:3:9: error[schema]: region 'eu-west1' is not one of:")
    assert lines[0].endswith("(resolved from '${REGION}')")
    assert "127.0.0.1:9" not in result.stderr and "Traceback" not in result.stderr
