"""OAuth client credentials and scope checks (facts §1.1, §5.1, §6)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from gitsync.emulator import EmulatorApp, ManualClock
from tests.emulator.conftest import wsgi_client

CLIENTS = {
    "clients": [
        {"clientId": "writer", "clientSecret": "w-secret", "scopes": ["manage_connectors_deployments:acme"]},
        {
            "clientId": "reader",
            "clientSecret": "r-secret",
            "scopes": ["view_connectors_deployments:acme", "view_connectors:acme"],
        },
    ]
}


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    app = EmulatorApp(CLIENTS, clock=ManualClock(), token_ttl=3600)
    with wsgi_client(app) as client:
        yield client


def _token(client: httpx.Client, who: str, secret: str, scope: str | None = None) -> httpx.Response:
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    return client.post("/oauth/token", auth=(who, secret), data=data)


def _bearer(response: httpx.Response) -> dict[str, str]:
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_token_response_shape(client: httpx.Client) -> None:
    body = _token(client, "writer", "w-secret").json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["scope"] == "manage_connectors_deployments:acme" and len(body["access_token"]) > 20


@pytest.mark.parametrize("auth", [("writer", "wrong"), ("nobody", "w-secret")])
def test_bad_credentials_are_401_invalid_client(client: httpx.Client, auth: tuple[str, str]) -> None:
    response = _token(client, *auth)
    assert response.status_code == 401
    body = response.json()
    assert body["error"] == "invalid_client" and body["errors"][0]["code"] == "invalid_client"
    assert body["message"] == "Please provide valid client credentials using HTTP Basic Authentication."


def test_missing_basic_auth_and_bad_grant(client: httpx.Client) -> None:
    assert client.post("/oauth/token", data={"grant_type": "client_credentials"}).status_code == 401
    bad = client.post("/oauth/token", auth=("writer", "w-secret"), data={"grant_type": "password"})
    assert bad.status_code == 400 and bad.json()["error"] == "unsupported_grant_type"


def test_requested_scope_narrows_and_unknown_scope_is_refused(client: httpx.Client) -> None:
    narrowed = _token(client, "reader", "r-secret", scope="view_connectors:acme")
    assert narrowed.json()["scope"] == "view_connectors:acme"
    assert client.get("/acme/deployments", headers=_bearer(narrowed)).status_code == 403
    refused = _token(client, "reader", "r-secret", scope="manage_project:acme")
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_scope"


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc"])
def test_missing_or_unknown_token_is_401_invalid_token(client: httpx.Client, header: str | None) -> None:
    response = client.get("/acme/deployments", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json() == {
        "statusCode": 401,
        "message": "invalid_token",
        "errors": [{"code": "invalid_token", "message": "invalid_token"}],
        "error": "invalid_token",
    }


def test_scopes_per_route(client: httpx.Client) -> None:
    reader = _bearer(_token(client, "reader", "r-secret"))
    writer = _bearer(_token(client, "writer", "w-secret"))
    assert client.get("/acme/deployments", headers=reader).status_code == 200
    assert client.get("/other/deployments", headers=reader).status_code == 403
    denied = client.post("/acme/deployments", headers=reader, json={})
    assert denied.status_code == 403 and denied.json()["errors"][0]["code"] == "insufficient_scope"
    assert "manage_connectors_deployments:acme" in denied.json()["message"]
    assert client.delete("/acme/deployments/key=x", headers=reader).status_code == 403
    assert client.post("/acme/deployments", headers=writer, json={}).status_code == 400  # past auth, bad body
    assert client.get("/connectors/key=x", headers=reader).status_code == 404  # view_connectors may read
    assert client.get("/connectors/key=x", headers=writer).status_code == 403


def test_tokens_expire_on_the_clock_and_on_demand() -> None:
    clock = ManualClock()
    app = EmulatorApp(CLIENTS, clock=clock, token_ttl=10)
    with wsgi_client(app) as client:
        headers = _bearer(_token(client, "reader", "r-secret"))
        clock.advance(9)
        assert client.get("/acme/deployments", headers=headers).status_code == 200
        clock.advance(1)
        assert client.get("/acme/deployments", headers=headers).status_code == 401
        headers = _bearer(_token(client, "reader", "r-secret"))
        assert client.post("/_emulator/expire-tokens").status_code == 200
        assert client.get("/acme/deployments", headers=headers).status_code == 401


def test_without_clients_any_credentials_get_every_scope() -> None:
    app = EmulatorApp()
    with wsgi_client(app) as client:
        headers = _bearer(_token(client, "anyone", "anything"))
        assert client.post("/any-project/deployments", headers=headers, json={}).status_code == 400
        assert client.get("/connectors/key=x", headers=headers).status_code == 404
