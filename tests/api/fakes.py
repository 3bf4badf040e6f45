"""A scripted fake of the Connect API at the httpx transport seam, for HTTP-level failure tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from gitsync.api.client import ConnectClient
from gitsync.secret import Secret

BASE = "http://127.0.0.1:9"
CLIENT_SECRET = "client-secret-canary-51c0"


def deployment_body(key: str = "adyen", version: int = 1, status: str = "Queued") -> dict[str, Any]:
    return {
        "id": f"id-{key}",
        "key": key,
        "version": version,
        "connector": {"id": "c", "version": 1},
        "status": status,
    }


def error_body(status: int, code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"statusCode": status, "message": message, "errors": [{"code": code, "message": message, **extra}]}


Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeApi:
    """Answers token requests itself; API requests get the replies scripted for 'METHOD path', in order."""

    script: dict[str, list[Reply]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    tokens_issued: int = 0
    token_reply: httpx.Response | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/oauth/token":
            return self._token()
        name = f"{request.method} {request.url.path}"
        replies = self.script.get(name)
        if not replies:
            raise AssertionError(f"unscripted request {name}")
        reply = replies.pop(0) if len(replies) > 1 else replies[0]
        if isinstance(reply, Exception):
            raise reply
        return reply(request) if callable(reply) else reply

    def _token(self) -> httpx.Response:
        if self.token_reply is not None:
            return self.token_reply
        self.tokens_issued += 1
        token = {"access_token": f"token-{self.tokens_issued}", "expires_in": 172800, "token_type": "Bearer"}
        return httpx.Response(200, json=token)

    def sent(self, name: str) -> list[httpx.Request]:
        return [r for r in self.requests if f"{r.method} {r.url.path}" == name]

    def bodies(self, name: str) -> list[Any]:
        return [json.loads(r.content) for r in self.sent(name)]


@dataclass
class Sleeps:
    """A fake ``time.sleep`` that records every delay."""

    delays: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def make_client(api: FakeApi, sleeps: Sleeps | None = None, **options: Any) -> ConnectClient:
    settings: dict[str, Any] = {"connect_url": BASE, "auth_url": BASE, "transport": httpx.MockTransport(api)}
    settings |= {"sleep": sleeps if sleeps is not None else Sleeps()} | options
    return ConnectClient("acme", "client-id", Secret("${CTP_CLIENT_SECRET}", CLIENT_SECRET), **settings)
