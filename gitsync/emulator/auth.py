"""OAuth2 client credentials (facts §6) and the scope checks of every API route (facts §1.1, §2.1)."""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from gitsync.emulator.clock import Clock
from gitsync.emulator.errors import ApiError, error, insufficient_scope, invalid_token

JSON = dict[str, Any]

ALL_SCOPES = "manage_project:*"  # with no clients seeded, every token may do everything everywhere
READ_DEPLOYMENTS = ("manage_project", "manage_connectors_deployments", "view_connectors_deployments")
WRITE_DEPLOYMENTS = ("manage_project", "manage_connectors_deployments")
READ_CONNECTORS = ("manage_project", "manage_connectors", "view_connectors")


@dataclass(frozen=True)
class Grant:
    """What one access token may do, and until when."""

    scopes: frozenset[str]
    expires_at: float

    def allows(self, names: tuple[str, ...], project_key: str | None) -> bool:
        """True if any scope named in ``names`` covers the project (any project when None)."""
        for scope in self.scopes:
            name, _, project = scope.partition(":")
            if name == "manage_project" and project == "*":
                return True
            if name in names and (project_key is None or project in (project_key, "*")):
                return True
        return False


def _auth_error(status: int, code: str, message: str) -> ApiError:
    return ApiError(status, [error(code, message)])


def _basic(header: str) -> tuple[str, str]:
    scheme, _, encoded = header.partition(" ")
    try:
        client_id, sep, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        sep = ""
    if scheme.lower() != "basic" or not sep:
        raise _auth_error(
            401, "invalid_client", "Please provide valid client credentials using HTTP Basic Authentication."
        )
    return client_id, secret


class TokenIssuer:
    """Issues bearer tokens and checks them; thread-safe."""

    def __init__(self, clock: Clock, ttl: int) -> None:
        self.clock, self.ttl = clock, ttl
        self.clients: dict[str, tuple[str, frozenset[str]]] = {}
        self._grants: dict[str, Grant] = {}
        self._lock = threading.Lock()

    def add_client(self, client_id: str, secret: str, scopes: list[str]) -> None:
        with self._lock:
            self.clients[client_id] = (secret, frozenset(scopes))

    def reset(self) -> None:
        with self._lock:
            self.clients.clear()
            self._grants.clear()

    def expire_all(self) -> None:
        """Invalidate every issued token (tests of refresh on 401)."""
        with self._lock:
            self._grants.clear()

    def issue(self, authorization: str, form: bytes) -> JSON:
        """POST /oauth/token: a client credentials grant, narrowed to the requested scope."""
        client_id, secret = _basic(authorization)
        fields = parse_qs(form.decode("utf-8", "replace"))
        if fields.get("grant_type", [""])[0] != "client_credentials":
            raise _auth_error(400, "unsupported_grant_type", "grant_type must be client_credentials.")
        requested = frozenset(" ".join(fields.get("scope", [])).split())
        scopes = self._scopes(client_id, secret, requested)
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._grants[token] = Grant(scopes, self.clock.now() + self.ttl)
        scope = " ".join(sorted(scopes))
        return {"access_token": token, "expires_in": self.ttl, "scope": scope, "token_type": "Bearer"}

    def _scopes(self, client_id: str, secret: str, requested: frozenset[str]) -> frozenset[str]:
        with self._lock:
            client = self.clients.get(client_id) if self.clients else (secret, frozenset([ALL_SCOPES]))
        if client is None or not secrets.compare_digest(client[0], secret):
            raise _auth_error(
                401,
                "invalid_client",
                "Please provide valid client credentials using HTTP Basic Authentication.",
            )
        if not requested:
            return client[1]
        if ALL_SCOPES in client[1]:
            return requested
        extra = requested - client[1]
        if extra:
            raise _auth_error(
                400,
                "invalid_scope",
                f"Invalid scope(s) not granted to this client: {' '.join(sorted(extra))}",
            )
        return requested

    def check(self, authorization: str, names: tuple[str, ...], project_key: str | None) -> None:
        """401 for a missing, unknown or expired token; 403 when no scope in ``names`` covers the project."""
        scheme, _, token = authorization.partition(" ")
        with self._lock:
            grant = self._grants.get(token) if scheme.lower() == "bearer" else None
        if grant is None or grant.expires_at <= self.clock.now():
            raise invalid_token()
        if not grant.allows(names, project_key):
            suffix = f":{project_key}" if project_key else ""
            raise insufficient_scope([f"{name}{suffix}" for name in names])
