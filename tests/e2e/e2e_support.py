"""An emulator on loopback, a user repository in tmp_path, and `gitsync` run as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from gitsync.api.client import ConnectClient
from gitsync.apply.calls import send_planned
from gitsync.emulator import EmulatorApp, ManualClock, serve
from gitsync.plan.model import Request
from gitsync.secret import Secret

ADYEN: dict[str, Any] = {
    "key": "adyen",
    "id": "c-adyen",
    "version": 6,
    "name": "Adyen",
    "staged": False,
    "integrationTypes": ["psp"],
    "supportedRegions": [],
    "configurations": [
        {
            "applicationName": "processor",
            "applicationType": "service",
            "standardConfiguration": [
                {"key": "ADYEN_ENV", "description": "env", "required": True, "default": "TEST"},
                {"key": "MERCHANT", "description": "merchant", "required": True},
            ],
            "securedConfiguration": [
                {"key": "ADYEN_API_KEY", "description": "key", "required": True},
                {"key": "HMAC_KEY", "description": "hmac", "required": False},
            ],
        },
        {
            "applicationName": "sync",
            "applicationType": "job",
            "standardConfiguration": [{"key": "BATCH", "description": "batch", "default": "100"}],
            "securedConfiguration": [],
        },
    ],
    "globalConfiguration": {
        "standardConfiguration": [{"key": "LOG_LEVEL", "description": "log", "default": "info"}],
        "securedConfiguration": [{"key": "SHARED_SECRET", "description": "shared"}],
    },
}
OTHER: dict[str, Any] = {
    "key": "other",
    "id": "c-other",
    "version": 2,
    "name": "Other",
    "configurations": [
        {
            "applicationName": "worker",
            "applicationType": "service",
            "standardConfiguration": [{"key": "MODE", "description": "mode"}],
            "securedConfiguration": [],
        }
    ],
    "globalConfiguration": {"standardConfiguration": [], "securedConfiguration": []},
}
DRAFTY: dict[str, Any] = {**OTHER, "key": "drafty", "id": "c-drafty", "version": 3, "staged": True}
SEED: dict[str, Any] = {"connectors": [ADYEN, OTHER, DRAFTY]}

CLIENT_SECRET = "client-secret-for-tests"


@dataclass
class EmulatorAdmin:
    """A running emulator's admin routes (seed, stats, faults), over HTTP."""

    url: str

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        response = httpx.request(method, f"{self.url}/_emulator/{path}", json=body, timeout=30)
        response.raise_for_status()
        return response.json() if response.content else None

    def seed(self, seed: Mapping[str, Any]) -> None:
        self.admin("POST", "seed", dict(seed))

    def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = self.admin("GET", "stats")
        return result


@dataclass
class Emulator(EmulatorAdmin):
    """A running emulator on a manual clock, and its admin routes."""

    clock: ManualClock


@contextmanager
def running_emulator(seed: Mapping[str, Any] = SEED, **options: Any) -> Iterator[Emulator]:
    clock = ManualClock()
    server = serve(EmulatorApp(dict(seed), deploy_time=0.2, clock=clock, **options), port=0)
    try:
        yield Emulator(url=server.url, clock=clock)
    finally:
        server.stop()


def deployment(
    project: str, key: str, *, status: str = "Deployed", connector: str = "adyen", **draft: Any
) -> dict[str, Any]:
    """A seed entry for a live Deployment."""
    body: dict[str, Any] = {"key": key, "connector": {"key": connector}, "region": "europe-west1.gcp"}
    body.update(draft)
    return {"projectKey": project, "status": status, "draft": body}


def processor(
    merchant: str = "Acme", *, secured: tuple[str, ...] = ("ADYEN_API_KEY",), **extra: str
) -> dict[str, Any]:
    """The processor application's configuration as a draft entry (secured values are test strings)."""
    return {
        "applicationName": "processor",
        "standardConfiguration": [{"key": "MERCHANT", "value": merchant}]
        + [{"key": key, "value": value} for key, value in extra.items()],
        "securedConfiguration": [{"key": key, "value": "live-value"} for key in secured],
    }


