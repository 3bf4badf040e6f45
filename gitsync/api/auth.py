"""OAuth2 client-credentials tokens: fetched once, shared by every thread, refreshed before they expire."""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from gitsync.api.errors import ApiError, AuthenticationError
from gitsync.api.responses import json_body

# The official CLI refreshes 5 minutes before expiry (connect-api-facts §6); so do we.
REFRESH_MARGIN = 300.0
TOKEN_PATH = "/oauth/token"
# The auth service refuses a wrong clientId/clientSecret or scope with 400 or 401 (invalid_client,
# invalid_scope): asking again cannot succeed, so it is asked once per client (issue 7).
REFUSED = frozenset({400, 401})
BEARER_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


@dataclass(frozen=True)
class _Token:
    value: str
    expires_at: float


class TokenSource:
    """Hands out a valid bearer token; one fetch at a time, however many threads ask."""

    def __init__(
        self,
        fetch: Callable[[], httpx.Response],
        *,
        secrets: Callable[[], tuple[str, ...]],
        where: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._secrets = secrets
        self._where = where
        self._clock = clock
        self._lock = threading.Lock()
        self._token: _Token | None = None
        # a refused credential stays refused: every thread gets the error, only one request is sent
        self._refused: httpx.Response | None = None

    def __repr__(self) -> str:
        return "TokenSource(token=(sensitive))"

    def get(self) -> str:
        """A token valid for at least ``REFRESH_MARGIN`` more seconds (or the whole lifetime if shorter)."""
        with self._lock:
            if self._refused is not None:
                raise self._error(self._refused)
            if self._token is None or self._clock() >= self._token.expires_at:
                self._token = self._read(self._fetch())
            return self._token.value

    def invalidate(self, value: str) -> None:
        """Forget ``value`` after the API refused it, unless another thread already replaced it."""
        with self._lock:
            if self._token is not None and self._token.value == value:
                self._token = None

    def known_values(self) -> tuple[str, ...]:
        """The current token, for redaction."""
        token = self._token
        return (token.value,) if token else ()

    def _read(self, response: httpx.Response) -> _Token:
        if response.status_code in REFUSED:
            self._refused = response
        if response.status_code != 200:
            raise self._error(response)
        try:
            body = json_body(response)
        except ValueError as exc:
            raise self._unreadable(response) from exc
        value = body.get("access_token") if isinstance(body, dict) else None
        lifetime = _seconds(body.get("expires_in", 3600)) if isinstance(body, dict) else None
        # it goes into an Authorization header: only RFC 6750 token characters, and a usable lifetime
        if not isinstance(value, str) or not BEARER_TOKEN.fullmatch(value) or lifetime is None:
            raise self._unreadable(response)
        margin = min(REFRESH_MARGIN, lifetime / 2)
        return _Token(value=value, expires_at=self._clock() + lifetime - margin)

    def _error(self, response: httpx.Response) -> ApiError:
        code, message = _oauth_error(response)
        refused = response.status_code in REFUSED
        cls = AuthenticationError if refused else ApiError
        hint = (
            "check clientId/clientSecret and the requested scopes of the target's credentials"
            if refused
            else "the auth service failed; try again later"
        )
        return cls(
            status=response.status_code,
            code=code,
            message=message,
            method="POST",
            path=TOKEN_PATH,
            hint=hint,
            secrets=self._secrets(),
            where=self._where,
        )

    def _unreadable(self, response: httpx.Response) -> ApiError:
        message = "the token response has no access_token; is authUrl the commercetools auth host?"
        return ApiError(
            status=response.status_code,
            code="InvalidTokenResponse",
            message=message,
            method="POST",
            path=TOKEN_PATH,
            where=self._where,
        )


def _seconds(value: object) -> float | None:
    """A positive, finite number of seconds, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        seconds = float(value)
    except (ValueError, OverflowError):
        return None
    return seconds if 0 < seconds < math.inf else None


def _oauth_error(response: httpx.Response) -> tuple[str, str]:
    """The OAuth ``error`` code and description (commercetools or RFC 6749 shape), never the raw body."""
    try:
        body = json_body(response)
    except ValueError:
        return f"HTTP{response.status_code}", response.reason_phrase or "no error body"
    if not isinstance(body, dict):
        return f"HTTP{response.status_code}", "unexpected error body"
    code = body.get("error") or _first_code(body) or f"HTTP{response.status_code}"
    message = body.get("error_description") or body.get("message") or str(code)
    return str(code), str(message)


def _first_code(body: dict[str, object]) -> str | None:
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        code = errors[0].get("code")
        return str(code) if code else None
    return None
