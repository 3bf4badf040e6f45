"""connectUrl / authUrl may hold ``${NAME}`` (SPEC §1.1: a demo or test points at an emulator on any port),
and a variable that is set but empty is named as such, never as "missing" nor as a field to add."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitsync.cli.clients import client_for
from gitsync.errors import ConfigError, VariableError
from gitsync.manifest import load_deployments, load_targets, resolve_credentials
from gitsync.manifest.credentials import missing_default_variables, resolve_urls
from gitsync.manifest.target import Target

CONFIG = """\
targets:
  demo:
    projectKey: acme
    region: europe-west1.gcp
    manifests: [deployments]
    vars: {HOST: 127.0.0.1}
    credentials: {clientId: ci, clientSecret: "${SECRET}"}
    connectUrl: http://${HOST}:${PORT}
    authUrl: ${AUTH_URL}
"""


def _target(tmp_path: Path) -> Target:
    (tmp_path / "gitsync.yaml").write_text(CONFIG)
    (target,) = load_targets(None, tmp_path, {})
    return target


def test_urls_resolve_from_vars_then_the_environment(tmp_path: Path) -> None:
    env = {"PORT": "8123", "AUTH_URL": "http://127.0.0.1:8124", "SECRET": "s"}
    resolved = resolve_urls(_target(tmp_path), env)
    assert (resolved.connect_url, resolved.auth_url) == ("http://127.0.0.1:8123", "http://127.0.0.1:8124")
    with client_for(_target(tmp_path), env) as client:
        assert client.connect_url == "http://127.0.0.1:8123"
        assert client.auth_url == "http://127.0.0.1:8124"


def test_an_unset_url_variable_is_named_before_any_call(tmp_path: Path) -> None:
    with pytest.raises(VariableError, match=r"^target 'demo': connectUrl needs PORT; set it"):
        resolve_urls(_target(tmp_path), {"AUTH_URL": "http://127.0.0.1:1"})
    with pytest.raises(VariableError, match=r"^target 'demo': authUrl needs AUTH_URL; set it"):
        client_for(_target(tmp_path), {"PORT": "1", "SECRET": "s"})


def test_an_empty_url_variable_is_named_as_empty(tmp_path: Path) -> None:
    with pytest.raises(VariableError) as raised:
        resolve_urls(_target(tmp_path), {"PORT": "", "AUTH_URL": "http://127.0.0.1:1"})
    assert str(raised.value) == (
        "target 'demo': connectUrl uses PORT, which is set but empty; set it to a value"
    )


def test_a_url_without_variables_is_kept_as_written() -> None:
    target = Target("t", "acme", "", connect_url="http://127.0.0.1:9", auth_url=None)
    assert resolve_urls(target, {}) == target


def test_a_malformed_url_reference_is_a_config_error() -> None:
    target = Target("t", "acme", "", connect_url="http://127.0.0.1:${PORT")
    with pytest.raises(ConfigError, match=r"connectUrl has a malformed"):
        resolve_urls(target, {})


def test_an_empty_client_secret_variable_is_named_not_the_field_to_add(tmp_path: Path) -> None:
    with pytest.raises(VariableError) as raised:
        resolve_credentials(_target(tmp_path), {"SECRET": ""})
    assert str(raised.value) == (
        "target 'demo': credentials.clientSecret uses SECRET, which is set but empty; set it to a value"
    )


def test_an_empty_ctp_variable_is_named_as_empty(tmp_path: Path) -> None:
    env = {
        "CTP_PROJECT_KEY": "",
        "CTP_REGION": "europe-west1.gcp",
        "CTP_CLIENT_ID": "ci",
        "CTP_CLIENT_SECRET": "",
    }
    (target,) = load_targets(None, tmp_path, env)
    assert missing_default_variables(target, env) == [
        "CTP_PROJECT_KEY (set but empty)",
        "CTP_CLIENT_SECRET (set but empty)",
    ]
    with pytest.raises(ConfigError, match=r"lacks CTP_PROJECT_KEY \(set but empty\), CTP_CLIENT_SECRET"):
        resolve_credentials(target, env)


def test_an_empty_manifest_variable_is_named_where_its_value_breaks_a_rule(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("key: ${KEY}\nconnector: {key: conn}\nregion: ${REGION}\n")
    target = Target("t", "acme", "europe-west1.gcp", ("a.yaml",), tmp_path, vars={"REGION": ""})
    result = load_deployments(target, env={"KEY": ""}, resolve=True)
    assert [(p.line, p.code) for p in result.problems] == [(1, "schema"), (3, "schema")]
    assert result.problems[0].message.endswith("(resolved from '${KEY}'; KEY is set but empty)")
    assert result.problems[1].message.endswith("(resolved from '${REGION}'; REGION is set but empty)")