def manifest(
    key: str,
    *,
    connector: Mapping[str, Any] | None = None,
    region: str = "europe-west1.gcp",
    merchant: str = "Acme",
    secured: tuple[str, ...] = ("ADYEN_API_KEY",),
    **extra: Any,
) -> dict[str, Any]:
    """A manifest document for the adyen connector (secured values reference variables)."""
    document: dict[str, Any] = {
        "key": key,
        "connector": dict(connector or {"key": "adyen"}),
        "region": region,
        "configurations": [
            {
                "applicationName": "processor",
                "standardConfiguration": [{"key": "MERCHANT", "value": merchant}],
                "securedConfiguration": [{"key": name, "value": "${" + name + "}"} for name in secured],
            }
        ],
    }
    document.update(extra)
    return document


def write_repo(
    root: Path, url: str, targets: Mapping[str, Mapping[str, Any]], manifests: Mapping[str, Mapping[str, Any]]
) -> Path:
    """gitsync.yaml with the given targets pointed at the emulator, and one manifest file per entry."""
    config: dict[str, Any] = {"targets": {}}
    for name, target in targets.items():
        config["targets"][name] = {
            "region": "europe-west1.gcp",
            "manifests": [f"deployments/{name}"],
            "credentials": {"clientId": "ci", "clientSecret": "${CTP_CLIENT_SECRET}"},
            "connectUrl": url,
            "authUrl": url,
            **target,
        }
    (root / "gitsync.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    for path, document in manifests.items():
        file = root / "deployments" / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(yaml.safe_dump(document, sort_keys=False))
    return root


def cli_env(env: Mapping[str, str] | None = None, unset: tuple[str, ...] = ()) -> dict[str, str]:
    """The CLI's environment: client secret and manifest variables set, ``env`` on top, ``unset`` out."""
    full_env = {
        **os.environ,
        "CTP_CLIENT_SECRET": CLIENT_SECRET,
        "ADYEN_API_KEY": "adyen-key-value",
        "HMAC_KEY": "hmac-value",
        "NO_COLOR": "1",
        **(env or {}),
    }
    for name in unset:
        full_env.pop(name, None)
    return full_env


def gitsync(
    cwd: Path, *args: str, env: Mapping[str, str] | None = None, unset: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, in ``cwd``; ``unset`` removes variables from its environment."""
    return subprocess.run(
        [sys.executable, "-m", "gitsync", *args],
        cwd=cwd,
        env=cli_env(env, unset),
        capture_output=True,
        text=True,
        timeout=120,
    )


def plan_json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert "Traceback" not in result.stderr, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def by_key(plan: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{change['target']}/{change['key']}": change for change in plan["changes"]}


REQUEST_VALUES = {"ADYEN_API_KEY": "adyen-key-value", "HMAC_KEY": "hmac-value", "SHARED": "shared-value"}


def send_request(emulator: Emulator, request: Mapping[str, Any]) -> None:
    """Send one request a plan records as apply does: send_planned, secrets revealed from test values."""
    project = str(request["path"]).split("/")[1]
    secret = Secret("${CTP_CLIENT_SECRET}", CLIENT_SECRET)
    with ConnectClient(project, "ci", secret, connect_url=emulator.url, auth_url=emulator.url) as client:
        send_planned(client, Request.from_dict(request), REQUEST_VALUES.get)


def apply_plan(emulator: Emulator, plan: Mapping[str, Any]) -> list[str]:
    """Send a plan's changes as apply will (deletes first, then creates and redeploys); settle the clock."""
    changed = [c for c in plan["changes"] if c["action"] in ("create", "redeploy", "replace", "delete")]
    for change in changed:
        if change.get("deleteRequest"):
            send_request(emulator, change["deleteRequest"])
    emulator.clock.advance(5)
    for change in changed:
        if change.get("request"):
            send_request(emulator, change["request"])
    emulator.clock.advance(5)
    return sorted(f"{c['action']} {c['key']}" for c in changed)
