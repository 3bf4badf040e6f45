"""Support for the apply fault, kill and canary tests: an emulator in real time on loopback behind a recorder,
a repository of N Deployments, and `gitsync apply` / `gitsync plan` run as subprocesses.

The recorder sees every API call the CLI makes (admin routes aside): what each create answered per key (so a
second create of one key, which the API answers ``DuplicateField``, is caught), the bearer tokens handed out
(secrets too: no output may show one) and the status codes. It can also run a hook just before one call is
served (someone else redeploying between plan and apply: a real 409) and answer a create with its own body
echoed in the error message (a hostile API: the client must redact what it sent).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from e2e_support import ADYEN, OTHER, cli_env, manifest, write_repo

from gitsync.emulator import EmulatorApp, MonotonicClock, serve

PROJECT = "acme"
TARGET = "prod"
CREATE_PATH = f"/{PROJECT}/deployments"
BROKEN: dict[str, Any] = {**ADYEN, "key": "broken", "id": "c-broken", "failDeploy": True}
SEED: dict[str, Any] = {"connectors": [ADYEN, OTHER, BROKEN]}

SECURED_CANARY = "canary-secured-Qx7vK2"
CLIENT_CANARY = "canary-client-Wm4pZ9"
CANARY_ENV = {"ADYEN_API_KEY": SECURED_CANARY, "CTP_CLIENT_SECRET": CLIENT_CANARY}

StartResponse = Callable[..., Any]


@dataclass(frozen=True)
class Call:
    """One API call the emulator answered: route, the created key (creates only), status and error code."""

    method: str
    path: str
    status: int
    code: str | None
    key: str | None = None


@dataclass
class Recorder:
    """A WSGI wrapper around the emulator that records every API call and can run hooks (thread-safe)."""

    app: EmulatorApp
    calls: list[Call] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    before: dict[tuple[str, str], Callable[[], None]] = field(default_factory=dict)
    echo_keys: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method, path = str(environ["REQUEST_METHOD"]), str(environ.get("PATH_INFO", ""))
        if path.startswith("/_emulator/"):
            return self.app(environ, start_response)
        self._note_token(str(environ.get("HTTP_AUTHORIZATION", "")))
        key, body = self._created_key(environ) if (method, path) == ("POST", CREATE_PATH) else (None, b"")
        with self._lock:
            hook = self.before.pop((method, path), None)
        if hook is not None:
            hook()
        if key is not None and key in self.echo_keys:
            return self._echo(body, start_response, key)
        seen: dict[str, int] = {}

        def recording(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"] = int(status.split()[0])
            return start_response(status, headers, exc_info)

        chunks = list(self.app(environ, recording))
        self._record(Call(method, path, seen["status"], _error_code(b"".join(chunks)), key))
        return chunks

    def _note_token(self, authorization: str) -> None:
        if authorization.startswith("Bearer "):
            with self._lock:
                self.tokens.add(authorization.removeprefix("Bearer "))

    @staticmethod
    def _created_key(environ: dict[str, Any]) -> tuple[str | None, bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            key = json.loads(body).get("key")
        except (ValueError, AttributeError):
            key = None
        return (key if isinstance(key, str) else None), body

    def _echo(self, body: bytes, start_response: StartResponse, key: str) -> Iterable[bytes]:
        """A hostile answer: 400 whose message quotes the request body, secured values and all."""
        text = body.decode()
        answer = {"statusCode": 400, "message": text, "errors": [{"code": "InvalidInput", "message": text}]}
        start_response("400 Bad Request", [("Content-Type", "application/json")])
        self._record(Call("POST", CREATE_PATH, 400, "InvalidInput", key))
        return [json.dumps(answer).encode()]

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    # --- what happened --------------------------------------------------------------------------------

    def snapshot(self) -> list[Call]:
        with self._lock:
            return list(self.calls)

    def creates_by_key(self) -> Counter[str]:
        """Creates the emulator accepted (201), per key: at most 1 each, or a Deployment was made twice."""
        return Counter(c.key for c in self.snapshot() if c.path == CREATE_PATH and c.status == 201 and c.key)

    def codes(self) -> Counter[str]:
        return Counter(c.code for c in self.snapshot() if c.code)

    def writes(self) -> int:
        return sum(1 for c in self.snapshot() if c.method in ("POST", "DELETE") and c.path != "/oauth/token")


@dataclass
class Live:
    """A running emulator (real time) behind its recorder."""

    url: str
    app: EmulatorApp
    recorder: Recorder

    def keys(self) -> list[str]:
        """Every live Deployment's key, as the API lists them (one entry per Deployment)."""
        headers = {"Authorization": f"Bearer {other_client_token(self.url)}"}
        params = {"limit": 500}
        # injected faults answer this read too (429/502/503): ask again, a bounded number of times
        for _ in range(50):
            page = httpx.get(f"{self.url}/{PROJECT}/deployments", params=params, headers=headers, timeout=30)
            if page.status_code == 200:
                return sorted(str(item["key"]) for item in page.json()["results"])
        raise AssertionError(f"the Deployments could not be listed: {page.status_code} {page.text[:200]}")

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        response = httpx.request(method, f"{self.url}/_emulator/{path}", json=body, timeout=30)
        response.raise_for_status()
        return response.json()


