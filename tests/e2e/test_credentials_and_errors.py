"""Credentials and API errors seen from `gitsync plan`: one token request per target, the target named in
every error, a 403 on a connector read an `error` entry, and URLs with user:password refused (issue 7).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from e2e_support import (
    CLIENT_SECRET,
    SEED,
    by_key,
    gitsync,
    manifest,
    plan_json,
    running_emulator,
    write_repo,
)

MANIFESTS = {
    "staging/aa.yaml": manifest("aa"),
    "staging/bb.yaml": manifest("bb", connector={"key": "other"}, configurations=[]),
    "staging/cc.yaml": manifest("cc", connector={"key": "drafty", "staged": True}, configurations=[]),
}


def _seed(*scopes: str, secret: str = CLIENT_SECRET) -> dict[str, Any]:
    return {**SEED, "clients": [{"clientId": "ci", "clientSecret": secret, "scopes": list(scopes)}]}


def test_a_refused_client_secret_costs_one_token_request_and_names_the_target(tmp_path: Path) -> None:
    with running_emulator(_seed("manage_project:acme", secret="the-right-one")) as emulator:
        write_repo(tmp_path, emulator.url, {"staging": {"projectKey": "acme"}}, MANIFESTS)
        result = gitsync(tmp_path, "plan")
        token_requests = emulator.stats()["requests"].get("POST /oauth/token", 0)
    assert result.returncode == 1, result.stderr
    assert token_requests == 1  # three connector reads and the page walk share one refused answer
    assert "target 'staging' (project acme at 127.0.0.1:" in result.stderr
    assert "invalid_client" in result.stderr
    assert CLIENT_SECRET not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_a_403_on_a_connector_read_is_an_error_entry_not_an_aborted_plan(tmp_path: Path) -> None:
    # the client may read Deployments but not connectors: the plan goes on and names the missing scope
    with running_emulator(_seed("view_connectors_deployments:acme")) as emulator:
        write_repo(tmp_path, emulator.url, {"staging": {"projectKey": "acme"}}, MANIFESTS)
        result = gitsync(tmp_path, "plan", "--format", "json")
    assert result.returncode == 1, result.stderr
    changes = by_key(plan_json(result))
    assert {change["action"] for change in changes.values()} == {"error"}
    error = changes["staging/aa"]["error"]
    assert "connector key=adyen cannot be read" in error
    assert "403" in error and "view_connectors:acme" in error
    assert "target 'staging'" in error
    assert "staged connector key=drafty" in changes["staging/cc"]["error"]


def test_a_403_on_one_connector_leaves_the_other_deployments_planned(tmp_path: Path) -> None:
    with running_emulator() as emulator:
        emulator.admin(
            "POST",
            "faults",
            {"faults": [{"method": "GET", "path": "/connectors/key=other", "status": 403, "times": 0}]},
        )
        write_repo(tmp_path, emulator.url, {"staging": {"projectKey": "acme"}}, MANIFESTS)
        result = gitsync(tmp_path, "plan", "--format", "json")
    changes = by_key(plan_json(result))
    assert changes["staging/bb"]["action"] == "error"
    assert "view_connectors:acme" in changes["staging/bb"]["error"]
    assert changes["staging/aa"]["action"] == "create"
    assert changes["staging/cc"]["action"] == "create"


def test_a_connect_url_with_user_and_password_is_refused_before_any_request(tmp_path: Path) -> None:
    with running_emulator() as emulator:
        url = emulator.url.replace("http://", "http://admin:pw-canary-123@")
        write_repo(tmp_path, url, {"staging": {"projectKey": "acme"}}, MANIFESTS)
        result = gitsync(tmp_path, "plan")
        sent = emulator.stats()["total"]
    assert result.returncode == 1, result.stderr
    assert sent == 0
    assert "connectUrl" in result.stderr and "user name or password" in result.stderr
    assert "pw-canary-123" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_ctp_auth_url_with_a_password_is_refused_and_never_printed(tmp_path: Path) -> None:
    (tmp_path / "aa.yaml").write_text("key: aa\n")
    env = {
        "CTP_PROJECT_KEY": "acme",
        "CTP_CLIENT_ID": "ci",
        "CTP_CONNECT_URL": "http://127.0.0.1:9",
        "CTP_AUTH_URL": "http://user:pw-canary-456@127.0.0.1:9",
    }
    result = gitsync(tmp_path, "plan", "aa.yaml", env=env)
    assert result.returncode == 1, result.stderr
    assert "CTP_AUTH_URL" in result.stderr and "user name or password" in result.stderr
    assert "pw-canary-456" not in result.stderr + result.stdout
