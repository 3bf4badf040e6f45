"""Fixtures for the emulator's tests: a seed, a manual clock, and clients in-process and over loopback."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from gitsync.emulator import EmulatorApp, ManualClock, serve

PROJECT = "acme"
DEPLOY_TIME = 1.0

SEED: dict[str, Any] = {
    "connectors": [
        {
            "key": "adyen-connector",
            "version": 7,
            "name": "Adyen",
            "integrationTypes": ["psp"],
            "supportedRegions": ["europe-west1.gcp"],
            "configurations": [
                {
                    "applicationName": "processor",
                    "applicationType": "service",
                    "standardConfiguration": [
                        {"key": "ADYEN_ENV", "description": "env", "required": True, "default": "TEST"},
                        {"key": "LOG_LEVEL", "description": "log level"},
                    ],
                    "securedConfiguration": [
                        {"key": "ADYEN_API_KEY", "description": "key", "required": True}
                    ],
                },
                {"applicationName": "notifier", "applicationType": "event"},
                {"applicationName": "sync", "applicationType": "job"},
            ],
            "globalConfiguration": {
                "standardConfiguration": [{"key": "REGION_NAME", "description": "r", "required": True}],
                "securedConfiguration": [{"key": "CTP_CLIENT_SECRET", "description": "s"}],
            },
            "failOnConfiguration": [{"key": "ADYEN_ENV", "value": "CRASH"}],
        },
        {
            "key": "broken-connector",
            "version": 1,
            "failDeploy": True,
            "failUndeploy": True,
            "configurations": [{"applicationName": "app", "applicationType": "service"}],
        },
        {
            "key": "preview-connector",
            "version": 3,
            "staged": True,
            "integrationTypes": ["tax"],
            "configurations": [{"applicationName": "app", "applicationType": "service"}],
        },
    ],
    "projects": [{"key": "no-prod", "production": False}],
}


def draft(key: str = "pay", **overrides: Any) -> dict[str, Any]:
    """A valid DeploymentDraft for the seeded adyen connector."""
    body: dict[str, Any] = {
        "key": key,
        "connector": {"key": "adyen-connector", "version": 7},
        "region": "europe-west1.gcp",
        "globalConfiguration": {"standardConfiguration": [{"key": "REGION_NAME", "value": "eu"}]},
        "configurations": [
            {
                "applicationName": "processor",
                "standardConfiguration": [{"key": "ADYEN_ENV", "value": "LIVE"}],
                "securedConfiguration": [{"key": "ADYEN_API_KEY", "value": "abcdefghij"}],
            }
        ],
    }
    body.update(overrides)
    return body


class Api:
    """An httpx client holding a token for every scope (no clients seeded)."""

    def __init__(self, client: httpx.Client, app: EmulatorApp, clock: ManualClock) -> None:
        self.client, self.app, self.clock = client, app, clock
        self.headers = {"Authorization": f"Bearer {self.token()}"}

    def token(self, auth: tuple[str, str] = ("id", "secret"), scope: str | None = None) -> str:
        data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
        response = self.client.post("/oauth/token", auth=auth, data=data)
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def create(self, key: str = "pay", **overrides: Any) -> dict[str, Any]:
        response = self.post(f"/{PROJECT}/deployments", json=draft(key, **overrides))
        assert response.status_code == 201, response.text
        return dict(response.json())

    def settle(self) -> None:
        self.clock.advance(DEPLOY_TIME)


def make_app(**settings: Any) -> tuple[EmulatorApp, ManualClock]:
    clock = ManualClock()
    settings.setdefault("deploy_time", DEPLOY_TIME)
    return EmulatorApp(copy.deepcopy(SEED), clock=clock, **settings), clock


@contextmanager
def wsgi_client(app: EmulatorApp) -> Iterator[httpx.Client]:
    """An httpx client that calls ``app`` in-process through httpx.WSGITransport (no socket)."""
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://emulator") as client:
        yield client


@contextmanager
def in_process_api(**settings: Any) -> Iterator[Api]:
    """An Api on a fresh in-process emulator with ``settings`` (e.g. a switched behaviour)."""
    app, clock = make_app(**settings)
    with wsgi_client(app) as client:
        yield Api(client, app, clock)


@pytest.fixture
def api() -> Iterator[Api]:
    """In-process, through httpx.WSGITransport (no socket)."""
    with in_process_api() as in_process:
        yield in_process


@pytest.fixture(params=["wsgi", "http"])
def any_api(request: pytest.FixtureRequest) -> Iterator[Api]:
    """The same tests in-process and over real loopback HTTP."""
    if request.param == "wsgi":
        with in_process_api() as in_process:
            yield in_process
        return
    app, clock = make_app()
    with serve(app) as server, httpx.Client(base_url=server.url) as client:
        yield Api(client, app, clock)
