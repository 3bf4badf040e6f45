"""One authenticated API session: bearer token, retries, 401 refresh and errors, for ConnectClient's calls."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import httpx

from gitsync.api.auth import TOKEN_PATH, TokenSource
from gitsync.api.cancel import CancelToken
from gitsync.api.deadline import deadline_of
from gitsync.api.models import Deployment, DeploymentDraft, DeploymentUpdate
from gitsync.api.responses import connection_failed, error_from_response, host_of
from gitsync.api.retry import Backoff, send_with_retries
from gitsync.api.wire import Wire
from gitsync.secret import Secret

Params = dict[str, Any]
Recover = Callable[[], Deployment | None]


@dataclass(frozen=True)
class CallLimits:
    """The total time one call may take (its retries and sleeps included), and the command's interrupt."""

    seconds: float
    cancel: CancelToken


class ApiSession:
    """Sends API calls with a shared token and the retry rules; knows every secret it must redact."""

    def __init__(
        self,
        *,
        project_key: str,
        connect_url: str,
        auth_url: str,
        client_id: str,
        client_secret: Secret,
        scopes: tuple[str, ...],
        wire: Wire,
        backoff: Backoff,
        limits: CallLimits,
        target: str | None = None,
    ) -> None:
        self.project_key = project_key
        self.connect_url = connect_url
        self.auth_url = auth_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._scopes = scopes
        self._wire = wire
        self._backoff = backoff
        self._limits = limits
        self._target = target
        self._tokens = TokenSource(self._fetch_token, secrets=self.secrets, where=self.where(auth_url))
        self._sent_secrets: set[str] = set()
        self._secrets_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ApiSession(project_key={self.project_key!r}, connect_url={self.connect_url!r})"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        body: dict[str, Any] | None = None,
        idempotent: bool = False,
        recover: Recover | None = None,
    ) -> httpx.Response | Deployment:
        """One API call with retries; returns the 2xx response (or what ``recover`` found), else raises."""
        url = self.connect_url + path

        def attempt(note: str) -> httpx.Response:
            token = self._tokens.get()
            response = self._send_api(method, url, token, note, params=params, json=body)
            if response.status_code != 401:
                return response
            self._tokens.invalidate(token)  # expired or revoked early: one refresh, then one more try
            token = self._tokens.get()
            return self._send_api(method, url, token, note + " (new token)", params=params, json=body)

        fail = partial(self._connection_failed, method, url, path)
        with deadline_of(self._limits.seconds, self._limits.cancel):
            outcome = send_with_retries(
                attempt, self._backoff, idempotent=idempotent, recover=recover, fail=fail
            )
        if isinstance(outcome, httpx.Response) and not outcome.is_success:
            where = self.where(url)
            raise error_from_response(outcome, method, path, self.project_key, self.secrets(), where)
        return outcome

    def where(self, url: str) -> str:
        """What an error is about: target, project and host (never a secret, never user:password)."""
        about = f"project {self.project_key} at {host_of(url)}"
        return f"target {self._target!r} ({about})" if self._target else about

    def remember_secrets(self, values: Iterable[str]) -> None:
        """Secured values about to be sent: redacted from any error message from now on."""
        with self._secrets_lock:
            self._sent_secrets.update(values)

    def secrets(self) -> tuple[str, ...]:
        """Every value no message may show: client secret, token, secured values sent."""
        with self._secrets_lock:
            sent = tuple(self._sent_secrets)
        return (self._client_secret.reveal(), *self._tokens.known_values(), *sent)

    def _send_api(self, method: str, url: str, token: str, note: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        return self._wire.send(method, url, note=note, headers=headers, **kwargs)

    def _fetch_token(self) -> httpx.Response:
        url = self.auth_url + TOKEN_PATH
        form = {"grant_type": "client_credentials"}
        if self._scopes:
            form["scope"] = " ".join(self._scopes)
        auth = (self._client_id, self._client_secret.reveal())

        def attempt(note: str) -> httpx.Response:
            return self._wire.send("POST", url, note=note, auth=auth, data=form)

        fail = partial(self._connection_failed, "POST", url, TOKEN_PATH)
        # A token request changes nothing on the server, so it is as safe to retry as a GET.
        with deadline_of(self._limits.seconds, self._limits.cancel):
            outcome = send_with_retries(attempt, self._backoff, idempotent=True, recover=None, fail=fail)
        assert isinstance(outcome, httpx.Response)
        return outcome

    def _connection_failed(
        self, method: str, url: str, path: str, exc: httpx.TransportError, unknown: bool
    ) -> Exception:
        return connection_failed(exc, unknown, method, url, path, self.secrets(), self.where(url))


def secured_values(body: DeploymentDraft | DeploymentUpdate) -> list[str]:
    """Every secured value inside a body we are about to send."""
    if isinstance(body, DeploymentDraft):
        applications = list(body.configurations or [])
        globals_ = [body.global_configuration]
    else:
        applications = [app for action in body.actions for app in action.configuration_values or []]
        globals_ = [action.global_configuration for action in body.actions]
    values = [entry.value for app in applications for entry in app.secured_configuration]
    return values + [entry.value for g in globals_ if g for entry in g.secured_configuration or []]