@contextmanager
def live_emulator(seed: Mapping[str, Any] = SEED, **options: Any) -> Iterator[Live]:
    """An emulator on a MonotonicClock (``deploy_time``, ``error_rate``, … as keywords) on loopback."""
    app = EmulatorApp(dict(seed), clock=MonotonicClock(), **options)
    recorder = Recorder(app)
    server = serve(recorder, port=0)
    try:
        yield Live(url=server.url, app=app, recorder=recorder)
    finally:
        server.stop()


def key_name(index: int) -> str:
    return f"dep-{index:03d}"


def write_deployments(
    root: Path, url: str, keys: Iterable[str], *, merchant: str = "Acme", broken: Iterable[str] = ()
) -> Path:
    """gitsync.yaml (target ``prod``, project ``acme``) and one manifest per key; ``broken`` keys use the
    connector whose deploys fail. Manifests of a previous call are replaced."""
    broken_keys = set(broken)
    for old in (root / "deployments" / TARGET).glob("*.yaml") if (root / "deployments").exists() else ():
        old.unlink()
    manifests = {
        f"{TARGET}/{key}.yaml": manifest(
            key, merchant=merchant, connector={"key": "broken" if key in broken_keys else "adyen"}
        )
        for key in keys
    }
    return write_repo(root, url, {TARGET: {"projectKey": PROJECT}}, manifests)


def gitsync_cli(
    root: Path, *args: str, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``gitsync ARGS`` in ``root`` as a user runs it (NO_COLOR, test secrets; ``env`` on top)."""
    return subprocess.run(
        [sys.executable, "-m", "gitsync", *args],
        cwd=root,
        env=cli_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_cli(root: Path, *args: str, env: Mapping[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "gitsync", *args],
        cwd=root,
        env=cli_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def assert_all_noop(root: Path, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``gitsync plan --detailed-exitcode`` exits 0 and every change is noop; the plan document."""
    result = gitsync_cli(root, "plan", "--format", "json", "--detailed-exitcode", env=env)
    assert "Traceback" not in result.stderr, result.stderr
    plan: dict[str, Any] = json.loads(result.stdout) if result.stdout else {}
    actions = Counter(change["action"] for change in plan.get("changes", []))
    assert result.returncode == 0 and set(actions) == {"noop"}, (result.returncode, actions, result.stderr)
    return plan


def report_of(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The JSON report `apply --format json` printed on stdout."""
    assert "Traceback" not in result.stderr, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def _error_code(body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    errors = data.get("errors") if isinstance(data, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        code = errors[0].get("code")
        return str(code) if code is not None else None
    return None


def other_client_token(url: str) -> str:
    """A token for 'someone else' (not the CLI), to change a Deployment behind apply's back."""
    response = httpx.post(
        f"{url}/oauth/token", data={"grant_type": "client_credentials"}, auth=("other", "other"), timeout=30
    )
    token: str = response.json()["access_token"]
    return token


def redeploy_behind_apply(url: str, key: str) -> None:
    """Someone else redeploys ``key`` (no configuration change) so apply's version is stale: a real 409."""
    headers = {"Authorization": f"Bearer {other_client_token(url)}"}
    path = f"{url}/{PROJECT}/deployments/key={key}"
    live = httpx.get(path, headers=headers, timeout=30).json()
    body = {"version": live["version"], "actions": [{"action": "redeploy", "skipScripts": False}]}
    httpx.post(path, json=body, headers=headers, timeout=30).raise_for_status()
