"""Without gitsync.yaml, a command that needs the API names the CTP_* variables to set, before any network."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gitsync.errors import ConfigError
from gitsync.manifest import load_targets, resolve_credentials
from gitsync.manifest.credentials import missing_default_variables
from gitsync.manifest.target import Target

FULL = {
    "CTP_PROJECT_KEY": "acme",
    "CTP_REGION": "europe-west1.gcp",
    "CTP_CLIENT_ID": "ci",
    "CTP_CLIENT_SECRET": "not-a-real-secret",
}
MANIFEST = "key: demo\nconnector: {key: demo-connector}\nregion: europe-west1.gcp\n"


def _default(tmp_path: Path, env: dict[str, str]) -> Target:
    (target,) = load_targets(None, tmp_path, env)
    assert target.implicit
    return target


@pytest.mark.parametrize(
    ("unset", "named"),
    [
        ("CTP_PROJECT_KEY", "CTP_PROJECT_KEY"),
        ("CTP_REGION", "CTP_REGION (or CTP_CONNECT_URL and CTP_AUTH_URL)"),
        ("CTP_CLIENT_ID", "CTP_CLIENT_ID"),
        ("CTP_CLIENT_SECRET", "CTP_CLIENT_SECRET"),
    ],
)
def test_each_missing_variable_is_named(tmp_path: Path, unset: str, named: str) -> None:
    env = {name: value for name, value in FULL.items() if name != unset}
    with pytest.raises(ConfigError) as caught:
        resolve_credentials(_default(tmp_path, env), env)
    assert str(caught.value) == (
        f"no gitsync.yaml and the environment lacks {named}; set it (or write a gitsync.yaml)"
    )
    assert "not-a-real-secret" not in str(caught.value)


def test_every_missing_variable_is_named_at_once(tmp_path: Path) -> None:
    assert missing_default_variables(_default(tmp_path, {}), {}) == [
        "CTP_PROJECT_KEY",
        "CTP_REGION (or CTP_CONNECT_URL and CTP_AUTH_URL)",
        "CTP_CLIENT_ID",
        "CTP_CLIENT_SECRET",
    ]


def test_urls_replace_the_region_and_empty_counts_as_unset(tmp_path: Path) -> None:
    env = {**FULL, "CTP_REGION": "", "CTP_CONNECT_URL": "http://127.0.0.1:1"}
    assert missing_default_variables(_default(tmp_path, env), env) == ["CTP_REGION (or CTP_AUTH_URL)"]
    env["CTP_AUTH_URL"] = "http://127.0.0.1:1"
    env["CTP_CLIENT_ID"] = ""
    assert missing_default_variables(_default(tmp_path, env), env) == ["CTP_CLIENT_ID (set but empty)"]


def test_complete_environment_resolves(tmp_path: Path) -> None:
    credentials = resolve_credentials(_default(tmp_path, FULL), FULL)
    assert (credentials.client_id, credentials.client_secret.reveal()) == ("ci", "not-a-real-secret")


def test_a_configured_target_without_region_or_urls_is_refused() -> None:
    target = Target("staging", "acme", "", connect_url="http://127.0.0.1:1", credentials={"clientId": "x"})
    with pytest.raises(ConfigError, match=r"^target 'staging' has no region and no authUrl; set its region"):
        resolve_credentials(target, {})
    with pytest.raises(ConfigError, match=r"^target 'staging' has no projectKey"):
        resolve_credentials(Target("staging", "", "europe-west1.gcp"), {})


@pytest.mark.parametrize("command", [["plan", "demo.yaml"], ["schema", "pull", "demo-connector"]])
def test_cli_says_which_variable_to_set_instead_of_calling_the_api(
    tmp_path: Path, command: list[str]
) -> None:
    (tmp_path / "demo.yaml").write_text(MANIFEST)
    env = {name: value for name, value in os.environ.items() if not name.startswith("CTP_")}
    env.update(CTP_REGION="europe-west1.gcp", CTP_CLIENT_ID="ci", CTP_CLIENT_SECRET="not-a-real-secret")
    result = subprocess.run(
        [sys.executable, "-m", "gitsync", "-v", *command],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "error: no gitsync.yaml and the environment lacks CTP_PROJECT_KEY; set it (or write a gitsync.yaml)"
    )
    assert "commercetools.com" not in result.stderr  # -v logs every HTTP call: there was none
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("credentials", "env", "message"),
    [
        (
            {"clientSecret": "${S}"},
            {"S": "x"},
            "target 'staging' has no credentials.clientId; add credentials.clientId to the target in "
            "gitsync.yaml",
        ),
        (
            {"clientId": "${ID", "clientSecret": "${S}"},
            {"S": "x"},
            "target 'staging': credentials.clientId has a malformed ${…} reference",
        ),
        (
            {"clientId": "", "clientSecret": "${S}"},
            {"S": "x"},
            "target 'staging': credentials.clientId is empty; add credentials.clientId to the target in "
            "gitsync.yaml",
        ),
    ],
)
def test_a_named_target_s_credentials_errors_say_what_to_add(
    credentials: dict[str, str], env: dict[str, str], message: str
) -> None:
    target = Target("staging", "acme", "europe-west1.gcp", credentials=credentials)
    with pytest.raises(ConfigError) as caught:
        resolve_credentials(target, env)
    assert str(caught.value) == message


def test_scopes_are_optional_and_split_on_spaces() -> None:
    target = Target(
        "staging", "acme", "europe-west1.gcp", credentials={"clientId": "ci", "clientSecret": "s"}
    )
    assert resolve_credentials(target, {}).scopes == ()
    scoped = Target(
        "staging", "acme", "europe-west1.gcp", credentials={**target.credentials, "scopes": "a b"}
    )
    assert resolve_credentials(scoped, {}).scopes == ("a", "b")
