"""The apply engine's test bench: an emulator on loopback in real time, clients, plans and a real send.

The emulator runs on a MonotonicClock with a short deploy time, so polling sees the real status timeline
(Deploying → Deployed, Undeploying → 404) in milliseconds. ``send`` maps a planned Request to the
client's typed calls over HTTP, as ``gitsync.apply.calls.send_planned`` will; ``${NAME}`` references are
revealed from ``VALUES`` (one of them is the canary that must never be printed).
"""

from __future__ import annotations

import io
import json
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import httpx

from gitsync.api.cancel import CancelToken
from gitsync.api.client import ConnectClient
from gitsync.api.models import Deployment, DeploymentDraft, DeploymentUpdate
from gitsync.apply.engine import ApplySettings, Replan, apply_plan
from gitsync.apply.progress import Progress
from gitsync.apply.result import ApplyReport
from gitsync.apply.waiting import PollSettings
from gitsync.emulator import EmulatorApp, MonotonicClock, serve
from gitsync.plan.model import Change, LiveState, Plan, Request, TargetInfo
from gitsync.secret import Secret

PROJECT = "acme"
TARGET = "prod"
CANARY = "canary-Zq9-secret-value"
CLIENT_SECRET = "client-secret-apply-tests"
VALUES = {"API_KEY": CANARY}

APP = {
    "applicationName": "app",
    "applicationType": "service",
    "standardConfiguration": [{"key": "MODE", "description": "mode"}],
    "securedConfiguration": [{"key": "API_KEY", "description": "key"}],
}
SEED: dict[str, Any] = {
    "connectors": [
        {"key": "good", "version": 1, "configurations": [APP]},
        {"key": "broken", "version": 1, "failDeploy": True, "configurations": [APP]},
    ]
}
FAST = ApplySettings(concurrency=8, timeout=20.0, poll=PollSettings(first=0.01, cap=0.05), grace=2.0)


class InFlight:
    """WSGI wrapper that counts API calls being served at once (admin routes excluded)."""

    def __init__(self, app: EmulatorApp) -> None:
        self.app, self.now, self.most = app, 0, 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        counted = not str(environ.get("PATH_INFO", "")).startswith("/_emulator/")
        self._count(1 if counted else 0)
        try:
            return self.app(environ, start_response)
        finally:
            self._count(-1 if counted else 0)

    def _count(self, step: int) -> None:
        with self._lock:
            self.now += step
            self.most = max(self.most, self.now)


@dataclass
class Bench:
    url: str
    app: EmulatorApp
    flight: InFlight

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        response = httpx.request(method, f"{self.url}/_emulator/{path}", json=body, timeout=30)
        response.raise_for_status()
        return response.json() if response.content else None

    def requests(self, route: str) -> int:
        stats: dict[str, int] = self.admin("GET", "stats")["requests"]
        return stats.get(route, 0)

    def client(self, cancel: CancelToken | None = None) -> ConnectClient:
        return ConnectClient(
            PROJECT,
            "ci",
            Secret("${CTP_CLIENT_SECRET}", CLIENT_SECRET),
            connect_url=self.url,
            auth_url=self.url,
            backoff_base=0.01,
            cancel=cancel,
            name=TARGET,
        )


@contextmanager
def bench(seed: Mapping[str, Any] = SEED, *, deploy_time: float = 0.1, **options: Any) -> Iterator[Bench]:
    app = EmulatorApp(dict(seed), deploy_time=deploy_time, clock=MonotonicClock(), **options)
    flight = InFlight(app)
    server = serve(flight, port=0)
    try:
        yield Bench(url=server.url, app=app, flight=flight)
    finally:
        server.stop()


def live(key: str, *, connector: str = "good", status: str = "Deployed", mode: str = "a") -> dict[str, Any]:
    """A seed entry for a live Deployment."""
    return {"projectKey": PROJECT, "status": status, "draft": draft_body(key, connector, mode)}


def draft_body(key: str, connector: str = "good", mode: str = "a", secret: str = CANARY) -> dict[str, Any]:
    return {
        "key": key,
        "connector": {"key": connector, "version": 1},
        "region": "europe-west1.gcp",
        "configurations": [_app(mode, secret)],
    }


def _app(mode: str, secret: str) -> dict[str, Any]:
    return {
        "applicationName": "app",
        "standardConfiguration": [{"key": "MODE", "value": mode}],
        "securedConfiguration": [{"key": "API_KEY", "value": secret}],
    }


def path(key: str | None = None) -> str:
    return f"/{PROJECT}/deployments" + (f"/key={key}" if key else "")


def create(key: str, connector: str = "good") -> Change:
    body = draft_body(key, connector, secret="${API_KEY}")
    return Change(TARGET, key, "create", request=Request("POST", path(), body))


def redeploy(key: str, version: int, mode: str = "b") -> Change:
    action = {"action": "redeploy", "configurationValues": [_app(mode, "${API_KEY}")]}
    body = {"version": version, "actions": [action]}
    return Change(
        TARGET,
        key,
        "redeploy",
        live=LiveState("id", version, "Deployed"),
        request=Request("POST", path(key), body),
    )


def delete(key: str) -> Change:
    return Change(TARGET, key, "delete", request=Request("DELETE", path(key)))


def replace_change(key: str, connector: str = "good") -> Change:
    return replace(create(key, connector), action="replace", delete_request=Request("DELETE", path(key)))


def plan(*changes: Change) -> Plan:
    return Plan(targets=(TargetInfo(TARGET, PROJECT, "europe-west1.gcp"),), changes=changes)


def reveal(body: Any) -> Any:
    text = re.sub(r"\$\{(\w+)\}", lambda m: VALUES[m.group(1)], json.dumps(body))
    return json.loads(text)


def send(client: ConnectClient, request: Request) -> Deployment | None:
    """The planned Request as the client's typed call, secured references revealed (as send_planned)."""
    body = reveal(request.body)
    if request.method == "DELETE":
        return client.delete_deployment(key=request.path.rsplit("key=", 1)[1])
    if request.path.endswith("/deployments"):
        return client.create_deployment(DeploymentDraft.model_validate(body))
    update = DeploymentUpdate.model_validate(body)
    return client.update_deployment(key=request.path.rsplit("key=", 1)[1], update=update)


def same_at_live_version(change: Change, live: Deployment | None) -> Change:
    """A replan hook: the same redeploy, at the version just read."""
    assert change.request is not None and change.request.body is not None and live is not None
    body = {**change.request.body, "version": live.version}
    return replace(change, request=replace(change.request, body=body))


def no_replan(change: Change, live: Deployment | None) -> Change:
    raise AssertionError(f"no replan expected for {change.key}")


def run(
    b: Bench,
    the_plan: Plan,
    *,
    replan: Replan = no_replan,
    settings: ApplySettings = FAST,
    cancel: CancelToken | None = None,
    heartbeat: float = 30.0,
    sender: Callable[[ConnectClient, Request], Deployment | None] = send,
) -> tuple[ApplyReport, str]:
    """Apply ``the_plan`` against the bench; the report and every progress line written."""
    cancel = cancel or CancelToken()
    stream = io.StringIO()
    with b.client(cancel) as client, Progress(stream, heartbeat=heartbeat) as progress:
        report = apply_plan(
            the_plan,
            {TARGET: client},
            sender,
            replan=replan,
            cancel=cancel,
            progress=progress,
            settings=settings,
        )
    return report, stream.getvalue()
