"""Fixtures that drive ConnectClient against the emulator over real loopback HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from gitsync.api.client import ConnectClient
from gitsync.emulator import EmulatorApp, ManualClock, serve
from gitsync.secret import Secret

PROJECT = "acme"
CI_SECRET = "ci-secret-not-real-0042"
DEPLOY_TIME = 10.0  # seconds of emulator time; tests move a ManualClock instead of waiting


def _app(
    name: str, app_type: str, standard: list[dict[str, Any]], secured: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "applicationName": name,
        "applicationType": app_type,
        "standardConfiguration": standard,
        "securedConfiguration": secured,
    }


def _connector(key: str, **extra: Any) -> dict[str, Any]:
    processor = _app(
        "processor",
        "service",
        [{"key": "ADYEN_ENV", "description": "environment", "required": True, "default": "TEST"}],
        [{"key": "ADYEN_API_KEY", "description": "API key", "required": True}],
    )
    notifier = _app("notifier", "event", [{"key": "TOPIC_LABEL", "description": "label"}], [])
    return {
        "key": key,
        "version": 7,
        "name": key.title(),
        "integrationTypes": ["psp"],
        "supportedRegions": ["europe-west1.gcp"],
        "configurations": [processor, notifier],
        "globalConfiguration": {
            "standardConfiguration": [{"key": "LOG_LEVEL", "description": "log level"}],
            "securedConfiguration": [{"key": "CTP_CLIENT_SECRET", "description": "client secret"}],
        },
        **extra,
    }


SEED: dict[str, Any] = {
    "connectors": [
        _connector("adyen-connector"),
        _connector("broken-connector", failDeploy=True),
        _connector("preview-connector", staged=True, supportedRegions=[]),
        _connector(
            "strict-connector",
            globalConfiguration={
                "standardConfiguration": [{"key": "REGION_CODE", "description": "code", "required": True}],
                "securedConfiguration": [],
            },
        ),
    ],
    "clients": [
        {
            "clientId": "ci",
            "clientSecret": CI_SECRET,
            "scopes": [f"manage_connectors_deployments:{PROJECT}", f"view_connectors:{PROJECT}"],
        },
        {
            "clientId": "viewer",
            "clientSecret": "viewer-secret",
            "scopes": [f"view_connectors_deployments:{PROJECT}"],
        },
    ],
    "projects": [{"key": PROJECT, "production": False}],
}


@dataclass
class Emulator:
    """A running emulator on loopback with admin helpers (clock, faults, stats, seed)."""

    url: str

    def admin(self, route: str, body: Any = None) -> Any:
        response = httpx.post(f"{self.url}/_emulator/{route}", json=body if body is not None else {})
        assert response.status_code < 300, response.text
        return response.json() if response.content else None

    def advance(self, seconds: float) -> None:
        self.admin("clock", {"advance": seconds})

    def fault(self, **fault: Any) -> None:
        self.admin("faults", {"faults": [fault]})

    def stats(self) -> dict[str, Any]:
        response = httpx.get(f"{self.url}/_emulator/stats")
        result: dict[str, Any] = response.json()
        return result

    def count(self, route: str) -> int:
        return int(self.stats()["requests"].get(route, 0))


@pytest.fixture(scope="session")
def _emulator_url() -> Iterator[str]:
    """One emulator per test session (stopping one takes 0.5 s); each test resets it to the seed."""
    server = serve(EmulatorApp(SEED, deploy_time=DEPLOY_TIME, clock=ManualClock()), host="127.0.0.1", port=0)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def emulator(_emulator_url: str) -> Emulator:
    emulator = Emulator(_emulator_url)
    emulator.admin("reset")
    return emulator


ClientFactory = Callable[..., ConnectClient]


@pytest.fixture
def make_client(emulator: Emulator) -> Iterator[ClientFactory]:
    clients: list[ConnectClient] = []

    def factory(client_id: str = "ci", secret: str = CI_SECRET, **options: Any) -> ConnectClient:
        settings: dict[str, Any] = {
            "connect_url": emulator.url,
            "auth_url": emulator.url,
            "backoff_base": 0.01,
        }
        client = ConnectClient(
            PROJECT, client_id, Secret("${CTP_CLIENT_SECRET}", secret), **(settings | options)
        )
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: ClientFactory) -> ConnectClient:
    return make_client()
