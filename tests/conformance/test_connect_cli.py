"""Conformance: the official Connect CLI (npm @commercetools/cli + cli-topic-connect 0.0.23, pinned in
package-lock.json) drives the emulator: create, list, describe, a one-key redeploy that keeps every other
value, logs, connectorstaged describe and deploy (its create and its redeploy path), delete.

Without node or the installed CLI the test says so in one line of the summary (conftest.py); in CI
(``CI=true``) it fails instead.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from gitsync.emulator import EmulatorApp, ManualClock, serve
from tests.conformance.cli_support import in_ci, installed_cli, missing_reason, run_cli, write_credentials

PROJECT, REGION, DEPLOY_TIME = "acme", "europe-west1.gcp", 10.0
SEED: dict[str, Any] = {
    "connectors": [
        {
            "key": "demo-connector",
            "version": 3,
            "configurations": [
                {
                    "applicationName": "app-1",
                    "applicationType": "service",
                    "standardConfiguration": [
                        {"key": "LOG_LEVEL", "description": "log level", "required": True},
                        {"key": "MODE", "description": "mode"},
                    ],
                    "securedConfiguration": [{"key": "API_KEY", "description": "key", "required": True}],
                },
                {"applicationName": "job-1", "applicationType": "job", "schedule": "0 3 * * *"},
            ],
            "globalConfiguration": {
                "standardConfiguration": [{"key": "REGION_NAME", "description": "region", "required": True}]
            },
        },
        {
            "key": "demo-staged",
            "version": 5,
            "staged": True,
            "privateProjects": [f"{REGION}:{PROJECT}"],
            "configurations": [
                {
                    "applicationName": "app-1",
                    "standardConfiguration": [{"key": "LOG_LEVEL", "description": "log level"}],
                }
            ],
        },
    ]
}
WSGI = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _deploys_pass_between_calls(app: EmulatorApp, clock: ManualClock, log: list[tuple[str, str]]) -> WSGI:
    """After each write a whole deploy time passes: the CLI's next poll sees the outcome, not a 60 s wait.

    Its answer is still computed first, so create and redeploy answer Deploying with ``details: {}``.
    """
    lock = threading.Lock()

    def middleware(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        answer = list(app(environ, start_response))
        method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
        with lock:
            log.append((method, path))
            if method in ("POST", "DELETE") and "/deployments" in path:
                clock.advance(DEPLOY_TIME)
        return answer

    return middleware


@contextmanager
def _emulator(log: list[tuple[str, str]]) -> Iterator[str]:
    clock = ManualClock()
    app = EmulatorApp(SEED, deploy_time=DEPLOY_TIME, clock=clock)
    server = serve(_deploys_pass_between_calls(app, clock, log))
    try:
        yield server.url
    finally:
        server.stop()


def _token(url: str) -> str:
    form = {"grant_type": "client_credentials", "scope": f"manage_project:{PROJECT}"}
    response = httpx.post(f"{url}/oauth/token", auth=("conformance", "not-a-real-secret"), data=form)
    return str(response.json()["access_token"])


def _parallel(*calls: Callable[[], Any]) -> list[Any]:
    """Node starts in about a second per command: independent commands run side by side."""
    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


def _ok(result: Any, *expected: str) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    for text in expected:
        assert text in result.stdout, result.stdout + result.stderr
    return str(result.stdout)


def test_the_official_connect_cli_drives_the_emulator(tmp_path: Path) -> None:
    reason = missing_reason()
    if reason is not None:
        if in_ci():
            pytest.fail(
                f"conformance: {reason}; CI must install it (.ci/run calls tests/conformance/install.sh)"
            )
        return  # said once in the session summary (conftest.py); not a skip that CI could miss
    binary = installed_cli()
    assert binary is not None
    log: list[tuple[str, str]] = []
    with _emulator(log) as url:
        write_credentials(tmp_path, _token(url), PROJECT, REGION)
        _drive(lambda *args, stdin="": run_cli(binary, tmp_path, url, *args, stdin=stdin), url)
    assert ("DELETE", f"/{PROJECT}/deployments/key=dep-1") in log


def _drive(cli: Callable[..., Any], url: str) -> None:
    created, staged, preview = _parallel(
        lambda: cli("connect", "deployment", "create", "--region", REGION, "--connector-key",
                    "demo-connector", "--key", "dep-1", "--configuration",
                    "app-1.LOG_LEVEL=info,app-1.MODE=fast,app-1.API_KEY=secret-1234,REGION_NAME=eu"),
        lambda: cli("connect", "connectorstaged", "describe", "--key", "demo-staged"),
        lambda: cli("connect", "connectorstaged", "deploy", "--key", "demo-staged", "--deployment-key",
                    "prev-1", "--region", REGION),
    )  # fmt: skip
    _ok(created, "dep-1", "Deploying")  # the real create answer's status (facts §4)
    _ok(staged, "demo-staged", "isPreviewable")
    _ok(preview, "prev-1", "successfully deployed")
    listed, described, logs, redeployed, upsert = _parallel(
        lambda: cli("connect", "deployment", "list"),
        lambda: cli("connect", "deployment", "describe", "--key", "dep-1"),
        lambda: cli("connect", "deployment", "logs", "--key", "dep-1"),
        lambda: cli("connect", "deployment", "redeploy", "--key", "dep-1",
                    "--configuration", "app-1.MODE=slow"),
        lambda: cli("connect", "connectorstaged", "deploy", "--key", "demo-staged", "--deployment-key",
                    "prev-1", "--region", REGION, "--configuration", "app-1.LOG_LEVEL=debug"),
    )  # fmt: skip
    _ok(listed, "dep-1", "prev-1")
    _ok(described, "dep-1", "REGION_NAME", "0 3 * * *")
    _ok(logs, "app-1")
    _ok(redeployed, "dep-1")
    _ok(upsert, "prev-1", "successfully deployed")
    _assert_every_other_value_kept(url)
    _ok(cli("connect", "deployment", "delete", "--key", "dep-1", stdin="y\n"), "successfully deleted")


def _assert_every_other_value_kept(url: str) -> None:
    headers = {"Authorization": f"Bearer {_token(url)}"}
    body = httpx.get(f"{url}/{PROJECT}/deployments/key=dep-1", headers=headers).json()
    app = body["applications"][0]
    assert body["version"] == 2 and body["status"] == "Deployed", json.dumps(body)
    assert {v["key"]: v["value"] for v in app["standardConfiguration"]} == {
        "LOG_LEVEL": "info",
        "MODE": "slow",
    }
    assert app["securedConfiguration"] == [{"key": "API_KEY", "value": "*" * len("secret-1234")}]
    assert body["globalConfiguration"]["standardConfiguration"] == [{"key": "REGION_NAME", "value": "eu"}]
    preview = httpx.get(f"{url}/{PROJECT}/deployments/key=prev-1", headers=headers).json()
    assert preview["version"] == 2 and preview["applications"][0]["standardConfiguration"] == [
        {"key": "LOG_LEVEL", "value": "debug"}
    ]
